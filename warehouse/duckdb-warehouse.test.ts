import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../assets/test-helpers.ts';
import { PROJECT_ROOT } from '../config/settings.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';
import type { ColumnSpec } from './warehouse.ts';

let lakeDir: string;
let warehouse: DuckDbWarehouse;

function writeLakeFile(key: string, records: unknown[]): string {
  const file = path.join(lakeDir, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return key;
}

const leadColumns: ColumnSpec[] = [
  { name: 'id', type: 'int64' },
  { name: 'zip', type: 'json' },
  { name: 'stage_id', type: 'json' },
  { name: 'active', type: 'bool' },
  { name: 'probability', type: 'float64' },
];

beforeEach(async () => {
  lakeDir = makeTempDir();
  warehouse = await DuckDbWarehouse.open({ path: ':memory:', lakePath: (key) => path.join(lakeDir, key) });
});

afterEach(async () => {
  await warehouse.close();
});

describe('DuckDbWarehouse.loadNdjson', () => {
  it('loads typed columns and lake keys', async () => {
    const first = writeLakeFile('raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson', [
      { id: 45, zip: '01300', stage_id: [3, 'Nouveau'], active: true, probability: 12.5, x_unlisted: 'ignored' },
    ]);
    const second = writeLakeFile('raw/odoo/crm_lead/run_date=2026-12-04/part-00001.ndjson', [
      { id: 46, zip: false, stage_id: false, active: false, probability: 0.0 },
    ]);

    const result = await warehouse.loadNdjson('raw_odoo_crm_lead', leadColumns, [first, second]);

    expect(result).toEqual({ table: 'raw_odoo_crm_lead', rows: 2 });
    expect(await warehouse.query('select * from raw_odoo_crm_lead order by id')).toEqual([
      { id: 45, zip: '"01300"', stage_id: '[3,"Nouveau"]', active: true, probability: 12.5, _lake_key: first },
      { id: 46, zip: 'false', stage_id: 'false', active: false, probability: 0, _lake_key: second },
    ]);
    const types = await warehouse.query<{ column_name: string; data_type: string }>(
      "select column_name, data_type from information_schema.columns where table_name = 'raw_odoo_crm_lead' order by ordinal_position",
    );
    // no run_date column: the `run_date=` folder is not read as a hive partition
    expect(types.map((column) => `${column.column_name} ${column.data_type}`)).toEqual([
      'id BIGINT',
      'zip JSON',
      'stage_id JSON',
      'active BOOLEAN',
      'probability DOUBLE',
      '_lake_key VARCHAR',
    ]);
  });

  it('replaces the table on every load', async () => {
    const first = writeLakeFile('a.ndjson', [{ id: 1 }, { id: 2 }]);
    const second = writeLakeFile('b.ndjson', [{ id: 3 }]);

    await warehouse.loadNdjson('raw_t', [{ name: 'id', type: 'int64' }], [first]);
    await warehouse.loadNdjson('raw_t', [{ name: 'id', type: 'int64' }], [second]);

    expect(await warehouse.query('select id from raw_t')).toEqual([{ id: 3 }]);
  });

  it('creates an empty table with the schema when there are no lake files', async () => {
    expect(await warehouse.loadNdjson('raw_empty', leadColumns, [])).toEqual({ table: 'raw_empty', rows: 0 });

    expect(await warehouse.tableExists('raw_empty')).toBe(true);
    const columns = await warehouse.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'raw_empty' order by ordinal_position",
    );
    expect(columns.map((column) => column.column_name)).toEqual([
      'id',
      'zip',
      'stage_id',
      'active',
      'probability',
      '_lake_key',
    ]);
  });

  it('names the missing lake key instead of loading fewer rows', async () => {
    await expect(
      warehouse.loadNdjson('raw_t', leadColumns, ['raw/odoo/crm_lead/run_date=2026-12-04/part-00009.ndjson']),
    ).rejects.toThrow(/lake object raw\/odoo\/crm_lead\/run_date=2026-12-04\/part-00009\.ndjson not found/);
  });

  it('fails when a value does not have the declared type', async () => {
    const key = writeLakeFile('bad.ndjson', [{ id: 'forty-five' }]);

    await expect(warehouse.loadNdjson('raw_t', [{ name: 'id', type: 'int64' }], [key])).rejects.toThrow();
  });
});

describe('DuckDbWarehouse queries', () => {
  it('replaces a table from a select and counts its rows', async () => {
    expect(await warehouse.createTableAs('t', 'select * from range(3) as r(n)')).toEqual({ table: 't', rows: 3 });
    expect(await warehouse.createTableAs('t', 'select 1 as n')).toEqual({ table: 't', rows: 1 });
  });

  it('binds named parameters', async () => {
    const rows = await warehouse.query('select $name as name, $count + 1 as next', { name: "l'île", count: 41 });

    expect(rows).toEqual([{ name: "l'île", next: 42 }]);
  });

  it('runs concurrent calls one after the other on its single connection', async () => {
    await warehouse.createTableAs('counter', 'select 0 as n');
    await Promise.all(Array.from({ length: 20 }, () => warehouse.query('update counter set n = n + 1')));

    expect(await warehouse.query('select n from counter')).toEqual([{ n: 20 }]);
  });

  it('tells whether a table exists', async () => {
    expect(await warehouse.tableExists('nothing')).toBe(false);
  });

  it('keeps its tables in the database file across reopenings', async () => {
    const file = path.join(makeTempDir(), 'nested', 'warehouse.duckdb');
    const first = await DuckDbWarehouse.open({ path: file, lakePath: (key) => key });
    await first.createTableAs('kept', "select 'oui' as value");
    await first.close();

    const second = await DuckDbWarehouse.open({ path: file, lakePath: (key) => key });
    expect(await second.query('select value from kept')).toEqual([{ value: 'oui' }]);
    await second.close();
  });
});

describe('DuckDbWarehouse file sharing', () => {
  it('releases the file when idle so another process can open it', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-duckdb-share-'));
    const file = path.join(folder, 'warehouse.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path: file, lakePath: (key) => key, releaseWhenIdleMs: 50 });
    try {
      await warehouse.createTableAs('shared_rows', 'select * from range(3) as t(n)');
      await new Promise((resolve) => setTimeout(resolve, 300));

      const reader = `
        import { DuckDBInstance } from '@duckdb/node-api';
        const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { access_mode: 'READ_ONLY' });
        const rows = (await (await instance.connect()).runAndReadAll('select count(*) as n from shared_rows')).getRows();
        console.log(String(rows[0][0]));`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', reader], { cwd: PROJECT_ROOT });
      expect(output.toString().trim()).toBe('3');

      // The warehouse opens the file again on its next statement.
      expect(await warehouse.query('select count(*) as n from shared_rows')).toEqual([{ n: 3 }]);
    } finally {
      await warehouse.close();
    }
  });
});
