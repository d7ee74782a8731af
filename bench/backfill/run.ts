/**
 * Backfill benchmark: reads every `survey.user_input.line` of a demo Odoo three ways and compares
 * throughput, memory and the time per page at the start and at the end of the table:
 *
 * - the real backfill (Temporal workflow, Odoo activities, lake files) on an in-process worker;
 * - the connector's keyset page loop alone, which shows what the workflow adds;
 * - OFFSET paging (`search_read` with `offset`, `order: 'id asc'`) over the same connector and
 *   page size. On a large table only the first `--max-offset-pages` pages and a few pages at the
 *   middle and at the end are read. The whole-table time is then extrapolated and labelled so.
 *
 * The demo Odoo and the Temporal dev server run in child processes, and each phase runs in its
 * own process, so the CPU and peak memory reported are the reader's alone.
 *
 *   node bench/backfill/run.ts --scale medium [--page-size 5000] [--transport jsonrpc] [--max-offset-pages 100]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevServer, type DevServer } from '../../client/temporal-dev-server.ts';
import { edgeSummary, fitLine, median, processCpuSeconds, type PageTiming } from './measure.ts';
import type { PhaseConfig, PhaseName, PhaseResult } from './phases.ts';

const PHASES: PhaseName[] = ['keyset-connector', 'offset-connector', 'keyset-workflow'];
const TRANSPORTS = ['xmlrpc', 'jsonrpc', 'json2'] as const;
const MB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'medium' },
    'page-size': { type: 'string', default: '5000' },
    transport: { type: 'string', default: 'jsonrpc' },
    'max-offset-pages': { type: 'string', default: '100' },
    'sample-pages': { type: 'string', default: '10' },
    phases: { type: 'string', default: PHASES.join(',') },
    concurrency: { type: 'string' },
    'partition-size': { type: 'string' },
    'max-requests-per-second': { type: 'string' },
    'data-dir': { type: 'string', default: path.join(os.homedir(), '.cache', 'placement-bench') },
  },
});

function positiveInteger(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  }
  return number;
}

const scale = args.scale;
if (!['small', 'medium', 'large'].includes(scale)) {
  throw new Error(`--scale must be small, medium or large, got "${scale}"`);
}
const transport = args.transport as PhaseConfig['transport'];
if (!TRANSPORTS.includes(transport)) {
  throw new Error(`--transport must be one of ${TRANSPORTS.join(', ')}, got "${transport}"`);
}
const pageSize = positiveInteger('page-size', args['page-size']);
const maxOffsetPages = positiveInteger('max-offset-pages', args['max-offset-pages']);
const samplePages = positiveInteger('sample-pages', args['sample-pages']);
const phases = args.phases.split(',') as PhaseName[];
const unknownPhase = phases.find((phase) => !PHASES.includes(phase));
if (unknownPhase) throw new Error(`--phases lists "${unknownPhase}"; use any of ${PHASES.join(', ')}`);

// Only the variables given are set: the workflow otherwise runs with the production defaults.
const backfillEnv: Record<string, string> = {};
if (args.concurrency) backfillEnv.BACKFILL_CONCURRENCY = String(positiveInteger('concurrency', args.concurrency));
if (args['partition-size']) {
  backfillEnv.BACKFILL_PARTITION_SIZE = String(positiveInteger('partition-size', args['partition-size']));
}
if (args['max-requests-per-second']) backfillEnv.ODOO_MAX_REQUESTS_PER_SECOND = args['max-requests-per-second'];

const dataDir = path.resolve(args['data-dir']);

type DemoProcess = { url: string; lines: number; pid: number; stop(): Promise<void> };

/** Starts the demo Odoo in a child process. Its generated store is cached in the bench data folder. */
async function startDemo(): Promise<DemoProcess> {
  const storePath = path.join(dataDir, `demo-odoo-${scale}.duckdb`);
  const script = path.join(import.meta.dirname, '..', 'odoo-transports', 'serve-demo.ts');
  const child = spawn(process.execPath, [script, scale, storePath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline !== -1) resolve(buffered.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`the demo Odoo exited with code ${code} before serving`)));
  });
  const demo = JSON.parse(firstLine) as { url: string; lines: number };
  return { url: demo.url, lines: demo.lines, pid: child.pid!, stop: () => stopChild(child, exited) };
}

/** Closes the demo Odoo's stdin, which makes it close its store and exit, and kills it if still running after 30 s. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type PhaseRun = { result: PhaseResult; odooCpuSeconds: number; temporalCpuSeconds: number };

/** Runs one phase in a fresh Node process and reads its result, with the servers' CPU time over it. */
async function runPhaseProcess(config: PhaseConfig, demoPid: number, temporalPid?: number): Promise<PhaseRun> {
  const resultFile = path.join(config.workDir, `${config.phase}.json`);
  const odooBefore = processCpuSeconds(demoPid);
  const temporalBefore = processCpuSeconds(temporalPid);
  const script = path.join(import.meta.dirname, 'phase-process.ts');
  const child = spawn(process.execPath, [script, JSON.stringify(config), resultFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`phase ${config.phase} exited with code ${code}`);
  return {
    result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as PhaseResult,
    odooCpuSeconds: processCpuSeconds(demoPid) - odooBefore,
    temporalCpuSeconds: processCpuSeconds(temporalPid) - temporalBefore,
  };
}

/**
 * Estimates the whole-table OFFSET time: the sequential pages as measured, and every other page
 * from a line fitted on page time against offset.
 */
function extrapolateOffset(result: PhaseResult) {
  const details = result.offset!;
  const fullPages = (timings: PageTiming[]) => timings.filter((timing) => timing.rows === pageSize);
  const fitted = [...fullPages(result.timings), ...fullPages(details.end)];
  const line = fitLine(fitted);
  let seconds = result.wallSeconds;
  for (let index = details.sequentialPages; index < details.totalPages; index++) {
    seconds += Math.max(0, line.intercept + line.slope * index * pageSize) / 1000;
  }
  const middleOffset = median(details.middle.map((timing) => timing.position));
  return {
    seconds,
    rowsPerSecond: details.rowCount / seconds,
    line,
    middleMeasuredMs: median(details.middle.map((timing) => timing.ms)),
    middlePredictedMs: line.intercept + line.slope * middleOffset,
    middleOffset,
  };
}

function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index].length)));
  const pad = (cell: string, index: number) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const dashes = widths.map((width, index) => (index === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`));
  const rule = `| ${dashes.join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '');
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '');
const megabytes = (bytes: number) => (bytes > 0 ? (bytes / MB).toFixed(0) : '');

type RunContext = { demo: DemoProcess; commandLine: string; startedAt: Date; loads: string[] };

function report(runs: Map<PhaseName, PhaseRun>, { demo, commandLine, startedAt, loads }: RunContext): string {
  const keyset = runs.get('keyset-connector')?.result;
  const baseRate = keyset ? keyset.rows / keyset.wallSeconds : Number.NaN;
  const headers = [
    'method',
    'rows',
    'pages',
    'wall s',
    'rows/s',
    'vs keyset loop',
    'client CPU s',
    'Odoo CPU s',
    'Temporal CPU s',
    'RSS before MB',
    'peak RSS MB',
    'VmHWM MB',
    `first ${samplePages} pages ms`,
    'last pages ms',
    'last / first',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];

  // `overrides` turns the row into an estimate: whole-table wall time and rows, no measured resources.
  const add = (label: string, run: PhaseRun, timings: PageTiming[], overrides: { wall?: number; rows?: number } = {}) => {
    const { result } = run;
    const wall = overrides.wall ?? result.wallSeconds;
    const rowCount = overrides.rows ?? result.rows;
    const edges = edgeSummary(timings, pageSize, samplePages);
    rows.push([
      label,
      integer(rowCount),
      integer(overrides.rows ? Math.ceil(rowCount / pageSize) : result.pages),
      fixed(wall),
      integer(rowCount / wall),
      `${fixed(rowCount / wall / baseRate, 2)}×`,
      overrides.wall ? '' : fixed(result.clientCpuSeconds),
      overrides.wall ? '' : fixed(run.odooCpuSeconds),
      overrides.wall || result.phase !== 'keyset-workflow' ? '' : fixed(run.temporalCpuSeconds),
      overrides.wall ? '' : megabytes(result.memory.baselineBytes),
      overrides.wall ? '' : megabytes(result.memory.peakBytes),
      overrides.wall ? '' : megabytes(result.memory.highWaterMarkBytes),
      edges ? fixed(edges.startMedianMs, 0) : '',
      edges ? fixed(edges.endMedianMs, 0) : '',
      edges ? `${fixed(edges.endMedianMs / edges.startMedianMs, 2)}×` : '',
    ]);
  };

  const workflow = runs.get('keyset-workflow');
  if (workflow) add('backfill workflow (keyset)', workflow, workflow.result.timings);
  if (keyset) add('keyset loop, connector only', runs.get('keyset-connector')!, keyset.timings);
  const offset = runs.get('offset-connector');
  if (offset) {
    const details = offset.result.offset!;
    if (details.complete) {
      add('OFFSET loop, connector only', offset, offset.result.timings);
    } else {
      add(`OFFSET loop, first ${details.sequentialPages} pages (measured)`, offset, offset.result.timings);
      const estimate = extrapolateOffset(offset.result);
      add('OFFSET loop, whole table (extrapolated)', offset, [...offset.result.timings, ...details.end], {
        wall: estimate.seconds,
        rows: details.rowCount,
      });
      notes.push(
        `OFFSET: ${details.sequentialPages} of ${details.totalPages} pages read in sequence (measured), then ` +
          `${details.middle.length} pages at mid-table and ${details.end.length} full pages ending at offset ` +
          `${integer(details.end.at(-1)?.position ?? 0)} (measured, each read once, outside the wall time).`,
        `OFFSET whole table (extrapolated): the measured ${details.sequentialPages} pages plus, for every other page, ` +
          `a least-squares line of page time against offset through the measured full pages ` +
          `(${fixed(estimate.line.intercept, 0)} ms + ${fixed(estimate.line.slope * 1e6, 1)} ms ` +
          `per million rows of offset). Check at mid-table (offset ${integer(estimate.middleOffset)}): ` +
          `measured ${fixed(estimate.middleMeasuredMs, 0)} ms, the line gives ${fixed(estimate.middlePredictedMs, 0)} ms. ` +
          `Its "last pages" column is the measured end sample.`,
      );
    }
  }

  if (workflow?.result.workflow) {
    const details = workflow.result.workflow;
    const { settings } = details;
    notes.push(
      `Backfill settings: page size ${pageSize}, partitions of ${integer(settings.partitionSize)} ids, ` +
        `${settings.concurrency} partitions at a time, continue-as-new every ${settings.pagesPerRun} pages, ` +
        `Odoo queue capped at ${settings.maxRequestsPerSecond} activity starts/s ` +
        `and ${settings.maxConcurrentRequests} at a time per worker.`,
      `Backfill: worker start (workflow bundle) ${fixed(details.workerStartSeconds)} s before the wall time; ` +
        `${fixed(details.lakeBytes / MB, 0)} MB of NDJSON written, lake write per page median ` +
        `${fixed(median(details.lakeWriteMs), 0)} ms; workflow active time ${fixed(details.activeSeconds)} s. ` +
        `Its page times are the keysetPage calls alone, with ${settings.concurrency} lanes reading at once.`,
    );
  }

  const header = [
    `Backfill benchmark, ${startedAt.toISOString()}`,
    `command: ${commandLine}`,
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ` +
      `load average ${loads.join(' → ')}`,
    `demo Odoo scale ${scale}: ${integer(demo.lines)} survey answer lines; transport ${transport}; page size ${pageSize}`,
  ];
  const legend =
    `Peak RSS is sampled every 100 ms during the wall time; VmHWM is the kernel's peak for the whole phase process. ` +
    `"first/last pages ms" are medians over the first and the last ${samplePages} full pages in id order.`;
  return [...header, '', formatTable(headers, rows), '', legend, ...notes.map((note) => `- ${note}`)].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loads = [os.loadavg()[0].toFixed(2)];
  const commandLine = `node bench/backfill/run.ts ${process.argv.slice(2).join(' ')}`.trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(dataDir, `run-${scale}-`));

  let demo: DemoProcess | undefined;
  let temporal: DevServer | undefined;
  try {
    process.stderr.write(`Starting the demo Odoo (scale ${scale}); the first run generates its data into ${dataDir}…\n`);
    demo = await startDemo();
    if (phases.includes('keyset-workflow')) {
      temporal = await ensureDevServer({
        port: await freePort(),
        namespace: 'default',
        logFile: path.join(workDir, 'temporal.log'),
        startupTimeoutMs: 120_000,
      });
    }

    const runs = new Map<PhaseName, PhaseRun>();
    const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const resultsFile = path.join(dataDir, `results-${scale}-${stamp}.json`);
    // Rewritten after each phase, so an interrupted run keeps the phases that finished.
    const saveResults = () =>
      fs.writeFileSync(
        resultsFile,
        JSON.stringify({ commandLine, startedAt, scale, transport, pageSize, runs: Object.fromEntries(runs) }),
      );
    for (const phase of phases) {
      process.stderr.write(`Phase ${phase}…\n`);
      const config: PhaseConfig = {
        phase,
        odooUrl: demo.url,
        transport,
        pageSize,
        samplePages,
        maxOffsetPages,
        workDir,
        temporalAddress: temporal?.address,
        backfillEnv,
      };
      const run = await runPhaseProcess(config, demo.pid, temporal?.pid);
      runs.set(phase, run);
      saveResults();
      process.stderr.write(`  ${run.result.rows} rows in ${run.result.wallSeconds.toFixed(1)} s\n`);
    }

    loads.push(os.loadavg()[0].toFixed(2));
    const text = report(runs, { demo, commandLine, startedAt, loads });
    process.stdout.write(`${text}\n`);
    process.stderr.write(`Raw timings: ${resultsFile}\n`);
  } finally {
    await temporal?.stop();
    await demo?.stop();
    // The lake pages of a large run take gigabytes, and only the demo store is worth keeping.
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
