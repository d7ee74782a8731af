/**
 * The check history table `placement_check_result`: one row per check and run, passes included,
 * so the history can be charted. Rows of one (run date, run id, asset) are replaced together, so a
 * retried activity never duplicates them.
 */
import type { CheckSeverity } from '../assets/checks.ts';
import type { SqlValue } from '../warehouse/dialect.ts';
import type { ColumnSpec, Warehouse } from '../warehouse/warehouse.ts';

export const CHECK_RESULT_TABLE = 'placement_check_result';

export type CheckStatus = 'passed' | 'failed' | 'errored';

export type CheckResultRow = {
  run_date: string;
  run_id: string | null;
  check_name: string;
  asset: string;
  severity: CheckSeverity;
  status: CheckStatus;
  failing_rows: number;
  total_rows: number | null;
  /** `0`, `10` or `5%`; for row_count_change, the allowed change against the previous run. */
  threshold: string;
  /** JSON list of up to 5 keys of failing rows, personal values masked. */
  sample_keys: string;
  /** Error message of an errored check, or the comparison a row_count_change made. */
  detail: string | null;
  /** UTC, `YYYY-MM-DD HH:MM:SS.sss`. */
  checked_at: string;
};

export const CHECK_RESULT_COLUMNS: ColumnSpec[] = [
  { name: 'run_date', type: 'date' },
  { name: 'run_id', type: 'string' },
  { name: 'check_name', type: 'string' },
  { name: 'asset', type: 'string' },
  { name: 'severity', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'failing_rows', type: 'int64' },
  { name: 'total_rows', type: 'int64' },
  { name: 'threshold', type: 'string' },
  { name: 'sample_keys', type: 'string' },
  { name: 'detail', type: 'string' },
  { name: 'checked_at', type: 'timestamp' },
];

export async function ensureCheckResultTable(warehouse: Warehouse): Promise<void> {
  const d = warehouse.dialect;
  const definitions = CHECK_RESULT_COLUMNS.map((column) => `${d.identifier(column.name)} ${d.type(column.type)}`);
  await warehouse.query(`create table if not exists ${d.table(CHECK_RESULT_TABLE)} (${definitions.join(', ')})`);
}

/** Replaces the results of `asset` for one run with `rows`. */
export async function replaceAssetResults(
  warehouse: Warehouse,
  run: { runDate: string; runId?: string },
  asset: string,
  rows: CheckResultRow[],
): Promise<void> {
  const d = warehouse.dialect;
  const table = d.table(CHECK_RESULT_TABLE);
  await ensureCheckResultTable(warehouse);
  await warehouse.query(
    `delete from ${table} where run_date = ${d.cast(d.param('run_date'), 'date')} ` +
      `and coalesce(run_id, '') = ${d.param('run_id')} and asset = ${d.param('asset')}`,
    { run_date: run.runDate, run_id: run.runId ?? '', asset },
  );
  if (rows.length === 0) return;
  const values: SqlValue[][] = rows.map((row) =>
    CHECK_RESULT_COLUMNS.map((column) => row[column.name as keyof CheckResultRow] as SqlValue),
  );
  const names = CHECK_RESULT_COLUMNS.map((column) => d.identifier(column.name)).join(', ');
  await warehouse.query(`insert into ${table} (${names}) ${d.literalRows(CHECK_RESULT_COLUMNS, values)}`);
}

/** Results of one run: `runId` when given, otherwise the rows of `runDate` stored without a run id. */
export async function runResults(
  warehouse: Warehouse,
  run: { runDate: string; runId?: string },
): Promise<CheckResultRow[]> {
  const d = warehouse.dialect;
  if (!(await warehouse.tableExists(CHECK_RESULT_TABLE))) return [];
  const rows = await warehouse.query(
    `select * from ${d.table(CHECK_RESULT_TABLE)} where run_date = ${d.cast(d.param('run_date'), 'date')} ` +
      `and coalesce(run_id, '') = ${d.param('run_id')} order by asset, check_name`,
    { run_date: run.runDate, run_id: run.runId ?? '' },
  );
  return rows.map(toResultRow);
}

/** Returns the latest result of each check stored before `before` (UTC `YYYY-MM-DD HH:MM:SS.sss`). */
export async function latestResultsBefore(warehouse: Warehouse, before: string): Promise<Map<string, CheckResultRow>> {
  const d = warehouse.dialect;
  if (!(await warehouse.tableExists(CHECK_RESULT_TABLE))) return new Map();
  const rows = await warehouse.query(
    `select * from (select result.*, row_number() over (partition by check_name order by checked_at desc) as recency ` +
      `from ${d.table(CHECK_RESULT_TABLE)} as result where checked_at < ${d.cast(d.param('before'), 'timestamp')}) as ranked ` +
      `where recency = 1`,
    { before },
  );
  return new Map(rows.map((row) => [String(row.check_name), toResultRow(row)]));
}

/** Converts a warehouse row to plain values: dates as `YYYY-MM-DD`, timestamps as UTC text. */
export function toResultRow(row: Record<string, unknown>): CheckResultRow {
  return {
    run_date: dateText(row.run_date),
    run_id: (row.run_id as string | null) ?? null,
    check_name: String(row.check_name),
    asset: String(row.asset),
    severity: row.severity as CheckSeverity,
    status: row.status as CheckStatus,
    failing_rows: Number(row.failing_rows),
    total_rows: row.total_rows === null || row.total_rows === undefined ? null : Number(row.total_rows),
    threshold: String(row.threshold),
    sample_keys: String(row.sample_keys ?? '[]'),
    detail: (row.detail as string | null) ?? null,
    checked_at: timestampText(row.checked_at),
  };
}

/** UTC timestamp text as the warehouse stores it: `YYYY-MM-DD HH:MM:SS.sss`. */
export function timestampText(value: unknown): string {
  const date = value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function dateText(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}
