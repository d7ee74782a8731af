import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BACKFILL_SOURCE,
  backfillWorkflowId,
  followBackfill,
  readCheckpoint,
  startBackfill,
} from '../client/backfill-run.ts';
import { dailyWorkflowId } from '../client/daily-run.ts';
import { loadSettings, PROJECT_ROOT, type Settings } from '../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../demo-odoo/server.ts';
import type { Lake } from '../lake/lake.ts';
import { openResources, type Resources } from '../resources/index.ts';
import { openLake } from '../resources/lake.ts';
import { startFaultProxy } from '../test-support/fault-proxy.ts';
import { createPlacementWorker, type PlacementWorkers } from '../worker.ts';
import { backfillProgress, type BackfillProgress } from './backfill-state.ts';
import { dailyWorkflow, type DailyResult } from './daily.ts';

const address = inject('temporalAddress');
const SURVEY_LINE = 'survey.user_input.line';

type Harness = { settings: Settings; dataDir: string; env: Record<string, string> };

/** Settings for one test: its own data folder and task queue, small pages and partitions. */
function harness(odooUrl: string, overrides: Record<string, string> = {}): Harness {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-backfill-'));
  const env: Record<string, string> = {
    PLACEMENT_DATA_DIR: dataDir,
    ODOO_URL: odooUrl,
    ODOO_DB: 'demo',
    ODOO_USER: 'admin',
    ODOO_API_KEY: 'admin',
    ODOO_TRANSPORT: 'xmlrpc',
    ODOO_TIMEOUT_MS: '5000',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `backfill-test-${path.basename(dataDir)}`,
    BACKFILL_PAGE_SIZE: '500',
    BACKFILL_PARTITION_SIZE: '4000',
    BACKFILL_CONCURRENCY: '2',
    BACKFILL_PAGES_PER_RUN: '8',
    BACKFILL_HEARTBEAT_TIMEOUT_SECONDS: '3',
    ODOO_MAX_REQUESTS_PER_SECOND: '1000',
    PLACEMENT_LOG_LEVEL: 'warn',
    ...overrides,
  };
  return { settings: loadSettings(env), dataDir, env };
}

async function inProcessWorker(settings: Settings): Promise<{ workers: PlacementWorkers; resources: Resources; close(): Promise<void> }> {
  const resources = await openResources(settings);
  const connection = await NativeConnection.connect({ address });
  const workers = await createPlacementWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    resources,
  });
  return {
    workers,
    resources,
    close: async () => {
      await connection.close();
      await resources.close();
    },
  };
}

/** Reads every survey line id in the backfill's lake pages, in file order, duplicates kept. */
async function backfilledIds(lake: Lake, backfillId: string): Promise<number[]> {
  const ids: number[] = [];
  const keys = await lake.list(`raw/odoo/${BACKFILL_SOURCE}/backfill=${backfillId}/`);
  for (const key of keys.filter((candidate) => candidate.endsWith('.ndjson'))) {
    for await (const row of lake.readNdjson(key)) ids.push((row as { id: number }).id);
  }
  return ids;
}

async function sourceIds(odoo: DemoOdoo): Promise<number[]> {
  const rows = await odoo.store.query('select id from survey_user_input_line order by id');
  return rows.map((row) => Number(row[0]));
}

function expectExactCopy(copied: number[], source: number[]): void {
  const sorted = [...copied].sort((a, b) => a - b);
  expect(new Set(copied).size).toBe(copied.length);
  expect(sorted.length).toBe(source.length);
  expect(sorted).toEqual(source);
}

describe('survey backfill', () => {
  let odoo: DemoOdoo;
  let clientConnection: Connection;
  let client: Client;

  beforeAll(async () => {
    odoo = await startDemoOdoo({ port: 0, scale: 'small', seed: 3 });
    clientConnection = await Connection.connect({ address });
    client = new Client({ connection: clientConnection });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await odoo?.close();
  });

  describe('run to completion, then a daily increment', () => {
    let test: Harness;
    let worker: Awaited<ReturnType<typeof inProcessWorker>>;
    let backfillId: string;

    beforeAll(async () => {
      test = harness(odoo.url);
      worker = await inProcessWorker(test.settings);
      const started = await startBackfill(client, test.settings, worker.resources.lake, {});
      backfillId = started.input.backfillId;
      await worker.workers.runUntil(followBackfill(client, BACKFILL_SOURCE, () => undefined, 200));
    }, 180_000);

    afterAll(async () => {
      await worker?.close();
      await client.workflow.getHandle(backfillWorkflowId(BACKFILL_SOURCE)).terminate().catch(() => undefined);
    });

    it('copies every survey line exactly once across continue-as-new runs', async () => {
      expectExactCopy(await backfilledIds(worker.resources.lake, backfillId), await sourceIds(odoo));
    });

    it('records a completed checkpoint with the highest id at start', async () => {
      const checkpoint = await readCheckpoint(worker.resources.lake, BACKFILL_SOURCE);
      const ids = await sourceIds(odoo);
      expect(checkpoint?.status).toBe('completed');
      expect(checkpoint?.maxIdAtStart).toBe(ids[ids.length - 1]);
      expect(backfillProgress(checkpoint!).percent).toBe(100);
      expect(backfillProgress(checkpoint!).rowsDone).toBe(ids.length);
      await expect(startBackfill(client, test.settings, worker.resources.lake, {})).rejects.toMatchObject({
        hint: expect.stringContaining('--restart'),
      });
    });

    it('continues as new so each run keeps a short history', async () => {
      const runs: string[] = [];
      for await (const execution of client.workflow.list({
        query: `WorkflowId = '${backfillWorkflowId(BACKFILL_SOURCE)}'`,
      })) {
        runs.push(execution.runId);
      }
      // About 40 pages at 8 pages per run.
      expect(runs.length).toBeGreaterThanOrEqual(4);
    });

    it('picks up added, changed and deleted lines in the next daily run', async () => {
      // One call stamps one write_date on every row, as an Odoo transaction does. The text
      // answer lines nearest id 500 straddle the first page boundary of the backfill.
      const nearBoundary = (await odoo.store.query(
        "select id from survey_user_input_line where answer_type = 'char_box' order by abs(id - 500), id limit 4",
      )) as [number][];
      const changedIds = nearBoundary.map((row) => Number(row[0]));
      // Deleted in Odoo after the backfill: the next run's id snapshot must drop them.
      const deletedIds = ((await odoo.store.query(
        "select id from survey_user_input_line where answer_type = 'char_box' order by id desc limit 2",
      )) as [number][]).map((row) => Number(row[0]));
      await odoo.store.deleteRecords(SURVEY_LINE, deletedIds);
      await odoo.store.writeRecords(SURVEY_LINE, changedIds, { value_char_box: 'modifié après le backfill' });
      const template = (await odoo.store.query(
        'select user_input_id, question_id from survey_user_input_line where answer_type = ? limit 1',
        ['char_box'],
      )) as [number, number][];
      const [userInputId, questionId] = template[0];
      const newIds = await odoo.store.createRecords(
        SURVEY_LINE,
        [1, 2, 3].map((index) => ({
          user_input_id: Number(userInputId),
          question_id: Number(questionId),
          answer_type: 'char_box',
          value_char_box: `nouvelle réponse ${index}`,
        })),
      );

      // A worker runs once: the daily run gets a fresh one.
      await worker.close();
      worker = await inProcessWorker(test.settings);
      const runDate = '2026-12-06';
      const daily = await worker.workers.runUntil(
        client.workflow
          .execute(dailyWorkflow, {
            workflowId: `${dailyWorkflowId(runDate)}-${test.settings.temporal.taskQueue}`,
            taskQueue: test.settings.temporal.taskQueue,
            args: [{ runDate }],
          })
          .catch((error: WorkflowFailedError) => (error.cause as { details?: DailyResult[] }).details?.[0]),
      );
      // Data-quality findings on the demo data may fail other assets; the survey lines must not.
      const lines = daily?.assets.find((asset) => asset.asset === 'stg_odoo_survey_user_input_line');
      expect(lines?.status, JSON.stringify(daily?.assets.filter((asset) => asset.status !== 'succeeded'))).toBe('succeeded');

      const rows = await worker.resources.warehouse.query<{ ligne_reponse_id: number; valeur_texte: string | null }>(
        'select ligne_reponse_id, valeur_texte from stg_odoo_survey_user_input_line',
      );
      const ids = rows.map((row) => Number(row.ligne_reponse_id));
      expectExactCopy(ids, await sourceIds(odoo));
      const byId = new Map(rows.map((row) => [Number(row.ligne_reponse_id), row.valeur_texte]));
      for (const id of changedIds) expect(byId.get(id)).toBe('modifié après le backfill');
      for (const [index, id] of newIds.entries()) expect(byId.get(id)).toBe(`nouvelle réponse ${index + 1}`);
      for (const id of deletedIds) expect(byId.has(id)).toBe(false);
    });
  });

  describe('with worker processes killed during the run', () => {
    let test: Harness;
    const children = new Set<ChildProcess>();

    const startWorkerProcess = () => {
      const log = fs.openSync(path.join(test.dataDir, 'worker.log'), 'a');
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'client', 'cli.ts'), 'worker'], {
        env: { ...process.env, ...test.env },
        stdio: ['ignore', log, log],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    };

    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await client.workflow.getHandle(backfillWorkflowId(BACKFILL_SOURCE)).terminate().catch(() => undefined);
    });

    it('resumes after each kill and copies every line once', async () => {
      test = harness(odoo.url);
      // The worker processes own the warehouse file; the test only reads the lake.
      const lake = openLake(test.settings);
      {
        const started = await startBackfill(client, test.settings, lake, {});
        const finished = followBackfill(client, BACKFILL_SOURCE, () => undefined, 200);

        // Kill points chosen to land mid-page on this machine; fixed so a failure can be replayed.
        for (const delayMs of [6_000, 2_500, 4_000]) {
          const child = startWorkerProcess();
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          child.kill('SIGKILL');
          await new Promise((resolve) => child.once('exit', resolve));
        }
        startWorkerProcess();

        const state = await finished;
        expect(state.status).toBe('completed');
        expectExactCopy(await backfilledIds(lake, started.input.backfillId), await sourceIds(odoo));
      }
    }, 240_000);
  });

  describe('with Odoo faults injected', () => {
    it('still completes and copies every line once', async () => {
      const proxy = await startFaultProxy(
        odoo.url,
        [
          { every: 5, fault: 'http502' },
          { every: 7, fault: 'serializationFault' },
          { every: 11, fault: 'hang' },
        ],
        2_500,
      );
      const test = harness(proxy.url, { ODOO_TIMEOUT_MS: '1000' });
      const worker = await inProcessWorker(test.settings);
      try {
        const started = await startBackfill(client, test.settings, worker.resources.lake, {});
        const state = await worker.workers.runUntil(followBackfill(client, BACKFILL_SOURCE, () => undefined, 200));

        expect(state.status).toBe('completed');
        expect(proxy.injected()).toBeGreaterThan(5);
        expectExactCopy(await backfilledIds(worker.resources.lake, started.input.backfillId), await sourceIds(odoo));
      } finally {
        await worker.close();
        await proxy.close();
      }
    }, 240_000);
  });

  describe('with bad credentials', () => {
    it('fails at once with a non-retryable authentication error', async () => {
      const test = harness(odoo.url, { ODOO_API_KEY: 'wrong-key' });
      const worker = await inProcessWorker(test.settings);
      try {
        await startBackfill(client, test.settings, worker.resources.lake, {});
        const handle = client.workflow.getHandle(backfillWorkflowId(BACKFILL_SOURCE));
        const failure = await worker.workers.runUntil(handle.result().then(() => undefined, (error: unknown) => error));

        expect(failure).toBeInstanceOf(WorkflowFailedError);
        const activityFailure = (failure as WorkflowFailedError).cause as { cause?: { type?: string; message: string; nonRetryable?: boolean } };
        expect(activityFailure.cause?.type).toBe('OdooAuthenticationError');
        expect(activityFailure.cause?.nonRetryable).toBe(true);

        const history = await handle.fetchHistory();
        const attempts = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes);
        expect(attempts).toHaveLength(1);
      } finally {
        await worker.close();
      }
    }, 60_000);
  });

  describe('paused, cancelled, then resumed', () => {
    it('keeps its checkpoint and finishes from it', async () => {
      const test = harness(odoo.url, { BACKFILL_CONCURRENCY: '1', BACKFILL_PAGES_PER_RUN: '1000' });
      const worker = await inProcessWorker(test.settings);
      const handle = client.workflow.getHandle(backfillWorkflowId(BACKFILL_SOURCE));
      const progress = () => handle.query<BackfillProgress>('progress');
      const waitFor = async (predicate: (value: BackfillProgress) => boolean) => {
        for (;;) {
          const value = await progress().catch(() => undefined);
          if (value && predicate(value)) return value;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };

      const running = worker.workers.run();
      try {
        const started = await startBackfill(client, test.settings, worker.resources.lake, {});

        await waitFor((value) => value.pagesDone >= 2);
        await handle.signal('pause');
        const paused = await waitFor((value) => value.status === 'paused');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect((await progress()).pagesDone).toBe(paused.pagesDone);

        await handle.signal('resume');
        await waitFor((value) => value.status === 'running' && value.pagesDone > paused.pagesDone);
        await handle.signal('cancel');
        const cancelled = await handle.result();
        expect(cancelled.status).toBe('cancelled');
        expect((await readCheckpoint(worker.resources.lake, BACKFILL_SOURCE))?.status).toBe('cancelled');

        await expect(startBackfill(client, test.settings, worker.resources.lake, {})).rejects.toMatchObject({
          message: expect.stringContaining('stopped at'),
          hint: expect.stringContaining('--resume'),
        });
        const resumed = await startBackfill(client, test.settings, worker.resources.lake, { resume: true });
        expect(resumed.input.backfillId).toBe(started.input.backfillId);
        const final = await followBackfill(client, BACKFILL_SOURCE, () => undefined, 200);

        expect(final.status).toBe('completed');
        expectExactCopy(await backfilledIds(worker.resources.lake, started.input.backfillId), await sourceIds(odoo));
      } finally {
        worker.workers.shutdown();
        await running;
        await worker.close();
      }
    }, 120_000);
  });
});
