// Workflow entry point bundled by the worker: every exported function is a workflow type.
export { backfillWorkflow } from './backfill.ts';
export { dailyWorkflow } from './daily.ts';
