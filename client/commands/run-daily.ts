/** `placement run-daily`: starts the daily workflow on the configured Temporal deployment. */
import { Command } from 'commander';
import { dateInTimezone, loadSettings } from '../../config/settings.ts';
import { dailyWorkflowId, followDailyRun, startDailyRun } from '../daily-run.ts';
import { CliError } from '../errors.ts';
import { parseRunDate } from '../options.ts';
import { formatAssetLine, formatRunTable } from '../run-summary.ts';
import { connectTemporal, workflowUrl } from '../temporal.ts';

export const runDailyCommand = new Command('run-daily')
  .description('start the daily pipeline for one date on the configured Temporal server, and wait for it')
  .option('--date <YYYY-MM-DD>', 'run date (default: today in PLACEMENT_TIMEZONE)', parseRunDate)
  .option('--no-wait', 'return once the workflow has started')
  .option('--reextract', 'read Odoo again even where this date was already extracted (a rerun reuses them)')
  .action(async (options: { date?: string; wait: boolean; reextract?: boolean }) => {
    const settings = loadSettings();
    const today = dateInTimezone(new Date(), settings.timezone);
    const runDate = options.date ?? today;
    if (runDate > today) {
      throw new CliError(`the run date ${runDate} is in the future (today is ${today} in ${settings.timezone})`, {
        hint: 'a run reads Odoo as it is now: give today or an earlier date.',
      });
    }
    const temporal = await connectTemporal(settings, { startDevServer: false });

    try {
      await warnWithoutWorkers(temporal.client, settings.temporal.namespace, settings.temporal.taskQueue);
      const workflowId = dailyWorkflowId(runDate);
      await startDailyRun(temporal.client, settings, runDate, { reextract: options.reextract });
      process.stdout.write(`started ${workflowId}: ${workflowUrl(settings, workflowId)}\n`);
      if (!options.wait) return;

      const outcome = await followDailyRun(temporal.client, workflowId, (asset) =>
        process.stdout.write(`${formatAssetLine(asset)}\n`),
      );
      if (outcome.summary) process.stdout.write(`\n${formatRunTable(outcome.summary)}\n`);
      if (!outcome.ok) {
        throw new CliError(`daily run ${workflowId} failed: ${outcome.message}`, {
          hint: `fix the cause, then retry with \`placement run-daily --date ${runDate}\` or from ${workflowUrl(settings, workflowId)}`,
        });
      }
    } finally {
      await temporal.close();
    }
  });

async function warnWithoutWorkers(
  client: import('@temporalio/client').Client,
  namespace: string,
  taskQueue: string,
): Promise<void> {
  const response = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1,
  });
  if ((response.pollers ?? []).length === 0) {
    process.stderr.write(
      `warning: no worker polls task queue "${taskQueue}"; the run waits until one starts (\`placement worker\`).\n`,
    );
  }
}
