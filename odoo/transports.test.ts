/**
 * One connector suite run over each transport (XML-RPC, JSON-RPC, JSON-2) against the demo Odoo
 * over HTTP, the transport choice, and the classification of recorded JSON-RPC and JSON-2 errors
 * of real Odoo 18 and 19 servers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OdooAccessError,
  OdooAuthenticationError,
  OdooError,
  OdooFaultError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
} from './errors.ts';
import type { OdooConnectionOptions } from './http-exchange.ts';
import { createOdooClient } from './index.ts';
import { createJson2OdooClient } from './json2-client.ts';
import { createJsonRpcOdooClient } from './jsonrpc-client.ts';
import type { OdooTransportClient, OdooTransportName } from './model-client.ts';
import { demoOdooAvailable, startTinyDemoOdoo, type DemoOdoo } from './testing/demo-odoo.ts';
import { startReplayServer, type ReplayServer } from './testing/replay-server.ts';
import { createXmlRpcOdooClient } from './xmlrpc-client.ts';

const FIXTURES_DIR = path.resolve(import.meta.dirname, '../test-fixtures');

const factories: Record<OdooTransportName, (options: OdooConnectionOptions) => OdooTransportClient> = {
  xmlrpc: createXmlRpcOdooClient,
  jsonrpc: createJsonRpcOdooClient,
  json2: createJson2OdooClient,
};

const allRecords = { active_test: false };

describe.skipIf(!demoOdooAvailable)('connector over each transport on the demo Odoo 19', () => {
  let demo: DemoOdoo;
  const clients: OdooTransportClient[] = [];

  beforeAll(async () => {
    demo = await startTinyDemoOdoo(7, '19.0');
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await demo?.close();
  });

  function clientFor(transport: OdooTransportName, overrides: Partial<OdooConnectionOptions> = {}): OdooTransportClient {
    const client = factories[transport]({ url: demo.url, db: demo.db, user: demo.user, apiKey: demo.password, timeoutMs: 10_000, maxRetries: 0, ...overrides });
    clients.push(client);
    return client;
  }

  describe.each(['xmlrpc', 'jsonrpc', 'json2'] as const)('%s', (transport) => {
    it.each([
      ['crm.lead', ['id', 'name', 'active', 'stage_id', 'probability', 'x_date_entree', 'write_date']],
      ['survey.user_input.line', ['id', 'user_input_id', 'question_id', 'answer_type', 'value_numerical_box', 'write_date']],
    ])('keyset pages of %s equal one full read', async (model, fields) => {
      const client = clientFor(transport);
      const full = await client.searchRead(model, [], { fields, order: 'id asc', context: allRecords });
      expect(full.length).toBeGreaterThan(7);

      const pageSize = Math.ceil(full.length / 5.5);
      const paged: unknown[] = [];
      for (let afterId = 0; ; ) {
        const page = await client.keysetPage({ model, domain: [], fields, pageSize, afterId, context: allRecords });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(pageSize);
        paged.push(...page);
        afterId = page[page.length - 1].id;
      }
      expect(paged).toEqual(full);
    });

    it('reads the same rows as XML-RPC', async () => {
      const fields = ['id', 'name', 'description', 'partner_id', 'probability', 'x_date_entree', 'x_nb_enfants', 'create_date'];
      const request = { model: 'crm.lead', domain: [], fields, pageSize: 500, afterId: 0, context: allRecords };
      const reference = await clientFor('xmlrpc').keysetPage(request);
      expect(await clientFor(transport).keysetPage(request)).toEqual(reference);
    });

    it('includes archived leads only with active_test false', async () => {
      const client = clientFor(transport);
      const visible = await client.searchRead('crm.lead', [], { fields: ['id', 'active'] });
      const all = await client.searchRead('crm.lead', [], { fields: ['id', 'active'], context: allRecords });
      expect(visible.every((lead) => lead.active === true)).toBe(true);
      expect(all.some((lead) => lead.active === false)).toBe(true);
      expect(all.length).toBe(visible.length + all.filter((lead) => lead.active === false).length);
      expect(await client.searchCount('crm.lead', [], allRecords)).toBe(all.length);
    });

    it('describes fields and reports its version', async () => {
      const client = clientFor(transport);
      const fields = await client.fieldsGet('crm.lead', ['name', 'stage_id'], ['type', 'relation']);
      expect(fields.stage_id).toMatchObject({ type: 'many2one', relation: 'crm.stage' });
      expect((await client.version()).serverVersion).toBe('19.0');
      expect(await client.authenticate()).toBe(2);
    });

    it('raises OdooAuthenticationError for a wrong key, without retrying', async () => {
      const client = clientFor(transport, { apiKey: 'wrong', maxRetries: 3, retryBaseDelayMs: 10 });
      const error = await client.searchCount('crm.lead', []).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OdooAuthenticationError);
      expect((error as OdooError).retryable).toBe(false);
      expect((error as Error).message).not.toContain('wrong');
    });

    it('raises OdooUnknownFieldError naming the field', async () => {
      const error = await clientFor(transport)
        .searchRead('crm.lead', [], { fields: ['id', 'x_does_not_exist'] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OdooUnknownFieldError);
      expect((error as OdooUnknownFieldError).field).toBe('x_does_not_exist');
      expect((error as OdooError).retryable).toBe(false);
    });

    it('raises OdooUnknownModelError', async () => {
      const error = await clientFor(transport)
        .searchRead('crm.leads', [], { fields: ['id'] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OdooUnknownModelError);
      expect((error as Error).message).toContain('"crm.leads"');
    });

    it('raises OdooAccessError for a user without rights', async () => {
      const error = await clientFor(transport, { user: 'demo', apiKey: 'demo' })
        .searchRead('ir.config_parameter', [], { fields: ['id'] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OdooAccessError);
    });
  });
});

describe.skipIf(!demoOdooAvailable)('transport choice', () => {
  const servers: DemoOdoo[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function chosen(version: string | undefined, transport: 'auto' | OdooTransportName): Promise<OdooTransportName> {
    const demo = await startTinyDemoOdoo(3, version);
    servers.push(demo);
    const settings = { demo: true, url: demo.url, db: demo.db, user: demo.user, apiKey: demo.password, timeoutMs: 10_000, transport };
    const client = await createOdooClient(settings as Parameters<typeof createOdooClient>[0]);
    expect(await client.searchCount('crm.lead', [])).toBeGreaterThan(0);
    client.close();
    return client.transport;
  }

  it('auto picks by server version', async () => {
    expect(await chosen('19.0', 'auto')).toBe('json2');
    expect(await chosen(undefined, 'auto')).toBe('jsonrpc');
    expect(await chosen('19.0', 'xmlrpc')).toBe('xmlrpc');
  });
});

/** Reads a recorded response: body bytes, status and content type. */
function recorded(capturesDir: string, folder: string): { status: number; contentType: string; body: Buffer } {
  const dir = path.join(FIXTURES_DIR, capturesDir, folder);
  const headersFile = fs.existsSync(path.join(dir, 'response-headers.txt')) ? 'response-headers.txt' : 'headers.txt';
  const headers = fs.readFileSync(path.join(dir, headersFile), 'utf8');
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(headers)![1]);
  const contentType = /^Content-Type: (.+)$/im.exec(headers)![1].trim();
  const bodyFile = ['response.json', 'response.html'].find((name) => fs.existsSync(path.join(dir, name)))!;
  return { status, contentType, body: fs.readFileSync(path.join(dir, bodyFile)) };
}

describe('recorded JSON-RPC and JSON-2 errors of real Odoo servers', () => {
  let server: ReplayServer;
  let reply: { status: number; contentType: string; body: Buffer };

  beforeAll(async () => {
    server = await startReplayServer((request) => {
      // JSON-RPC authenticates first: reply with the recorded uid.
      if (request.body.includes('"authenticate"')) return recorded('odoo-real-jsonrpc', '02_jsonrpc_common_authenticate_ok');
      return reply;
    });
  });
  afterAll(() => server.close());

  const options = () => ({ url: server.url, db: 'odoo_crm', user: 'admin', apiKey: 'k', timeoutMs: 5_000, maxRetries: 0 });

  it.each([
    ['06_jsonrpc_invalid_field_fault', OdooUnknownFieldError, /no field "nope"/],
    ['07_jsonrpc_bad_password_fault', OdooAuthenticationError, /Access Denied/],
    ['08_jsonrpc_wrong_model', OdooUnknownModelError, /"crm\.leads" not found/],
  ])('JSON-RPC %s', async (folder, errorClass, message) => {
    reply = recorded('odoo-real-jsonrpc', folder);
    const client = createJsonRpcOdooClient(options());
    const error = await client.searchCount('crm.lead', []).catch((caught: unknown) => caught);
    client.close();
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/Traceback|File "/);
  });

  it.each([
    ['50_err_no_authorization_header', OdooAuthenticationError, /use an API Key/],
    ['51_err_bad_api_key', OdooAuthenticationError, /Invalid apikey/],
    ['54_err_unknown_model', OdooUnknownModelError, /"crm\.nope" not found/],
    ['55_err_unknown_method', OdooFaultError, /HTTP 404.*crm\.lead\.nope/],
    ['56_err_private_method', OdooAccessError, /Private methods/],
    ['60_err_missing_required_argument', OdooFaultError, /HTTP 422.*'domain'/],
    ['61_err_ids_with_model_method', OdooFaultError, /with ids/],
    ['64_err_unknown_database', OdooFaultError, /no database "odoo_crm".*ODOO_DB/],
    ['71_err_unknown_field_in_domain', OdooUnknownFieldError, /no field "x_nope"/],
    ['72_err_unknown_field_in_fields', OdooUnknownFieldError, /no field "x_nope"/],
    ['73_err_invalid_domain_operator', OdooFaultError, /Invalid operator/],
    ['77_err_access_error_demo_user', OdooAccessError, /not allowed to access 'System Parameter'/],
  ])('JSON-2 %s', async (folder, errorClass, message) => {
    reply = recorded('odoo19-json2', folder);
    const client = createJson2OdooClient(options());
    const error = await client.searchRead('crm.lead', [], { fields: ['id'] }).catch((caught: unknown) => caught);
    client.close();
    expect(error).toBeInstanceOf(errorClass);
    expect((error as OdooError).retryable).toBe(false);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/Traceback|File "/);
  });

  it('JSON-2 reads a recorded page and the version of Odoo 19', async () => {
    const client = createJson2OdooClient(options());
    reply = recorded('odoo19-json2', '25_search_read_survey_lines_keyset_p1');
    const rows = await client.searchRead('survey.user_input.line', [['id', '>', 300]], { fields: ['id'], limit: 100 });
    expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 100 }, (_, index) => 301 + index));
    reply = recorded('odoo19-json2', '02_get_json_version');
    expect(await client.version()).toEqual({ serverVersion: '19.0', serverVersionInfo: [19, 0, 0, 'final', 0, ''] });
    client.close();
  });

  it('keeps integers beyond 2^53 as exact decimal strings', async () => {
    const body = '[{"id": 1, "big": 12345678901234567890, "small": -9007199254740991, "ratio": 0.1234567890123456789, "text": "1234567890123456789"}]';
    reply = { status: 200, contentType: 'application/json', body: Buffer.from(body) };
    const client = createJson2OdooClient(options());
    expect(await client.searchRead('x', [], { fields: [] })).toEqual([
      { id: 1, big: '12345678901234567890', small: -9007199254740991, ratio: 0.12345678901234568, text: '1234567890123456789' },
    ]);
    client.close();
  });

  it('sends named arguments, the bearer key and the database header', async () => {
    reply = { status: 200, contentType: 'application/json', body: Buffer.from('[]') };
    const client = createJson2OdooClient(options());
    await client.keysetPage({ model: 'crm.lead', domain: [['active', '=', false]], fields: ['id'], pageSize: 10, afterId: 4, context: { lang: 'fr_FR' } });
    client.close();
    const sent = server.requests.at(-1)!;
    expect(sent.path).toBe('/json/2/crm.lead/search_read');
    expect(sent.headers.authorization).toBe('bearer k');
    expect(sent.headers['x-odoo-database']).toBe('odoo_crm');
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(sent.body)).toEqual({
      domain: [['active', '=', false], ['id', '>', 4]],
      fields: ['id'],
      order: 'id asc',
      limit: 10,
      context: { lang: 'fr_FR' },
    });
  });
});
