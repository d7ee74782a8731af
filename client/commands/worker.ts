/** `placement worker`: runs a worker until SIGINT or SIGTERM, then shuts down gracefully. */
import net from 'node:net';
import { NativeConnection } from '@temporalio/worker';
import { Command } from 'commander';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { createLogger, type Logger } from '../../logging/logger.ts';
import { installTemporalLogging } from '../../logging/temporal-runtime.ts';
import { openResources } from '../../resources/index.ts';
import { createPlacementWorker } from '../../worker.ts';
import { odooSettings, startEmbeddedOdoo } from '../embedded-odoo.ts';
import { CliError } from '../errors.ts';
import { connectTemporal } from '../temporal.ts';

export const workerCommand = new Command('worker')
  .description('run a worker on the task queue until interrupted (starts the embedded Temporal dev server if needed)')
  .action(async () => {
    const settings = loadSettings();
    const logger = createLogger(settings.logLevel);
    installTemporalLogging(logger);
    const temporal = await connectTemporal(settings, { startDevServer: true });
    const demoOdoo = settings.odoo.demo ? await startOrReuseDemoOdoo(settings, logger) : undefined;
    const resources = await openResources(odooSettings(settings, demoOdoo));
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
      await demoOdoo?.close();
      await temporal.close();
    }
  });

/**
 * In the embedded setup the worker serves the demo Odoo itself, unless one already listens on
 * the port (for example `placement demo-odoo` in another terminal), which it then uses.
 */
async function startOrReuseDemoOdoo(settings: Settings, logger: Logger) {
  if (await portAnswers(settings.demoOdoo.port)) {
    logger.info({ url: settings.odoo.url }, 'Using the demo Odoo already listening on its port');
    return undefined;
  }
  try {
    return await startEmbeddedOdoo(settings, {}, (line) => logger.info(line));
  } catch (error) {
    if (!(error instanceof CliError) || !error.message.includes('already in use')) throw error;
    logger.info({ url: settings.odoo.url }, 'Using the demo Odoo already listening on its port');
    return undefined;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
