/**
 * The embedded warehouse: one DuckDB database file (or memory) reading NDJSON straight from a
 * local lake folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { duckDbDialect, type Dialect } from './dialect.ts';
import type { ColumnSpec, TableResult, Warehouse } from './warehouse.ts';

export type DuckDbWarehouseOptions = {
  /** Database file, created with its folder when absent, or `':memory:'`. */
  path: string;
  /** Local file path of a lake key. */
  lakePath: (key: string) => string;
  /**
   * Idle time after which a database file is closed, in milliseconds. DuckDB lets one process at
   * a time open a file, so releasing it between statements lets several workers, `placement
   * checks` and other readers take turns. Default 1000; in-memory databases stay open.
   */
  releaseWhenIdleMs?: number;
  /** Longest wait for another process to release the file, in milliseconds (default 10 minutes). */
  lockTimeoutMs?: number;
};

const LOCK_RETRY_MS = 250;

/** Column added to every raw table: the lake key of the file the row came from. */
export const LAKE_KEY_COLUMN = '_lake_key';

export class DuckDbWarehouse implements Warehouse {
  readonly dialect: Dialect = duckDbDialect;

  readonly #options: DuckDbWarehouseOptions;
  readonly #lakePath: (key: string) => string;
  #open: { instance: DuckDBInstance; connection: DuckDBConnection } | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  /** Statements queued or running. */
  #pending = 0;
  // One connection runs one statement at a time: every call waits for the previous one.
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(options: DuckDbWarehouseOptions) {
    this.#options = options;
    this.#lakePath = options.lakePath;
  }

  /** Opens the database once to create it and check it is readable, then releases it when idle. */
  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    if (options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    const warehouse = new DuckDbWarehouse(options);
    await warehouse.#run('select 1');
    return warehouse;
  }

  async loadNdjson(table: string, columns: ColumnSpec[], keys: string[]): Promise<TableResult> {
    if (columns.length === 0) throw new Error(`invalid column list for raw table ${table}: empty; give at least id`);
    const d = this.dialect;
    const target = d.table(table);

    if (keys.length === 0) {
      const definitions = [...columns, { name: LAKE_KEY_COLUMN, type: 'string' as const }]
        .map((column) => `${d.identifier(column.name)} ${d.type(column.type)}`)
        .join(', ');
      await this.#run(`create or replace table ${target} (${definitions})`);
      return { table, rows: 0 };
    }

    const files = keys.map((key) => ({ key, file: path.resolve(this.#lakePath(key)) }));
    const missing = files.find(({ file }) => !fs.existsSync(file));
    if (missing) {
      throw new Error(
        `lake object ${missing.key} not found at ${missing.file}; run the extraction for that date again`,
      );
    }

    // Explicit columns and no detection: a postal code such as "01300" must stay text, and
    // `run_date=` folders must not turn into a hive partition column.
    const columnTypes = columns.map((column) => `${d.literal(column.name)}: ${d.literal(d.type(column.type))}`);
    const fileList = files.map(({ file }) => d.literal(file)).join(', ');
    const keyOfFile = d.literalRows(
      [
        { name: 'file', type: 'string' },
        { name: 'lake_key', type: 'string' },
      ],
      files.map(({ file, key }) => [file, key]),
    );
    const selectList = columns.map((column) => `raw_rows.${d.identifier(column.name)}`).join(', ');
    await this.#run(
      `create or replace table ${target} as
       select ${selectList}, files.lake_key as ${d.identifier(LAKE_KEY_COLUMN)}
       from read_json([${fileList}], format = 'newline_delimited', columns = {${columnTypes.join(', ')}},
                      auto_detect = false, hive_partitioning = false, filename = '_lake_file') as raw_rows
       join (${keyOfFile}) as files on files.file = raw_rows._lake_file`,
    );
    return { table, rows: await this.#countRows(table) };
  }

  async createTableAs(table: string, selectSql: string): Promise<TableResult> {
    await this.#run(`create or replace table ${this.dialect.table(table)} as\n${selectSql}`);
    return { table, rows: await this.#countRows(table) };
  }

  async query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    return (await this.#run(sql, params)) as T[];
  }

  async tableExists(table: string): Promise<boolean> {
    const rows = await this.#run(
      `select count(*) as tables from information_schema.tables
       where table_schema = current_schema() and table_name = $table`,
      { table },
    );
    return rows[0]?.tables === 1;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    this.#release();
  }

  async #countRows(table: string): Promise<number> {
    const rows = await this.#run(`select count(*) as row_count from ${this.dialect.table(table)}`);
    return Number(rows[0]?.row_count ?? 0);
  }

  #run(sql: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    if (this.#closed) return Promise.reject(new Error('the DuckDB warehouse is closed'));
    clearTimeout(this.#idleTimer);
    this.#pending += 1;
    const result = this.#queue.then(async () => {
      const { connection } = await this.#acquire();
      const reader = await connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
      return reader.getRowObjectsJS().map(plainRow);
    });
    this.#queue = result
      .catch(() => undefined)
      .finally(() => {
        this.#pending -= 1;
        if (this.#pending === 0) this.#armRelease();
      });
    return result;
  }

  /** Opens the file, waiting while another process holds its lock. */
  async #acquire(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    if (this.#open) return this.#open;
    const deadline = Date.now() + (this.#options.lockTimeoutMs ?? 600_000);
    for (;;) {
      try {
        const instance = await DuckDBInstance.create(this.#options.path);
        this.#open = { instance, connection: await instance.connect() };
        return this.#open;
      } catch (error) {
        const locked = /Could not set lock|Conflicting lock/i.test((error as Error).message);
        if (!locked || Date.now() > deadline) {
          throw locked
            ? new Error(
                `the warehouse file ${this.#options.path} stayed locked by another process for ` +
                  `${Math.round((this.#options.lockTimeoutMs ?? 600_000) / 1000)} s: ${(error as Error).message}`,
              )
            : error;
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    }
  }

  /** Closes the file after `releaseWhenIdleMs` without any statement queued or running. */
  #armRelease(): void {
    if (this.#options.path === ':memory:' || this.#closed) return;
    this.#idleTimer = setTimeout(() => {
      if (this.#pending === 0) this.#release();
    }, this.#options.releaseWhenIdleMs ?? 1_000);
    this.#idleTimer.unref();
  }

  #release(): void {
    clearTimeout(this.#idleTimer);
    if (!this.#open) return;
    this.#open.connection.closeSync();
    this.#open.instance.closeSync();
    this.#open = undefined;
  }
}

/** Row with JS-friendly values: BIGINT as number when exact (as text otherwise), dates as Date. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (typeof value === 'bigint') {
      plain[name] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    } else {
      plain[name] = value;
    }
  }
  return plain;
}
