/**
 * Backfill checkpoints and progress arithmetic: pure functions shared by the backfill workflow
 * (deterministic, no I/O), its activities and the CLI.
 */

export type PartitionStatus = 'pending' | 'running' | 'done' | 'failed';

/** One fixed id range `(startAfterId, endId]`, read page by page from `lastId`. */
export type PartitionCheckpoint = {
  index: number;
  startAfterId: number;
  endId: number;
  /** Highest id read so far; the next page reads `id > lastId`. */
  lastId: number;
  pages: number;
  rows: number;
  status: PartitionStatus;
  error?: string;
};

export type BackfillStatus = 'running' | 'paused' | 'cancelled' | 'completed' | 'failed';

export type BackfillState = {
  backfillId: string;
  source: string;
  pageSize: number;
  /** Highest id in Odoo when the backfill started; later rows come with the daily increments. */
  maxIdAtStart: number;
  /** Rows in `(fromId, maxIdAtStart]` when the backfill started (search_count). */
  estimatedRows: number;
  /** ISO 8601 instant the backfill started: the first daily increment reads changes since then. */
  startedAt: string;
  status: BackfillStatus;
  /** Milliseconds spent running (pauses excluded), for the rate and the ETA. */
  activeMs: number;
  partitions: PartitionCheckpoint[];
  completedAt?: string;
};

export type BackfillProgress = {
  backfillId: string;
  source: string;
  status: BackfillStatus;
  maxIdAtStart: number;
  pagesDone: number;
  rowsDone: number;
  estimatedRows: number;
  /** 0 to 100. */
  percent: number;
  rowsPerSecond: number;
  /** Seconds left at the current rate, or null before any row is read. */
  etaSeconds: number | null;
  partitions: Record<PartitionStatus, number>;
  failedPartitions: { index: number; error?: string }[];
};

/**
 * Splits the ids `(fromId, maxId]` into ranges of `partitionSize` ids. An empty table (maxId
 * not above fromId) gives no partition.
 */
export function splitPartitions(fromId: number, maxId: number, partitionSize: number): PartitionCheckpoint[] {
  const partitions: PartitionCheckpoint[] = [];
  for (let startAfterId = fromId, index = 0; startAfterId < maxId; startAfterId += partitionSize, index++) {
    const endId = Math.min(startAfterId + partitionSize, maxId);
    partitions.push({ index, startAfterId, endId, lastId: startAfterId, pages: 0, rows: 0, status: 'pending' });
  }
  return partitions;
}

export function backfillProgress(state: BackfillState): BackfillProgress {
  const counts: Record<PartitionStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  let pagesDone = 0;
  let rowsDone = 0;
  for (const partition of state.partitions) {
    counts[partition.status] += 1;
    pagesDone += partition.pages;
    rowsDone += partition.rows;
  }

  const seconds = state.activeMs / 1000;
  const rowsPerSecond = seconds > 0 ? rowsDone / seconds : 0;
  const remaining = Math.max(0, state.estimatedRows - rowsDone);
  const finished = state.status === 'completed';
  const percent = finished || state.estimatedRows === 0 ? 100 : Math.min(99.9, (100 * rowsDone) / state.estimatedRows);

  return {
    backfillId: state.backfillId,
    source: state.source,
    status: state.status,
    maxIdAtStart: state.maxIdAtStart,
    pagesDone,
    rowsDone,
    estimatedRows: state.estimatedRows,
    percent: Math.round(percent * 10) / 10,
    rowsPerSecond: Math.round(rowsPerSecond),
    etaSeconds: finished ? 0 : rowsPerSecond > 0 ? Math.round(remaining / rowsPerSecond) : null,
    partitions: counts,
    failedPartitions: state.partitions
      .filter((partition) => partition.status === 'failed')
      .map((partition) => ({ index: partition.index, error: partition.error })),
  };
}

/** Prepares a checkpoint for another pass: failed and interrupted partitions become pending again. */
export function resumableState(state: BackfillState): BackfillState {
  return {
    ...state,
    status: 'running',
    partitions: state.partitions.map((partition) =>
      partition.status === 'done' ? partition : { ...partition, status: 'pending', error: undefined },
    ),
  };
}
