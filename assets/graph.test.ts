import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAssetGraph, loadAssetGraph, templateReferences, type Asset } from './graph.ts';
import { makeTempDir, testMapping } from './test-helpers.ts';

function modelsDir(files: Record<string, string>): string {
  const dir = makeTempDir('placement-models-');
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), sql);
  }
  return dir;
}

describe('loadAssetGraph', () => {
  it('orders the project models in layers, raw first and the fact last', () => {
    const graph = loadAssetGraph(testMapping());

    expect(graph.layers()).toEqual([
      [
        'raw_odoo_crm_lead',
        'raw_odoo_crm_stage',
        'raw_odoo_ir_attachment',
        'raw_odoo_selection_label',
        'raw_odoo_survey_question',
        'raw_odoo_survey_question_answer',
        'raw_odoo_survey_user_input',
        'raw_odoo_survey_user_input_line',
        'ref_commune',
        'ref_region',
        'ref_region_alias',
      ],
      [
        'stg_odoo_crm_lead',
        'stg_odoo_crm_stage',
        'stg_odoo_ir_attachment',
        'stg_odoo_survey_question',
        'stg_odoo_survey_question_answer',
        'stg_odoo_survey_user_input',
        'stg_odoo_survey_user_input_line',
      ],
      ['ods_odoo_crm_ir_attachment', 'ods_odoo_crm_lead', 'ods_odoo_crm_survey_question_filtered'],
      ['ods_odoo_crm_survey_response_pivot'],
      ['ods_odoo_crm_survey_response_normalised'],
      ['dim_odoo_crm_reponse_sondage'],
      ['fact_odoo_crm_opportunite'],
      ['fact_looker_candidat_en_recherche'],
    ]);
  });

  it('reads upstreams from ref() and source() calls and descriptions from the .yml file', () => {
    const graph = loadAssetGraph(testMapping());

    expect(graph.get('fact_odoo_crm_opportunite')).toMatchObject({
      layer: 'fact',
      upstream: ['ods_odoo_crm_lead', 'ods_odoo_crm_ir_attachment', 'dim_odoo_crm_reponse_sondage'],
    });
    expect(graph.get('stg_odoo_crm_lead').upstream).toEqual(['raw_odoo_crm_lead', 'raw_odoo_selection_label']);
    expect(graph.get('raw_odoo_crm_lead')).toMatchObject({ layer: 'raw', upstream: [], source: 'crm_lead' });
    expect(graph.get('ref_commune')).toMatchObject({ layer: 'raw', upstream: [], seed: 'ref_commune' });
    for (const asset of graph.assets) expect(asset.description, asset.key).not.toBe('');
  });

  it('rejects an unknown ref', () => {
    const dir = modelsDir({ 'staging/stg_a.sql': "select * from {{ ref('stg_missing') }}" });

    expect(() => loadAssetGraph(testMapping(), { modelsDir: dir })).toThrow(
      /asset stg_a \(.*stg_a\.sql\) refers to unknown asset "stg_missing"/,
    );
  });

  it('rejects an unknown source', () => {
    const dir = modelsDir({ 'staging/stg_a.sql': "select * from {{ source('crm_leads') }}" });

    expect(() => loadAssetGraph(testMapping(), { modelsDir: dir })).toThrow(/stg_a .*source\('crm_leads'\).*crm_lead,/);
  });

  it('reports a cycle with the path of references', () => {
    const dir = modelsDir({
      'ods/ods_a.sql': "select * from {{ ref('ods_b') }}",
      'ods/ods_b.sql': "select * from {{ ref('ods_c') }}",
      'ods/ods_c.sql': "select * from {{ ref('ods_a') }}",
    });

    expect(() => loadAssetGraph(testMapping(), { modelsDir: dir })).toThrow(/ods_a -> ods_b -> ods_c -> ods_a/);
  });
});

describe('buildAssetGraph', () => {
  const asset = (key: string, upstream: string[] = []): Asset => ({
    key,
    layer: 'staging',
    upstream,
    description: key,
  });

  it('rejects two assets with one key', () => {
    expect(() => buildAssetGraph([asset('a'), asset('a')])).toThrow(/two assets are named a/);
  });

  it('rejects an asset that depends on itself', () => {
    expect(() => buildAssetGraph([asset('a', ['a'])])).toThrow(/a -> a/);
  });

  it('puts an asset after the deepest of its upstreams', () => {
    const graph = buildAssetGraph([asset('d', ['b', 'c']), asset('c', ['b']), asset('b', ['a']), asset('a')]);

    expect(graph.layers()).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(() => graph.get('z')).toThrow(/unknown asset "z"/);
  });
});

describe('templateReferences', () => {
  it('finds ref and source calls with either quote', () => {
    expect(templateReferences(`select * from {{ ref("a") }} join {{ source( 'crm_lead' ) }} using (id)`)).toEqual([
      { kind: 'ref', name: 'a' },
      { kind: 'source', name: 'crm_lead' },
    ]);
  });
});
