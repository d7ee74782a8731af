import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCHEDULE_ID, upsertDailySchedule } from '../client/commands/schedule.ts';
import { startDailyRun } from '../client/daily-run.ts';
import { loadSettings, PROJECT_ROOT, type Settings } from '../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../demo-odoo/server.ts';
import type { DailyResult } from './daily.ts';

const address = inject('temporalAddress');

type Deployment = { settings: Settings; env: Record<string, string>; dataDir: string };

function deployment(odoo: DemoOdoo): Deployment {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-operations-'));
  const env: Record<string, string> = {
    PLACEMENT_DATA_DIR: dataDir,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USER: odoo.user,
    ODOO_API_KEY: odoo.password,
    ODOO_PAGE_SIZE: '20',
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: `operations-${path.basename(dataDir)}`,
    PLACEMENT_LOG_LEVEL: 'warn',
  };
  return { settings: loadSettings(env), env, dataDir };
}

/** Starts `placement worker` as its own process, as production runs it. */
function startWorkerProcess(target: Deployment, children: Set<ChildProcess>): ChildProcess {
  const log = fs.openSync(path.join(target.dataDir, `worker-${children.size}.log`), 'a');
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'client', 'cli.ts'), 'worker'], {
    env: { ...process.env, ...target.env },
    stdio: ['ignore', log, log],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function factRowCount(target: Deployment): Promise<number> {
  const instance = await DuckDBInstance.create(target.settings.warehouse.duckdbPath, { access_mode: 'READ_ONLY' });
  try {
    const reader = await (await instance.connect()).runAndReadAll('select count(*) from fact_odoo_crm_opportunite');
    return Number(reader.getRows()[0][0]);
  } finally {
    instance.closeSync();
  }
}

describe('operations', () => {
  let odoo: DemoOdoo;
  let connection: Connection;
  let client: Client;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    odoo = await startDemoOdoo({ port: 0, scale: 'tiny', seed: 5 });
    connection = await Connection.connect({ address });
    client = new Client({ connection });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await connection?.close();
    await odoo?.close();
  });

  it('schedule runs daily at 06:00 Paris time and a triggered run completes', async () => {
    const target = deployment(odoo);
    await upsertDailySchedule(client, target.settings, { time: '06:00', timezone: 'Europe/Paris', catchupHours: 12 });
    const handle = client.schedule.getHandle(SCHEDULE_ID);
    try {
      const description = await handle.describe();
      expect(description.spec.timezone).toBe('Europe/Paris');
      expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
      expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(description.policies.catchupWindow).toBe(12 * 3_600_000);
      // The next run falls at 06:00 in Paris, whatever the season.
      const next = description.info.nextActionTimes[0];
      const parisTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
      expect(parisTime.format(next)).toBe('06:00');

      startWorkerProcess(target, children);
      await handle.trigger();
      let workflowId: string | undefined;
      for (let attempt = 0; attempt < 100 && !workflowId; attempt++) {
        workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(workflowId).toMatch(/^daily-scheduled-/);
      const result = await client.workflow.getHandle(workflowId!).result();
      expect((result as DailyResult).assets.find((asset) => asset.asset === 'fact_odoo_crm_opportunite')?.status).toBe(
        'succeeded',
      );
    } finally {
      await handle.delete();
      for (const child of children) child.kill('SIGTERM');
    }
  }, 180_000);

  it('loses nothing when a worker gets SIGTERM during a run', async () => {
    const target = deployment(odoo);
    const first = startWorkerProcess(target, children);
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    const handle = await startDailyRun(client, target.settings, '2026-12-08');

    // Stop the worker once the run is under way.
    for (;;) {
      const progress = await handle.query<DailyResult>('progress').catch(() => undefined);
      if (progress && progress.assets.some((asset) => asset.status !== 'pending')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.kill('SIGTERM');
    expect(await exited).toBe(0);

    startWorkerProcess(target, children);
    const result = (await handle.result()) as DailyResult;
    expect(result.assets.filter((asset) => asset.status !== 'succeeded')).toEqual([]);
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await factRowCount(target)).toBe(await odoo.store.count('crm.lead', false));
  }, 180_000);

  it('shares one run between two workers on the same task queue', async () => {
    const target = deployment(odoo);
    startWorkerProcess(target, children);
    startWorkerProcess(target, children);
    const handle = await startDailyRun(client, target.settings, '2026-12-09');
    const result = (await handle.result()) as DailyResult;
    expect(result.assets.filter((asset) => asset.status !== 'succeeded')).toEqual([]);

    const history = await handle.fetchHistory();
    const identities = new Set(
      (history.events ?? []).flatMap((event) => {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        return identity ? [identity] : [];
      }),
    );
    expect(identities.size).toBe(2);
    for (const child of children) child.kill('SIGTERM');
  }, 180_000);
});
