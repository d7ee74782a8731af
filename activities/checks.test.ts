import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { given, makeTempDir, openTestWarehouse, testMapping } from '../assets/test-helpers.ts';
import type { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { CHECK_RESULT_TABLE } from './check-results.ts';
import { createCheckActivities, type CheckLogger } from './checks.ts';

let warehouse: DuckDbWarehouse;
let modelsDir: string;
let logged: { level: string; fields: Record<string, unknown>; message: string }[];

const logger: CheckLogger = {
  info: (fields, message) => logged.push({ level: 'info', fields, message }),
  warn: (fields, message) => logged.push({ level: 'warn', fields, message }),
  error: (fields, message) => logged.push({ level: 'error', fields, message }),
};

/** A models folder with one model, `stg_person`, its generic checks and two business checks. */
function writeModels(): string {
  const dir = makeTempDir('placement-checks-');
  const files: Record<string, string> = {
    'staging/stg_person.sql': 'select 1 as person_id',
    'staging/stg_person.yml': [
      'description: people',
      'columns: [{ name: person_id }, { name: email }, { name: qpv }]',
      'checks:',
      '  - { type: not_null, column: person_id, severity: error }',
      '  - { type: unique, column: email, severity: warn, threshold: 1, mask: email }',
      "  - { type: accepted_values, column: qpv, values: [Oui, Non], severity: error, threshold: '20%' }",
      '  - { type: row_count_change, max_change: 50%, severity: warn }',
      '  - { type: freshness, column: updated_at, max_age: 36h, severity: warn }',
    ].join('\n'),
    'checks/stg_person__email_invalide.sql': [
      '-- severity: error',
      '-- threshold: 10%',
      '-- mask: email',
      '-- description: email without @',
      '-- hint: fix the email in Odoo',
      "select cast(person_id as varchar) as check_key, email as check_value from {{ ref('stg_person') }}",
      "where email not like '%@%'",
    ].join('\n'),
    'checks/stg_person__broken.sql': [
      '-- severity: error',
      '-- description: a check whose SQL fails',
      '-- hint: none',
      "select missing_column as check_key, null as check_value from {{ ref('stg_person') }}",
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

type Person = { person_id: number | null; email: string; qpv: string; updated_at: Date };

async function givenPeople(people: Person[]): Promise<void> {
  await given(warehouse, 'stg_person', people, { person_id: 'int64', updated_at: 'timestamp' });
}

function person(id: number | null, email: string, qpv = 'Oui'): Person {
  return { person_id: id, email, qpv, updated_at: new Date('2026-12-04T05:00:00Z') };
}

function activities(options: { alertWebhookUrl?: string; webhookTimeoutMs?: number } = {}) {
  return createCheckActivities({ warehouse, mapping: testMapping(), modelsDir, logger, ...options });
}

beforeEach(async () => {
  warehouse = await openTestWarehouse(makeTempDir());
  modelsDir = writeModels();
  logged = [];
});

afterEach(async () => {
  await warehouse.close();
});

describe('runAssetChecks', () => {
  it('applies count and percent thresholds, and blocks on a failed error check only', async () => {
    await givenPeople([
      person(1, 'jean.dupont@exemple.fr'),
      person(2, 'jean.dupont@exemple.fr'),
      person(3, 'lea.martin@exemple.fr', 'Yes'),
      person(4, 'paul.martin.exemple.fr'),
      person(null, 'anne@exemple.fr'),
    ]);

    const result = await activities().runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-04', runId: 'r1' });

    expect(result).toEqual({
      asset: 'stg_person',
      blocking: true,
      results: [
        { check: 'stg_person__not_null_person_id', severity: 'error', status: 'failed', failing: 1, total: 5 },
        // two rows share an email, the threshold allows one: failed, but only a warning
        { check: 'stg_person__unique_email', severity: 'warn', status: 'failed', failing: 2, total: 5 },
        // 1 row of 5 is 20%, which does not exceed 20%
        { check: 'stg_person__accepted_values_qpv', severity: 'error', status: 'passed', failing: 1, total: 5 },
        { check: 'stg_person__row_count_change', severity: 'warn', status: 'passed', failing: 0, total: 5 },
        { check: 'stg_person__freshness_updated_at', severity: 'warn', status: 'passed', failing: 0, total: 1 },
        { check: 'stg_person__broken', severity: 'error', status: 'errored', failing: 0 },
        // 1 row of 5 is 20%, more than 10%
        { check: 'stg_person__email_invalide', severity: 'error', status: 'failed', failing: 1, total: 5 },
      ],
    });
  });

  it('does not block when only warnings fail or an error check cannot run', async () => {
    await givenPeople([person(1, 'a@exemple.fr'), person(2, 'a@exemple.fr'), person(3, 'b@exemple.fr')].concat(
      Array.from({ length: 7 }, (_, index) => person(10 + index, `p${index}@exemple.fr`)),
    ));

    const result = await activities().runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-04' });

    expect(result.blocking).toBe(false);
    expect(result.results.filter((outcome) => outcome.status !== 'passed').map((outcome) => outcome.check)).toEqual([
      'stg_person__unique_email',
      'stg_person__broken',
    ]);
    expect(logged.find((line) => line.level === 'error')?.fields).toMatchObject({ check: 'stg_person__broken' });
  });

  it('stores every result with masked samples, replacing the rows of a retried run', async () => {
    await givenPeople([person(1, 'jean.dupont@exemple.fr'), person(2, 'jean.dupont@exemple.fr'), person(4, 'paul.exemple.fr')]);
    const checks = activities();

    await checks.runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-04', runId: 'r1' });
    await checks.runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-04', runId: 'r1' });

    const rows = await warehouse.query(
      `select check_name, asset, severity, status, failing_rows, total_rows, threshold, sample_keys, run_id,
              strftime(run_date, '%Y-%m-%d') as run_date
       from ${CHECK_RESULT_TABLE} order by check_name`,
    );
    const common = { asset: 'stg_person', run_id: 'r1', run_date: '2026-12-04' };
    expect(rows).toEqual([
      {
        ...common,
        check_name: 'stg_person__accepted_values_qpv',
        severity: 'error',
        status: 'passed',
        failing_rows: 0,
        total_rows: 3,
        threshold: '20%',
        sample_keys: '[]',
      },
      {
        ...common,
        check_name: 'stg_person__broken',
        severity: 'error',
        status: 'errored',
        failing_rows: 0,
        total_rows: null,
        threshold: '0',
        sample_keys: '[]',
      },
      {
        ...common,
        check_name: 'stg_person__email_invalide',
        severity: 'error',
        status: 'failed',
        failing_rows: 1,
        total_rows: 3,
        threshold: '10%',
        sample_keys: '["4: p***"]',
      },
      {
        ...common,
        check_name: 'stg_person__freshness_updated_at',
        severity: 'warn',
        status: 'passed',
        failing_rows: 0,
        total_rows: 1,
        threshold: '0',
        sample_keys: '["newest 2026-12-04 05:00:00.000"]',
      },
      {
        ...common,
        check_name: 'stg_person__not_null_person_id',
        severity: 'error',
        status: 'passed',
        failing_rows: 0,
        total_rows: 3,
        threshold: '0',
        sample_keys: '[]',
      },
      {
        ...common,
        check_name: 'stg_person__row_count_change',
        severity: 'warn',
        status: 'passed',
        failing_rows: 0,
        total_rows: 3,
        threshold: '50%',
        sample_keys: '[]',
      },
      {
        ...common,
        check_name: 'stg_person__unique_email',
        severity: 'warn',
        status: 'failed',
        failing_rows: 2,
        total_rows: 3,
        threshold: '1',
        sample_keys: '["1: j***@e***.fr","2: j***@e***.fr"]',
      },
    ]);
  });

  it('compares the row count with the previous run and the newest timestamp with the run date', async () => {
    const checks = activities();
    await givenPeople(Array.from({ length: 10 }, (_, index) => person(index + 1, `p${index}@exemple.fr`)));
    await checks.runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-04', runId: 'r1' });

    await givenPeople(Array.from({ length: 4 }, (_, index) => person(index + 1, `p${index}@exemple.fr`)));
    const later = await checks.runAssetChecks({ assetKey: 'stg_person', runDate: '2026-12-06', runId: 'r2' });

    expect(later.results.filter((outcome) => outcome.severity === 'warn')).toEqual([
      { check: 'stg_person__unique_email', severity: 'warn', status: 'passed', failing: 0, total: 4 },
      // 10 → 4 rows: 6 rows, 60% of the previous count, more than 50%
      { check: 'stg_person__row_count_change', severity: 'warn', status: 'failed', failing: 6, total: 4 },
      // 05:00 on the 4th is 67 hours before the end of the 6th, more than 36 hours
      { check: 'stg_person__freshness_updated_at', severity: 'warn', status: 'failed', failing: 1, total: 1 },
    ]);
  });
});

type Received = { path: string; body: { text: string } };

/** A webhook receiver on 127.0.0.1 answering `status`; `hang` never answers. */
async function startReceiver(behaviour: { status?: number; hang?: boolean } = {}) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(body) });
      if (behaviour.hang) return;
      response.writeHead(behaviour.status ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-token`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sensitive = [
  { person_id: 1, email: 'jean.dupont@exemple.fr', qpv: 'Oui' },
  { person_id: 2, email: 'jean.dupont@exemple.fr', qpv: 'Oui' },
  { person_id: 4, email: 'paul.exemple.fr', qpv: 'Oui' },
];

async function runDay(
  checks: ReturnType<typeof activities>,
  runDate: string,
  people: { person_id: number; email: string; qpv: string }[],
) {
  await givenPeople(people.map((row) => ({ ...row, updated_at: new Date(`${runDate}T05:00:00Z`) })));
  await checks.runAssetChecks({ assetKey: 'stg_person', runDate, runId: `run-${runDate}` });
  return checks.summarizeRunAlerts({ runDate, runId: `run-${runDate}` });
}

describe('summarizeRunAlerts', () => {
  it('posts new failures with masked samples once, and again when a count changes', async () => {
    const receiver = await startReceiver();
    try {
      const checks = activities({ alertWebhookUrl: receiver.url });

      const first = await runDay(checks, '2026-12-04', sensitive);
      const second = await runDay(checks, '2026-12-05', sensitive);
      const third = await runDay(checks, '2026-12-06', [...sensitive, { person_id: 5, email: 'jean.dupont@exemple.fr', qpv: 'Oui' }]);

      expect([first, second, third]).toEqual([
        { changes: 3, sent: true },
        { changes: 0, sent: false },
        { changes: 1, sent: true },
      ]);
      expect(receiver.received.map((request) => request.path)).toEqual(['/hooks/secret-token', '/hooks/secret-token']);
      expect(receiver.received[0].body.text.split('\n')).toEqual(
        [
          'Placement data checks, run 2026-12-04: 3 new or changed failure(s), 0 resolved',
          '• [error] stg_person__email_invalide: 1 failing of 3 rows, threshold 10% (new); e.g. 4: p***',
          '  email without @. Fix: fix the email in Odoo',
          '• [error] stg_person__broken: could not run, threshold 0 (new)',
          expect.stringMatching(/^ {2}error: .*missing_column/),
          '  a check whose SQL fails. Fix: none',
          '• [warn] stg_person__unique_email: 2 failing of 3 rows, threshold 1 (new); e.g. 1: j***@e***.fr, 2: j***@e***.fr',
          '  rows sharing their email with another row. Fix: look at the sample rows, then fix the values in Odoo or the model stg_person.sql',
        ],
      );
      expect(receiver.received[1].body.text).toContain(
        '• [warn] stg_person__unique_email: 3 failing of 4 rows, threshold 1 (was 2); e.g. 1: j***@e***.fr, 2: j***@e***.fr, 5: j***@e***.fr',
      );
      const everything = JSON.stringify(receiver.received);
      expect(everything).not.toContain('jean.dupont');
      expect(everything).not.toContain('paul.exemple');
    } finally {
      await receiver.close();
    }
  });

  it('reports resolved failures', async () => {
    const receiver = await startReceiver();
    try {
      const checks = activities({ alertWebhookUrl: receiver.url });
      await runDay(checks, '2026-12-04', sensitive);

      const fixed = await runDay(checks, '2026-12-05', [
        { person_id: 1, email: 'jean.dupont@exemple.fr', qpv: 'Oui' },
        { person_id: 4, email: 'paul@exemple.fr', qpv: 'Oui' },
      ]);

      expect(fixed).toEqual({ changes: 2, sent: true });
      expect(receiver.received[1].body.text).toBe(
        [
          'Placement data checks, run 2026-12-05: 0 new or changed failure(s), 2 resolved',
          'Resolved: stg_person__email_invalide (was 1), stg_person__unique_email (was 2)',
        ].join('\n'),
      );
    } finally {
      await receiver.close();
    }
  });

  it('logs, never throws, when the webhook refuses, is down or does not answer', async () => {
    const refusing = await startReceiver({ status: 500 });
    const hanging = await startReceiver({ hang: true });
    const down = await startReceiver();
    await down.close();
    try {
      const outcomes = [];
      for (const url of [refusing.url, down.url, hanging.url]) {
        const checks = activities({ alertWebhookUrl: url, webhookTimeoutMs: 300 });
        await warehouse.query(`drop table if exists ${CHECK_RESULT_TABLE}`);
        outcomes.push(await runDay(checks, '2026-12-04', sensitive));
      }

      expect(outcomes.map((outcome) => [outcome.sent, outcome.changes])).toEqual([
        [false, 3],
        [false, 3],
        [false, 3],
      ]);
      expect(outcomes[0].error).toMatch(/^HTTP 500/);
      expect(outcomes[1].error).toMatch(/ECONNREFUSED/);
      expect(outcomes[2].error).toBe('timed out after 300 ms');
      const failures = logged.filter((line) => line.message.startsWith('alert webhook failed'));
      expect(failures).toHaveLength(3);
      // the webhook path is its secret: logs show the host only
      expect(JSON.stringify(failures)).not.toContain('secret-token');
      // the summary is still in the log
      expect(logged.filter((line) => line.message === 'data check alert')).toHaveLength(3);
    } finally {
      await refusing.close();
      await hanging.close();
    }
  });
});
