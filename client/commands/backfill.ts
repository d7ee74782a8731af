/**
 * `placement start-backfill` and `placement backfill status|pause|resume|cancel`: the one-off,
 * resumable copy of the survey answers into the lake.
 */
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { loadSettings } from '../../config/settings.ts';
import { openLake } from '../../resources/lake.ts';
import { backfillProgress, type BackfillProgress } from '../../workflows/backfill-state.ts';
import {
  BACKFILL_SOURCE,
  backfillWorkflowId,
  followBackfill,
  readCheckpoint,
  runningBackfill,
  startBackfill,
} from '../backfill-run.ts';
import { CliError } from '../errors.ts';
import { parseInteger } from '../options.ts';
import { formatKeyValues } from '../output.ts';
import { connectTemporal, workflowUrl } from '../temporal.ts';

type StartOptions = { pageSize?: number; fromId?: number; resume?: boolean; restart?: boolean; wait?: boolean };

export const startBackfillCommand = new Command('start-backfill')
  .description('start the one-off backfill of the survey answers, or resume the stopped one')
  .option('--page-size <rows>', 'rows per Odoo request (default: BACKFILL_PAGE_SIZE or 5000)', parsePositive)
  .option('--from-id <id>', 'copy only rows with a greater id (default: 0, the whole table)', parseFromId)
  .option('--resume', 'continue the stopped backfill from its checkpoint, failed partitions included')
  .option('--restart', 'copy the whole table again although a backfill already completed')
  .option('--wait', 'draw a progress bar until the backfill finishes')
  .action(async (options: StartOptions) => {
    const settings = loadSettings();
    const temporal = await connectTemporal(settings, { startDevServer: false });
    try {
      const running = await runningBackfill(temporal.client, BACKFILL_SOURCE);
      if (running) {
        process.stdout.write(`A backfill is already running; not starting another.\n\n${formatProgress(running)}\n`);
        return;
      }

      const { input, resumed } = await startBackfill(temporal.client, settings, openLake(settings), options);
      const workflowId = backfillWorkflowId(BACKFILL_SOURCE);
      process.stdout.write(
        `${resumed ? 'Resumed' : 'Started'} backfill ${input.backfillId} of ${BACKFILL_SOURCE} ` +
          `(page size ${input.pageSize}): ${workflowUrl(settings, workflowId)}\n`,
      );
      if (!options.wait) {
        process.stdout.write('Follow it with `placement backfill status`.\n');
        return;
      }
      const final = await waitWithProgressBar(temporal.client);
      process.stdout.write(`\n${formatProgress(backfillProgress(final))}\n`);
      if (final.status !== 'completed') {
        throw new CliError(`the backfill ended ${final.status}`, {
          hint: 'fix the cause shown for the failed partitions, then run `placement start-backfill --resume`.',
        });
      }
    } finally {
      await temporal.close();
    }
  });

export const backfillCommand = new Command('backfill').description('act on the survey backfill');

backfillCommand
  .command('status')
  .description('print the progress of the running backfill, or of the last checkpoint')
  .option('--json', 'print the progress as JSON')
  .action(async (options: { json?: boolean }) => {
    const settings = loadSettings();
    const temporal = await connectTemporal(settings, { startDevServer: false });
    try {
      const running = await runningBackfill(temporal.client, BACKFILL_SOURCE);
      const checkpoint = running ? undefined : await readCheckpoint(openLake(settings), BACKFILL_SOURCE);
      const progress = running ?? (checkpoint ? backfillProgress(checkpoint) : undefined);
      if (!progress) {
        throw new CliError('no backfill has run yet', { hint: 'start one with `placement start-backfill`.' });
      }
      process.stdout.write(options.json ? `${JSON.stringify(progress, null, 2)}\n` : `${formatProgress(progress)}\n`);
    } finally {
      await temporal.close();
    }
  });

for (const [name, description, done] of [
  ['pause', 'stop reading new pages; pages in flight finish', 'Pause requested'],
  ['resume', 'continue a paused backfill', 'Resume requested'],
  ['cancel', 'stop the backfill, keeping its checkpoint for `start-backfill --resume`', 'Cancel requested'],
] as const) {
  backfillCommand
    .command(name)
    .description(description)
    .action(async () => {
      const settings = loadSettings();
      const temporal = await connectTemporal(settings, { startDevServer: false });
      try {
        if (!(await runningBackfill(temporal.client, BACKFILL_SOURCE))) {
          throw new CliError('no backfill is running', {
            hint: 'see `placement backfill status`; a stopped one continues with `placement start-backfill --resume`.',
          });
        }
        await temporal.client.workflow.getHandle(backfillWorkflowId(BACKFILL_SOURCE)).signal(name);
        process.stdout.write(`${done}; \`placement backfill status\` shows when it takes effect.\n`);
      } finally {
        await temporal.close();
      }
    });
}

async function waitWithProgressBar(client: import('@temporalio/client').Client) {
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {etaText}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    return await followBackfill(client, BACKFILL_SOURCE, (progress) => {
      const payload = { rate: progress.rowsPerSecond, etaText: formatSeconds(progress.etaSeconds) };
      const total = Math.max(progress.estimatedRows, progress.rowsDone);
      if (!started) {
        bar.start(total, progress.rowsDone, payload);
        started = true;
      }
      bar.setTotal(total);
      bar.update(progress.rowsDone, payload);
    });
  } finally {
    if (started) bar.stop();
  }
}

export function formatProgress(progress: BackfillProgress): string {
  const { partitions } = progress;
  const lines: [string, string | number][] = [
    ['backfill', `${progress.backfillId} (${progress.source})`],
    ['status', progress.status],
    ['progress', `${progress.percent}%`],
    ['rows', `${progress.rowsDone} of about ${progress.estimatedRows}`],
    ['pages', progress.pagesDone],
    ['highest id at start', progress.maxIdAtStart],
    ['rate', `${progress.rowsPerSecond} rows/s`],
    ['eta', formatSeconds(progress.etaSeconds)],
    [
      'partitions',
      `${partitions.done} done, ${partitions.running} running, ${partitions.pending} pending, ${partitions.failed} failed`,
    ],
  ];
  for (const failed of progress.failedPartitions) lines.push([`partition ${failed.index}`, `failed: ${failed.error ?? '?'}`]);
  return formatKeyValues(lines);
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function parseFromId(value: string): number {
  const id = parseInteger(value);
  if (id < 0) throw new InvalidArgumentError(`${id} is not an id; use 0 or a positive id.`);
  return id;
}

function parsePositive(value: string): number {
  const number = parseInteger(value);
  if (number <= 0) throw new InvalidArgumentError(`${number} is not a page size; use a number of rows above 0.`);
  return number;
}
