import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';
import { dataStatus } from '../data/status.ts';
import { createDashboardFixture, LONG_REMARK, type DashboardFixture } from '../test-support/fixture.ts';
import { publishServingSnapshot } from './publish.ts';
import { ServingSnapshot } from './snapshot.ts';

let fixture: DashboardFixture | undefined;
const snapshots: ServingSnapshot[] = [];

afterEach(async () => {
  for (const snapshot of snapshots.splice(0)) await snapshot.close();
  fixture?.cleanup();
  fixture = undefined;
});

function open(file: string): ServingSnapshot {
  const snapshot = new ServingSnapshot(file);
  snapshots.push(snapshot);
  return snapshot;
}

describe('publishServingSnapshot', () => {
  it('copies candidates in search, normalised', async () => {
    fixture = await createDashboardFixture();
    const snapshot = open(fixture.servingPath);
    const rows = await snapshot.query<Record<string, unknown>>(
      'select lead_id, qpv, rsa, formation_campagne, remarque from candidat where lead_id < 100 order by lead_id',
    );
    // 6 is not in the search stage and 7 is archived.
    expect(rows.map((row) => row.lead_id)).toEqual([1, 2, 3, 4, 5, 8]);
    expect(rows.find((row) => row.lead_id === 3)).toMatchObject({ qpv: 'Oui', rsa: 'Oui', formation_campagne: 'Data Analyst' });
    expect(rows.find((row) => row.lead_id === 2)).toMatchObject({ remarque: LONG_REMARK });
    expect(rows.find((row) => row.lead_id === 8)).toMatchObject({ qpv: null });

    const warehouse = await fixture.openWarehouse();
    try {
      const [{ n }] = await warehouse.query<{ n: number }>(
        'select count(*) as n from fact_odoo_crm_opportunite where est_en_recherche and est_actif',
      );
      const [{ published }] = await snapshot.query<{ published: number }>('select count(*) as published from candidat');
      expect(published).toBe(n);
    } finally {
      await warehouse.close();
    }
  });

  it('records a failed run, keeps data', async () => {
    fixture = await createDashboardFixture();
    const snapshot = open(fixture.servingPath);
    const before = await dataStatus(snapshot);
    expect(before.lastRunFailed).toBe(false);
    expect(before.stale).toBe(false);

    const warehouse = await fixture.openWarehouse();
    try {
      const result = await publishServingSnapshot({
        warehouse,
        servingPath: fixture.servingPath,
        runDate: '2026-12-05',
        runId: 'run-2',
        workflowId: 'daily-2026-12-05',
        status: 'failed',
      });
      expect(result.candidates).toBe(46);
    } finally {
      await warehouse.close();
    }

    const after = await dataStatus(snapshot);
    expect(after.lastRunFailed).toBe(true);
    expect(after.lastRun).toMatchObject({ runDate: '2026-12-05', workflowId: 'daily-2026-12-05', status: 'failed' });
    const [{ n }] = await snapshot.query<{ n: number }>('select count(*) as n from candidat');
    expect(n).toBe(46);
    // No temporary file is left beside the snapshot.
    expect(fs.readdirSync(fixture.dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('publishes empty snapshot without fact table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-serving-'));
    try {
      const warehouse = await DuckDbWarehouse.open({ path: ':memory:', lakePath: (key) => key });
      const servingPath = path.join(dir, 'serving.duckdb');
      try {
        await publishServingSnapshot({ warehouse, servingPath, runDate: '2026-12-04', runId: 'r', workflowId: 'w', status: 'failed' });
      } finally {
        await warehouse.close();
      }
      const snapshot = open(servingPath);
      expect(await snapshot.query('select * from candidat')).toEqual([]);
      const status = await dataStatus(snapshot);
      expect(status).toMatchObject({ lastRunFailed: true, stale: true, dataUpdatedAt: undefined });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks data older than a day as stale', async () => {
    fixture = await createDashboardFixture({ materializedAt: '2026-01-01 06:00:00' });
    const status = await dataStatus(open(fixture.servingPath), new Date('2026-01-02T07:00:00Z'));
    expect(status.stale).toBe(true);
    expect(status.dataUpdatedAt?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });
});
