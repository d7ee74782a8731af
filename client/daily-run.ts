/**
 * Starting and following a daily run from a command: one workflow per run date, progress lines
 * as assets finish, and the final per-asset summary whether the run succeeded or failed.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import type { Settings } from '../config/settings.ts';
import { dailyWorkflow, type AssetSummary, type DailyResult } from '../workflows/daily.ts';
import { CliError } from './errors.ts';
import { workflowUrl } from './temporal.ts';

/** Workflow id of the daily run of `runDate`: the Temporal Web UI then reads like a run log. */
export function dailyWorkflowId(runDate: string): string {
  return `daily-${runDate}`;
}

/**
 * Starts the daily workflow for `runDate`. A run of the same date that is still going is never
 * started twice; a finished one may be run again.
 */
export async function startDailyRun(client: Client, settings: Settings, runDate: string, options: { reextract?: boolean } = {}) {
  const workflowId = dailyWorkflowId(runDate);
  await refuseWhileAnotherDateRuns(client, settings, workflowId);
  try {
    return await client.workflow.start(dailyWorkflow, {
      workflowId,
      taskQueue: settings.temporal.taskQueue,
      args: [{ runDate, ...(options.reextract ? { reextract: true } : {}) }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`the daily run ${workflowId} is already running`, {
        hint: `follow it at ${workflowUrl(settings, workflowId)}`,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Every date rebuilds the same warehouse tables, so two dates running at once would let the one
 * that finishes last overwrite the other's tables with its own snapshot.
 */
async function refuseWhileAnotherDateRuns(client: Client, settings: Settings, workflowId: string): Promise<void> {
  const query =
    `WorkflowType = 'dailyWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${settings.temporal.taskQueue}'`;
  for await (const execution of client.workflow.list({ query })) {
    if (execution.workflowId === workflowId) continue;
    throw new CliError(`the daily run ${execution.workflowId} is still running`, {
      hint: `wait for it to finish (${workflowUrl(settings, execution.workflowId)}), then start this date again.`,
    });
  }
}

export type DailyRunOutcome = { ok: boolean; summary?: DailyResult; message?: string };

/**
 * Waits for the run to finish, calling `onAssetDone` once per asset as it succeeds, fails or is
 * skipped (polled from the workflow's progress query every `pollMs`).
 */
export async function followDailyRun(
  client: Client,
  workflowId: string,
  onAssetDone: (asset: AssetSummary) => void,
  pollMs = 1_000,
): Promise<DailyRunOutcome> {
  const handle = client.workflow.getHandle<typeof dailyWorkflow>(workflowId);
  const reported = new Set<string>();
  const report = (summary: DailyResult | undefined) => {
    for (const asset of summary?.assets ?? []) {
      if (reported.has(asset.asset) || !['succeeded', 'failed', 'skipped'].includes(asset.status)) continue;
      reported.add(asset.asset);
      onAssetDone(asset);
    }
  };

  let finished = false;
  const poller = (async () => {
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (finished) break;
      // The query fails until the workflow has planned its assets; the next poll tries again.
      report(await handle.query<DailyResult>('progress').catch(() => undefined));
    }
  })();

  try {
    const summary = await handle.result();
    report(summary);
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const details = (error.cause as { details?: unknown[] } | undefined)?.details;
      const summary = details?.[0] as DailyResult | undefined;
      report(summary);
      return { ok: false, summary, message: error.cause?.message ?? error.message };
    }
    throw error;
  } finally {
    finished = true;
    await poller;
  }
}
