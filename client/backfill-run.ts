/**
 * Starting, resuming and following the survey backfill from commands. One backfill runs at a
 * time per source: its workflow id is fixed, and a checkpoint in the lake survives any stop.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Settings } from '../config/settings.ts';
import type { Lake } from '../lake/lake.ts';
import { backfillCheckpointKey } from '../lake/paths.ts';
import { backfillWorkflow, type BackfillInput } from '../workflows/backfill.ts';
import { backfillProgress, resumableState, type BackfillProgress, type BackfillState } from '../workflows/backfill-state.ts';
import { CliError } from './errors.ts';

/** The source whose baseline is a backfill. */
export const BACKFILL_SOURCE = 'survey_user_input_line';

export function backfillWorkflowId(source: string): string {
  return `backfill-${source}`;
}

/** Backfill id from the start instant, e.g. `bf-20261204T061500Z`; it names the lake folder. */
export function newBackfillId(now: Date): string {
  return `bf-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function readCheckpoint(lake: Lake, source: string): Promise<BackfillState | undefined> {
  return lake.readJson<BackfillState>(backfillCheckpointKey(source));
}

/** Returns the running backfill's progress, or undefined when none runs. */
export async function runningBackfill(client: Client, source: string): Promise<BackfillProgress | undefined> {
  const handle = client.workflow.getHandle(backfillWorkflowId(source));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    // Until a worker has run the workflow's first task, it answers no query.
    return await handle.query<BackfillProgress>('progress').catch(() => startingProgress(String(description.memo?.backfillId ?? '?'), source));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

function startingProgress(backfillId: string, source: string): BackfillProgress {
  return {
    backfillId,
    source,
    status: 'running',
    maxIdAtStart: 0,
    pagesDone: 0,
    rowsDone: 0,
    estimatedRows: 0,
    percent: 0,
    rowsPerSecond: 0,
    etaSeconds: null,
    partitions: { pending: 0, running: 0, done: 0, failed: 0 },
    failedPartitions: [],
  };
}

export type StartBackfillOptions = { pageSize?: number; fromId?: number; resume?: boolean; restart?: boolean };

/**
 * Starts a new backfill, or with `resume` continues the stopped one from its checkpoint (failed
 * partitions included). Refuses to start over a stopped backfill without `resume`, so a
 * checkpoint is never lost by mistake.
 */
export async function startBackfill(
  client: Client,
  settings: Settings,
  lake: Lake,
  options: StartBackfillOptions,
): Promise<{ input: BackfillInput; resumed: boolean }> {
  const source = BACKFILL_SOURCE;
  const checkpoint = await readCheckpoint(lake, source);
  const stopped = checkpoint && checkpoint.status !== 'completed' ? checkpoint : undefined;

  if (options.resume && !stopped) {
    throw new CliError(
      checkpoint ? `the backfill ${checkpoint.backfillId} already completed; nothing to resume` : 'no backfill to resume',
      { hint: 'start one with `placement start-backfill` (without --resume).' },
    );
  }
  if (!options.resume && !options.restart && checkpoint?.status === 'completed') {
    throw new CliError(
      `the backfill ${checkpoint.backfillId} completed on ${checkpoint.completedAt ?? checkpoint.startedAt}; ` +
        'the daily runs keep the survey table up to date since',
      { hint: 'add --restart only to copy the whole table into the lake again.' },
    );
  }
  if (!options.resume && stopped) {
    const progress = backfillProgress(stopped);
    throw new CliError(`the backfill ${stopped.backfillId} stopped at ${progress.percent}% (${stopped.status})`, {
      hint: 'continue it from its checkpoint with `placement start-backfill --resume`.',
    });
  }

  const input: BackfillInput = {
    source,
    backfillId: stopped?.backfillId ?? newBackfillId(new Date()),
    pageSize: options.pageSize ?? stopped?.pageSize ?? settings.backfill.pageSize,
    fromId: options.fromId ?? 0,
    partitionSize: settings.backfill.partitionSize,
    concurrency: settings.backfill.concurrency,
    pagesPerRun: settings.backfill.pagesPerRun,
    heartbeatTimeoutSeconds: settings.backfill.heartbeatTimeoutSeconds,
    ...(stopped ? { state: { ...resumableState(stopped), pageSize: options.pageSize ?? stopped.pageSize } } : {}),
  };

  try {
    await client.workflow.start(backfillWorkflow, {
      workflowId: backfillWorkflowId(source),
      taskQueue: settings.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      memo: { backfillId: input.backfillId, source },
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`a backfill of ${source} is already running`, {
        hint: 'follow it with `placement backfill status`.',
        cause: error,
      });
    }
    throw error;
  }
  return { input, resumed: stopped !== undefined };
}

/**
 * Waits for the backfill to finish, calling `onProgress` every `pollMs`; returns the final state.
 */
export async function followBackfill(
  client: Client,
  source: string,
  onProgress: (progress: BackfillProgress) => void,
  pollMs = 1_000,
): Promise<BackfillState> {
  const handle = client.workflow.getHandle<typeof backfillWorkflow>(backfillWorkflowId(source));
  let finished = false;
  const poller = (async () => {
    while (!finished) {
      const progress = await handle.query<BackfillProgress>('progress').catch(() => undefined);
      if (progress && !finished) onProgress(progress);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();
  try {
    // Follows continue-as-new runs until the last one returns.
    const state = await handle.result();
    onProgress(backfillProgress(state));
    return state;
  } finally {
    finished = true;
    await poller;
  }
}
