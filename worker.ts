/**
 * The placement worker: two Temporal workers in one process.
 *
 * - The main task queue runs the workflows and the lake and warehouse activities.
 * - The Odoo task queue runs every activity that calls Odoo. Its rate limit is enforced by the
 *   Temporal server for all workers together, and its per-worker concurrency is small, so a
 *   backfill never overloads the CRM however many workers run.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import type { Resources } from './resources/index.ts';
import { ensureSearchAttributes } from './resources/search-attributes.ts';
import { odooTaskQueue } from './workflows/task-queues.ts';

const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Activities that call Odoo; everything else runs on the main queue. */
const ODOO_ACTIVITIES = new Set(['extractSource', 'planBackfill', 'backfillPage']);

export type PlacementWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  resources: Resources;
  /** Identity shown in the Temporal Web UI; defaults to the SDK's pid@host. */
  identity?: string;
};

/** The workers of one process, run and stopped together. */
export class PlacementWorkers {
  readonly main: Worker;
  readonly odoo: Worker;

  constructor(main: Worker, odoo: Worker) {
    this.main = main;
    this.odoo = odoo;
  }

  /** Runs until SIGINT or SIGTERM (or `shutdown()`), letting running activities finish. */
  async run(): Promise<void> {
    await Promise.all([this.main.run(), this.odoo.run()]);
  }

  /** Runs until `promise` settles, then shuts down and returns its result. */
  async runUntil<T>(promise: Promise<T>): Promise<T> {
    const running = this.run();
    try {
      return await promise;
    } finally {
      this.shutdown();
      await running;
    }
  }

  shutdown(): void {
    for (const worker of [this.main, this.odoo]) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
  }
}

export async function createPlacementWorker(options: PlacementWorkerOptions): Promise<PlacementWorkers> {
  await ensureSearchAttributes(options.connection, options.namespace);
  const activities = createActivities(options.resources);
  const odooActivities = Object.fromEntries(Object.entries(activities).filter(([name]) => ODOO_ACTIVITIES.has(name)));
  const mainActivities = Object.fromEntries(Object.entries(activities).filter(([name]) => !ODOO_ACTIVITIES.has(name)));
  const identity = options.identity ? { identity: options.identity } : {};
  const odooSettings = options.resources.settings.odoo;

  const main = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...identity,
    workflowsPath: WORKFLOWS_PATH,
    activities: mainActivities,
    // Warehouse statements are heavy; more parallel ones would only compete for the same cores.
    maxConcurrentActivityTaskExecutions: 4,
    // On SIGTERM, running activities get this long to finish; after that Temporal retries them
    // on another worker once their heartbeat or start-to-close timeout expires.
    shutdownGraceTime: '30 seconds',
  });

  const odoo = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: odooTaskQueue(options.taskQueue),
    ...identity,
    activities: odooActivities,
    maxConcurrentActivityTaskExecutions: odooSettings.maxConcurrentRequests,
    maxTaskQueueActivitiesPerSecond: odooSettings.maxRequestsPerSecond,
    shutdownGraceTime: '30 seconds',
  });

  return new PlacementWorkers(main, odoo);
}
