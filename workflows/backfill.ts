/**
 * The survey backfill: a one-off, resumable copy of a large Odoo table into the lake.
 *
 * The id space up to the highest id at start is split into fixed id-range partitions. A few
 * partitions run at once. Inside one, each page is an activity that reads `pageSize` rows after
 * the partition's cursor and writes them to a lake file named by that cursor. The workflow keeps
 * every partition's cursor, saves the checkpoint to the lake at each boundary, and continues as
 * new every `pagesPerRun` pages so its history stays small whatever the table size.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { createBackfillActivities } from '../activities/backfill.ts';
import {
  backfillProgress,
  splitPartitions,
  type BackfillProgress,
  type BackfillState,
  type PartitionCheckpoint,
} from './backfill-state.ts';
import { odooTaskQueue } from './task-queues.ts';

type BackfillActivities = ReturnType<typeof createBackfillActivities>;

const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;

// Odoo-facing activities run on their own task queue, whose rate limit applies across workers.
// A page takes seconds; the in-flight heartbeat lets a dead worker be noticed within 30 s.
// The queue name derives from the workflow's own, so the proxy is built inside the run.
function odooActivities(heartbeatTimeoutSeconds = DEFAULT_HEARTBEAT_TIMEOUT_SECONDS) {
  return proxyActivities<BackfillActivities>({
    taskQueue: odooTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: heartbeatTimeoutSeconds * 1000,
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
  });
}

// Lake writes of the checkpoint: small and quick.
const lake = proxyActivities<BackfillActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export type BackfillInput = {
  source: string;
  backfillId: string;
  pageSize: number;
  /** Rows with an id above this are copied; 0 copies the whole table. */
  fromId: number;
  /** Ids per partition. */
  partitionSize: number;
  /** Partitions read at the same time. */
  concurrency: number;
  /** Pages after which the workflow continues as new with its checkpoint. */
  pagesPerRun: number;
  /** Silence after which a page's worker counts as dead and the page is retried (default 30). */
  heartbeatTimeoutSeconds?: number;
  /** Checkpoint carried over by continue-as-new or a resume; absent on a fresh start. */
  state?: BackfillState;
};

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');
export const pauseBackfillSignal = defineSignal('pause');
export const resumeBackfillSignal = defineSignal('resume');
export const cancelBackfillSignal = defineSignal('cancel');

/** Reason the lanes stopped reading pages. */
type StopReason = 'finished' | 'paused' | 'cancelled' | 'history';

export async function backfillWorkflow(input: BackfillInput): Promise<BackfillState> {
  validateInput(input);

  const state = input.state ?? (await planState(input));
  let paused = false;
  let cancelled = false;
  let pagesThisRun = 0;

  // Start of the current stretch of reading, so the rate counts the time spent in it too.
  let readingSince: number | undefined;
  setHandler(backfillProgressQuery, () =>
    backfillProgress(readingSince === undefined ? state : { ...state, activeMs: state.activeMs + Date.now() - readingSince }),
  );
  setHandler(pauseBackfillSignal, () => void (paused = true));
  setHandler(resumeBackfillSignal, () => void (paused = false));
  setHandler(cancelBackfillSignal, () => void (cancelled = true));

  const stopReason = (): StopReason | undefined => {
    if (cancelled) return 'cancelled';
    if (paused) return 'paused';
    if (pagesThisRun >= input.pagesPerRun) return 'history';
    return undefined;
  };

  for (;;) {
    state.status = 'running';
    readingSince = Date.now();
    await runLanes(input, state, stopReason, () => pagesThisRun++);
    state.activeMs += Date.now() - readingSince;
    readingSince = undefined;

    const reason = stopReason() ?? 'finished';
    if (reason === 'paused') {
      state.status = 'paused';
      await saveCheckpoint(state);
      log.info('Backfill paused', { backfillId: state.backfillId });
      await condition(() => !paused || cancelled);
      continue;
    }
    if (reason === 'cancelled') {
      state.status = 'cancelled';
      await saveCheckpoint(state);
      log.info('Backfill cancelled', { ...backfillProgress(state) });
      return state;
    }
    if (reason === 'history') {
      await saveCheckpoint(state);
      await continueAsNew<typeof backfillWorkflow>({ ...input, state });
    }
    break;
  }

  const failed = state.partitions.filter((partition) => partition.status === 'failed');
  state.status = failed.length > 0 ? 'failed' : 'completed';
  if (state.status === 'completed') state.completedAt = new Date(Date.now()).toISOString();
  await saveCheckpoint(state);
  log.info('Backfill finished', { backfillId: state.backfillId, status: state.status, failed: failed.length });
  return state;
}

async function planState(input: BackfillInput): Promise<BackfillState> {
  const plan = await odooActivities().planBackfill({ source: input.source, backfillId: input.backfillId, fromId: input.fromId });
  const state: BackfillState = {
    backfillId: input.backfillId,
    source: input.source,
    pageSize: input.pageSize,
    maxIdAtStart: plan.maxId,
    estimatedRows: plan.estimatedRows,
    startedAt: new Date(Date.now()).toISOString(),
    status: 'running',
    activeMs: 0,
    partitions: splitPartitions(input.fromId, plan.maxId, input.partitionSize),
  };
  log.info('Backfill planned', {
    backfillId: state.backfillId,
    maxId: plan.maxId,
    estimatedRows: plan.estimatedRows,
    partitions: state.partitions.length,
  });
  await saveCheckpoint(state);
  return state;
}

/**
 * Runs up to `concurrency` lanes, each taking the next pending partition and reading its pages
 * until the partition is done, fails, or `stopReason` returns a reason to stop.
 */
async function runLanes(
  input: BackfillInput,
  state: BackfillState,
  stopReason: () => StopReason | undefined,
  countPage: () => void,
): Promise<void> {
  const lane = async () => {
    for (;;) {
      if (stopReason()) return;
      const partition = state.partitions.find((candidate) => candidate.status === 'pending');
      if (!partition) return;
      partition.status = 'running';
      await readPartition(input, state, partition, stopReason, countPage);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, lane));
}

async function readPartition(
  input: BackfillInput,
  state: BackfillState,
  partition: PartitionCheckpoint,
  stopReason: () => StopReason | undefined,
  countPage: () => void,
): Promise<void> {
  while (partition.status === 'running') {
    if (stopReason()) {
      // Left pending with its cursor: the next pass or run continues from `lastId`.
      partition.status = 'pending';
      return;
    }
    try {
      const page = await odooActivities(input.heartbeatTimeoutSeconds).backfillPage({
        source: state.source,
        backfillId: state.backfillId,
        partition: partition.index,
        afterId: partition.lastId,
        endId: partition.endId,
        pageSize: state.pageSize,
      });
      partition.lastId = Math.max(partition.lastId, page.lastId);
      partition.rows += page.rows;
      partition.pages += 1;
      countPage();
      if (page.done) partition.status = 'done';
    } catch (error) {
      partition.status = 'failed';
      partition.error = innermostMessage(error);
      log.warn('Backfill partition failed', { backfillId: state.backfillId, partition: partition.index });
    }
  }
  // A finished partition is saved at once, so a run terminated from outside loses little.
  if (partition.status === 'done' || partition.status === 'failed') await saveCheckpoint(state);
}

async function saveCheckpoint(state: BackfillState): Promise<void> {
  upsertMemo({ progress: memoOf(state) });
  await lake.saveBackfillCheckpoint(state);
}

/** Essentials shown in the Temporal Web UI: counts only, never personal data. */
function memoOf(state: BackfillState) {
  const progress = backfillProgress(state);
  return {
    status: state.status,
    percent: progress.percent,
    rowsDone: progress.rowsDone,
    estimatedRows: progress.estimatedRows,
    partitions: progress.partitions,
  };
}

function validateInput(input: BackfillInput): void {
  const positive: (keyof BackfillInput)[] = ['pageSize', 'partitionSize', 'concurrency', 'pagesPerRun'];
  for (const name of positive) {
    const value = input[name];
    if (!Number.isInteger(value) || (value as number) <= 0) {
      throw ApplicationFailure.nonRetryable(
        `BackfillInput.${name} must be a positive whole number, got ${JSON.stringify(value)}`,
        'InvalidInput',
      );
    }
  }
  if (!Number.isInteger(input.fromId) || input.fromId < 0) {
    throw ApplicationFailure.nonRetryable(
      `BackfillInput.fromId must be a whole number >= 0, got ${JSON.stringify(input.fromId)}`,
      'InvalidInput',
    );
  }
}

function innermostMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}
