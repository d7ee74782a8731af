/** `placement worker`: runs a worker until SIGINT or SIGTERM, then shuts down gracefully. */
import { NativeConnection } from '@temporalio/worker';
import { Command } from 'commander';
import { loadSettings } from '../../config/settings.ts';
import { createLogger } from '../../logging/logger.ts';
import { installTemporalLogging } from '../../logging/temporal-runtime.ts';
import { openResources } from '../../resources/index.ts';
import { createPlacementWorker } from '../../worker.ts';
import { connectTemporal } from '../temporal.ts';

export const workerCommand = new Command('worker')
  .description('run a worker on the task queue until interrupted (starts the embedded Temporal dev server if needed)')
  .action(async () => {
    const settings = loadSettings();
    const logger = createLogger(settings.logLevel);
    installTemporalLogging(logger);
    const temporal = await connectTemporal(settings, { startDevServer: true });
    const resources = await openResources(settings);
    const connection = await NativeConnection.connect({ address: temporal.address });

    try {
      const worker = await createPlacementWorker({
        connection,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        resources,
      });
      // Worker.run() installs SIGINT/SIGTERM handlers that call shutdown() and resolve once
      // running activities finished or the grace time elapsed.
      logger.info({ taskQueue: settings.temporal.taskQueue, address: temporal.address }, 'Worker started');
      await worker.run();
      logger.info({ taskQueue: settings.temporal.taskQueue }, 'Worker stopped');
    } finally {
      await connection.close();
      await resources.close();
      await temporal.close();
    }
  });
