import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emulatorBigQuery,
  emulatorBucket,
  recordConnections,
  startEmulators,
  type EmulatorPair,
} from '../test-emulators/emulators.ts';
import { GcsLake } from '../lake/gcs-lake.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { BigQueryWarehouse } from './bigquery-warehouse.ts';
import type { Dialect } from './dialect.ts';
import { duckDbDialect } from './dialect.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';
import type { ColumnSpec, Warehouse } from './warehouse.ts';

const BUCKET = 'placement-warehouse-test';
const PART = (index: number) => `raw/odoo/crm_lead/run_date=2026-12-04/part-0000${index}.ndjson`;
const LEAD_COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'int64' },
  { name: 'zip', type: 'json' },
  { name: 'stage_id', type: 'json' },
  { name: 'active', type: 'bool' },
  { name: 'probability', type: 'float64' },
];

let emulators: EmulatorPair;
let client: BigQuery;
let gcsLake: GcsLake;
let warehouse: BigQueryWarehouse;
let connections: ReturnType<typeof recordConnections>;
let runId = 'run-1';
const sentJobs: { labels?: Record<string, string> }[] = [];

beforeAll(async () => {
  connections = recordConnections();
  emulators = await startEmulators();
  const storage = await emulatorBucket(emulators.gcs, BUCKET);
  gcsLake = GcsLake.fromUri(`gs://${BUCKET}/lake`, storage);
  client = emulatorBigQuery(emulators.bigquery);
  client.interceptors.push({
    request(options: Parameters<(typeof client.interceptors)[number]['request']>[0]) {
      const configuration = (options.json as { configuration?: { labels?: Record<string, string> } } | undefined)?.configuration;
      if (configuration) sentJobs.push(configuration);
      return options as ReturnType<(typeof client.interceptors)[number]['request']>;
    },
  });
  warehouse = await BigQueryWarehouse.open({
    client,
    dataset: 'warehouse_test',
    location: 'EU',
    lake: gcsLake,
    jobLabels: () => ({ run: runId }),
  });
});

afterAll(async () => {
  connections?.restore();
  await warehouse?.close();
  await emulators?.stop();
});

describe('BigQueryWarehouse', () => {
  it('loads NDJSON from GCS with the explicit schema and the lake key of each row', async () => {
    await gcsLake.writeNdjson(PART(0), [
      { id: 45, zip: '01300', stage_id: [3, "En recherche d'entreprise"], active: true, probability: 10.5 },
      { id: 46, zip: false, stage_id: false, active: false, probability: 0 },
    ]);
    await gcsLake.writeNdjson(PART(1), [{ id: 47, zip: '75001', stage_id: [1, 'Nouveau'], active: true, probability: 3 }]);

    const result = await warehouse.loadNdjson('raw_odoo_crm_lead', LEAD_COLUMNS, [PART(0), PART(1)]);

    expect(result).toEqual({ table: 'raw_odoo_crm_lead', rows: 3 });
    const rows = await warehouse.query(
      `select id, json_value(zip) as zip, active, probability, _lake_key from ${warehouse.dialect.table('raw_odoo_crm_lead')} order by id`,
    );
    expect(rows).toEqual([
      { id: 45, zip: '01300', active: true, probability: 10.5, _lake_key: PART(0) },
      { id: 46, zip: 'false', active: false, probability: 0, _lake_key: PART(0) },
      { id: 47, zip: '75001', active: true, probability: 3, _lake_key: PART(1) },
    ]);
    const [metadata] = await client.dataset('warehouse_test').table('raw_odoo_crm_lead').getMetadata();
    const types = Object.fromEntries(metadata.schema.fields.map((field: { name: string; type: string }) => [field.name, field.type]));
    expect(types).toMatchObject({ id: 'INTEGER', active: 'BOOLEAN', probability: 'FLOAT', _lake_key: 'STRING' });
    // NOTE: bqemulator reports a JSON column as STRING in table metadata; BigQuery says JSON.
    expect(['JSON', 'STRING']).toContain(types.zip);
  });

  it('leaves no scratch table behind a load', async () => {
    const [tables] = await client.dataset('warehouse_test').getTables();
    expect(tables.map((table) => table.id).filter((id) => id?.startsWith('_placement_load_'))).toEqual([]);
  });

  it('creates an empty typed table when there is no file to load', async () => {
    expect(await warehouse.loadNdjson('raw_empty', LEAD_COLUMNS, [])).toEqual({ table: 'raw_empty', rows: 0 });
    expect(await warehouse.tableExists('raw_empty')).toBe(true);
    expect(await warehouse.tableExists('raw_missing')).toBe(false);
  });

  it('fails a load with a bad row naming the lake file and the line', async () => {
    const bad = 'raw/odoo/crm_lead/run_date=2026-12-05/part-00000.ndjson';
    await gcsLake.writeNdjson(bad, [
      { id: 1, zip: '01300', stage_id: false, active: true, probability: 0 },
      { id: 2, zip: false, stage_id: false, active: true, probability: 0 },
      { id: 'not-a-number', zip: false, stage_id: false, active: true, probability: 0 },
    ]);
    await expect(warehouse.loadNdjson('raw_bad', LEAD_COLUMNS, [bad])).rejects.toThrow(
      `failed to load gs://${BUCKET}/lake/${bad} line 3: field "id" expects int64, got "not-a-number"`,
    );
  });

  it('loads a local lake file by upload', async () => {
    const lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-bq-local-'));
    try {
      const localLake = new LocalLake(lakeDir);
      await localLake.writeNdjson(PART(0), [{ id: 7, zip: '01300', stage_id: [2, 'Qualifié'], active: true, probability: 1 }]);
      const local = await BigQueryWarehouse.open({ client, dataset: 'warehouse_test', location: 'EU', lake: localLake });
      expect(await local.loadNdjson('raw_local', LEAD_COLUMNS, [PART(0)])).toEqual({ table: 'raw_local', rows: 1 });
      const rows = await local.query(`select id, json_value(zip) as zip from ${local.dialect.table('raw_local')}`);
      expect(rows).toEqual([{ id: 7, zip: '01300' }]);
    } finally {
      fs.rmSync(lakeDir, { recursive: true, force: true });
    }
  });

  it('materialises a model, runs parameterised queries and labels the jobs with asset and run', async () => {
    runId = 'daily-2026-12-04';
    const d = warehouse.dialect;
    const result = await warehouse.createTableAs(
      'stg_test_lead',
      `select id as lead_id, ${d.odooText('zip')} as code_postal from ${d.table('raw_odoo_crm_lead')}`,
    );
    expect(result).toEqual({ table: 'stg_test_lead', rows: 3 });

    const rows = await warehouse.query(
      `select lead_id, code_postal, ${d.cast(d.param('note'), 'string')} as note from ${d.table('stg_test_lead')} ` +
        `where lead_id >= ${d.param('min_id')} order by lead_id`,
      { min_id: 46, note: null },
    );
    expect(rows).toEqual([
      { lead_id: 46, code_postal: null, note: null },
      { lead_id: 47, code_postal: '75001', note: null },
    ]);

    // Read from the requests sent: bqemulator keeps the labels of load jobs only.
    const labels = sentJobs.map((configuration) => configuration.labels ?? {});
    expect(labels).toContainEqual({ app: 'placement', asset: 'stg_test_lead', run: 'daily-2026-12-04' });
  });

  it('sends requests to the emulators on the loopback interface only', () => {
    expect(connections.addresses.length).toBeGreaterThan(0);
    expect(new Set(connections.addresses)).toEqual(new Set(['127.0.0.1']));
  });
});

/** Raw JSON values as Odoo sends them, for comparing the macros of both engines. */
const ODOO_VALUES: unknown[] = [
  '01300',
  false,
  [3, "En recherche d'entreprise"],
  [12, false],
  45,
  2.5,
  '2026-12-03 17:42:10',
  '<p>Disponible&nbsp;d&#232;s <b>janvier</b> &amp; motiv&#xE9;e &lt;3</p>',
  'Saint-Étienne / Œuvre',
  [1, 2, 3],
  null,
];

describe('BigQuery dialect against DuckDB', () => {
  it('gives the same values for every Odoo value macro', async () => {
    const duckdb = await DuckDbWarehouse.open({ path: ':memory:', lakePath: (key) => key });
    try {
      const macros = (d: Dialect) => [
        `${d.odooText('v')} as text_value`,
        `${d.many2oneId('v')} as m2o_id`,
        `${d.many2oneName('v')} as m2o_name`,
        `${d.odooInt('v')} as int_value`,
        `${d.htmlToText(d.odooText('v'))} as plain_text`,
        `${d.regexpExtract(d.odooText('v'), '([0-9]{2})-([0-9]{2})', 2)} as extracted`,
        `${d.regexpMatches(d.odooText('v'), 'janvier|étienne', true)} as matches`,
        `${d.foldText(d.odooText('v'))} as folded`,
        `${d.safeCast(d.odooText('v'), 'int64')} as safe_int`,
      ];
      const valuesFor = async (warehouseToUse: Warehouse) => {
        const d = warehouseToUse.dialect;
        const rows = ODOO_VALUES.map((value, index) => [index, value === null ? null : JSON.stringify(value)]);
        const literal = d.literalRows(
          [
            { name: 'position', type: 'int64' },
            { name: 'v', type: 'json' },
          ],
          rows,
        );
        return warehouseToUse.query(`select position, ${macros(d).join(', ')} from (${literal}) as input order by position`);
      };

      const expected = await valuesFor(duckdb);
      const actual = await valuesFor(warehouse);
      expect(actual).toEqual(expected);
      expect(expected[7].plain_text).toBe('Disponible dès janvier & motivée <3');
    } finally {
      await duckdb.close();
    }
  });
});
