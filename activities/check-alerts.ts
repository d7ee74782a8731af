/**
 * The end-of-run alert: what changed in the check results since the previous run, as one text
 * that both Slack and Google Chat incoming webhooks accept (`{"text": …}`).
 *
 * Only changes are reported (a new failure, a failure whose count or status changed, a resolved
 * one), so a failure that stays the same is sent once. Samples are stored masked, so the text
 * never contains a full phone number, email or remark.
 */
import type { CheckDefinition } from '../assets/checks.ts';
import type { CheckResultRow } from './check-results.ts';

export type AlertResult = {
  /** New, changed and resolved failures. */
  changes: number;
  /** True when the webhook accepted the summary. */
  sent: boolean;
  /** Reason the webhook did not accept the summary. */
  error?: string;
};

export type Alert = { text: string; changes: number };

type Change = { row: CheckResultRow; previous?: CheckResultRow; kind: 'new' | 'changed' | 'resolved' };

const isFailing = (row: CheckResultRow | undefined) => row !== undefined && row.status !== 'passed';

/** Returns the alert for `current` against `previous` (by check name), or undefined when nothing changed. */
export function buildAlert(
  runDate: string,
  current: CheckResultRow[],
  previous: Map<string, CheckResultRow>,
  checks: CheckDefinition[],
): Alert | undefined {
  const changes: Change[] = [];
  for (const row of current) {
    const before = previous.get(row.check_name);
    if (isFailing(row) && !isFailing(before)) changes.push({ row, previous: before, kind: 'new' });
    else if (isFailing(row) && (row.failing_rows !== before!.failing_rows || row.status !== before!.status)) {
      changes.push({ row, previous: before, kind: 'changed' });
    } else if (!isFailing(row) && isFailing(before)) changes.push({ row, previous: before, kind: 'resolved' });
  }
  if (changes.length === 0) return undefined;

  const definitions = new Map(checks.map((check) => [check.name, check]));
  const failures = changes.filter((change) => change.kind !== 'resolved');
  const resolved = changes.filter((change) => change.kind === 'resolved');
  // Errors first, then the largest counts.
  failures.sort(
    (a, b) =>
      Number(b.row.severity === 'error') - Number(a.row.severity === 'error') || b.row.failing_rows - a.row.failing_rows,
  );

  const lines = [
    `Placement data checks, run ${runDate}: ${failures.length} new or changed failure(s), ${resolved.length} resolved`,
  ];
  for (const change of failures) lines.push(...failureLines(change, definitions.get(change.row.check_name)));
  if (resolved.length > 0) {
    lines.push(
      `Resolved: ${resolved.map((change) => `${change.row.check_name} (was ${change.previous!.failing_rows})`).join(', ')}`,
    );
  }
  return { text: lines.join('\n'), changes: changes.length };
}

function failureLines(change: Change, definition: CheckDefinition | undefined): string[] {
  const { row, previous } = change;
  const status = row.status === 'errored' ? 'could not run' : `${row.failing_rows} failing`;
  const outOf = row.total_rows === null || row.status === 'errored' ? '' : ` of ${row.total_rows} rows`;
  const since = change.kind === 'new' ? 'new' : `was ${previous!.status === 'errored' ? 'errored' : previous!.failing_rows}`;
  const samples = JSON.parse(row.sample_keys) as string[];
  const lines = [
    `• [${row.severity}] ${row.check_name}: ${status}${outOf}, threshold ${row.threshold} (${since})` +
      (samples.length > 0 ? `; e.g. ${samples.join(', ')}` : ''),
  ];
  if (row.status === 'errored' && row.detail) lines.push(`  error: ${row.detail}`);
  if (definition) lines.push(`  ${definition.description}. Fix: ${definition.hint}`);
  return lines;
}

/**
 * Posts `text` as `{"text": …}` and reports the outcome; never throws.
 * @param timeoutMs time allowed to the whole request, in milliseconds.
 */
export async function postAlert(url: string, text: string, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      const body = (await response.text()).slice(0, 200);
      return { ok: false, error: `HTTP ${response.status} ${response.statusText}: ${body}` };
    }
    await response.body?.cancel();
    return { ok: true };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : undefined;
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, error: reason ?? cause };
  }
}
