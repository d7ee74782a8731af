/**
 * The demo Odoo's JSON-RPC and JSON-2 endpoints over real HTTP, compared with recorded exchanges
 * of real Odoo 18 (JSON-RPC) and Odoo 19 (JSON-2) servers: status codes, content types, error
 * body shapes and the headers clients rely on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOdoo, type DemoOdoo } from './server.ts';

const FIXTURES_DIR = path.resolve(import.meta.dirname, '../test-fixtures');

function recordedJson(capturesDir: string, folder: string, file = 'response.json'): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, capturesDir, folder, file), 'utf8'));
}

function recordedStatus(folder: string): number {
  const headers = fs.readFileSync(path.join(FIXTURES_DIR, 'odoo19-json2', folder, 'response-headers.txt'), 'utf8');
  return Number(/^HTTP\/1\.1 (\d+)/.exec(headers)![1]);
}

describe('demo Odoo JSON APIs', () => {
  let demo: DemoOdoo;
  let demo18: DemoOdoo;

  beforeAll(async () => {
    [demo, demo18] = await Promise.all([
      startDemoOdoo({ port: 0, scale: 'tiny', seed: 5, version: '19.0' }),
      startDemoOdoo({ port: 0, scale: 'tiny', seed: 5 }),
    ]);
  });
  afterAll(async () => {
    await demo?.close();
    await demo18?.close();
  });

  function json2(model: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${demo.url}/json/2/${model}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `bearer ${demo.password}`, 'X-Odoo-Database': demo.db, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async function jsonRpc(service: string, method: string, args: unknown[], target = demo): Promise<Record<string, unknown>> {
    const response = await fetch(`${target.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 9 }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('serves the version endpoints on 19 only, and common.version on both', async () => {
    const version = await fetch(`${demo.url}/json/version`);
    expect(await version.json()).toEqual(recordedJson('odoo19-json2', '02_get_json_version'));
    expect((await fetch(`${demo.url}/web/version`)).status).toBe(200);
    expect((await fetch(`${demo18.url}/json/version`)).status).toBe(404);

    expect((await jsonRpc('common', 'version', [], demo18)).result).toEqual(
      (recordedJson('odoo-real-jsonrpc', '01_jsonrpc_common_version') as { result: unknown }).result,
    );
    expect(((await jsonRpc('common', 'version', [])).result as { server_version: string }).server_version).toBe('19.0');
  });

  it('JSON-RPC result envelopes', async () => {
    expect(await jsonRpc('common', 'authenticate', [demo.db, demo.user, demo.password, {}])).toEqual({ jsonrpc: '2.0', id: 9, result: 2 });
    expect((await jsonRpc('common', 'authenticate', [demo.db, demo.user, 'wrong', {}])).result).toBe(false);
    const page = await jsonRpc('object', 'execute_kw', [demo.db, 2, demo.password, 'crm.lead', 'search_read', [[]], { fields: ['id', 'name'], limit: 2, order: 'id asc' }]);
    expect(page.result).toEqual([expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 2 })]);
  });

  it.each([
    ['06_jsonrpc_invalid_field_fault', 'crm.lead', 'search_read', [[['nope', '=', 1]]], 'admin'],
    ['07_jsonrpc_bad_password_fault', 'crm.lead', 'search_count', [[]], 'wrong'],
    ['08_jsonrpc_wrong_model', 'crm.leads', 'search_count', [[]], 'admin'],
  ])('JSON-RPC error like %s', async (folder, model, method, args, password) => {
    const expected = recordedJson('odoo-real-jsonrpc', folder) as { error: { code: number; message: string; data: Record<string, unknown> } };
    const answer = (await jsonRpc('object', 'execute_kw', [demo.db, 2, password, model, method, args])) as typeof expected;
    expect(answer.error.code).toBe(expected.error.code);
    expect(answer.error.message).toBe(expected.error.message);
    expect(Object.keys(answer.error.data).sort()).toEqual(Object.keys(expected.error.data).sort());
    expect(answer.error.data.name).toBe(expected.error.data.name);
    expect(answer.error.data.message).toBe(expected.error.data.message);
    expect(answer.error.data.debug).toMatch(/^Traceback \(most recent call last\):/);
  });

  it('answers JSON-2 with the bare result and Odoo 19 headers', async () => {
    const response = await json2('crm.lead', 'search_read', { domain: [], fields: ['id', 'active'], limit: 3, order: 'id asc', context: { active_test: false } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.json()).toEqual([
      { id: 1, active: expect.any(Boolean) },
      { id: 2, active: expect.any(Boolean) },
      { id: 3, active: expect.any(Boolean) },
    ]);
    expect(await (await json2('crm.lead', 'search_count', { domain: [] }, { Authorization: `BEARER ${demo.password}` })).json()).toBeGreaterThan(0);
    expect((await json2('crm.lead', 'read', { ids: [1], fields: ['id'] }).then((r) => r.json())) as unknown[]).toEqual([{ id: 1 }]);
  });

  it.each([
    ['50_err_no_authorization_header', 'crm.lead', 'search_count', { domain: [] }, { Authorization: '' }],
    ['51_err_bad_api_key', 'crm.lead', 'search_count', { domain: [] }, { Authorization: 'bearer 0000000000000000000000000000000000000000' }],
    ['54_err_unknown_model', 'crm.nope', 'search_read', { domain: [], limit: 1 }, {}],
    ['55_err_unknown_method', 'crm.lead', 'nope', {}, {}],
    ['56_err_private_method', 'crm.lead', '_read_group', { domain: [] }, {}],
    ['57_err_wrong_argument_name_search_read', 'crm.lead', 'search_read', { domain: [], domian: [], fields: ['id'], limit: 1 }, {}],
    ['60_err_missing_required_argument', 'crm.lead', 'search_count', {}, {}],
    ['61_err_ids_with_model_method', 'crm.lead', 'search_read', { ids: [45], domain: [], fields: ['id'] }, {}],
    ['67_err_malformed_json', 'crm.lead', 'search_count', '{"domain": [["id", ">", 1]],}', {}],
    ['71_err_unknown_field_in_domain', 'crm.lead', 'search_read', { domain: [['x_nope', '=', 1]], fields: ['id'] }, {}],
    ['72_err_unknown_field_in_fields', 'crm.lead', 'search_read', { domain: [], fields: ['id', 'x_nope'], limit: 1 }, {}],
    ['73_err_invalid_domain_operator', 'crm.lead', 'search_read', { domain: [['id', '~', 1]], fields: ['id'] }, {}],
    ['77_err_access_error_demo_user', 'ir.config_parameter', 'search_read', { domain: [], fields: ['key'], limit: 1 }, { Authorization: 'bearer demo' }],
  ])('JSON-2 error like %s', async (folder, model, method, body, headers) => {
    const expected = recordedJson('odoo19-json2', folder);
    const response = await json2(model, method, body, headers as Record<string, string>);
    expect(response.status).toBe(recordedStatus(folder));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBeNull();
    if (response.status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer ');

    const answer = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(answer)).toEqual(Object.keys(expected));
    expect(answer.name).toBe(expected.name);
    expect((answer.arguments as unknown[]).length).toBe((expected.arguments as unknown[]).length);
    expect(answer.context).toEqual({});
    expect(answer.debug).toMatch(/^Traceback \(most recent call last\):/);
    // Werkzeug's messages are fixed texts; the others quote data that differs between the two servers.
    if ((expected.name as string).startsWith('werkzeug.') && folder !== '67_err_malformed_json') expect(answer.message).toBe(expected.message);
  });

  it.each([
    ['64_err_unknown_database', { 'X-Odoo-Database': 'odoo19_nope' }, 'POST', 'application/json'],
    ['69_err_wrong_content_type', { 'Content-Type': 'text/plain' }, 'POST', 'text/plain'],
    ['65_err_get_instead_of_post', {}, 'GET', undefined],
  ])('JSON-2 HTML answer like %s', async (folder, headers, method, contentType) => {
    const response = await fetch(`${demo.url}/json/2/crm.lead/search_count`, {
      method,
      headers: { Authorization: `bearer ${demo.password}`, 'X-Odoo-Database': demo.db, ...(contentType ? { 'Content-Type': contentType } : {}), ...headers },
      body: method === 'POST' ? '{"domain": []}' : undefined,
    });
    expect(response.status).toBe(recordedStatus(folder));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await response.text();
    if (response.status === 404) expect(text).toContain('No database is selected');
    else expect(text).toContain("is type='json2'");
  });

  it('answers a path without method like Odoo 19', async () => {
    const response = await fetch(`${demo.url}/json/2/crm.lead`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `bearer ${demo.password}` },
      body: '{"domain": []}',
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toBe(
      (recordedJson('odoo19-json2', '81_err_path_without_method') as { message: string }).message,
    );
  });
});
