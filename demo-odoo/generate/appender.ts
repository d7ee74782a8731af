/**
 * Bulk loading of generated rows through DuckDB's appender (row-by-row INSERTs would take minutes
 * at the large scale). Rows are objects keyed by field name; missing fields are NULL.
 */
import { DuckDBDateValue, DuckDBTimestampValue } from '@duckdb/node-api';
import { columnType } from '../ddl.ts';
import { findModel } from '../models.ts';
import { isStored } from '../schema-types.ts';
import type { DemoOdooStore } from '../store.ts';

/** A generated value: timestamps are microseconds since the epoch (UTC), dates `YYYY-MM-DD`. */
export type GeneratedValue = string | number | boolean | bigint | null | undefined;
export type GeneratedRow = Record<string, GeneratedValue>;

const millisPerDay = 86_400_000;

export async function appendRows(store: DemoOdooStore, modelName: string, rows: Iterable<GeneratedRow>): Promise<number> {
  const model = findModel(modelName);
  if (!model) throw new Error(`appendRows: unknown model "${modelName}"`);
  const columns = model.fields.filter(isStored).map((field) => ({ name: field.name, type: columnType(field) }));
  if (model.keepsDeletedRows) columns.push({ name: '_deleted', type: 'BOOLEAN' });

  const appender = await store.duckdb.createAppender(model.table);
  let count = 0;
  for (const row of rows) {
    for (const column of columns) appendValue(appender, column.type, row[column.name], `${modelName}.${column.name}`);
    appender.endRow();
    count++;
  }
  appender.closeSync();
  return count;
}

type Appender = Awaited<ReturnType<DemoOdooStore['duckdb']['createAppender']>>;

function appendValue(appender: Appender, type: string, value: GeneratedValue, where: string): void {
  if (value === null || value === undefined) {
    if (type === 'BOOLEAN') appender.appendBoolean(false);
    else appender.appendNull();
    return;
  }
  switch (type) {
    case 'INTEGER':
      appender.appendInteger(Number(value));
      return;
    case 'DOUBLE':
      appender.appendDouble(Number(value));
      return;
    case 'BOOLEAN':
      appender.appendBoolean(value === true);
      return;
    case 'DATE':
      appender.appendDate(new DuckDBDateValue(Math.round(Date.parse(`${String(value)}T00:00:00Z`) / millisPerDay)));
      return;
    case 'TIMESTAMP':
      if (typeof value !== 'bigint') throw new Error(`${where}: expected microseconds as a bigint, got ${String(value)}`);
      appender.appendTimestamp(new DuckDBTimestampValue(value));
      return;
    default:
      appender.appendVarchar(String(value));
  }
}

/** Microseconds since the epoch of a `YYYY-MM-DD HH:MM:SS[.ffffff]` UTC string. */
export function micros(text: string): bigint {
  const [date, time = '00:00:00'] = text.split(' ');
  const [clock, fraction = ''] = time.split('.');
  const millis = Date.parse(`${date}T${clock}Z`);
  if (Number.isNaN(millis)) throw new Error(`not a timestamp: "${text}"`);
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
}

export const microsPerSecond = 1_000_000n;
export const microsPerDay = 86_400n * microsPerSecond;
