/**
 * The daily placement run: extract every Odoo source into the lake in parallel, then
 * materialise the asset graph layer by layer (raw → staging → ODS → dimension → fact).
 *
 * A failed extraction or asset stops only what depends on it; the rest still completes, and the
 * result lists every asset with its status. Rows never pass through the workflow: activities
 * exchange lake keys and counts only.
 */
import {
  ApplicationFailure,
  defineQuery,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ASSETS_ATTRIBUTE, RUN_DATE_ATTRIBUTE, STATUS_ATTRIBUTE } from './search-attributes.ts';
import type { createExtractActivities, ExtractSourceResult } from '../activities/extract.ts';
import type { createCheckActivities } from '../activities/checks.ts';
import type { createDashboardActivities } from '../activities/dashboard.ts';
import type { createMaterializeActivities } from '../activities/materialize.ts';
import type { SourceName } from '../assets/sources.ts';
import { odooTaskQueue } from './task-queues.ts';
import { blockedUpstream, executionSteps, type PlannedAsset } from './asset-plan.ts';

type ExtractActivities = ReturnType<typeof createExtractActivities>;
type MaterializeActivities = ReturnType<typeof createMaterializeActivities>;
type CheckActivities = ReturnType<typeof createCheckActivities>;
type DashboardActivities = ReturnType<typeof createDashboardActivities>;

/**
 * Odoo calls run on the Odoo task queue (rate-limited across workers). A page is heartbeated, so
 * a dead worker is noticed within two minutes while a long extraction may take an hour. Transport
 * errors are retried with backoff; the connector marks bad credentials and unknown fields
 * non-retryable. The queue name derives from the workflow's own, so proxies are built per run.
 */
function extractActivities() {
  return proxyActivities<ExtractActivities>({
    taskQueue: odooTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
  });
}

// Warehouse work: one SQL statement per asset; SQL errors are non-retryable at the source.
// A heartbeat every few seconds lets a dead worker be noticed within a minute.
const { planAssets, materializeAsset } = proxyActivities<MaterializeActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

// Data-quality checks: read-only queries over one asset; a broken check is stored as errored.
const { runAssetChecks, summarizeRunAlerts } = proxyActivities<CheckActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});

// Publishing the dashboard's snapshot: one file copy, retried a few times.
const { publishServing } = proxyActivities<DashboardActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export type DailyInput = {
  /**
   * Run date, YYYY-MM-DD: names the lake folders and the materialisation records. Scheduled runs
   * leave it out and get the date of their start in `timezone`.
   */
  runDate?: string;
  /** IANA time zone that decides the date of a scheduled run (default Europe/Paris). */
  timezone?: string;
  /**
   * Read Odoo again even for sources already extracted for this run date. By default a second run
   * of a date (a retry after a failure) reuses the extractions that succeeded.
   */
  reextract?: boolean;
};

export type AssetStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export type AssetSummary = {
  asset: string;
  layer: string;
  status: AssetStatus;
  rows?: number;
  durationMs?: number;
  /** Error message for failed assets, or why a skipped asset did not run. */
  reason?: string;
  /** Counts of this asset's data-quality checks by outcome. */
  checks?: { passed: number; warned: number; failed: number; errored: number };
};

export type DailyResult = {
  runDate: string;
  extractions: ExtractSourceResult[];
  assets: AssetSummary[];
  /** Conditions the team must know about, such as a survey table still missing its backfill. */
  warnings: string[];
};

export const dailyProgressQuery = defineQuery<DailyResult>('progress');

const RUN_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Runs one day's extraction and transforms; fails with the per-asset summary if any asset failed. */
export async function dailyWorkflow(daily: DailyInput): Promise<DailyResult> {
  const input = { runDate: daily.runDate ?? startDate(daily.timezone ?? 'Europe/Paris'), reuse: !daily.reextract };
  if (!RUN_DATE_PATTERN.test(input.runDate)) {
    throw ApplicationFailure.nonRetryable(
      `DailyInput.runDate must be a date as YYYY-MM-DD, got ${JSON.stringify(input.runDate)}`,
      'InvalidInput',
    );
  }

  upsertSearchAttributes([
    { key: RUN_DATE_ATTRIBUTE, value: input.runDate },
    { key: STATUS_ATTRIBUTE, value: 'running' },
  ]);
  const plan = await planAssets();
  const summary: DailyResult = { runDate: input.runDate, extractions: [], assets: plan.map(toPending), warnings: [] };
  setHandler(dailyProgressQuery, () => summary);
  log.info('Daily run planned', { runDate: input.runDate, assets: plan.length, workflowId: workflowInfo().workflowId });

  const failedSources = await extractAll(plan, input.runDate, input.reuse, summary);

  for (const step of executionSteps(plan)) {
    await Promise.all(step.map((asset) => materialize(asset, input.runDate, summary, failedSources)));
  }

  const failed = summary.assets.filter((asset) => asset.status === 'failed');
  const skipped = summary.assets.filter((asset) => asset.status === 'skipped');
  log.info('Daily run finished', { runDate: input.runDate, failed: failed.length, skipped: skipped.length });
  const status = failed.length > 0 ? 'failed' : 'succeeded';
  await finishRun(input.runDate, summary, status);
  upsertSearchAttributes([
    { key: STATUS_ATTRIBUTE, value: status },
    {
      key: ASSETS_ATTRIBUTE,
      value: summary.assets.filter((asset) => asset.status === 'succeeded').map((asset) => asset.asset),
    },
  ]);
  upsertMemo({
    summary: {
      runDate: input.runDate,
      status,
      failed: failed.map((asset) => asset.asset),
      skipped: skipped.map((asset) => asset.asset),
      rows: Object.fromEntries(summary.assets.map((asset) => [asset.asset, asset.rows ?? null])),
    },
  });

  if (failed.length > 0) {
    const names = failed.map((asset) => `${asset.asset}: ${asset.reason}`).join('; ');
    throw ApplicationFailure.create({
      message: `${failed.length} asset(s) failed, ${skipped.length} skipped: ${names}`,
      type: 'DailyRunFailed',
      nonRetryable: true,
      details: [summary],
    });
  }
  return summary;
}

/** Extracts every source that a raw asset reads, in parallel; returns the sources that failed. */
async function extractAll(
  plan: PlannedAsset[],
  runDate: string,
  reuse: boolean,
  summary: DailyResult,
): Promise<Map<string, string>> {
  const sources = [...new Set(plan.flatMap((asset) => (asset.source ? [asset.source] : [])))];
  const failedSources = new Map<string, string>();

  const { extractSource } = extractActivities();
  const results = await Promise.allSettled(sources.map((source) => extractSource({ source: source as SourceName, runDate, reuse })));
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') {
      summary.extractions.push(result.value);
      if (!result.value.complete) summary.warnings.push(`${result.value.source} is incomplete: ${result.value.note}`);
    }
    else failedSources.set(sources[index], failureMessage(result.reason));
  });
  return failedSources;
}

async function materialize(
  asset: PlannedAsset,
  runDate: string,
  summary: DailyResult,
  failedSources: Map<string, string>,
): Promise<void> {
  const entry = summary.assets.find((candidate) => candidate.asset === asset.key)!;

  const sourceFailure = asset.source ? failedSources.get(asset.source) : undefined;
  if (sourceFailure !== undefined) {
    entry.status = 'failed';
    entry.reason = `extraction of ${asset.source} failed: ${sourceFailure}`;
    return;
  }
  const blocker = blockedUpstream(asset, summary.assets);
  if (blocker) {
    entry.status = 'skipped';
    entry.reason = `upstream ${blocker} did not succeed`;
    return;
  }

  entry.status = 'running';
  try {
    const result = await materializeAsset({ assetKey: asset.key, runDate, runId: workflowInfo().runId });
    entry.rows = result.rows;
    entry.durationMs = result.durationMs;
  } catch (error) {
    entry.status = 'failed';
    entry.reason = failureMessage(error);
    return;
  }

  // Asset checks: a failed `error` check fails the asset, so everything downstream is skipped;
  // `warn` checks are stored and reported only.
  const checked = await runAssetChecks({ assetKey: asset.key, runDate, runId: workflowInfo().runId });
  entry.checks = summarizeChecks(checked.results);
  const blocking = checked.results.filter((result) => result.severity === 'error' && result.status === 'failed');
  if (checked.blocking) {
    entry.status = 'failed';
    entry.reason = `error check failed: ${blocking.map((result) => result.check).join(', ')}`;
    return;
  }
  entry.status = 'succeeded';
}

function summarizeChecks(results: { status: string; severity: string }[]): AssetSummary['checks'] {
  return {
    passed: results.filter((result) => result.status === 'passed').length,
    warned: results.filter((result) => result.status === 'failed' && result.severity === 'warn').length,
    failed: results.filter((result) => result.status === 'failed' && result.severity === 'error').length,
    errored: results.filter((result) => result.status === 'errored').length,
  };
}

/**
 * Sends the alert summary and publishes the dashboard snapshot, for failed runs too (the
 * dashboard shows that the last run failed). Neither may fail the run: their errors are logged.
 */
async function finishRun(runDate: string, summary: DailyResult, status: 'succeeded' | 'failed'): Promise<void> {
  const { runId, workflowId } = workflowInfo();
  try {
    await summarizeRunAlerts({ runDate, runId });
  } catch (error) {
    summary.warnings.push(`the data-quality alert could not be sent: ${failureMessage(error)}`);
    log.warn('Alert summary failed', { runDate, error: failureMessage(error) });
  }
  try {
    await publishServing({ runDate, runId, workflowId, status });
  } catch (error) {
    summary.warnings.push(`the dashboard snapshot could not be published: ${failureMessage(error)}`);
    log.warn('Dashboard snapshot failed', { runDate, error: failureMessage(error) });
  }
}

/** Calendar date of the workflow's start in `timezone`; workflow time is replay-safe. */
function startDate(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      new Date(Date.now()),
    );
  } catch {
    throw ApplicationFailure.nonRetryable(
      `DailyInput.timezone must be an IANA time zone such as Europe/Paris, got ${JSON.stringify(timezone)}`,
      'InvalidInput',
    );
  }
}

function toPending(asset: PlannedAsset): AssetSummary {
  return { asset: asset.key, layer: asset.layer, status: 'pending' };
}

/** Returns the innermost cause's message: ActivityFailure wraps the activity's own error. */
function failureMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}
