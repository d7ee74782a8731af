/**
 * Renders a model's SQL template (nunjucks, dbt style) into SQL for one warehouse.
 *
 * Template variables:
 * - `ref('asset')`, `source('crm_lead')`: quoted table names. Only the names the graph read from
 *   the template resolve, so a computed name fails instead of hiding an edge from the graph.
 * - `d`: the dialect macros (warehouse/dialect.ts), e.g. `d.odooText('name')`.
 * - `lead.<column>`: the Odoo field behind a product column; `questions.<attribute>`: the pattern
 *   of a survey question; `cv_pattern`, `search_stage`; `odoo_url`: base URL for links.
 * - `latest_records(relation)`: the latest version of each record id in a raw table (the lake may
 *   hold an id several times across files): the latest `write_date` wins, then the latest file.
 * - filters `ident` (quote an identifier) and `literal` (quote a value).
 */
import fs from 'node:fs';
import nunjucks from 'nunjucks';
import type { OdooMapping } from '../config/odoo-mapping.ts';
import type { Dialect, SqlValue } from '../warehouse/dialect.ts';
import type { AssetGraph } from './graph.ts';
import { sourceDefinitions } from './sources.ts';

export type RenderContext = {
  graph: AssetGraph;
  dialect: Dialect;
  mapping: OdooMapping;
  /** Odoo base URL without a trailing slash, e.g. `https://crm.example.org`. */
  odooUrl: string;
};

/**
 * Returns the SQL of model `key`.
 * @throws Error naming the template when it uses an undefined variable or an unknown reference.
 */
export function renderModel(key: string, context: RenderContext): string {
  const asset = context.graph.get(key);
  if (!asset.sqlFile) throw new Error(`asset ${key} is a ${asset.layer} asset loaded from the lake, not a SQL model`);
  const { dialect, mapping } = context;

  const resolvable = new Set(asset.upstream);
  const rawTables = new Map<string, string>(sourceDefinitions(mapping).map((source) => [source.name, source.rawTable]));
  const ref = (name: string) => {
    if (!resolvable.has(name)) {
      throw new Error(`ref('${name}') in ${asset.sqlFile} is not a literal reference to a known asset`);
    }
    return dialect.table(name);
  };
  const source = (name: string) => {
    const rawTable = rawTables.get(name);
    if (!rawTable || !resolvable.has(rawTable)) {
      throw new Error(`source('${name}') in ${asset.sqlFile} is not a literal reference to a known source`);
    }
    return dialect.table(rawTable);
  };

  const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  environment.addFilter('ident', (name: string) => dialect.identifier(name));
  environment.addFilter('literal', (value: SqlValue) => dialect.literal(value));

  const template = fs.readFileSync(asset.sqlFile, 'utf8');
  try {
    return environment.renderString(template, {
      ref,
      source,
      d: dialect,
      lead: mapping.leadFields,
      questions: mapping.questionPatterns,
      cv_pattern: mapping.cvPattern,
      search_stage: mapping.searchStage,
      odoo_url: context.odooUrl.replace(/\/+$/, ''),
      latest_records: (relation: string) => latestRecords(dialect, relation),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`failed to render ${asset.sqlFile}: ${message}`, { cause: error });
  }
}

function latestRecords(dialect: Dialect, relation: string): string {
  return [
    'select * from (',
    '    select',
    '      *,',
    '      row_number() over (',
    '        partition by id',
    `        order by ${dialect.odooDatetime('write_date')} desc, _lake_key desc`,
    '      ) as write_rank',
    `    from ${relation}`,
    '  ) as ranked',
    '  where write_rank = 1',
  ].join('\n');
}
