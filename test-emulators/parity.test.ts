/**
 * The daily pipeline on the production adapters (GCS lake, BigQuery warehouse, both emulated on
 * 127.0.0.1) against the embedded default (local lake, DuckDB), for the same demo Odoo: every asset
 * must end with the same status, row count and rows.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dailyWorkflowId } from '../client/daily-run.ts';
import { loadSettings } from '../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../demo-odoo/server.ts';
import { openResources, type Resources } from '../resources/index.ts';
import { createPlacementWorker } from '../worker.ts';
import { dailyWorkflow, type DailyResult } from '../workflows/daily.ts';
import { EMULATOR_PROJECT, emulatorBucket, recordConnections, startEmulators, type EmulatorPair } from './emulators.ts';

const RUN_DATE = '2026-12-04';
const BUCKET = 'placement-parity';

type PipelineRun = { result: DailyResult; resources: Resources; dataDir: string };

/** Runs the daily workflow once with `overrides` on top of the demo Odoo settings. */
async function runPipeline(odoo: DemoOdoo, client: Client, overrides: Record<string, string>): Promise<PipelineRun> {
  const address = inject('temporalAddress');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-parity-'));
  const settings = loadSettings({
    PLACEMENT_DATA_DIR: dataDir,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USER: odoo.user,
    ODOO_API_KEY: odoo.password,
    ODOO_PAGE_SIZE: '40',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `parity-${path.basename(dataDir)}`,
    ...overrides,
  });
  const resources = await openResources(settings);
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createPlacementWorker({
      connection,
      namespace: settings.temporal.namespace,
      taskQueue: settings.temporal.taskQueue,
      resources,
    });
    const result = await worker.runUntil(
      client.workflow.execute(dailyWorkflow, {
        workflowId: `${dailyWorkflowId(RUN_DATE)}-${settings.temporal.taskQueue}`,
        taskQueue: settings.temporal.taskQueue,
        args: [{ runDate: RUN_DATE }],
      }),
    );
    return { result, resources, dataDir };
  } finally {
    await connection.close();
  }
}

/**
 * One engine-neutral text per value: times as ISO instants, integers as digits, JSON text parsed
 * and printed again (engines differ in spacing and escapes), keys sorted.
 */
function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toString() : value.toPrecision(15);
  if (typeof value === 'string') {
    if (/^[[{"]/.test(value)) {
      try {
        return JSON.stringify(JSON.parse(value));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([name, inner]) => [name, canonical(inner)]));
  }
  return value;
}

/** Row count and a SHA-256 of the sorted canonical rows of `table`. */
async function fingerprint(resources: Resources, table: string): Promise<{ rows: number; hash: string }> {
  const rows = await resources.warehouse.query(`select * from ${resources.warehouse.dialect.table(table)}`);
  const lines = rows.map((row) => JSON.stringify(canonical(row))).sort();
  return { rows: rows.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

describe('daily pipeline on the GCS and BigQuery emulators', () => {
  let odoo: DemoOdoo;
  let emulators: EmulatorPair;
  let clientConnection: Connection;
  let client: Client;
  let connections: ReturnType<typeof recordConnections>;
  let embedded: PipelineRun;
  let production: PipelineRun;

  beforeAll(async () => {
    odoo = await startDemoOdoo({ port: 0, scale: 'tiny', seed: 11 });
    emulators = await startEmulators();
    await emulatorBucket(emulators.gcs, BUCKET);
    clientConnection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection: clientConnection });

    embedded = await runPipeline(odoo, client, {});
    connections = recordConnections();
    production = await runPipeline(odoo, client, {
      LAKE_URI: `gs://${BUCKET}/lake`,
      GCS_API_ENDPOINT: emulators.gcs.endpoint,
      WAREHOUSE: 'bigquery',
      BIGQUERY_PROJECT: EMULATOR_PROJECT,
      BIGQUERY_DATASET: 'placement_parity',
      BIGQUERY_LOCATION: 'EU',
      BIGQUERY_API_ENDPOINT: emulators.bigquery.endpoint,
    });
    connections.restore();
  }, 600_000);

  afterAll(async () => {
    connections?.restore();
    for (const run of [embedded, production]) {
      if (!run) continue;
      await run.resources.close();
      fs.rmSync(run.dataDir, { recursive: true, force: true });
    }
    await clientConnection?.close();
    await emulators?.stop();
    await odoo?.close();
  });

  it('succeeds on both with the same status and row count per asset', () => {
    const summary = (run: PipelineRun) =>
      run.result.assets.map(({ asset, layer, status, rows }) => ({ asset, layer, status, rows }));
    expect(summary(embedded).every((asset) => asset.status === 'succeeded')).toBe(true);
    expect(summary(production)).toEqual(summary(embedded));
    expect(production.result.warnings).toEqual(embedded.result.warnings);
  });

  it('writes the lake objects with the same keys and rows', async () => {
    const extraction = (run: PipelineRun) =>
      run.result.extractions.map(({ source, rows, parts, manifestKey }) => ({ source, rows, parts, manifestKey }));
    expect(extraction(production)).toEqual(extraction(embedded));
    const embeddedKeys = await embedded.resources.lake.list('raw/');
    expect(await production.resources.lake.list('raw/')).toEqual(embeddedKeys);
  });

  it('builds every asset with the same rows, hashed row by row', async () => {
    const assets = embedded.result.assets.map((asset) => asset.asset);
    expect(assets).toContain('fact_odoo_crm_opportunite');
    const mismatches: string[] = [];
    for (const asset of assets) {
      const [expected, actual] = [await fingerprint(embedded.resources, asset), await fingerprint(production.resources, asset)];
      if (expected.rows !== actual.rows || expected.hash !== actual.hash) {
        mismatches.push(`${asset}: DuckDB ${expected.rows} rows ${expected.hash.slice(0, 12)}, BigQuery ${actual.rows} rows ${actual.hash.slice(0, 12)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('talks to nothing but 127.0.0.1 on the production path', () => {
    expect(connections.addresses.length).toBeGreaterThan(0);
    expect(new Set(connections.addresses)).toEqual(new Set(['127.0.0.1']));
  });
});
