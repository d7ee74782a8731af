/**
 * Labels naming the run of the current Temporal activity, for warehouse jobs: BigQuery's job
 * history can then be filtered by the daily run that issued a job.
 */
import { Context } from '@temporalio/activity';

/** `{ run: <workflow id> }` inside an activity, `{}` elsewhere (CLI, tests). */
export function activityJobLabels(): Record<string, string> {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return {};
  }
  const workflowId = info.workflowExecution?.workflowId;
  return workflowId ? { run: workflowId } : {};
}
