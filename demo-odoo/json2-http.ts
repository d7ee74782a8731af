/**
 * Odoo 19's JSON-2 API on node:http: `POST /json/2/<model>/<method>` with a bearer API key, the
 * database in `X-Odoo-Database` and named arguments, served by the same dispatcher as XML-RPC.
 *
 * Success is status 200 with the bare result. Errors use Odoo 19's status codes and body
 * `{name, message, arguments, context, debug}`: 400 malformed JSON, 401 missing or wrong key,
 * 403 access error or private method, 404 unknown model or method (and an HTML 404 for an unknown
 * database), 415 HTML when the request is not JSON, 422 bad arguments or a UserError, 500 other
 * exceptions (an unknown field is a 500 `builtins.ValueError`).
 * NOTE: the demo takes a user's password as its API key; a real Odoo accepts only API keys here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoUser, Dispatch } from './dispatcher.ts';
import { OdooFault, serverError } from './faults.ts';
import { faultException, werkzeugException, type JsonException } from './json-exceptions.ts';
import { findModel } from './models.ts';
import { readBody, sendHtml } from './xmlrpc-http.ts';

export type Json2Config = { db: string; users: DemoUser[]; dispatch: Dispatch };

const ENTRY_POINT = 'json2.py';
const methodPath = /^\/json\/2\/([^/]+)\/([^/]+)\/?$/;

/** Methods called on the model, not on records: `ids` makes no sense for them. */
const modelMethods = new Set(['search_read', 'search', 'search_count', 'fields_get', 'create', 'context_get']);
/** Methods whose Python signature requires a `domain`. */
const domainMethods = new Set(['search_read', 'search', 'search_count']);

/** An HTTP error response decided before or after dispatching. */
class Json2Response extends Error {
  readonly status: number;
  readonly exception: JsonException;
  readonly headers: Record<string, string>;

  constructor(status: number, exception: JsonException, headers: Record<string, string> = {}) {
    super(exception.message);
    this.status = status;
    this.exception = exception;
    this.headers = headers;
  }
}

const reasons: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthorized', 'Unauthorized'],
  404: ['NotFound', 'Not Found'],
  422: ['UnprocessableEntity', 'Unprocessable Entity'],
};

function werkzeug(status: number, message: string, headers: Record<string, string> = {}): Json2Response {
  const [className, reason] = reasons[status];
  return new Json2Response(status, werkzeugException(className, status, reason, message, ENTRY_POINT), headers);
}

export async function handleJson2(config: Json2Config, request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
  const contentType = String(request.headers['content-type'] ?? '');
  if (request.method !== 'POST' || !/^application\/json\s*(;|$)/i.test(contentType)) {
    request.resume();
    sendHtml(
      response,
      415,
      'Unsupported Media Type',
      "Request inferred type is compatible with ['http'] but '/json/2/&lt;__model__&gt;/&lt;__method__&gt;' is type='json2'.<br><br>Please verify the Content-Type request header and try again.",
      { Accept: 'application/json' },
    );
    return;
  }

  const database = request.headers['x-odoo-database'];
  if (database !== undefined && database !== config.db) {
    request.resume();
    sendHtml(response, 404, 'Not Found', 'No database is selected and the requested URL was not found in the server-wide controllers.');
    return;
  }

  const body = await readBody(request);
  try {
    const match = methodPath.exec(pathname);
    if (!match) throw werkzeug(404, 'Did you mean POST /json/2/<model>/<method>?');
    const user = authenticate(config, request.headers.authorization);
    const named = parseArguments(body);
    const result = await call(config, user, decodeURIComponent(match[1]), decodeURIComponent(match[2]), named);
    sendJson(response, 200, JSON.stringify(result ?? null), { 'X-Content-Type-Options': 'nosniff' });
  } catch (error) {
    const answer = error instanceof Json2Response ? error : faultResponse(error);
    sendJson(response, answer.status, JSON.stringify(answer.exception), answer.headers);
  }
}

function authenticate(config: Json2Config, authorization: string | undefined): DemoUser {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer ' };
  if (!bearer) throw werkzeug(401, 'User not authenticated, use an API Key with a Bearer Authorization header.', challenge);
  const user = config.users.find((candidate) => candidate.password === bearer[1]);
  if (!user) throw werkzeug(401, 'Invalid apikey', challenge);
  return user;
}

/** Parses the named arguments; like Odoo, it ignores a body that is valid JSON but not an object. */
function parseArguments(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw werkzeug(400, `could not parse the body as json: ${(error as Error).message}`);
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

async function call(config: Json2Config, user: DemoUser, modelName: string, method: string, named: Record<string, unknown>): Promise<unknown> {
  const model = findModel(modelName);
  if (!model) throw werkzeug(404, `the model '${modelName}' does not exist`);
  if (method.startsWith('_')) {
    const message = `Private methods (such as '${modelName}.${method}') cannot be called remotely.`;
    throw new Json2Response(403, faultException(new OdooFault('access_error', 'odoo.exceptions.AccessError', message), ENTRY_POINT));
  }

  const { ids, ...kwargs } = named;
  const hasIds = Array.isArray(ids) ? ids.length > 0 : ids !== undefined && ids !== null;
  if (hasIds && modelMethods.has(method)) throw werkzeug(422, `cannot call ${modelName}.${method} with ids`);
  if (domainMethods.has(method) && !('domain' in kwargs)) throw werkzeug(422, "missing a required argument: 'domain'");

  // The user's context, which the JSON-2 client reads its uid from.
  if (modelName === 'res.users' && method === 'context_get') return { lang: 'fr_FR', tz: 'Europe/Paris', uid: user.uid };

  // Record methods take the ids as their first positional argument; a single id counts as a list of one.
  let args: unknown[] = [];
  if (!modelMethods.has(method)) {
    if (Array.isArray(ids)) args = [ids];
    else if (ids === undefined) args = [[]];
    else args = [[ids]];
  }
  try {
    const result = await config.dispatch('object', 'execute_kw', [config.db, user.uid, user.password, modelName, method, args, kwargs]);
    // JSON-2 turns recordsets into lists of ids, so `create` always returns a list.
    return method === 'create' && typeof result === 'number' ? [result] : result;
  } catch (error) {
    throw bindingError(error, modelName, method) ?? error;
  }
}

/**
 * Argument errors: Odoo checks the JSON-2 arguments against the Python signature (422), except for
 * methods taking `**kwargs` such as `search_read`, where a misspelt name fails later as a TypeError (500).
 */
function bindingError(error: unknown, modelName: string, method: string): Json2Response | undefined {
  if (!(error instanceof OdooFault)) return undefined;
  if (error.exceptionType === 'AttributeError' && /does not exist/.test(error.message)) {
    return werkzeug(404, `The method '${modelName}.${method}' does not exist`);
  }
  const unexpected = /got an unexpected keyword argument '([^']+)'/.exec(error.message);
  if (error.exceptionType === 'TypeError' && unexpected && method !== 'search_read') {
    return werkzeug(422, `got an unexpected keyword argument '${unexpected[1]}'`);
  }
  return undefined;
}

function faultResponse(error: unknown): Json2Response {
  if (!(error instanceof OdooFault)) console.error(`demo-odoo: unexpected error in a JSON-2 call: ${String(error)}`);
  const fault = error instanceof OdooFault ? error : serverError('Exception', String(error));
  const status =
    fault.kind === 'access_denied'
      ? 401
      : fault.kind === 'access_error'
        ? 403
        : fault.kind === 'user_error'
          ? fault.exceptionType.endsWith('MissingError')
            ? 404
            : 422
          : 500;
  return new Json2Response(status, faultException(fault, ENTRY_POINT));
}

/** Error responses carry no `X-Content-Type-Options`, success responses do. */
function sendJson(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  const body = Buffer.from(text, 'utf8');
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    Connection: 'close',
    ...headers,
  });
  response.end(body);
}
