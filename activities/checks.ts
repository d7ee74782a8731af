/**
 * Check activities: run the checks of an asset after its materialisation, store every result in
 * `placement_check_result`, and at the end of a run send a summary of what changed.
 *
 * The workflow stops the assets downstream of a `blocking` result (an `error` check failed);
 * `warn` checks are only reported. Alerts compare the run with the latest earlier result of each
 * check in the warehouse, so they hold no state in the worker.
 */
import type { OdooMapping } from '../config/odoo-mapping.ts';
import {
  exceedsThreshold,
  formatThreshold,
  loadChecks,
  renderCheck,
  type CheckDefinition,
  type CheckSeverity,
} from '../assets/checks.ts';
import { loadAssetGraph } from '../assets/graph.ts';
import { createLogger } from '../logging/logger.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { buildAlert, postAlert, type AlertResult } from './check-alerts.ts';
import {
  latestResultsBefore,
  replaceAssetResults,
  runResults,
  timestampText,
  type CheckResultRow,
  type CheckStatus,
} from './check-results.ts';
import { sampleEntry } from './masking.ts';

export type RunAssetChecksInput = { assetKey: string; runDate: string; runId?: string };

export type AssetCheckOutcome = {
  check: string;
  severity: CheckSeverity;
  status: CheckStatus;
  failing: number;
  total?: number;
};

export type AssetChecksResult = {
  asset: string;
  results: AssetCheckOutcome[];
  /** True when an `error` check failed: the assets downstream must not be built. */
  blocking: boolean;
};

export type SummarizeRunAlertsInput = { runDate: string; runId?: string };

export type CheckLogger = {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
};

export type CheckDependencies = {
  warehouse: Warehouse;
  mapping: OdooMapping;
  /** Odoo base URL, for checks whose SQL builds links. */
  odooUrl?: string;
  /** Slack or Google Chat incoming webhook; without it, alerts are only logged. */
  alertWebhookUrl?: string;
  /** Time allowed to the webhook, in milliseconds. */
  webhookTimeoutMs?: number;
  logger?: CheckLogger;
  /** Folder of the models and checks; tests point it at their own. */
  modelsDir?: string;
  /** Clock, for tests. */
  now?: () => Date;
};

const SAMPLE_SIZE = 5;
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export function createCheckActivities(deps: CheckDependencies) {
  const { warehouse, mapping } = deps;
  const logger = deps.logger ?? createLogger('info', { name: 'placement-checks' });
  const now = deps.now ?? (() => new Date());
  const graph = loadAssetGraph(mapping, { modelsDir: deps.modelsDir });
  const checks = loadChecks(graph, { modelsDir: deps.modelsDir });
  const renderContext = { graph, dialect: warehouse.dialect, mapping, odooUrl: deps.odooUrl ?? '' };
  const d = warehouse.dialect;

  async function countRows(table: string): Promise<number> {
    const [row] = await warehouse.query(`select count(*) as row_count from ${d.table(table)}`);
    return Number(row.row_count);
  }

  /** Evaluates one check; failures of the check itself become an `errored` row, never an exception. */
  async function evaluate(check: CheckDefinition, input: RunAssetChecksInput): Promise<CheckResultRow> {
    const base = {
      run_date: input.runDate,
      run_id: input.runId ?? null,
      check_name: check.name,
      asset: check.asset,
      severity: check.severity,
      threshold: formatThreshold(check.threshold),
    };
    try {
      const measured = await measure(check, input);
      const compared = measured.comparedTo ?? measured.total;
      const failed = exceedsThreshold(check.threshold, measured.failing, compared);
      return {
        ...base,
        status: failed ? 'failed' : 'passed',
        failing_rows: measured.failing,
        total_rows: measured.total,
        sample_keys: JSON.stringify(measured.samples),
        detail: measured.detail ?? null,
        checked_at: timestampText(now()),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ check: check.name, asset: check.asset, runDate: input.runDate, err: message }, 'check errored');
      return {
        ...base,
        status: 'errored',
        failing_rows: 0,
        total_rows: null,
        sample_keys: '[]',
        detail: message.split('\n')[0],
        checked_at: timestampText(now()),
      };
    }
  }

  type Measure = { failing: number; total: number; comparedTo?: number; samples: string[]; detail?: string };

  async function measure(check: CheckDefinition, input: RunAssetChecksInput): Promise<Measure> {
    const sql = renderCheck(check, renderContext);

    if (check.type === 'freshness') {
      const [row] = await warehouse.query(sql);
      const latest = row?.latest instanceof Date ? row.latest : null;
      // The end of the run date (UTC): a re-run of an old date judges the data as it was that day.
      const reference = new Date(`${input.runDate}T00:00:00Z`).getTime() + 86_400_000;
      const ageHours = latest ? (reference - latest.getTime()) / 3_600_000 : Infinity;
      const stale = ageHours > check.maxAgeHours;
      return {
        failing: stale ? 1 : 0,
        total: 1,
        samples: [latest ? `newest ${timestampText(latest)}` : 'no timestamp'],
        detail: latest ? `newest row ${Math.round(ageHours)} h before the end of ${input.runDate}` : 'no timestamp',
      };
    }

    if (check.type === 'row_count_change') {
      const current = await countRows(check.asset);
      const previous = await previousRowCount(check.name, input);
      if (previous === undefined) {
        return { failing: 0, total: current, comparedTo: current, samples: [], detail: 'no earlier run to compare with' };
      }
      return {
        failing: Math.abs(current - previous),
        total: current,
        comparedTo: previous,
        samples: [`${previous} -> ${current} rows`],
        detail: `previous run ${previous} rows`,
      };
    }

    const [counted] = await warehouse.query(`select count(*) as failing from (${sql}) as failing_rows`);
    const failing = Number(counted.failing);
    const total = await countRows(check.asset);
    if (failing === 0) return { failing, total, samples: [] };
    const sampleRows = await warehouse.query<{ check_key: string | null; check_value: string | null }>(
      `select check_key, check_value from (${sql}) as failing_rows order by check_key limit ${SAMPLE_SIZE}`,
    );
    const samples = sampleRows.map((row) => sampleEntry(row.check_key ?? 'NULL', row.check_value, check.mask));
    return { failing, total, samples };
  }

  async function previousRowCount(checkName: string, input: RunAssetChecksInput): Promise<number | undefined> {
    if (!(await warehouse.tableExists('placement_check_result'))) return undefined;
    const rows = await warehouse.query(
      `select total_rows from ${d.table('placement_check_result')} ` +
        `where check_name = ${d.param('check_name')} and status <> 'errored' and total_rows is not null ` +
        `and not (run_date = ${d.cast(d.param('run_date'), 'date')} and coalesce(run_id, '') = ${d.param('run_id')}) ` +
        `order by checked_at desc limit 1`,
      { check_name: checkName, run_date: input.runDate, run_id: input.runId ?? '' },
    );
    return rows.length === 0 ? undefined : Number(rows[0].total_rows);
  }

  return {
    /** Runs the checks declared on `assetKey`, stores their results and returns a small summary. */
    async runAssetChecks(input: RunAssetChecksInput): Promise<AssetChecksResult> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.runDate)) {
        throw new Error(`invalid run date "${input.runDate}": expected YYYY-MM-DD`);
      }
      graph.get(input.assetKey);
      const rows: CheckResultRow[] = [];
      for (const check of checks.filter((candidate) => candidate.asset === input.assetKey)) {
        rows.push(await evaluate(check, input));
      }
      await replaceAssetResults(warehouse, input, input.assetKey, rows);

      const results = rows.map((row) => ({
        check: row.check_name,
        severity: row.severity,
        status: row.status,
        failing: row.failing_rows,
        ...(row.total_rows === null ? {} : { total: row.total_rows }),
      }));
      const blocking = rows.some((row) => row.severity === 'error' && row.status === 'failed');
      const failed = rows.filter((row) => row.status !== 'passed').map((row) => row.check_name);
      logger.info(
        { asset: input.assetKey, runDate: input.runDate, checks: rows.length, failed, blocking },
        'asset checks run',
      );
      return { asset: input.assetKey, results, blocking };
    },

    /**
     * Compares the run's results with the latest earlier result of each check. When a failure is
     * new, changed its count or was resolved, logs a summary and posts it to the webhook. A webhook
     * that fails or times out is logged and not thrown, so the run does not fail because of it.
     */
    async summarizeRunAlerts(input: SummarizeRunAlertsInput): Promise<AlertResult> {
      const current = await runResults(warehouse, input);
      if (current.length === 0) {
        logger.info({ runDate: input.runDate, runId: input.runId }, 'no check results for this run: nothing to report');
        return { changes: 0, sent: false };
      }
      const since = current.map((row) => row.checked_at).sort()[0];
      const previous = await latestResultsBefore(warehouse, since);
      const alert = buildAlert(input.runDate, current, previous, checks);
      if (!alert) {
        logger.info({ runDate: input.runDate, checks: current.length }, 'check results unchanged since the previous run: no alert');
        return { changes: 0, sent: false };
      }
      logger.warn({ runDate: input.runDate, changes: alert.changes, summary: alert.text }, 'data check alert');
      if (!deps.alertWebhookUrl) return { changes: alert.changes, sent: false };

      const posted = await postAlert(deps.alertWebhookUrl, alert.text, deps.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
      if (!posted.ok) {
        logger.error(
          { runDate: input.runDate, webhook: redactUrl(deps.alertWebhookUrl), err: posted.error },
          'alert webhook failed; the summary is in this log only',
        );
        return { changes: alert.changes, sent: false, error: posted.error };
      }
      return { changes: alert.changes, sent: true };
    },
  };
}

/** Scheme and host only: the path of a Slack or Google Chat webhook is its secret. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return 'an invalid URL';
  }
}
