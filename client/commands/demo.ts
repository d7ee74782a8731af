/**
 * `placement demo`: the main job on the embedded default. Starts what is missing (Temporal dev
 * server, demo Odoo, worker), runs the daily pipeline once, prints where everything is, and keeps
 * serving until interrupted (or exits with `--once`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { Command, Option } from 'commander';
import { dateInTimezone, loadSettings, type Settings } from '../../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../../demo-odoo/server.ts';
import { createLogger } from '../../logging/logger.ts';
import { installTemporalLogging } from '../../logging/temporal-runtime.ts';
import { openResources } from '../../resources/index.ts';
import { createPlacementWorker } from '../../worker.ts';
import { dailyWorkflowId, followDailyRun, startDailyRun } from '../daily-run.ts';
import { CliError } from '../errors.ts';
import { formatKeyValues } from '../output.ts';
import { parseInteger, parseRunDate } from '../options.ts';
import { formatAssetLine, formatRunTable } from '../run-summary.ts';
import { connectTemporal, workflowUrl } from '../temporal.ts';

type DemoOptions = { once?: boolean; date?: string; scale?: 'small' | 'medium' | 'large'; seed?: number };

export const demoCommand = new Command('demo')
  .description('run the daily pipeline once on the embedded setup (demo Odoo, local lake, DuckDB, local Temporal)')
  .option('--once', 'exit after the run instead of serving until interrupted')
  .option('--date <YYYY-MM-DD>', 'run date (default: today in PLACEMENT_TIMEZONE)', parseRunDate)
  .addOption(new Option('--scale <scale>', 'demo Odoo data volume').choices(['small', 'medium', 'large']))
  .option('--seed <seed>', 'demo Odoo random seed', parseInteger)
  .action(async (options: DemoOptions) => {
    const settings = loadSettings();
    fs.mkdirSync(settings.dataDir, { recursive: true });
    const say = (line: string) => process.stdout.write(`${line}\n`);
    // The terminal shows the run as it goes; the JSON log goes to a file beside the data.
    const logFile = path.join(settings.dataDir, 'logs', 'placement.log');
    installTemporalLogging(createLogger(settings.logLevel, { file: logFile }));

    say('Starting Temporal…');
    const temporal = await connectTemporal(settings, { startDevServer: true });
    const demoOdoo = settings.odoo.demo ? await startEmbeddedOdoo(settings, options, say) : undefined;
    const resources = await openResources(odooSettings(settings, demoOdoo));
    const connection = await NativeConnection.connect({ address: temporal.address });

    try {
      const worker = await createPlacementWorker({
        connection,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        resources,
      });
      const running = worker.run();

      const runDate = options.date ?? dateInTimezone(new Date(), settings.timezone);
      const workflowId = dailyWorkflowId(runDate);
      await startDailyRun(temporal.client, settings, runDate);
      say(`Daily run ${workflowId} started: ${workflowUrl(settings, workflowId)}`);
      const outcome = await followDailyRun(temporal.client, workflowId, (asset) => say(formatAssetLine(asset)));

      if (outcome.summary) say(`\n${formatRunTable(outcome.summary)}`);
      say(`\n${formatKeyValues(whereThingsAre(settings, demoOdoo))}`);

      if (options.once || !outcome.ok) worker.shutdown();
      else say('\nServing until interrupted (Ctrl-C).');
      await running;

      if (!outcome.ok) {
        throw new CliError(`daily run ${workflowId} failed: ${outcome.message}`, {
          hint: `see ${workflowUrl(settings, workflowId)}, fix the cause and run \`placement demo\` again`,
        });
      }
    } finally {
      await connection.close();
      await resources.close();
      await demoOdoo?.close();
      await temporal.close();
    }
  });

async function startEmbeddedOdoo(settings: Settings, options: DemoOptions, say: (line: string) => void) {
  const scale = options.scale ?? settings.demoOdoo.scale;
  const seed = options.seed ?? settings.demoOdoo.seed;
  say(`Starting the demo Odoo (scale ${scale}, seed ${seed})…`);
  try {
    return await startDemoOdoo({
      port: settings.demoOdoo.port,
      scale,
      seed,
      storePath: path.join(settings.dataDir, 'demo-odoo', `${scale}-${seed}.duckdb`),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${settings.demoOdoo.port} for the demo Odoo is already in use`, {
        hint: 'stop what listens there, or set DEMO_ODOO_PORT to a free port.',
        cause: error,
      });
    }
    throw error;
  }
}

/** Points the Odoo settings at the demo server actually started (its port may differ). */
function odooSettings(settings: Settings, demoOdoo: DemoOdoo | undefined): Settings {
  if (!demoOdoo) return settings;
  return {
    ...settings,
    odoo: { ...settings.odoo, url: demoOdoo.url, db: demoOdoo.db, user: demoOdoo.user, apiKey: demoOdoo.password },
  };
}

function whereThingsAre(settings: Settings, demoOdoo: DemoOdoo | undefined): [string, string][] {
  return [
    ['Temporal Web UI', settings.temporal.uiUrl],
    ['Odoo', demoOdoo ? `${demoOdoo.url} (demo, db ${demoOdoo.db}, user ${demoOdoo.user})` : settings.odoo.url],
    ['Lake', settings.lake.uri],
    ['Warehouse', settings.warehouse.duckdbPath],
    ['Log', path.join(settings.dataDir, 'logs', 'placement.log')],
  ];
}
