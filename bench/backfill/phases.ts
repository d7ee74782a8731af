/**
 * The three ways the benchmark reads the survey answer lines, each run alone in a fresh process
 * so its memory and CPU are its own:
 *
 * - `keyset-connector`: the connector's keyset page loop, no Temporal;
 * - `offset-connector`: the same connector and page size with `search_read` OFFSET paging;
 * - `keyset-workflow`: the real backfill (workflow, Odoo activities, lake files) on an in-process
 *   worker, with the Odoo client and the lake wrapped here to time each page.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { findSource, type SourceDefinition } from '../../assets/sources.ts';
import { BACKFILL_SOURCE, followBackfill, startBackfill } from '../../client/backfill-run.ts';
import { loadOdooMapping } from '../../config/odoo-mapping.ts';
import { loadSettings, type Settings } from '../../config/settings.ts';
import type { Lake } from '../../lake/lake.ts';
import { createOdooClient, type OdooClient } from '../../odoo/index.ts';
import { openResources, type Resources } from '../../resources/index.ts';
import { backfillProgress } from '../../workflows/backfill-state.ts';
import { createPlacementWorker } from '../../worker.ts';
import { cpuSecondsSince, sampleResidentMemory, type PageTiming } from './measure.ts';

export type PhaseName = 'keyset-connector' | 'offset-connector' | 'keyset-workflow';

export type PhaseConfig = {
  phase: PhaseName;
  odooUrl: string;
  transport: 'xmlrpc' | 'jsonrpc' | 'json2';
  pageSize: number;
  /** Full pages in each start-of-table and end-of-table sample. */
  samplePages: number;
  /** OFFSET pages read one after the other from offset 0. The rest of the table is sampled. */
  maxOffsetPages: number;
  /** Folder for the workflow phase's lake and warehouse, deleted by the caller. */
  workDir: string;
  temporalAddress?: string;
  /** BACKFILL_* and ODOO_MAX_* variables for the workflow phase (production defaults when absent). */
  backfillEnv: Record<string, string>;
};

export type MemoryResult = ReturnType<ReturnType<typeof sampleResidentMemory>['stop']>;

export type PhaseResult = {
  phase: PhaseName;
  rows: number;
  pages: number;
  wallSeconds: number;
  clientCpuSeconds: number;
  memory: MemoryResult;
  /** Every timed page, in table order. */
  timings: PageTiming[];
  offset?: OffsetDetails;
  workflow?: WorkflowDetails;
};

export type OffsetDetails = {
  rowCount: number;
  totalPages: number;
  /** True when every page was read, so nothing is extrapolated. */
  complete: boolean;
  /** Pages read one after the other from offset 0. */
  sequentialPages: number;
  middle: PageTiming[];
  end: PageTiming[];
};

export type WorkflowDetails = {
  workerStartSeconds: number;
  lakeWriteMs: number[];
  lakeBytes: number;
  activeSeconds: number;
  settings: Settings['backfill'] & { maxRequestsPerSecond: number; maxConcurrentRequests: number };
};

/** Settings as production builds them, pointed at the demo Odoo and at the phase's own folder. */
export function benchSettings(config: PhaseConfig): Settings {
  return loadSettings({
    PLACEMENT_DATA_DIR: config.workDir,
    PLACEMENT_LOG_LEVEL: 'warn',
    ODOO_URL: config.odooUrl,
    ODOO_DB: 'demo',
    ODOO_USER: 'admin',
    ODOO_API_KEY: 'admin',
    ODOO_TRANSPORT: config.transport,
    // Deep OFFSET pages on the large table take far longer than the production default allows.
    ODOO_TIMEOUT_MS: '900000',
    BACKFILL_PAGE_SIZE: String(config.pageSize),
    ...(config.temporalAddress ? { TEMPORAL_ADDRESS: config.temporalAddress } : {}),
    TEMPORAL_TASK_QUEUE: `bench-backfill-${process.pid}`,
    ...config.backfillEnv,
  });
}

function surveyLines(settings: Settings): SourceDefinition {
  return findSource(loadOdooMapping(settings.odoo.mappingFile), BACKFILL_SOURCE);
}

export async function runPhase(config: PhaseConfig): Promise<PhaseResult> {
  if (config.phase === 'keyset-connector') return keysetConnector(config);
  if (config.phase === 'offset-connector') return offsetConnector(config);
  return keysetWorkflow(config);
}

/** Highest id and row count, as the backfill plans them. */
async function tableExtent(odoo: OdooClient, source: SourceDefinition): Promise<{ maxId: number; rowCount: number }> {
  const [maxId = 0] = await odoo.search(source.model, source.domain, {
    order: 'id desc',
    limit: 1,
    context: source.context,
  });
  const rowCount = await odoo.searchCount(source.model, source.domain, source.context);
  return { maxId, rowCount };
}

async function keysetConnector(config: PhaseConfig): Promise<PhaseResult> {
  const settings = benchSettings(config);
  const source = surveyLines(settings);
  const odoo = await createOdooClient(settings.odoo);
  const { maxId, rowCount } = await tableExtent(odoo, source);

  const memory = sampleResidentMemory();
  const timings: PageTiming[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  memory.start();
  let rows = 0;
  // Same request as a backfill page: the workflow adds its partition's upper id bound.
  for (let afterId = 0; ; ) {
    const pageStart = performance.now();
    const page = await odoo.keysetPage({
      model: source.model,
      domain: [...source.domain, ['id', '<=', maxId]],
      fields: source.fields,
      pageSize: config.pageSize,
      afterId,
      context: source.context,
    });
    timings.push({ position: rows, afterId, rows: page.length, ms: performance.now() - pageStart });
    rows += page.length;
    if (page.length < config.pageSize) break;
    afterId = page[page.length - 1].id;
  }
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const clientCpuSeconds = cpuSecondsSince(cpuBefore);

  if (rows !== rowCount) throw new Error(`keyset loop read ${rows} rows, but search_count returned ${rowCount}`);
  const pages = timings.length;
  return { phase: config.phase, rows, pages, wallSeconds, clientCpuSeconds, memory: memory.stop(), timings };
}

/**
 * Reads by OFFSET paging: `search_read` with `offset`, `limit` and `order: 'id asc'`. The first
 * `maxOffsetPages` pages are read in sequence. When that is not the whole table, a few pages at the
 * middle and at the very end are also read, so the caller can extrapolate the whole-table time.
 */
async function offsetConnector(config: PhaseConfig): Promise<PhaseResult> {
  const settings = benchSettings(config);
  const source = surveyLines(settings);
  const odoo = await createOdooClient(settings.odoo);
  const { rowCount } = await tableExtent(odoo, source);
  const totalPages = Math.ceil(rowCount / config.pageSize);
  const sequentialPages = Math.min(totalPages, config.maxOffsetPages);
  const complete = sequentialPages === totalPages;

  let previousLastId = 0;
  const readPage = async (offset: number, checkOrder: boolean): Promise<PageTiming> => {
    const pageStart = performance.now();
    const page = await odoo.searchRead(source.model, source.domain, {
      fields: source.fields,
      order: 'id asc',
      limit: config.pageSize,
      offset,
      context: source.context,
    });
    const ms = performance.now() - pageStart;
    if (checkOrder && page.length > 0) {
      if (page[0].id <= previousLastId) {
        throw new Error(`OFFSET page at ${offset} overlaps the previous page (id ${page[0].id})`);
      }
      previousLastId = page[page.length - 1].id;
    }
    return { position: offset, rows: page.length, ms };
  };

  const memory = sampleResidentMemory();
  const timings: PageTiming[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  memory.start();
  let rows = 0;
  for (let index = 0; index < sequentialPages; index++) {
    const timing = await readPage(index * config.pageSize, true);
    timings.push(timing);
    rows += timing.rows;
  }
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const clientCpuSeconds = cpuSecondsSince(cpuBefore);

  // Sample pages, outside the sequential scan's wall time: the last full pages, and three at mid-table.
  const middle: PageTiming[] = [];
  const end: PageTiming[] = [];
  if (!complete) {
    const lastFullPage = Math.floor(rowCount / config.pageSize) - 1;
    const middlePage = Math.floor(totalPages / 2);
    for (let index = middlePage - 1; index <= middlePage + 1; index++) {
      middle.push(await readPage(index * config.pageSize, false));
    }
    const firstEndPage = Math.max(sequentialPages, lastFullPage - config.samplePages + 1);
    for (let index = firstEndPage; index <= lastFullPage; index++) {
      end.push(await readPage(index * config.pageSize, false));
    }
  } else if (rows !== rowCount) {
    throw new Error(`OFFSET scan read ${rows} rows, but search_count returned ${rowCount}`);
  }

  return {
    phase: config.phase,
    rows,
    pages: timings.length,
    wallSeconds,
    clientCpuSeconds,
    memory: memory.stop(),
    timings,
    offset: { rowCount, totalPages, complete, sequentialPages, middle, end },
  };
}

type TimedPage = { afterId: number; rows: number; ms: number };

/** Wraps the resources so that keysetPage calls and lake page writes are timed, leaving production code unchanged. */
type TimedWrite = { ms: number; bytes: number };

function timedResources(resources: Resources, pages: TimedPage[], lakeWrites: TimedWrite[]): Resources {
  let timedClient: Promise<OdooClient> | undefined;
  const odoo = () => {
    timedClient ??= resources.odoo().then((client) => {
      const timed = Object.create(client) as OdooClient;
      timed.keysetPage = async (request) => {
        const pageStart = performance.now();
        const page = await client.keysetPage(request);
        pages.push({ afterId: request.afterId, rows: page.length, ms: performance.now() - pageStart });
        return page;
      };
      return timed;
    });
    return timedClient;
  };

  const lake = Object.create(resources.lake) as Lake;
  lake.writeNdjson = async (key, rows) => {
    const writeStart = performance.now();
    const written = await resources.lake.writeNdjson(key, rows);
    if (key.endsWith('.ndjson')) lakeWrites.push({ ms: performance.now() - writeStart, bytes: written.bytes });
    return written;
  };
  return { ...resources, odoo, lake };
}

async function keysetWorkflow(config: PhaseConfig): Promise<PhaseResult> {
  if (!config.temporalAddress) throw new Error('the keyset-workflow phase needs a Temporal address');
  const settings = benchSettings(config);
  const pages: TimedPage[] = [];
  const lakeWrites: TimedWrite[] = [];

  const workerStart = performance.now();
  const opened = await openResources(settings);
  const resources = timedResources(opened, pages, lakeWrites);
  const nativeConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const workers = await createPlacementWorker({
    connection: nativeConnection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    resources,
  });
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: settings.temporal.namespace });
  const workerStartSeconds = (performance.now() - workerStart) / 1000;

  try {
    const memory = sampleResidentMemory();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    memory.start();
    await startBackfill(client, settings, resources.lake, { pageSize: config.pageSize });
    const state = await workers.runUntil(
      followBackfill(client, BACKFILL_SOURCE, (progress) => {
        process.stderr.write(`\r  workflow: ${progress.rowsDone} rows, ${progress.percent}%   `);
      }),
    );
    process.stderr.write('\n');
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const clientCpuSeconds = cpuSecondsSince(cpuBefore);
    const memoryResult = memory.stop();

    const progress = backfillProgress(state);
    if (state.status !== 'completed') throw new Error(`the backfill ended ${state.status}`);
    if (progress.rowsDone !== state.estimatedRows) {
      const expected = state.estimatedRows;
      throw new Error(`the backfill copied ${progress.rowsDone} rows, but search_count returned ${expected} at the start`);
    }

    // Keyset cursors are ids, so a page's rank in the table is the count of rows in the pages before it.
    const sorted = [...pages].sort((a, b) => a.afterId - b.afterId);
    let position = 0;
    const timings = sorted.map((page) => {
      const timing = { position, afterId: page.afterId, rows: page.rows, ms: page.ms };
      position += page.rows;
      return timing;
    });

    return {
      phase: config.phase,
      rows: progress.rowsDone,
      pages: progress.pagesDone,
      wallSeconds,
      clientCpuSeconds,
      memory: memoryResult,
      timings,
      workflow: {
        workerStartSeconds,
        lakeWriteMs: lakeWrites.map((write) => write.ms),
        lakeBytes: lakeWrites.reduce((total, write) => total + write.bytes, 0),
        activeSeconds: state.activeMs / 1000,
        settings: {
          ...settings.backfill,
          maxRequestsPerSecond: settings.odoo.maxRequestsPerSecond,
          maxConcurrentRequests: settings.odoo.maxConcurrentRequests,
        },
      },
    };
  } finally {
    await connection.close();
    await nativeConnection.close();
    await opened.close();
  }
}

