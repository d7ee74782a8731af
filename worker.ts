/**
 * The placement worker: runs the daily workflow and its activities on one task queue.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import type { Resources } from './resources/index.ts';

const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export type PlacementWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  resources: Resources;
  /** Identity shown in the Temporal Web UI; defaults to the SDK's pid@host. */
  identity?: string;
};

/** Builds a worker; the caller runs it with `worker.run()` and shuts it down with `worker.shutdown()`. */
export async function createPlacementWorker(options: PlacementWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(options.resources),
    // Warehouse statements and Odoo pages are heavy; a 2-core machine does not gain from more.
    maxConcurrentActivityTaskExecutions: 8,
    // Let a running activity finish on SIGTERM before the worker stops; past this, Temporal
    // retries it on another worker after its heartbeat timeout.
    shutdownGraceTime: '30 seconds',
  });
}
