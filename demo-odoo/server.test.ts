import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { findModel } from './models.ts';
import { startDemoOdoo, type DemoOdoo } from './server.ts';
import {
  capture,
  methodCall,
  parseTypedResponse,
  plain,
  postXml,
  retarget,
  type CallValue,
  type TypedValue,
} from './test-helpers.ts';

let odoo: DemoOdoo;

beforeAll(async () => {
  odoo = await startDemoOdoo({ port: 0, scale: 'small', seed: 11 });
});

afterAll(async () => {
  await odoo?.close();
});

const objectUrl = () => `${odoo.url}/xmlrpc/2/object`;
const commonUrl = () => `${odoo.url}/xmlrpc/2/common`;

async function executeKw(model: string, method: string, args: CallValue[], kwargs: Record<string, CallValue> = {}) {
  const body = methodCall('execute_kw', [odoo.db, 2, odoo.password, model, method, args, kwargs]);
  const response = await postXml(objectUrl(), body);
  return { ...response, parsed: parseTypedResponse(response.text) };
}

async function call(model: string, method: string, args: CallValue[], kwargs: Record<string, CallValue> = {}) {
  const { parsed } = await executeKw(model, method, args, kwargs);
  if (parsed.fault) throw new Error(`unexpected fault ${parsed.fault.faultCode}: ${parsed.fault.faultString}`);
  return plain(parsed.value as TypedValue);
}

async function fault(model: string, method: string, args: CallValue[], kwargs: Record<string, CallValue> = {}) {
  const { status, parsed } = await executeKw(model, method, args, kwargs);
  expect(status).toBe(200);
  if (!parsed.fault) throw new Error(`expected a fault from ${model}.${method}`);
  return { ...parsed.fault, lastLine: parsed.fault.faultString.trimEnd().split('\n').at(-1) };
}

async function replay(folder: string) {
  const { request, response } = capture(folder);
  const sent = await postXml(folder.startsWith('0') && folder < '04' ? commonUrl() : objectUrl(), retarget(request, odoo.db));
  return { sent, expected: response };
}

describe('protocol bytes compared with a real Odoo 18', () => {
  it.each([
    '01_common_version',
    '02_common_authenticate_ok',
    '03_common_authenticate_bad_password',
    '11_read_nonexistent_id',
    '13_wrong_model_name',
    '14_execute_kw_bad_password',
  ])('%s gives the same response bytes', async (folder) => {
    const { sent, expected } = await replay(folder);
    expect(sent.status).toBe(200);
    expect(sent.text).toBe(expected);
    expect(sent.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(sent.headers.get('connection')).toBe('close');
  });

  it('gives the access error of a non-admin user byte for byte', async () => {
    const { request, response } = capture('14e_access_error_demo_user');
    const sent = await postXml(objectUrl(), retarget(request, odoo.db));
    expect(sent.text).toBe(response);
  });

  it('ends an unknown-field fault with the ValueError line Odoo prints', async () => {
    const { sent, expected } = await replay('12_invalid_field_in_domain');
    const ours = parseTypedResponse(sent.text).fault;
    const theirs = parseTypedResponse(expected).fault;
    expect(ours?.faultCode).toBe(1);
    expect(ours?.faultString.startsWith('Traceback (most recent call last):\n')).toBe(true);
    expect(ours?.faultString.trimEnd().split('\n').at(-1)).toBe(theirs?.faultString.trimEnd().split('\n').at(-1));
  });

  it('answers an empty keyset page with an empty array, formatted as Odoo does', async () => {
    const { sent, expected } = await replay('08d_search_read_lines_keyset_empty');
    const lines = await call('survey.user_input.line', 'search_read', [[]], { limit: 1, order: 'id desc', fields: ['id'] });
    expect((lines as { id: number }[])[0].id).toBeLessThan(1002254);
    expect(sent.text).toBe(expected);
  });
});

// Captured search_read/read calls: the demo returns the same XML-RPC type per field (a value or
// `false` where the field can be empty), with keys in the requested order.
const shapeCaptures: [string, (args: unknown[]) => void][] = [
  ['07_search_read_crm_lead_page1', () => {}],
  ['07e_search_read_crm_lead_active_test_false', () => {}],
  ['07h_read_crm_lead_custom_fields', () => {}],
  ['07k_search_read_x_impact_unit_custom_model', () => {}],
  ['08b_search_read_lines_keyset_lead_answers', () => {}],
  ['08e_search_read_lines_default_order', () => {}],
  ['08g_search_read_user_inputs_for_leads', () => {}],
  ['08h_search_read_questions', (args) => ((args[0] as unknown[][])[0][2] = 2)],
  ['08i_search_read_suggested_answers', (args) => ((args[0] as unknown[][])[0][2] = 2)],
  ['09_search_read_attachments_cv', () => {}],
  ['16_search_read_lines_write_date_ge', (args) => ((args[0] as unknown[][])[0][2] = '2025-01-01 00:00:00')],
  ['16f_crm_lead_write_date_ge', (args) => ((args[0] as unknown[][])[0][2] = '2025-06-01 00:00:00')],
];

type CapturedCall = { params: unknown[] };

function parseCall(xml: string): Promise<CapturedCall> {
  const require = createRequire(import.meta.url);
  const Deserializer = require('xmlrpc/lib/deserializer.js');
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(Readable.from([xml]), (error: Error | null, _name: string, params: unknown[]) =>
      error ? reject(error) : resolve({ params }),
    );
  });
}

function typesByField(records: TypedValue): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const record of records.value as TypedValue[]) {
    for (const [name, value] of record.value as Map<string, TypedValue>) {
      if (!types.has(name)) types.set(name, new Set());
      types.get(name)?.add(value.type);
    }
  }
  return types;
}

describe('record shapes compared with a real Odoo 18', () => {
  it.each(shapeCaptures)('%s', async (folder, adjustArgs) => {
    const { request, response } = capture(folder);
    const { params } = await parseCall(request);
    const [, , , modelName, method, args, kwargs] = params as [string, number, string, string, string, unknown[], Record<string, unknown>];
    const model = findModel(modelName);
    if (!model) throw new Error(`no demo model ${modelName}`);
    adjustArgs(args);
    const known = (names: unknown) => (names as string[]).filter((name) => model.fields.some((field) => field.name === name));
    const ourKwargs = { ...kwargs, ...(kwargs.fields ? { fields: known(kwargs.fields) } : {}) } as Record<string, CallValue>;

    const ours = await executeKw(modelName, method, args as CallValue[], ourKwargs);
    expect(ours.parsed.fault).toBeUndefined();
    const theirs = parseTypedResponse(response).value as TypedValue;
    const ourRecords = ours.parsed.value as TypedValue;
    expect((ourRecords.value as TypedValue[]).length).toBeGreaterThan(0);

    const requested = (ourKwargs.fields as string[]).filter((name) => name !== 'id');
    for (const record of ourRecords.value as TypedValue[]) {
      expect([...(record.value as Map<string, TypedValue>).keys()]).toEqual(['id', ...requested]);
    }

    const theirTypes = typesByField(theirs);
    for (const [field, ourTypes] of typesByField(ourRecords)) {
      const seen = theirTypes.get(field);
      if (!seen) continue;
      const valueTypes = [...seen].filter((type) => type !== 'boolean');
      const fieldIsBoolean = valueTypes.length === 0 && model.fields.find((f) => f.name === field)?.type === 'boolean';
      if (valueTypes.length === 0 && !fieldIsBoolean) continue;
      const allowed = fieldIsBoolean ? ['boolean'] : valueTypes.some((type) => type === 'int' || type === 'double') ? valueTypes : [...valueTypes, 'boolean'];
      for (const type of ourTypes) expect(allowed, `${folder}: ${field} came back as ${type}`).toContain(type);
    }
  });

  it('returns every field, datas and raw included, when search_read has no field list', async () => {
    const records = (await call('ir.attachment', 'search_read', [[['res_model', '=', 'res.partner'], ['name', 'ilike', 'CV']]], { limit: 1 })) as Record<string, unknown>[];
    expect(records).toHaveLength(1);
    const keys = Object.keys(records[0]);
    expect(keys[0]).toBe('id');
    expect(keys).toEqual(expect.arrayContaining(['datas', 'raw', 'res_id', 'write_date']));
    expect(Buffer.from(String(records[0].datas), 'base64').toString('utf8')).toBe(records[0].raw);
  });
});

describe('fields_get compared with a real Odoo 18', () => {
  it.each(['04_fields_get_crm_lead', '05_fields_get_ir_attachment', '06_fields_get_survey_user_input_line'])(
    '%s describes the common fields identically',
    async (folder) => {
      const { sent, expected } = await replay(folder);
      const ours = plain(parseTypedResponse(sent.text).value as TypedValue) as Record<string, unknown>;
      const theirs = plain(parseTypedResponse(expected).value as TypedValue) as Record<string, unknown>;
      const common = Object.keys(ours).filter((name) => name in theirs);
      expect(common.length).toBeGreaterThan(10);
      for (const name of common) expect(ours[name], name).toEqual(theirs[name]);
    },
  );

  it('gives French labels and selection pairs with context lang fr_FR', async () => {
    const { sent, expected } = await replay('04b_fields_get_crm_lead_fr_selection');
    const ours = plain(parseTypedResponse(sent.text).value as TypedValue) as Record<string, Record<string, unknown>>;
    const theirs = plain(parseTypedResponse(expected).value as TypedValue) as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(ours)) {
      const { selection: ourSelection, ...ourRest } = ours[name];
      const { selection: theirSelection, ...theirRest } = theirs[name];
      expect(ourRest, name).toEqual(theirRest);
      // This company's x_region and x_parcours have more keys than the captured database.
      if (theirSelection) expect((ourSelection as unknown[]).slice(0, (theirSelection as unknown[]).length), name).toEqual(theirSelection);
    }
    expect(Object.keys(ours)).toEqual(Object.keys(theirs).filter((name) => name in ours));
  });
});

describe('faults', () => {
  it('reports an unknown model as fault 2', async () => {
    const result = await fault('crm.leads', 'search_read', [[]], { fields: ['id'] });
    expect(result.faultCode).toBe(2);
    expect(result.faultString).toBe("Object crm.leads doesn't exist");
  });

  it('reports unknown fields in fields and order as ValueError', async () => {
    expect((await fault('crm.lead', 'search_read', [[]], { fields: ['foo'] })).lastLine).toBe(
      "ValueError: Invalid field 'foo' on model 'crm.lead'",
    );
    const order = await fault('crm.lead', 'search', [[]], { order: 'foo desc' });
    expect(order.faultCode).toBe(1);
    expect(order.lastLine).toBe("ValueError: Invalid field 'foo' on model 'crm.lead'");
    expect((await fault('crm.lead', 'search', [[]], { order: 'id sideways' })).faultCode).toBe(2);
  });

  it('faults 1 on method, operator, offset', async () => {
    expect((await fault('crm.lead', 'frobnicate', [[]])).lastLine).toBe("AttributeError: The method 'crm.lead.frobnicate' does not exist");
    expect((await fault('crm.lead', 'search', [[['id', 'between', 1]]])).lastLine).toBe(
      "ValueError: Invalid leaf ('id', 'between', 1)",
    );
    const offset = await fault('crm.lead', 'search', [[]], { offset: -1 });
    expect(offset.faultCode).toBe(1);
    expect(offset.lastLine).toBe('psycopg2.errors.InvalidRowCountInResultOffsetClause: OFFSET must not be negative');
  });

  it('refuses private methods with fault 4', async () => {
    expect((await fault('crm.lead', '_read_group', [[]])).faultCode).toBe(4);
  });

  it('faults 3 or 2 on bad uid', async () => {
    const noUid = await postXml(objectUrl(), methodCall('execute_kw', [odoo.db, false, odoo.password, 'crm.lead', 'search_count', [[]]]));
    expect(parseTypedResponse(noUid.text).fault).toEqual({ faultCode: 3, faultString: 'Access Denied' });
    const ghost = await postXml(objectUrl(), methodCall('execute_kw', [odoo.db, 99, odoo.password, 'crm.lead', 'search_count', [[]]]));
    expect(parseTypedResponse(ghost.text).fault?.faultCode).toBe(2);
  });

  it('answers an unknown URL with 404 HTML and a GET with 405', async () => {
    const missing = await fetch(`${odoo.url}/nowhere`, { method: 'POST', body: '' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect((await fetch(objectUrl())).status).toBe(405);
  });

  it('turns malformed XML into fault 1', async () => {
    const response = await postXml(objectUrl(), '<methodCall><methodName>execute_kw');
    expect(response.status).toBe(200);
    expect(parseTypedResponse(response.text).fault?.faultCode).toBe(1);
  });
});

describe('searching over RPC', () => {
  it('pages with limit and offset without gaps or overlaps', async () => {
    const all = (await call('survey.user_input.line', 'search', [[['id', '<=', 400]]], { order: 'id asc' })) as number[];
    const pages: number[] = [];
    for (let offset = 0; offset < all.length + 50; offset += 37) {
      pages.push(...((await call('survey.user_input.line', 'search', [[['id', '<=', 400]]], { order: 'id asc', limit: 37, offset })) as number[]));
    }
    expect(all.length).toBe(400);
    expect(pages).toEqual(all);
    expect(await call('survey.user_input.line', 'search', [[['id', '<=', 400]]], { limit: 0 })).toHaveLength(400);
    expect(await call('survey.user_input.line', 'search', [[['id', '<=', 400]]], { limit: false })).toHaveLength(400);
    expect(await call('survey.user_input.line', 'search', [[]], { offset: 10_000_000 })).toEqual([]);
  });

  it('uses Odoo default orders', async () => {
    const leadRows = (await executeKw('crm.lead', 'search_read', [[]], { fields: ['priority'] })).parsed;
    const priorities = plain(leadRows.value as TypedValue) as { id: number; priority: string }[];
    const expectedLeads = [...priorities].sort((a, b) => b.priority.localeCompare(a.priority) || b.id - a.id);
    expect(priorities).toEqual(expectedLeads);

    const lines = plain(
      (await executeKw('survey.user_input.line', 'search_read', [[['user_input_id', 'in', [3, 4, 5]]]], { fields: ['question_sequence'] })).parsed
        .value as TypedValue,
    ) as { id: number; question_sequence: number }[];
    expect(lines.length).toBeGreaterThan(10);
    expect(lines).toEqual([...lines].sort((a, b) => a.question_sequence - b.question_sequence || a.id - b.id));

    const attachmentIds = plain((await executeKw('ir.attachment', 'search', [[]], { limit: 20 })).parsed.value as TypedValue) as number[];
    expect(attachmentIds).toEqual([...attachmentIds].sort((a, b) => b - a));
  });

  it('hides archived leads unless asked, and reads them by id', async () => {
    const count = async (domain: CallValue[], kwargs: Record<string, CallValue> = {}) =>
      plain((await executeKw('crm.lead', 'search_count', [domain], kwargs)).parsed.value as TypedValue) as number;
    const visible = await count([]);
    const everything = await count([], { context: { active_test: false } });
    const archived = await count([['active', '=', false]]);
    expect(archived).toBeGreaterThan(0);
    expect(everything).toBe(visible + archived);
    expect(await count([['active', 'in', [true, false]]])).toBe(everything);

    const archivedIds = plain((await executeKw('crm.lead', 'search', [[['active', '=', false]]], { limit: 2 })).parsed.value as TypedValue) as number[];
    const read = plain((await executeKw('crm.lead', 'read', [archivedIds], { fields: ['active'] })).parsed.value as TypedValue);
    expect(read).toEqual(archivedIds.map((id) => ({ id, active: false })));
  });

  it('matches rows written within a second only with their microseconds', async () => {
    const [line] = plain(
      (await executeKw('survey.user_input.line', 'search_read', [[]], { fields: ['write_date'], limit: 1, order: 'id desc' })).parsed.value as TypedValue,
    ) as { write_date: string }[];
    const countWhere = async (operator: string) =>
      plain((await executeKw('survey.user_input.line', 'search_count', [[['write_date', operator, line.write_date]]])).parsed.value as TypedValue);
    expect(line.write_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await countWhere('=')).toBe(0);
    expect(await countWhere('>')).toBeGreaterThan(0);
    const tVariant = plain(
      (await executeKw('survey.user_input.line', 'search_count', [[['write_date', '>', line.write_date.replace(' ', 'T')]]])).parsed.value as TypedValue,
    );
    expect(tVariant).toBe(await countWhere('>'));
  });
});

describe('writing over RPC', () => {
  it('creates and writes leads, stamping one write_date per call', async () => {
    const id = (await call('crm.lead', 'create', [{ name: 'Nadia Test - RPC', contact_name: 'Test', x_region: 'idf', stage_id: 3 }])) as number;
    const ids = (await call('crm.lead', 'create', [[{ name: 'A' }, { name: 'B' }]])) as number[];
    expect(ids).toEqual([id + 1, id + 2]);

    expect(await call('crm.lead', 'write', [[id, ...ids], { priority: '2', x_parcours: 'emploi' }])).toBe(true);
    const rows = (await call('crm.lead', 'read', [[id, ...ids]], { fields: ['name', 'stage_id', 'priority', 'write_date', 'create_date'] })) as Record<string, unknown>[];
    expect(rows.map((row) => row.id)).toEqual([id, ...ids]);
    expect(rows[0].stage_id).toEqual([3, "En recherche d'entreprise"]);
    expect(new Set(rows.map((row) => row.write_date)).size).toBe(1);
    expect(rows[1].create_date).toBe(rows[2].create_date);

    const missing = await fault('crm.lead', 'write', [[999_999], { name: 'x' }]);
    expect(missing.faultCode).toBe(2);
    const badSelection = await fault('crm.lead', 'write', [[id], { x_region: 'atlantis' }]);
    expect(badSelection.faultCode).toBe(1);
  });
});
