/**
 * `OdooClient` over Odoo's JSON-RPC API: `POST /jsonrpc` with
 * `{"jsonrpc": "2.0", "method": "call", "params": {"service", "method", "args"}, "id"}`.
 *
 * The services, methods and result values are those of XML-RPC (`common.authenticate`,
 * `object.execute_kw`, `false` for empty values), served by Odoo 16 to 19. The body is a third
 * of the size, and `JSON.parse` decodes it far faster than any XML decoder. Errors arrive
 * with HTTP 200 as `{"error": {"data": {"name": "<python exception class>", "message", "debug"}}}`.
 * NOTE: the body is parsed in one `JSON.parse` call once complete (about 10 ms for a 2 MB page of
 * 5,000 rows); the event loop is blocked for that long.
 */
import type http from 'node:http';
import { exceptionToFault, faultToError, readJsonException, type OdooCallContext } from './errors.ts';
import { cachedLogin } from './login.ts';
import {
  badResponseError,
  createHttpExchanger,
  endpointUrl,
  httpStatusError,
  parseBaseUrl,
  readPreview,
  readText,
  type OdooConnectionOptions,
} from './http-exchange.ts';
import { encodeOdooJson, parseOdooJson } from './json-body.ts';
import { buildOdooClient, toExecuteKwArguments, type CallOptions, type OdooTransportClient } from './model-client.ts';

export type JsonRpcOdooClient = OdooTransportClient & {
  /** Calls any model method through `execute_kw`. NOTE: retried on transport errors; use it for reads. */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
};

/** Reads a JSON-RPC envelope: its `result`, or the Odoo error it carries. */
function readEnvelope(text: string, context: OdooCallContext): unknown {
  let envelope: unknown;
  try {
    envelope = parseOdooJson(text);
  } catch (error) {
    throw badResponseError(context, 'JSON-RPC', (error as Error).message, error);
  }
  if (envelope === null || typeof envelope !== 'object') throw badResponseError(context, 'JSON-RPC', `got ${text.slice(0, 80)}`);
  const { result, error } = envelope as { result?: unknown; error?: { message?: unknown; data?: unknown } };
  if (error === undefined) {
    if (!('result' in envelope)) throw badResponseError(context, 'JSON-RPC', 'neither "result" nor "error" in the envelope');
    return result;
  }
  const exception = readJsonException(error?.data);
  if (!exception) throw badResponseError(context, 'JSON-RPC', `unexpected error ${JSON.stringify(error).slice(0, 200)}`);
  throw faultToError(exceptionToFault(exception), context);
}

export function createJsonRpcOdooClient(options: OdooConnectionOptions): JsonRpcOdooClient {
  const baseUrl = parseBaseUrl(options.url);
  const url = endpointUrl(baseUrl, '/jsonrpc');
  const exchanger = createHttpExchanger(baseUrl, options, 'JSON-RPC');
  const identity = { db: options.db, user: options.user };
  let nextId = 1;

  function call(service: string, method: string, args: unknown[], context: { model?: string; method: string }, signal?: AbortSignal) {
    const callContext = { ...identity, ...context, url: url.href };
    const body = encodeOdooJson({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: nextId++ });
    return exchanger.send({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body,
      context: callContext,
      signal,
      async readResponse(response: http.IncomingMessage) {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          throw httpStatusError(status, response.statusMessage ?? '', await readPreview(response), callContext, '/jsonrpc');
        }
        return readEnvelope(await readText(response), callContext);
      },
    });
  }

  const authenticate = cachedLogin({
    authenticate: () => call('common', 'authenticate', [options.db, options.user, options.apiKey, {}], { method: 'authenticate' }),
    db: options.db,
    user: options.user,
    url: url.href,
    origin: baseUrl.origin,
    transport: 'jsonrpc',
    logger: options.logger,
  });

  async function executeKw(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    callOptions: CallOptions = {},
  ): Promise<unknown> {
    const uid = await authenticate();
    const params = [options.db, uid, options.apiKey, model, method, args, kwargs];
    return call('object', 'execute_kw', params, { model, method }, callOptions.signal);
  }

  const client = buildOdooClient(
    {
      transport: 'jsonrpc',
      async version() {
        const result = (await call('common', 'version', [], { method: 'version' })) as Record<string, unknown> | null;
        return {
          serverVersion: String(result?.server_version ?? ''),
          serverVersionInfo: Array.isArray(result?.server_version_info) ? result.server_version_info : [],
        };
      },
      authenticate,
      callModel(modelCall) {
        const { args, kwargs } = toExecuteKwArguments(modelCall);
        return executeKw(modelCall.model, modelCall.method, args, kwargs, { signal: modelCall.signal });
      },
      close: exchanger.close,
    },
    identity,
  );
  return { ...client, executeKw };
}
