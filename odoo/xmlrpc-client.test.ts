/**
 * The XML-RPC client against recorded Odoo 18 responses replayed over real HTTP on 127.0.0.1,
 * plus HTTP failure modes (error pages, hanging server, refused connection).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OdooAccessError,
  OdooAuthenticationError,
  OdooError,
  OdooTransportError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
} from './errors.ts';
import { demoOdooAvailable, startTinyDemoOdoo, type DemoOdoo } from './testing/demo-odoo.ts';
import { captureReply, ODOO_CAPTURES_DIR, startReplayServer, type ReplayReply, type ReplayServer } from './testing/replay-server.ts';
import { createXmlRpcOdooClient, type StructuredLogger, type XmlRpcOdooClient } from './xmlrpc-client.ts';

type CaptureEntry = { folder: string; xmlrpc_method: string; model?: string; model_method?: string; outcome: string };

const captures = (JSON.parse(fs.readFileSync(path.join(ODOO_CAPTURES_DIR, 'index.json'), 'utf8')) as CaptureEntry[]).filter(
  (entry) => fs.existsSync(path.join(ODOO_CAPTURES_DIR, entry.folder, 'response.xml')),
);

const API_KEY = 'secret-api-key-never-logged';

/** Decodes every capture with Python's standard xmlrpc.client, an independent reference decoder. */
function referenceDecodings(): Record<string, unknown> {
  const script = [
    'import json, os, sys, xmlrpc.client',
    'root = sys.argv[1]',
    'out = {}',
    'for folder in sorted(os.listdir(root)):',
    '    file = os.path.join(root, folder, "response.xml")',
    '    if not os.path.exists(file): continue',
    '    try:',
    '        out[folder] = xmlrpc.client.loads(open(file, "rb").read())[0][0]',
    '    except xmlrpc.client.Fault:',
    '        pass',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, ODOO_CAPTURES_DIR], { maxBuffer: 64 << 20 }).toString('utf8'));
}

/** Parses a request body with the xmlrpc package's server-side decoder, to inspect what the client sent. */
function decodeRequest(body: string): Promise<{ method: string; params: unknown[] }> {
  const require = createRequire(import.meta.url);
  const Deserializer = require('xmlrpc/lib/deserializer.js');
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(Readable.from([body]), (error: unknown, method: string, params: unknown[]) =>
      error ? reject(error) : resolve({ method, params }),
    );
  });
}

function recordingLogger(): StructuredLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (details: object, message: string) => void lines.push(`${message} ${JSON.stringify(details)}`);
  return { lines, debug: record, info: record, warn: record, error: record };
}

describe('XML-RPC client on recorded Odoo 18 responses', () => {
  let server: ReplayServer;
  /** Capture folder served for the next call (authentication always succeeds). */
  let current = '';
  const logger = recordingLogger();
  let client: XmlRpcOdooClient;

  beforeAll(async () => {
    server = await startReplayServer(({ path: urlPath, body }) => {
      const isAuthentication = urlPath.endsWith('/common') && body.includes('<methodName>authenticate</methodName>');
      if (isAuthentication && !current.includes('authenticate')) return captureReply('02_common_authenticate_ok');
      return captureReply(current);
    });
    client = createXmlRpcOdooClient({ url: server.url, db: 'odoo_crm', user: 'admin', apiKey: API_KEY, timeoutMs: 5_000, logger });
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  async function callCapture(entry: CaptureEntry, target: XmlRpcOdooClient = client): Promise<unknown> {
    current = entry.folder;
    if (entry.xmlrpc_method === 'version') return target.version();
    if (entry.xmlrpc_method === 'authenticate') return target.authenticate();
    return target.executeKw(entry.model!, entry.model_method!, [[]], {});
  }

  it('decodes every result capture exactly like a reference decoder', async () => {
    const expected = referenceDecodings();
    const results = captures.filter((entry) => entry.outcome === 'result' && entry.xmlrpc_method === 'execute_kw');
    expect(results.length).toBeGreaterThan(20);
    for (const entry of results) {
      expect(await callCapture(entry), entry.folder).toEqual(expected[entry.folder]);
    }
  });

  it('keeps Odoo value types: false, many2one pairs, datetime strings, accents', async () => {
    const leads = (await callCapture(captures.find((entry) => entry.folder.startsWith('07_'))!)) as Record<string, unknown>[];
    const lead = leads.find((row) => row.id === 45)!;
    expect(lead.description).toBe(false);
    expect(lead.partner_id).toEqual([42, 'Camille Moreau']);
    expect(lead.tag_ids).toEqual([1, 2]);
    expect(lead.write_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(typeof lead.probability).toBe('number');

    const withArchived = (await callCapture(captures.find((entry) => entry.folder.startsWith('07e_'))!)) as Record<string, unknown>[];
    expect(withArchived.map((row) => row.name)).toContain('Candidature Léa Fontaine');
    expect(withArchived.find((row) => row.id === 47)?.active).toBe(false);

    expect(await callCapture(captures.find((entry) => entry.folder.startsWith('10_'))!)).toBeTypeOf('number');
    expect(await callCapture(captures.find((entry) => entry.folder.startsWith('11_'))!)).toEqual([]);
  });

  it('reads version and the cached uid', async () => {
    current = '01_common_version';
    expect(await client.version()).toEqual({ serverVersion: '18.0', serverVersionInfo: [18, 0, 0, 'final', 0, ''] });
    expect(await client.authenticate()).toBe(2);
  });

  it('maps authenticate returning false to OdooAuthenticationError naming user and db', async () => {
    const fresh = createXmlRpcOdooClient({ url: server.url, db: 'odoo_crm', user: 'admin', apiKey: 'wrong', timeoutMs: 5_000 });
    current = '03_common_authenticate_bad_password';
    const error = await fresh.authenticate().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OdooAuthenticationError);
    expect((error as OdooError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/user "admin".*database "odoo_crm"/);
    expect((error as Error).message).toContain('ODOO_USER / ODOO_API_KEY');
    fresh.close();
  });

  it.each([
    ['12_', OdooUnknownFieldError, /crm\.lead has no field "x_does_not_exist"/],
    ['13_', OdooUnknownModelError, /model "crm\.leads" not found/],
    ['14_', OdooAuthenticationError, /user "admin" on database "odoo_crm".*Access Denied/],
    ['14e_', OdooAccessError, /Vous n'êtes pas autorisé/],
  ])('maps fault capture %s to its error class', async (prefix, errorClass, message) => {
    const entry = captures.find((candidate) => candidate.folder.startsWith(prefix))!;
    const error = await callCapture(entry).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as OdooError).retryable).toBe(false);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/Traceback|File "/);
  });

  it('extracts the unknown field name from the traceback', async () => {
    const error = (await callCapture(captures.find((entry) => entry.folder.startsWith('12_'))!).catch((caught) => caught)) as OdooUnknownFieldError;
    expect(error.field).toBe('x_does_not_exist');
    expect(error.model).toBe('crm.lead');
    expect(error.method).toBe('search_read');
  });

  it('keysetPage sends the keyset search_read', async () => {
    current = captures.find((entry) => entry.folder.startsWith('08_'))!.folder;
    const before = server.requests.length;
    const rows = await client.keysetPage({
      model: 'survey.user_input.line',
      domain: [['survey_id', '=', 6]],
      fields: ['id', 'write_date'],
      pageSize: 50,
      afterId: 10,
      context: { active_test: false },
    });
    expect(rows.length).toBeGreaterThan(0);

    const sent = await decodeRequest(server.requests.at(-1)!.body);
    expect(server.requests.length - before).toBe(1);
    expect(sent.method).toBe('execute_kw');
    expect(sent.params).toEqual([
      'odoo_crm',
      2,
      API_KEY,
      'survey.user_input.line',
      'search_read',
      [[['survey_id', '=', 6], ['id', '>', 10]]],
      { fields: ['id', 'write_date'], order: 'id asc', limit: 50, context: { active_test: false } },
    ]);
  });

  it('never logs the API key', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(API_KEY);
  });
});

describe('XML-RPC values outside the recorded vocabulary', () => {
  let server: ReplayServer;
  afterEach(async () => server?.close());

  it('keeps datetimes as UTC strings, i8 as numbers, base64 as text', async () => {
    const body = `<?xml version="1.0"?><methodResponse><params><param><value><struct>
      <member><name>naive</name><value><dateTime.iso8601>20261204T19:29:03</dateTime.iso8601></value></member>
      <member><name>utc</name><value><dateTime.iso8601>2026-12-04T19:29:03Z</dateTime.iso8601></value></member>
      <member><name>offset</name><value><dateTime.iso8601>2026-12-04T20:29:03+01:00</dateTime.iso8601></value></member>
      <member><name>big</name><value><i8>3000000000</i8></value></member>
      <member><name>huge</name><value><i8>90071992547409930</i8></value></member>
      <member><name>file</name><value><base64>aGVs
bG8=</base64></value></member>
      <member><name>none</name><value><nil/></value></member>
    </struct></value></param></params></methodResponse>`;
    server = await startReplayServer(({ path: urlPath }) =>
      urlPath.endsWith('/common') ? captureReply('02_common_authenticate_ok') : { body },
    );
    const client = createXmlRpcOdooClient({ url: server.url, db: 'db', user: 'u', apiKey: 'k', timeoutMs: 5_000 });
    const decoded = await client.executeKw('res.partner', 'read', [[1]]);
    expect(decoded).toEqual({
      naive: '2026-12-04 19:29:03',
      utc: '2026-12-04 19:29:03',
      offset: '2026-12-04 19:29:03',
      big: 3000000000,
      huge: '90071992547409930',
      file: 'aGVsbG8=',
      none: null,
    });
    client.close();
  });

  it('refuses to send undefined in a list and converts bigint and Date', async () => {
    server = await startReplayServer(({ path: urlPath }) =>
      urlPath.endsWith('/common') ? captureReply('02_common_authenticate_ok') : { body: emptyListResponse },
    );
    const client = createXmlRpcOdooClient({ url: server.url, db: 'db', user: 'u', apiKey: 'k', timeoutMs: 5_000 });
    await expect(client.searchRead('crm.lead', [['id', 'in', [1, undefined]]], { fields: ['id'] })).rejects.toThrow(
      /params\[5\]\[0\]\[0\]\[2\]\[1\] is undefined/,
    );
    await client.searchRead('crm.lead', [['id', '>', 5n], ['write_date', '>=', new Date(Date.UTC(2026, 11, 4, 19, 37, 16))]], {
      fields: ['id'],
      limit: undefined,
    });
    const sent = await decodeRequest(server.requests.at(-1)!.body);
    expect(sent.params[5]).toEqual([[['id', '>', 5], ['write_date', '>=', '2026-12-04 19:37:16']]]);
    expect(sent.params[6]).toEqual({ fields: ['id'] });
    client.close();
  });
});

const emptyListResponse =
  '<?xml version="1.0"?><methodResponse><params><param><value><array><data></data></array></value></param></params></methodResponse>';

describe('XML-RPC transport failures', () => {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function clientFor(url: string, timeoutMs = 5_000) {
    return createXmlRpcOdooClient({ url, db: 'odoo_crm', user: 'admin', apiKey: 'k', timeoutMs, maxRetries: 2, retryBaseDelayMs: 10 });
  }

  async function failure(promise: Promise<unknown>): Promise<OdooError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OdooTransportError);
    return error as OdooError;
  }

  it('HTTP 502 page is retried, then reported', async () => {
    const page: ReplayReply = { status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
    server = await startReplayServer(() => page);
    const client = clientFor(server.url);
    const error = await failure(client.authenticate());
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain(`${server.url}/xmlrpc/2/common`);
    expect(error.message).not.toContain('<html>');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
    client.close();
  });

  it('does not retry an HTTP 401 page', async () => {
    server = await startReplayServer(() => ({ status: 401, contentType: 'text/html', body: '<html>Unauthorized</html>' }));
    const client = clientFor(server.url);
    const error = await failure(client.authenticate());
    expect(error.httpStatus).toBe(401);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
    client.close();
  });

  it('hanging server times out after retries', async () => {
    server = await startReplayServer(() => 'hang');
    const client = clientFor(server.url, 150);
    const startedAt = Date.now();
    const error = await failure(client.authenticate());
    expect(error.code).toBe('ODOO_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    client.close();
  });

  it('abort signal cancels without retry', async () => {
    server = await startReplayServer(({ path: urlPath }) => (urlPath.endsWith('/common') ? captureReply('02_common_authenticate_ok') : 'hang'));
    const client = clientFor(server.url);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    const request = { model: 'crm.lead', domain: [], fields: ['id'], pageSize: 10, afterId: 0, signal: controller.signal };

    await expect(client.keysetPage(request)).rejects.toBe(reason);
    expect(server.requests.filter((recorded) => recorded.path.endsWith('/object'))).toHaveLength(1);
    client.close();
  });

  it('reports a refused connection as retryable', async () => {
    const closed = await startReplayServer(() => ({ body: '' }));
    await closed.close();
    const client = clientFor(closed.url);
    const error = await failure(client.authenticate());
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.retryable).toBe(true);
    client.close();
  });

  it('reports a 200 response that is not XML-RPC without retrying', async () => {
    server = await startReplayServer(() => ({ contentType: 'text/html', body: '<html><body>Login</body></html>' }));
    const client = clientFor(server.url);
    const error = await failure(client.authenticate());
    expect(error.code).toBe('ODOO_BAD_RESPONSE');
    expect(server.requests).toHaveLength(1);
    client.close();
  });
});

describe.skipIf(!demoOdooAvailable)('XML-RPC client on the demo Odoo', () => {
  let demo: DemoOdoo;
  let client: XmlRpcOdooClient;
  const allLeads = { active_test: false };

  beforeAll(async () => {
    demo = await startTinyDemoOdoo();
    client = createXmlRpcOdooClient({ url: demo.url, db: demo.db, user: demo.user, apiKey: demo.password, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    client?.close();
    await demo?.close();
  });

  it.each([
    ['crm.lead', ['id', 'name', 'active', 'stage_id', 'write_date']],
    ['survey.user_input.line', ['id', 'user_input_id', 'question_id', 'answer_type', 'write_date']],
  ])('keyset pages of %s equal one full read', async (model, fields) => {
    const full = await client.searchRead(model, [], { fields, order: 'id asc', context: allLeads });
    expect(full.length).toBeGreaterThan(7);

    // About six pages, the last one partial, whatever the table size.
    const pageSize = Math.ceil(full.length / 5.5);
    const paged: unknown[] = [];
    for (let afterId = 0; ; ) {
      const page = await client.keysetPage({ model, domain: [], fields, pageSize, afterId, context: allLeads });
      if (page.length === 0) break;
      paged.push(...page);
      afterId = page[page.length - 1].id;
    }
    expect(paged).toEqual(full);
  });

  it('archived leads only with active_test false', async () => {
    const visible = await client.searchRead('crm.lead', [], { fields: ['id', 'active'] });
    const all = await client.searchRead('crm.lead', [], { fields: ['id', 'active'], context: allLeads });
    expect(visible.every((lead) => lead.active === true)).toBe(true);
    expect(all.some((lead) => lead.active === false)).toBe(true);
    expect(all.length).toBe(visible.length + all.filter((lead) => lead.active === false).length);
    expect(await client.searchCount('crm.lead', [], allLeads)).toBe(all.length);
  });

  it('bad password raises OdooAuthenticationError', async () => {
    const wrong = createXmlRpcOdooClient({ url: demo.url, db: demo.db, user: demo.user, apiKey: 'wrong', timeoutMs: 10_000 });
    await expect(wrong.authenticate()).rejects.toBeInstanceOf(OdooAuthenticationError);
    wrong.close();
  });

  it('unknown field raises OdooUnknownFieldError', async () => {
    const error = await client.searchRead('crm.lead', [], { fields: ['id', 'x_does_not_exist'] }).catch((caught) => caught);
    expect(error).toBeInstanceOf(OdooUnknownFieldError);
    expect((error as OdooUnknownFieldError).field).toBe('x_does_not_exist');
  });
});
