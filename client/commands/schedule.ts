/**
 * `placement schedule create|describe|pause|unpause|trigger|delete`: the Temporal Schedule that
 * starts the daily run every morning.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { dailyWorkflow } from '../../workflows/daily.ts';
import { CliError } from '../errors.ts';
import { formatKeyValues } from '../output.ts';
import { connectTemporal } from '../temporal.ts';

export const SCHEDULE_ID = 'placement-daily';

export type DailyScheduleOptions = {
  /** Local time of day, `HH:MM`. */
  time: string;
  timezone: string;
  /** How late a run missed during an outage may still start, in hours. */
  catchupHours: number;
};

/**
 * Creates the schedule, or updates it when it exists. A run still going when the next is due
 * makes Temporal skip the new one, and a run missed while the server was down still starts if
 * the server is back within the catch-up window.
 */
export async function upsertDailySchedule(client: Client, settings: Settings, options: DailyScheduleOptions) {
  const [hour, minute] = options.time.split(':').map(Number);
  const spec = { calendars: [{ hour, minute, comment: `daily placement run at ${options.time}` }], timezone: options.timezone };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${options.catchupHours} hours` };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: dailyWorkflow,
    // Temporal appends the scheduled time, so each run gets its own id.
    workflowId: 'daily-scheduled',
    taskQueue: settings.temporal.taskQueue,
    args: [{ timezone: options.timezone }] as Parameters<typeof dailyWorkflow>,
  };

  try {
    await client.schedule.create({ scheduleId: SCHEDULE_ID, spec, action, policies });
    return 'created' as const;
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(SCHEDULE_ID).update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated' as const;
  }
}

function parseTime(value: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`"${value}" is not a time of day; write it as HH:MM, for example 06:00.`);
  return value;
}

function parseTimezone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: value });
    return value;
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an IANA time zone; use a name such as Europe/Paris.`);
  }
}

function parseHours(value: string): number {
  const hours = Number(value);
  if (!Number.isInteger(hours) || hours < 1) {
    throw new InvalidArgumentError(`"${value}" is not a number of hours; use a whole number of 1 or more.`);
  }
  return hours;
}

/** Runs `action` with a Temporal client, turning a missing schedule into a clear error. */
async function withSchedule(action: (client: Client, settings: Settings) => Promise<void>): Promise<void> {
  const settings = loadSettings();
  const temporal = await connectTemporal(settings, { startDevServer: false });
  try {
    await action(temporal.client, settings);
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      throw new CliError(`the schedule ${SCHEDULE_ID} does not exist`, {
        hint: 'create it with `placement schedule create`.',
        cause: error,
      });
    }
    throw error;
  } finally {
    await temporal.close();
  }
}

/** First value of a described calendar field (a list of ranges), as two digits. */
function firstValue(ranges: { start: number }[] | undefined): string {
  return String(ranges?.[0]?.start ?? 0).padStart(2, '0');
}

export const scheduleCommand = new Command('schedule').description('manage the Temporal Schedule of the daily run');

scheduleCommand
  .command('create')
  .description('create the daily schedule, or update it when it exists')
  .option('--time <HH:MM>', 'local time of the daily run', parseTime, '06:00')
  .option('--timezone <zone>', 'IANA time zone of --time (default: PLACEMENT_TIMEZONE)', parseTimezone)
  .option('--catchup-hours <hours>', 'how late a run missed during an outage may still start', parseHours, 12)
  .action((options: { time: string; timezone?: string; catchupHours: number }) =>
    withSchedule(async (client, settings) => {
      const timezone = options.timezone ?? settings.timezone;
      const outcome = await upsertDailySchedule(client, settings, { ...options, timezone });
      process.stdout.write(`Schedule ${SCHEDULE_ID} ${outcome}: every day at ${options.time} ${timezone}.\n`);
    }),
  );

scheduleCommand
  .command('describe')
  .description('print the schedule, its next runs and its recent runs')
  .option('--json', 'print the description as JSON')
  .action((options: { json?: boolean }) =>
    withSchedule(async (client) => {
      const description = await client.schedule.getHandle(SCHEDULE_ID).describe();
      const calendar = description.spec.calendars?.[0];
      const summary = {
        scheduleId: SCHEDULE_ID,
        paused: description.state.paused,
        note: description.state.note ?? null,
        time: calendar ? `${firstValue(calendar.hour)}:${firstValue(calendar.minute)}` : null,
        timezone: description.spec.timezone ?? 'UTC',
        overlap: description.policies.overlap,
        catchupWindowMs: description.policies.catchupWindow,
        nextRuns: description.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString()),
        recentRuns: description.info.recentActions.map((run) => ({
          scheduledAt: run.scheduledAt.toISOString(),
          workflowId: run.action.workflow.workflowId,
        })),
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${formatKeyValues([
          ['schedule', summary.scheduleId],
          ['state', summary.paused ? `paused${summary.note ? ` (${summary.note})` : ''}` : 'active'],
          ['every day at', `${summary.time} ${summary.timezone}`],
          ['while a run is going', 'skip the next'],
          ['catch-up window', `${Math.round(summary.catchupWindowMs / 3_600_000)} h`],
          ['next runs', summary.nextRuns.join(', ') || '-'],
          ['recent runs', summary.recentRuns.map((run) => run.workflowId).join(', ') || '-'],
        ])}\n`,
      );
    }),
  );

scheduleCommand
  .command('pause')
  .description('stop starting daily runs until unpaused')
  .option('--note <text>', 'why, shown by describe and in the Temporal Web UI')
  .action((options: { note?: string }) =>
    withSchedule(async (client) => {
      await client.schedule.getHandle(SCHEDULE_ID).pause(options.note ?? 'paused with placement schedule pause');
      process.stdout.write(`Schedule ${SCHEDULE_ID} paused.\n`);
    }),
  );

scheduleCommand
  .command('unpause')
  .description('start daily runs again')
  .action(() =>
    withSchedule(async (client) => {
      await client.schedule.getHandle(SCHEDULE_ID).unpause('unpaused with placement schedule unpause');
      process.stdout.write(`Schedule ${SCHEDULE_ID} unpaused.\n`);
    }),
  );

scheduleCommand
  .command('trigger')
  .description('start a daily run now (skipped if one is still going)')
  .action(() =>
    withSchedule(async (client) => {
      await client.schedule.getHandle(SCHEDULE_ID).trigger();
      process.stdout.write(`Schedule ${SCHEDULE_ID} triggered; \`placement schedule describe\` lists the run.\n`);
    }),
  );

scheduleCommand
  .command('delete')
  .description('delete the schedule (runs already started go on)')
  .action(() =>
    withSchedule(async (client) => {
      await client.schedule.getHandle(SCHEDULE_ID).delete();
      process.stdout.write(`Schedule ${SCHEDULE_ID} deleted.\n`);
    }),
  );
