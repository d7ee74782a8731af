// Workflow entry point bundled by the worker: every exported function is a workflow type.
export { dailyWorkflow } from './daily.ts';
