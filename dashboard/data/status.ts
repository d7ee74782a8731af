/** Freshness of the served data and outcome of the last run, for the banner on every page. */
import { FACT_TABLE, MATERIALIZATION_TABLE, RUN_TABLE } from '../serving/schema.ts';
import type { ServingSnapshot } from '../serving/snapshot.ts';
import { toInstant } from '../web/format.ts';

/** Older data than this gets a warning: the pipeline runs daily. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export type DataStatus = {
  /** When the candidate table was last built successfully. */
  dataUpdatedAt?: Date;
  lastRun?: { runDate: string; workflowId: string; runId: string; status: string; finishedAt?: Date };
  stale: boolean;
  lastRunFailed: boolean;
};

export async function dataStatus(snapshot: ServingSnapshot, now = new Date()): Promise<DataStatus> {
  const [built] = await snapshot.query<{ at: unknown }>(
    `select max(materialized_at) as at from "${MATERIALIZATION_TABLE}" where asset = $fact`,
    { fact: FACT_TABLE },
  );
  const [run] = await snapshot.query<Record<string, unknown>>(
    `select cast(run_date as varchar) as run_date, workflow_id, run_id, status, finished_at
     from "${RUN_TABLE}" order by finished_at desc nulls last limit 1`,
  );
  const dataUpdatedAt = toInstant(built?.at);
  const lastRun = run
    ? {
        runDate: String(run.run_date),
        workflowId: String(run.workflow_id),
        runId: String(run.run_id),
        status: String(run.status),
        finishedAt: toInstant(run.finished_at),
      }
    : undefined;
  return {
    dataUpdatedAt,
    lastRun,
    stale: !dataUpdatedAt || now.getTime() - dataUpdatedAt.getTime() > STALE_AFTER_MS,
    lastRunFailed: lastRun?.status === 'failed',
  };
}
