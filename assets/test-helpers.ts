/**
 * Test helpers for the models: a temporary lake folder with extraction runs written the way the
 * extraction activity writes them, an in-memory DuckDB warehouse reading it, and dbt-style
 * "given these upstream rows" tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOdooMapping, type OdooMapping } from '../config/odoo-mapping.ts';
import { PROJECT_ROOT } from '../config/settings.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { manifestKey, partKey } from '../lake/paths.ts';
import type { FieldDescription } from '../odoo/types.ts';
import type { SqlValue } from '../warehouse/dialect.ts';
import { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import type { ColumnSpec, ColumnType, Warehouse } from '../warehouse/warehouse.ts';
import { loadAssetGraph } from './graph.ts';
import { createMaterializeActivities } from '../activities/materialize.ts';
import { renderModel } from './render.ts';
import { sourceDefinitions, type SourceName } from './sources.ts';

export const TEST_ODOO_URL = 'https://odoo.example.test';

export function testMapping(): OdooMapping {
  return loadOdooMapping(path.join(PROJECT_ROOT, 'config/odoo-mapping.yaml'));
}

const datetime = { type: 'datetime' };
const char = { type: 'char' };
const integer = { type: 'integer' };
const boolean = { type: 'boolean' };
const many2one = (relation: string) => ({ type: 'many2one', relation });

/** fields_get of each extracted model, as a real Odoo 18 with the company's custom fields reports it. */
export const ODOO_FIELDS: Record<SourceName, Record<string, FieldDescription>> = {
  crm_lead: {
    id: integer,
    name: char,
    active: boolean,
    stage_id: many2one('crm.stage'),
    create_date: datetime,
    write_date: datetime,
    contact_name: char,
    x_contact_firstname: char,
    phone: char,
    email_from: char,
    x_region: {
      type: 'selection',
      selection: [
        ['idf', 'Île-de-France'],
        ['ara', 'Auvergne-Rhône-Alpes'],
      ],
    },
    city: char,
    zip: char,
    description: { type: 'html' },
    x_parcours: {
      type: 'selection',
      selection: [
        ['emploi', 'Emploi'],
        ['formation', 'Formation'],
      ],
    },
    x_impact_unit: many2one('x_impact_unit'),
    x_survey_user_input_id: many2one('survey.user_input'),
  },
  crm_stage: { id: integer, name: char, sequence: integer, fold: boolean, write_date: datetime },
  ir_attachment: {
    id: integer,
    name: char,
    res_model: char,
    res_id: { type: 'many2one_reference' },
    mimetype: char,
    file_size: integer,
    type: {
      type: 'selection',
      selection: [
        ['url', 'URL'],
        ['binary', 'File'],
      ],
    },
    url: char,
    create_date: datetime,
    write_date: datetime,
  },
  survey_question: {
    id: integer,
    title: char,
    question_type: {
      type: 'selection',
      selection: [
        ['simple_choice', 'Multiple choice: only one answer'],
        ['multiple_choice', 'Multiple choice: multiple answers allowed'],
        ['date', 'Date'],
      ],
    },
    is_page: boolean,
    survey_id: many2one('survey.survey'),
    sequence: integer,
    write_date: datetime,
  },
  survey_question_answer: {
    id: integer,
    value: char,
    question_id: many2one('survey.question'),
    sequence: integer,
    write_date: datetime,
  },
  survey_user_input: {
    id: integer,
    survey_id: many2one('survey.survey'),
    partner_id: many2one('res.partner'),
    email: char,
    state: {
      type: 'selection',
      selection: [
        ['new', 'Not started yet'],
        ['in_progress', 'In Progress'],
        ['done', 'Completed'],
      ],
    },
    create_date: datetime,
    write_date: datetime,
  },
  survey_user_input_line: {
    id: integer,
    user_input_id: many2one('survey.user_input'),
    question_id: many2one('survey.question'),
    answer_type: {
      type: 'selection',
      selection: [
        ['text_box', 'Free Text'],
        ['char_box', 'Text'],
        ['numerical_box', 'Number'],
        ['date', 'Date'],
        ['datetime', 'Datetime'],
        ['suggestion', 'Suggestion'],
      ],
    },
    skipped: boolean,
    value_char_box: char,
    value_text_box: { type: 'text' },
    value_numerical_box: { type: 'float' },
    value_date: { type: 'date' },
    value_datetime: datetime,
    suggested_answer_id: many2one('survey.question.answer'),
    create_date: datetime,
    write_date: datetime,
  },
};

export function makeTempDir(prefix = 'placement-assets-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes one extraction run for `runDate` under `lakeDir`: one NDJSON part per entry of
 * `partsBySource[source]` (no part for a source with no records) and its manifest, for every
 * source, so that every raw asset of that date can load.
 */
export function writeExtractionRun(
  lakeDir: string,
  runDate: string,
  partsBySource: Partial<Record<SourceName, Record<string, unknown>[][]>>,
  fieldsBySource: Partial<Record<SourceName, Record<string, FieldDescription>>> = ODOO_FIELDS,
): void {
  for (const source of sourceDefinitions(testMapping())) {
    const recordsByPart = partsBySource[source.name] ?? [];
    const parts = recordsByPart.map((records, index) => {
      const key = partKey(source.name, runDate, index);
      writeFile(lakeDir, key, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
      return key;
    });
    const fields = fieldsBySource[source.name] ?? {};
    const manifest = {
      source: source.name,
      model: source.model,
      runDate,
      extractedAt: `${runDate}T05:00:00.000Z`,
      rows: recordsByPart.reduce((total, part) => total + part.length, 0),
      parts,
      fieldTypes: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.type])),
      fields,
      maxId: null,
      maxWriteDate: null,
    };
    writeFile(lakeDir, manifestKey(source.name, runDate), JSON.stringify(manifest));
  }
}

function writeFile(lakeDir: string, key: string, contents: string): void {
  const file = path.join(lakeDir, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
}

export async function openTestWarehouse(lakeDir: string): Promise<DuckDbWarehouse> {
  return DuckDbWarehouse.open({ path: ':memory:', lakePath: (key) => path.join(lakeDir, key) });
}

/**
 * Creates `table` holding `rows`, as a model's upstream in a unit test. Column types come from the
 * JS values (integer → int64, other number → float64, Date → timestamp, boolean → bool,
 * otherwise string) unless `types` names them.
 */
export async function given(
  warehouse: Warehouse,
  table: string,
  rows: Record<string, SqlValue | Date>[],
  types: Record<string, ColumnType> = {},
): Promise<void> {
  if (rows.length === 0)
    throw new Error(`given(${table}): give at least one row, or use types to describe an empty table`);
  const names = Object.keys(rows[0]);
  const columns: ColumnSpec[] = names.map((name) => ({
    name,
    type: types[name] ?? inferType(rows.map((row) => row[name])),
  }));
  const values = rows.map((row) =>
    names.map((name) => {
      const value = row[name];
      return value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : (value ?? null);
    }),
  );
  await warehouse.createTableAs(table, warehouse.dialect.literalRows(columns, values));
}

function inferType(values: (SqlValue | Date | undefined)[]): ColumnType {
  const sample = values.find((value) => value !== null && value !== undefined);
  if (sample instanceof Date) return 'timestamp';
  if (typeof sample === 'boolean') return 'bool';
  if (typeof sample === 'number')
    return values.every((value) => typeof value !== 'number' || Number.isInteger(value)) ? 'int64' : 'float64';
  return 'string';
}

/** Renders and materialises the model `key`, then returns its rows ordered by its first column. */
export async function runModel(warehouse: Warehouse, key: string): Promise<Record<string, unknown>[]> {
  const mapping = testMapping();
  const sql = renderModel(key, {
    graph: loadAssetGraph(mapping),
    dialect: warehouse.dialect,
    mapping,
    odooUrl: TEST_ODOO_URL,
  });
  await warehouse.createTableAs(key, sql);
  return warehouse.query(`select * from ${warehouse.dialect.table(key)} order by 1`);
}

/** UTC timestamp from Odoo's `"YYYY-MM-DD HH:MM:SS"`, as the warehouse returns timestamps. */
export function utc(odooDatetime: string): Date {
  return new Date(`${odooDatetime.replace(' ', 'T')}Z`);
}

/** Loads every raw asset of `runDate` from `lakeDir` into `warehouse`, as the workflow's raw step does. */
export async function loadRawAssets(warehouse: Warehouse, lakeDir: string, runDate: string): Promise<void> {
  const activities = createMaterializeActivities({
    lake: new LocalLake(lakeDir),
    warehouse,
    mapping: testMapping(),
    odooUrl: TEST_ODOO_URL,
  });
  for (const asset of await activities.planAssets()) {
    if (asset.layer === 'raw') await activities.materializeAsset({ assetKey: asset.key, runDate });
  }
}
