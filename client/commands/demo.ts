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
import type { DemoOdoo } from '../../demo-odoo/server.ts';
import { ensureDemoAccount } from '../../dashboard/demo-account.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/server.ts';
import { odooSettings, startEmbeddedOdoo } from '../embedded-odoo.ts';
import { createLogger } from '../../logging/logger.ts';
import { installTemporalLogging } from '../../logging/temporal-runtime.ts';
import { openResources } from '../../resources/index.ts';
import { createPlacementWorker } from '../../worker.ts';
import { BACKFILL_SOURCE, followBackfill, readCheckpoint, runningBackfill, startBackfill } from '../backfill-run.ts';
import { dailyWorkflowId, followDailyRun, startDailyRun } from '../daily-run.ts';
import { CliError } from '../errors.ts';
import { formatKeyValues } from '../output.ts';
import { parseInteger, parseRunDate } from '../options.ts';
import { formatAssetLine, formatRunTable } from '../run-summary.ts';
import { connectTemporal, workflowUrl } from '../temporal.ts';

type DemoOptions = { once?: boolean; date?: string; scale?: 'small' | 'medium' | 'large'; seed?: number };

export const demoCommand = new Command('demo')
  .description('run the daily pipeline on the embedded setup (demo Odoo, local lake, DuckDB, local Temporal), then serve the dashboard until interrupted')
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
    process.env.PLACEMENT_LOG_FILE = logFile;
    installTemporalLogging(createLogger(settings.logLevel, { file: logFile }));

    say('Starting Temporal…');
    const temporal = await connectTemporal(settings, { startDevServer: true });
    const demoOdoo = settings.odoo.demo ? await startEmbeddedOdoo(settings, options, say) : undefined;
    let dashboard: RunningDashboard | undefined;
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

      await ensureBackfill(temporal.client, resources.settings, resources.lake, say);

      const runDate = options.date ?? dateInTimezone(new Date(), settings.timezone);
      const workflowId = dailyWorkflowId(runDate);
      await startDailyRun(temporal.client, settings, runDate);
      say(`Daily run ${workflowId} started: ${workflowUrl(settings, workflowId)}`);
      const outcome = await followDailyRun(temporal.client, workflowId, (asset) => say(formatAssetLine(asset)));

      if (outcome.summary) say(`\n${formatRunTable(outcome.summary)}`);
      const where = whereThingsAre(settings, demoOdoo);
      if (!options.once) {
        const account = await ensureDemoAccount(settings);
        dashboard = await startDashboard(settings);
        where.unshift(['Dashboard', `${dashboard.url} (login ${account.login}, password ${account.password})`]);
      }
      say(`\n${formatKeyValues(where)}`);

      if (options.once || !outcome.ok) worker.shutdown();
      else say('\nServing until interrupted (Ctrl-C).');
      await running;
      say('Stopped.');

      if (!outcome.ok) {
        throw new CliError(`daily run ${workflowId} failed: ${outcome.message}`, {
          hint: `see ${workflowUrl(settings, workflowId)}, fix the cause and run \`placement demo\` again`,
        });
      }
    } finally {
      await dashboard?.close();
      await connection.close();
      await resources.close();
      await demoOdoo?.close();
      await temporal.close();
    }
  });

/**
 * Runs the survey backfill first when none has completed, so the first daily run already has the
 * full survey history: starts it (or resumes a stopped one) and waits for it.
 */
async function ensureBackfill(
  client: import('@temporalio/client').Client,
  settings: Settings,
  lake: import('../../lake/lake.ts').Lake,
  say: (line: string) => void,
): Promise<void> {
  const checkpoint = await readCheckpoint(lake, BACKFILL_SOURCE);
  if (checkpoint?.status === 'completed') return;

  if (!(await runningBackfill(client, BACKFILL_SOURCE))) {
    const { input, resumed } = await startBackfill(client, settings, lake, { resume: checkpoint !== undefined });
    say(`${resumed ? 'Resuming' : 'Running'} the survey backfill ${input.backfillId} before the first daily run…`);
  } else {
    say('Waiting for the running survey backfill…');
  }

  let lastPercent = -1;
  const final = await followBackfill(client, BACKFILL_SOURCE, (progress) => {
    if (Math.floor(progress.percent / 25) === Math.floor(lastPercent / 25) && progress.status === 'running') return;
    lastPercent = progress.percent;
    say(`  backfill ${progress.status}: ${progress.rowsDone} rows (${progress.percent}%), ${progress.rowsPerSecond} rows/s`);
  });
  if (final.status !== 'completed') {
    throw new CliError(`the survey backfill ended ${final.status}`, {
      hint: 'see `placement backfill status`, fix the cause, then run `placement demo` again to resume it.',
    });
  }
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
