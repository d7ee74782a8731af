/**
 * The warehouse: where raw tables are loaded from the lake and SQL models are materialised.
 * DuckDB embedded, BigQuery in production; models reach engine differences only through the
 * dialect macros, so one SQL source serves both.
 */
import type { Dialect } from './dialect.ts';

/** Engine-neutral column type of a raw table. */
export type ColumnType = 'int64' | 'float64' | 'bool' | 'string' | 'json' | 'timestamp' | 'date';

export type ColumnSpec = { name: string; type: ColumnType };

export type TableResult = { table: string; rows: number };

export interface Warehouse {
  readonly dialect: Dialect;

  /**
   * Replaces `table` with the rows of the NDJSON lake objects `keys`, typed by `columns`.
   * Adds `_lake_key` (the object each row came from). With no keys, creates the table empty.
   */
  loadNdjson(table: string, columns: ColumnSpec[], keys: string[]): Promise<TableResult>;

  /** Replaces `table` with the result of `selectSql`. */
  createTableAs(table: string, selectSql: string): Promise<TableResult>;

  /** Runs a query and returns its rows as plain objects. */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;

  /** True when `table` exists. */
  tableExists(table: string): Promise<boolean>;

  close(): Promise<void>;
}
