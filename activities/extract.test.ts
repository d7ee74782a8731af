/**
 * The extraction activity with a LocalLake in a temporary folder and recorded Odoo 18 rows served
 * by a small XML-RPC server over real HTTP.
 */
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOdooMapping, type OdooMapping } from '../config/odoo-mapping.ts';
import { PROJECT_ROOT } from '../config/settings.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { manifestKey, partKey, runFolder, type ExtractionManifest } from '../lake/paths.ts';
import { findSource } from '../assets/sources.ts';
import { demoOdooAvailable, startTinyDemoOdoo, type DemoOdoo } from '../odoo/testing/demo-odoo.ts';
import { startFixtureOdoo, type FixtureOdoo } from '../odoo/testing/fixture-odoo.ts';
import { ODOO_CAPTURES_DIR } from '../odoo/testing/replay-server.ts';
import { decodeMethodResponse } from '../odoo/xmlrpc-codec.ts';
import { createXmlRpcOdooClient, type XmlRpcOdooClient } from '../odoo/xmlrpc-client.ts';
import { createExtractActivities, type ExtractSourceResult } from './extract.ts';

const RUN_DATE = '2026-12-04';
const SOURCE = 'survey_user_input_line';
const MODEL = 'survey.user_input.line';

async function recordedRows(folder: string): Promise<Record<string, unknown>[]> {
  return (await decodeMethodResponse(createReadStream(path.join(ODOO_CAPTURES_DIR, folder, 'response.xml')))) as Record<string, unknown>[];
}

describe('extractSource', () => {
  let odoo: FixtureOdoo;
  let rows: (Record<string, unknown> & { id: number })[];
  let mapping: OdooMapping;
  let root: string;
  let lake: LocalLake;
  const clients: XmlRpcOdooClient[] = [];

  beforeAll(async () => {
    // Two recorded keyset pages of survey answers: ids 1–50 and 189–238.
    rows = [...(await recordedRows('08_search_read_lines_keyset_first')), ...(await recordedRows('08b_search_read_lines_keyset_lead_answers'))] as typeof rows;
    odoo = await startFixtureOdoo({
      [MODEL]: { rows, fieldsGetCapture: '06_fields_get_survey_user_input_line' },
      'crm.lead': { rows: [{ id: 45 }], fieldsGetCapture: '04_fields_get_crm_lead' },
    });
    mapping = loadOdooMapping(path.join(PROJECT_ROOT, 'config/odoo-mapping.yaml'));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await odoo.close();
  });

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'placement-extract-'));
    lake = new LocalLake(root);
    odoo.searchReads.length = 0;
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function activities(options: { pageSize: number; password?: string; url?: string; mapping?: OdooMapping }) {
    return createExtractActivities({
      lake,
      mapping: options.mapping ?? mapping,
      pageSize: options.pageSize,
      odoo: () => {
        const client = createXmlRpcOdooClient({
          url: options.url ?? odoo.url,
          db: odoo.db,
          user: odoo.user,
          apiKey: options.password ?? odoo.password,
          timeoutMs: 5_000,
          maxRetries: 0,
        });
        clients.push(client);
        return client;
      },
    });
  }

  async function extractedIds(): Promise<number[]> {
    const manifest = (await lake.readJson<ExtractionManifest>(manifestKey(SOURCE, RUN_DATE)))!;
    const ids: number[] = [];
    for (const key of manifest.parts) {
      for await (const row of lake.readNdjson(key)) ids.push((row as { id: number }).id);
    }
    return ids;
  }

  async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  }

  it('writes one part per keyset page and the manifest last', async () => {
    const result = await activities({ pageSize: 30 }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });

    const expectedMaxWriteDate = rows.map((row) => row.write_date as string).sort().at(-1);
    expect(result).toMatchObject({
      source: SOURCE,
      model: MODEL,
      rows: rows.length,
      parts: Math.ceil(rows.length / 30),
      manifestKey: manifestKey(SOURCE, RUN_DATE),
      maxId: Math.max(...rows.map((row) => row.id)),
      maxWriteDate: expectedMaxWriteDate,
    });
    expect(await extractedIds()).toEqual(rows.map((row) => row.id).sort((a, b) => a - b));

    const manifest = (await lake.readJson<ExtractionManifest>(manifestKey(SOURCE, RUN_DATE)))!;
    expect(manifest.parts).toEqual(Array.from({ length: result.parts }, (_, index) => partKey(SOURCE, RUN_DATE, index)));
    expect(manifest.fieldTypes).toMatchObject({ id: 'integer', question_id: 'many2one', value_date: 'date', skipped: 'boolean' });
    expect(manifest.fields?.question_id).toMatchObject({ type: 'many2one', relation: 'survey.question' });
    expect(Object.keys(manifest.fields ?? {}).sort()).toEqual([...Object.keys(manifest.fieldTypes)].sort());

    // Written last: no part is newer than the manifest.
    const manifestTime = (await fs.stat(lake.path(manifestKey(SOURCE, RUN_DATE)))).mtimeMs;
    for (const key of manifest.parts) expect((await fs.stat(lake.path(key))).mtimeMs).toBeLessThanOrEqual(manifestTime);

    // Keyset requests: id > previous last id, always ordered by id, page size as limit.
    const afterIds = odoo.searchReads.map((call) => (call.domain.at(-1) as unknown[])[2]);
    expect(afterIds[0]).toBe(0);
    expect(odoo.searchReads.every((call) => call.kwargs.order === 'id asc' && call.kwargs.limit === 30)).toBe(true);
  });

  it('reuses the finished extraction of the same date without reading Odoo', async () => {
    const first = await activities({ pageSize: 30 }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });
    odoo.searchReads.length = 0;

    const again = await activities({ pageSize: 30 }).extractSource({ source: SOURCE, runDate: RUN_DATE, reuse: true });

    expect(again.reused).toBe(true);
    expect(again.rows).toBe(first.rows);
    expect(again.parts).toBe(first.parts);
    expect(odoo.searchReads).toHaveLength(0);
  });

  it('keeps Odoo values as sent: false, many2one pairs, datetime strings', async () => {
    await activities({ pageSize: 100 }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });
    const [first] = await readRows(lake, partKey(SOURCE, RUN_DATE, 0));
    const recorded = rows.find((row) => row.id === first.id)!;
    expect(first.question_id).toEqual(recorded.question_id);
    expect(first.value_date).toBe(recorded.value_date);
    expect(first.write_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('re-running overwrites without duplicates and removes parts a shorter run no longer writes', async () => {
    await activities({ pageSize: 20 }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });
    expect(await lake.list(`${runFolder(SOURCE, RUN_DATE)}/`)).toHaveLength(Math.ceil(rows.length / 20) + 1);

    const second = await activities({ pageSize: 60 }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });
    const keys = await lake.list(`${runFolder(SOURCE, RUN_DATE)}/`);
    expect(keys).toHaveLength(second.parts + 1);
    const ids = await extractedIds();
    expect(ids).toHaveLength(rows.length);
    expect(new Set(ids).size).toBe(rows.length);
  });

  it('resumes from the last heartbeat instead of starting over', async () => {
    // A previous attempt wrote parts 0 and 1 but only its first heartbeat was recorded; part 7 is stale.
    const pageSize = 25;
    await activities({ pageSize }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true });
    await lake.deletePrefix(manifestKey(SOURCE, RUN_DATE));
    await lake.writeNdjson(partKey(SOURCE, RUN_DATE, 7), [{ id: 999999 }]);
    const sorted = [...rows].sort((a, b) => a.id - b.id);
    const heartbeatDetails = { afterId: sorted[pageSize - 1].id, partIndex: 1, rows: pageSize, maxWriteDate: null };
    odoo.searchReads.length = 0;

    const environment = new MockActivityEnvironment({ heartbeatDetails });
    const heartbeats: unknown[] = [];
    environment.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const { extractSource } = activities({ pageSize });
    const result = (await environment.run(() => extractSource({ source: SOURCE, runDate: RUN_DATE, full: true }))) as ExtractSourceResult;

    expect((odoo.searchReads[0].domain.at(-1) as unknown[])[2]).toBe(heartbeatDetails.afterId);
    expect(result.rows).toBe(rows.length);
    expect(heartbeats.at(-1)).toMatchObject({ partIndex: result.parts, rows: rows.length, afterId: result.maxId });
    const ids = await extractedIds();
    expect(ids).toEqual(sorted.map((row) => row.id));
    expect(await lake.list(partKey(SOURCE, RUN_DATE, 7))).toEqual([]);
  });

  it('unknown field fails without retry', async () => {
    const typo = { ...mapping, leadFields: { ...mapping.leadFields, prenom: 'x_prenom_typo' } };
    await lake.writeJson(manifestKey('crm_lead', RUN_DATE), { previous: true });

    const failure = await failureOf(activities({ pageSize: 10, mapping: typo }).extractSource({ source: 'crm_lead', runDate: RUN_DATE }));
    expect(failure.type).toBe('OdooUnknownFieldError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('"x_prenom_typo"');
    expect(failure.message).toContain('crm.lead');
    expect(failure.message).toContain('config/odoo-mapping.yaml');
    // A configuration error must not wipe the previous extraction.
    expect(await lake.readJson(manifestKey('crm_lead', RUN_DATE))).toEqual({ previous: true });
  });

  it('rejects a malformed run date without retry', async () => {
    const failure = await failureOf(activities({ pageSize: 10 }).extractSource({ source: SOURCE, runDate: '2026-02-30' }));
    expect(failure.type).toBe('InvalidRunDate');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('"2026-02-30"');
  });

  it('turns bad credentials into a non-retryable failure of type OdooAuthenticationError', async () => {
    const failure = await failureOf(activities({ pageSize: 10, password: 'wrong' }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true }));
    expect(failure.type).toBe('OdooAuthenticationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('ODOO_API_KEY');
  });

  it('keeps transport failures retryable for Temporal', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const failure = await failureOf(activities({ pageSize: 10, url }).extractSource({ source: SOURCE, runDate: RUN_DATE, full: true }));
    expect(failure.type).toBe('OdooTransportError');
    expect(failure.nonRetryable).toBe(false);
  });
});

async function readRows(lake: LocalLake, key: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of lake.readNdjson(key)) rows.push(row as Record<string, unknown>);
  return rows;
}

async function closedPort(): Promise<number> {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!demoOdooAvailable)('extractSource on the demo Odoo', () => {
  let demo: DemoOdoo;
  let client: XmlRpcOdooClient;
  let root: string;
  let lake: LocalLake;
  const mapping = loadOdooMapping(path.join(PROJECT_ROOT, 'config/odoo-mapping.yaml'));

  beforeAll(async () => {
    demo = await startTinyDemoOdoo();
    client = createXmlRpcOdooClient({ url: demo.url, db: demo.db, user: demo.user, apiKey: demo.password, timeoutMs: 10_000 });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'placement-extract-demo-'));
    lake = new LocalLake(root);
  });

  afterAll(async () => {
    client?.close();
    await demo?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it.each(['crm_lead', 'ir_attachment', 'survey_user_input_line'] as const)('extracts %s completely, twice', async (name) => {
    const source = findSource(mapping, name);
    const expected = await client.searchCount(source.model, source.domain, source.context);
    // Several pages whatever the table size.
    const pageSize = Math.max(1, Math.ceil(expected / 4.5));
    const { extractSource } = createExtractActivities({ lake, mapping, pageSize, odoo: () => client });

    for (let run = 0; run < 2; run++) {
      const result = await extractSource({ source: name, runDate: RUN_DATE, full: true });
      expect(result.rows).toBe(expected);
      expect(result.parts).toBe(Math.ceil(expected / pageSize));

      const ids: number[] = [];
      for (const key of await lake.list(`${runFolder(name, RUN_DATE)}/part-`)) {
        for (const row of await readRows(lake, key)) ids.push(row.id as number);
      }
      expect(ids).toHaveLength(expected);
      expect(new Set(ids).size).toBe(expected);
    }
  });
});
