import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dailyWorkflowId, startDailyRun } from '../client/daily-run.ts';
import { CliError } from '../client/errors.ts';
import { loadSettings, PROJECT_ROOT, type Settings } from '../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../demo-odoo/server.ts';
import { openResources, type Resources } from '../resources/index.ts';
import { createPlacementWorker, type PlacementWorkers } from '../worker.ts';
import { dailyWorkflow, type DailyResult } from './daily.ts';

const address = inject('temporalAddress');

type Harness = {
  settings: Settings;
  resources: Resources;
  worker: PlacementWorkers;
  connection: NativeConnection;
  dataDir: string;
};

async function startHarness(odoo: DemoOdoo, client: Client, overrides: Record<string, string> = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-daily-'));
  const settings = loadSettings({
    PLACEMENT_DATA_DIR: dataDir,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USER: odoo.user,
    ODOO_API_KEY: odoo.password,
    ODOO_PAGE_SIZE: '50',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `daily-test-${path.basename(dataDir)}`,
    ...overrides,
  });
  const resources = await openResources(settings);
  const connection = await NativeConnection.connect({ address });
  const worker = await createPlacementWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    resources,
  });
  return { settings, resources, worker, connection, dataDir };
}

async function stopHarness(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  await harness.connection.close();
  await harness.resources.close();
  fs.rmSync(harness.dataDir, { recursive: true, force: true });
}

describe('daily workflow', () => {
  let odoo: DemoOdoo;
  let clientConnection: Connection;
  let client: Client;

  beforeAll(async () => {
    odoo = await startDemoOdoo({ port: 0, scale: 'tiny', seed: 11 });
    clientConnection = await Connection.connect({ address });
    client = new Client({ connection: clientConnection });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await odoo?.close();
  });

  describe('on a healthy Odoo', () => {
    let harness: Harness;
    let result: DailyResult;

    beforeAll(async () => {
      harness = await startHarness(odoo, client);
      const runDate = '2026-12-04';
      result = await harness.worker.runUntil(
        client.workflow.execute(dailyWorkflow, {
          workflowId: `${dailyWorkflowId(runDate)}-${harness.settings.temporal.taskQueue}`,
          taskQueue: harness.settings.temporal.taskQueue,
          args: [{ runDate }],
        }),
      );
    });

    afterAll(() => stopHarness(harness));

    it('materialises every asset of every layer', () => {
      const notSucceeded = result.assets.filter((asset) => asset.status !== 'succeeded');
      expect(notSucceeded).toEqual([]);
      const layers = new Set(result.assets.map((asset) => asset.layer));
      expect([...layers].sort()).toEqual(['dim', 'fact', 'ods', 'raw', 'staging']);
    });

    it('extracts every lead, archived ones included, once', async () => {
      const leadCount = await odoo.store.count('crm.lead', false);
      const extraction = result.extractions.find((entry) => entry.source === 'crm_lead');
      expect(extraction?.rows).toBe(leadCount);

      const [{ rows, distinct_ids }] = await harness.resources.warehouse.query<{ rows: bigint; distinct_ids: bigint }>(
        'select count(*) as rows, count(distinct lead_id) as distinct_ids from fact_odoo_crm_opportunite',
      );
      expect(Number(rows)).toBe(leadCount);
      expect(Number(distinct_ids)).toBe(leadCount);
    });

    it('lands raw NDJSON and a manifest per source in the lake', async () => {
      for (const extraction of result.extractions) {
        const keys = await harness.resources.lake.list(`raw/odoo/${extraction.source}/run_date=2026-12-04/`);
        expect(keys).toContain(extraction.manifestKey);
        expect(keys.filter((key) => key.endsWith('.ndjson'))).toHaveLength(extraction.parts);
      }
    });

    it('reports the row count of the fact table in the summary', async () => {
      const fact = result.assets.find((asset) => asset.asset === 'fact_odoo_crm_opportunite');
      const [{ rows }] = await harness.resources.warehouse.query<{ rows: bigint }>(
        'select count(*) as rows from fact_odoo_crm_opportunite',
      );
      expect(fact?.rows).toBe(Number(rows));
    });

    it('links each fact row to its lead form in Odoo', async () => {
      const rows = await harness.resources.warehouse.query<{ lead_id: number; lien_fiche_crm: string }>(
        'select lead_id, lien_fiche_crm from fact_odoo_crm_opportunite order by lead_id limit 3',
      );
      for (const row of rows) {
        expect(row.lien_fiche_crm).toBe(`${odoo.url}/web#id=${row.lead_id}&model=crm.lead&view_type=form`);
      }
    });
  });

  describe('with an unknown Odoo field in the mapping', () => {
    let harness: Harness;
    let failure: unknown;

    beforeAll(async () => {
      const mappingFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'placement-mapping-')), 'mapping.yaml');
      const mapping = fs
        .readFileSync(path.join(PROJECT_ROOT, 'config', 'odoo-mapping.yaml'), 'utf8')
        .replace('prenom: x_contact_firstname', 'prenom: x_no_such_field');
      fs.writeFileSync(mappingFile, mapping);
      harness = await startHarness(odoo, client, { ODOO_MAPPING_FILE: mappingFile });

      const runDate = '2026-12-05';
      failure = await harness.worker
        .runUntil(
          client.workflow.execute(dailyWorkflow, {
            workflowId: `${dailyWorkflowId(runDate)}-${harness.settings.temporal.taskQueue}`,
            taskQueue: harness.settings.temporal.taskQueue,
            args: [{ runDate }],
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    });

    afterAll(() => stopHarness(harness));

    it('fails the run with the per-asset summary', () => {
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause as { details?: unknown[]; message: string };
      expect(cause.message).toContain('x_no_such_field');
      const summary = cause.details?.[0] as DailyResult;
      const status = (asset: string) => summary.assets.find((entry) => entry.asset === asset)?.status;

      expect(status('raw_odoo_crm_lead')).toBe('failed');
      expect(status('stg_odoo_crm_lead')).toBe('skipped');
      expect(status('fact_odoo_crm_opportunite')).toBe('skipped');
      // Assets that do not depend on crm.lead still complete.
      expect(status('stg_odoo_survey_user_input_line')).toBe('succeeded');
      expect(status('ods_odoo_crm_survey_response_pivot')).toBe('succeeded');
    });
  });

  describe('started twice for one date', () => {
    it('rejects the second start while the first runs', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-twice-'));
      const settings = loadSettings({
        PLACEMENT_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: address,
        // No worker polls this queue, so the first run stays open.
        TEMPORAL_TASK_QUEUE: `no-worker-${path.basename(dataDir)}`,
      });
      const runDate = '2031-01-02';
      const handle = await startDailyRun(client, settings, runDate);
      try {
        await expect(startDailyRun(client, settings, runDate)).rejects.toBeInstanceOf(CliError);
      } finally {
        await handle.terminate('test finished');
      }
    });
  });
});
