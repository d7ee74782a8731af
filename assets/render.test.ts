import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckDbDialect } from '../warehouse/dialect.ts';
import { loadAssetGraph } from './graph.ts';
import { renderModel } from './render.ts';
import { makeTempDir, testMapping } from './test-helpers.ts';

function render(key: string, options: { modelsDir?: string; mapping?: ReturnType<typeof testMapping> } = {}) {
  const mapping = options.mapping ?? testMapping();
  const graph = loadAssetGraph(mapping, { modelsDir: options.modelsDir });
  return renderModel(key, { graph, dialect: duckDbDialect, mapping, odooUrl: 'https://odoo.example.test/' });
}

function modelsDir(sql: string): string {
  const dir = makeTempDir('placement-models-');
  fs.mkdirSync(path.join(dir, 'staging'));
  fs.writeFileSync(path.join(dir, 'staging', 'stg_a.sql'), sql);
  return dir;
}

describe('renderModel', () => {
  it('reads the Odoo field names from the mapping', () => {
    const mapping = testMapping();
    mapping.leadFields.prenom = 'x_studio_prenom';

    const sql = render('stg_odoo_crm_lead', { mapping });

    expect(sql).toContain('"x_studio_prenom"');
    expect(sql).not.toContain('x_contact_firstname');
    expect(sql).toContain('from "raw_odoo_crm_lead"');
  });

  it('resolves ref, source, macros, filters and the Odoo URL', () => {
    const dir = modelsDir(
      "select {{ d.odooText('name') }}, {{ odoo_url | literal }}, {{ lead.nom | ident }} " +
        "from {{ source('crm_lead') }} join {{ ref('raw_odoo_crm_stage') }} on true",
    );

    expect(render('stg_a', { modelsDir: dir })).toBe(
      `select ${duckDbDialect.odooText('name')}, 'https://odoo.example.test', "contact_name" ` +
        'from "raw_odoo_crm_lead" join "raw_odoo_crm_stage" on true',
    );
  });

  it('rejects an undefined variable', () => {
    const dir = modelsDir('select {{ lead.unknown_column }}');

    expect(() => render('stg_a', { modelsDir: dir })).toThrow(/failed to render .*stg_a\.sql/);
  });

  it('rejects a computed ref name', () => {
    const dir = modelsDir("{% set name = 'raw_odoo_' ~ 'crm_stage' %}select * from {{ ref(name) }}");

    expect(() => render('stg_a', { modelsDir: dir })).toThrow(/ref\('raw_odoo_crm_stage'\) .* not a literal reference/);
  });

  it('rejects rendering a raw asset', () => {
    expect(() => render('raw_odoo_crm_lead')).toThrow(/raw asset loaded from the lake/);
  });
});
