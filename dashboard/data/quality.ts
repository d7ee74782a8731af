/** Data check results for the quality page: the latest run's results and each check's recent history. */
import { CHECK_RESULT_TABLE } from '../serving/schema.ts';
import type { ServingSnapshot } from '../serving/snapshot.ts';
import { toInstant } from '../web/format.ts';

export type CheckResult = {
  checkName: string;
  asset: string;
  severity: string;
  status: string;
  failingRows: number | null;
  totalRows: number | null;
  threshold: number | null;
  sampleKeys: string[];
  checkedAt?: Date;
  /** Older results of the same check, oldest first, ending with this one. */
  history: { runDate: string; status: string; failingRows: number | null }[];
};

/** Runs of history shown per check. */
const TREND_LENGTH = 14;

export async function latestCheckResults(snapshot: ServingSnapshot): Promise<{ runDate?: string; results: CheckResult[] }> {
  const [latest] = await snapshot.query<{ run_date: string | null }>(
    `select cast(max(run_date) as varchar) as run_date from "${CHECK_RESULT_TABLE}"`,
  );
  if (!latest?.run_date) return { results: [] };

  // The latest result per check on the latest date (a date run twice keeps its last run).
  const rows = await snapshot.query<Record<string, unknown>>(
    `select * from "${CHECK_RESULT_TABLE}" where run_date = cast($run_date as date)
     qualify row_number() over (partition by check_name, asset order by checked_at desc nulls last) = 1
     order by case status when 'failed' then 0 when 'warn' then 1 else 2 end,
              case severity when 'error' then 0 else 1 end, asset, check_name`,
    { run_date: latest.run_date },
  );
  const history = await snapshot.query<Record<string, unknown>>(
    `select check_name, asset, cast(run_date as varchar) as run_date, status, failing_rows from (
       select *, row_number() over (partition by check_name, asset, run_date order by checked_at desc nulls last) as take
       from "${CHECK_RESULT_TABLE}")
     where take = 1
     qualify row_number() over (partition by check_name, asset order by run_date desc) <= ${TREND_LENGTH}
     order by run_date`,
  );

  const results = rows.map((row) => ({
    checkName: String(row.check_name),
    asset: String(row.asset),
    severity: String(row.severity ?? ''),
    status: String(row.status ?? ''),
    failingRows: numberOrNull(row.failing_rows),
    totalRows: numberOrNull(row.total_rows),
    threshold: numberOrNull(row.threshold),
    sampleKeys: parseSampleKeys(row.sample_keys),
    checkedAt: toInstant(row.checked_at),
    history: history
      .filter((entry) => entry.check_name === row.check_name && entry.asset === row.asset)
      .map((entry) => ({
        runDate: String(entry.run_date),
        status: String(entry.status),
        failingRows: numberOrNull(entry.failing_rows),
      })),
  }));
  return { runDate: latest.run_date, results };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Sample keys may arrive as a JSON array, a DuckDB list printed as `[a, b]`, or a comma list. */
export function parseSampleKeys(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const text = String(value).trim();
  if (text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map((item) => String(item));
  } catch {
    // Not JSON: fall through to the list forms.
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((item) => item.trim().replace(/^['"]|['"]$/g, ''))
    .filter((item) => item !== '');
}

/**
 * Second line of defence for failing examples: the checks store samples already masked as each
 * check declares, but a value that still looks like an email or a phone number is masked here
 * (first letter and domain ending; first and last two digits). Other values (record ids,
 * already masked text) are shown as stored.
 */
export function maskValue(value: string): string {
  if (value.includes('*')) return value;
  const email = /^([^@\s]+)@([^@\s]+)$/.exec(value);
  if (email) {
    const tld = email[2].includes('.') ? email[2].slice(email[2].lastIndexOf('.')) : '';
    return `${email[1].slice(0, 1)}***@***${tld}`;
  }
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 8 && /^[\d\s+().-]+$/.test(value) && !/^\d{1,9}$/.test(value)) {
    return `${digits.slice(0, 2)}******${digits.slice(-2)}`;
  }
  return value;
}
