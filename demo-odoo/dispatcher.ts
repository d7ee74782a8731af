/**
 * Odoo's external API services (`common`, `object`, `db`) over the demo store, independent of the
 * wire protocol: `dispatch(service, method, params)` returns a value or throws an `OdooFault`.
 * XML-RPC, JSON-RPC (`/jsonrpc`) and JSON-2 (`/json/2/…`) all call it.
 */
import { accessDenied, accessError, missingError, serverError, userError } from './faults.ts';
import { findModel } from './models.ts';
import { pythonRepr } from './python-repr.ts';
import type { RpcValue } from './rpc-values.ts';
import type { DemoOdooStore } from './store.ts';

export type DemoUser = { uid: number; login: string; password: string; isAdmin: boolean };

export type DispatcherConfig = {
  db: string;
  users: DemoUser[];
  store: DemoOdooStore;
  /** Version the server reports, such as `19.0`; Odoo 18's when absent. */
  version?: string;
};

export type Dispatch = (service: string, method: string, params: unknown[]) => Promise<RpcValue>;

export const serverVersion = {
  server_version: '18.0',
  server_version_info: [18, 0, 0, 'final', 0, ''],
  server_serie: '18.0',
  protocol_version: 1,
};

/** Builds the result of `common.version` for a version string such as `19.0`. */
export function versionInfo(version: string): typeof serverVersion {
  const [major, minor] = version.split('.').map(Number);
  return { server_version: version, server_version_info: [major, minor || 0, 0, 'final', 0, ''], server_serie: version, protocol_version: 1 };
}

export function createDispatcher(config: DispatcherConfig): Dispatch {
  return async (service, method, params) => {
    if (service === 'common') return dispatchCommon(config, method, params);
    if (service === 'object') return dispatchObject(config, method, params);
    if (service === 'db') return dispatchDb(config, method);
    throw serverError('KeyError', pythonRepr(service));
  };
}

function dispatchCommon(config: DispatcherConfig, method: string, params: unknown[]): RpcValue {
  if (method === 'version') return config.version ? versionInfo(config.version) : serverVersion;
  if (method === 'authenticate' || method === 'login') {
    const [db, login, password] = params;
    requireDatabase(config, db);
    const user = config.users.find((candidate) => candidate.login === login && candidate.password === password);
    // A bad login or password is `False`, not a fault.
    return user ? user.uid : false;
  }
  throw serverError('Exception', `Method not found: ${method}`);
}

function dispatchDb(config: DispatcherConfig, method: string): RpcValue {
  if (method === 'list') return [config.db];
  if (method === 'server_version') return config.version ?? serverVersion.server_version;
  throw serverError('KeyError', pythonRepr(`exp_${method}`));
}

async function dispatchObject(config: DispatcherConfig, method: string, params: unknown[]): Promise<RpcValue> {
  const [db, uidParam, password, modelName, modelMethod, ...rest] = params;
  requireDatabase(config, db);
  const user = checkCredentials(config, uidParam, password);

  let args: unknown[];
  let kwargs: Record<string, unknown>;
  if (method === 'execute_kw') {
    args = Array.isArray(rest[0]) ? rest[0] : [];
    kwargs = isStruct(rest[1]) ? rest[1] : {};
  } else if (method === 'execute') {
    args = rest;
    kwargs = {};
  } else {
    throw serverError('NameError', `Method not available ${method}`);
  }

  const model = findModel(String(modelName));
  if (!model) throw userError(`Object ${String(modelName)} doesn't exist`);
  const methodName = String(modelMethod);
  if (methodName.startsWith('_')) {
    throw accessError(`Private methods (such as ${model.name}.${methodName}) cannot be called remotely.`);
  }
  if (model.adminOnly && !user.isAdmin) throw accessError(accessErrorMessage(model.description, model.name));

  return callModelMethod(config.store, model.name, methodName, args, kwargs, user.uid);
}

// Parameter names of each method in Python order. Every method also accepts `context`.
const signatures: Record<string, string[]> = {
  search_read: ['domain', 'fields', 'offset', 'limit', 'order', 'load'],
  search: ['domain', 'offset', 'limit', 'order'],
  search_count: ['domain', 'limit'],
  read: ['ids', 'fields', 'load'],
  fields_get: ['allfields', 'attributes'],
  create: ['vals_list'],
  write: ['ids', 'vals'],
  unlink: ['ids'],
};

async function callModelMethod(
  store: DemoOdooStore,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  uid: number,
): Promise<RpcValue> {
  const signature = signatures[method];
  if (!signature) throw serverError('AttributeError', `The method '${model}.${method}' does not exist`);
  const call = bindArguments(model, method, signature, args, kwargs);
  const context = isStruct(call.context) ? call.context : {};

  switch (method) {
    case 'search_read':
      return store.searchRead(model, call.domain, { ...call, context });
    case 'search':
      return store.search(model, call.domain, { ...call, context });
    case 'search_count': {
      const count = await store.searchCount(model, call.domain, context);
      const limit = Number(call.limit);
      return limit > 0 ? Math.min(count, limit) : count;
    }
    case 'read':
      return store.read(model, call.ids, call);
    case 'fields_get':
      return store.fieldsGet(model, {
        fields: call.allfields,
        attributes: call.attributes,
        lang: typeof context.lang === 'string' ? context.lang : undefined,
      });
    case 'create': {
      const single = isStruct(call.vals_list);
      const rows = single ? [call.vals_list] : Array.isArray(call.vals_list) ? call.vals_list : [];
      const ids = await store.createRecords(model, rows as Record<string, unknown>[], uid);
      return single ? ids[0] : ids;
    }
    case 'write':
      if (!isStruct(call.vals)) throw serverError('TypeError', `write() missing 1 required positional argument: 'vals'`);
      await store.writeRecords(model, call.ids, call.vals, uid);
      return true;
    default:
      await store.deleteRecords(model, call.ids);
      return true;
  }
}

/** Python's argument binding: positional, then keywords, with Python's TypeErrors. */
function bindArguments(
  model: string,
  method: string,
  signature: string[],
  args: unknown[],
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  const qualified = `${model}.${method}()`;
  if (args.length > signature.length) {
    throw serverError('TypeError', `${qualified} takes ${signature.length} positional arguments but ${args.length} were given`);
  }
  const call: Record<string, unknown> = {};
  signature.forEach((name, index) => {
    if (index < args.length) call[name] = args[index];
  });
  for (const [name, value] of Object.entries(kwargs)) {
    if (name === 'context') {
      call.context = value;
      continue;
    }
    if (!signature.includes(name)) throw serverError('TypeError', `${qualified} got an unexpected keyword argument '${name}'`);
    if (name in call) throw serverError('TypeError', `${qualified} got multiple values for argument '${name}'`);
    call[name] = value;
  }
  return call;
}

function requireDatabase(config: DispatcherConfig, db: unknown): void {
  if (db === config.db) return;
  throw serverError(
    'psycopg2.OperationalError',
    `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`,
  );
}

/** Fault 3 for a bad password or a uid of False, fault 2 for a uid that names no user. */
function checkCredentials(config: DispatcherConfig, uidParam: unknown, password: unknown): DemoUser {
  const uid = Number(uidParam);
  if (!uid) throw accessDenied();
  const user = config.users.find((candidate) => candidate.uid === uid);
  if (!user) throw missingError('Record does not exist or has been deleted.');
  if (user.password !== password) throw accessDenied();
  return user;
}

function accessErrorMessage(description: string, modelName: string): string {
  const label = description.replace(` (${modelName})`, '');
  return (
    `Vous n'êtes pas autorisé à accéder aux enregistrements '${label}' (${modelName}).' \n\n` +
    'Cette opération est autorisée pour les groupes suivants :\n\t- Administration/Settings\n\n' +
    "Contactez votre administrateur pour demander l'accès si nécessaire."
  );
}

function isStruct(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
