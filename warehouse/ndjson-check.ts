/**
 * Finds the first NDJSON row that a load with an explicit schema would refuse, to name its line
 * when a load job fails: BigQuery reports a byte position, the emulator a file path.
 */
import type { ColumnSpec, ColumnType } from './warehouse.ts';

export type BadNdjsonLine = { line: number; problem: string };

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Returns the first row of `rows` (parsed NDJSON lines, numbered from 1) that does not fit
 * `columns`, or undefined when every row fits. NULL fits every column; fields outside `columns`
 * do not fit, since loads refuse unknown values.
 */
export async function findBadNdjsonLine(
  rows: AsyncIterable<unknown>,
  columns: ColumnSpec[],
): Promise<BadNdjsonLine | undefined> {
  const types = new Map(columns.map((column) => [column.name, column.type]));
  let line = 0;
  for await (const row of rows) {
    line++;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      return { line, problem: `expected a JSON object, got ${JSON.stringify(row)}` };
    }
    for (const [name, value] of Object.entries(row)) {
      const type = types.get(name);
      if (!type) return { line, problem: `field "${name}" is not a column of the table` };
      if (value !== null && !fits(value, type)) {
        return { line, problem: `field "${name}" expects ${type}, got ${JSON.stringify(value)}` };
      }
    }
  }
  return undefined;
}

function fits(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case 'json':
      return true;
    case 'int64':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INTEGER_TEXT.test(value));
    case 'float64':
      return typeof value === 'number' || (typeof value === 'string' && NUMBER_TEXT.test(value));
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && DATE_TEXT.test(value);
    case 'timestamp':
      return typeof value === 'string' && TIMESTAMP_TEXT.test(value);
  }
}
