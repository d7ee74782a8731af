/**
 * A minimal XML-RPC Odoo for tests, serving recorded Odoo 18 rows over real HTTP on 127.0.0.1.
 *
 * It implements `authenticate`, `fields_get` (the recorded response) and `search_read` /
 * `search_count` over an in-memory list of records, honouring `id > n` leaves, `order 'id asc'`
 * and `limit`. Anything else is a fault, like Odoo would send for an unsupported call.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { captureReply, startReplayServer, type ReplayReply, type ReplayServer } from './replay-server.ts';

type Row = Record<string, unknown> & { id: number };

export type FixtureModel = { rows: Row[]; fieldsGetCapture: string };

export type FixtureOdoo = ReplayServer & {
  db: string;
  user: string;
  password: string;
  /** `search_read` calls received, with their decoded domain and keyword arguments. */
  searchReads: { model: string; domain: unknown[]; kwargs: Record<string, unknown> }[];
};

const require = createRequire(import.meta.url);
const Deserializer = require('xmlrpc/lib/deserializer.js');
const serializer = require('xmlrpc/lib/serializer.js') as {
  serializeMethodResponse(value: unknown): string;
  serializeFault(fault: unknown): string;
};

function decodeCall(body: string): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(Readable.from([body]), (error: unknown, method: string, params: unknown[]) =>
      error ? reject(error) : resolve({ method, params }),
    );
  });
}

function result(value: unknown): ReplayReply {
  return { body: serializer.serializeMethodResponse(value) };
}

function fault(faultCode: number, faultString: string): ReplayReply {
  return { body: serializer.serializeFault({ faultCode, faultString }) };
}

/** Keeps rows matching the `['id', '>', n]` leaves of `domain`; other leaves are not supported. */
function applyDomain(rows: Row[], domain: unknown[]): Row[] {
  let matching = rows;
  for (const term of domain) {
    if (!Array.isArray(term) || term[0] !== 'id' || term[1] !== '>') {
      throw new Error(`unsupported domain term for the fixture Odoo: it implements only ['id', '>', n] leaves, got ${JSON.stringify(term)}`);
    }
    matching = matching.filter((row) => row.id > (term[2] as number));
  }
  return matching;
}

export async function startFixtureOdoo(models: Record<string, FixtureModel>): Promise<FixtureOdoo> {
  const db = 'odoo_crm';
  const user = 'admin';
  const password = 'admin';
  const searchReads: FixtureOdoo['searchReads'] = [];

  const server = await startReplayServer(async ({ body }) => {
    const call = await decodeCall(body);
    if (call.method === 'authenticate') {
      const [, login, secret] = call.params;
      return login === user && secret === password ? captureReply('02_common_authenticate_ok') : result(false);
    }
    if (call.method !== 'execute_kw') return fault(1, `Traceback (most recent call last):\nKeyError: '${call.method}'`);

    const [, , secret, modelName, method, args, kwargs = {}] = call.params as [
      string,
      number,
      string,
      string,
      string,
      unknown[],
      Record<string, unknown>,
    ];
    if (secret !== password) return fault(3, 'Access Denied');
    const model = models[modelName];
    if (!model) return fault(2, `Object ${modelName} doesn't exist`);

    if (method === 'fields_get') return captureReply(model.fieldsGetCapture);
    const domain = (args[0] ?? []) as unknown[];
    if (method === 'search_count') return result(applyDomain(model.rows, domain).length);
    if (method !== 'search_read') return fault(1, `Traceback (most recent call last):\nAttributeError: no method ${method}`);

    searchReads.push({ model: modelName, domain, kwargs });
    const fields = kwargs.fields as string[];
    const unknown = fields.find((field) => !(field in model.rows[0]));
    if (unknown) {
      return fault(1, `Traceback (most recent call last):\nValueError: Invalid field '${unknown}' on model '${modelName}'`);
    }
    const sorted = [...applyDomain(model.rows, domain)].sort((a, b) => a.id - b.id);
    const limit = typeof kwargs.limit === 'number' && kwargs.limit > 0 ? kwargs.limit : sorted.length;
    const page = sorted.slice(0, limit).map((row) => Object.fromEntries(['id', ...fields].map((field) => [field, row[field]])));
    return result(page);
  });

  return { ...server, db, user, password, searchReads };
}
