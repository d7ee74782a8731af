/**
 * `OdooClient` over Odoo's XML-RPC API (`/xmlrpc/2/common` and `/xmlrpc/2/object`), the one API
 * every Odoo from 16 to 19 serves (19 logs a deprecation warning on each call).
 *
 * Faults arrive with HTTP 200 and become the typed errors of `errors.ts`. Responses are decoded as
 * they stream in by the connector's own decoder (`xmlrpc-decoder.ts`); the `xmlrpc` package's
 * decoder, several times slower, stays available for comparison.
 */
import type http from 'node:http';
import { faultToError } from './errors.ts';
import { cachedLogin } from './login.ts';
import {
  createHttpExchanger,
  endpointUrl,
  httpStatusError,
  parseBaseUrl,
  readPreview,
  type OdooConnectionOptions,
} from './http-exchange.ts';
import { buildOdooClient, toExecuteKwArguments, type CallOptions, type OdooTransportClient } from './model-client.ts';
import { decodeMethodResponse, encodeMethodCall, XmlRpcFaultResponse } from './xmlrpc-codec.ts';
import { decodeXmlRpcResponseStream } from './xmlrpc-decoder.ts';

export type { StructuredLogger } from './http-exchange.ts';

export type XmlRpcOdooClientOptions = OdooConnectionOptions & {
  /** `fast` (default): the connector's streaming decoder; `xmlrpc-package`: the `xmlrpc` package's. */
  decoder?: 'fast' | 'xmlrpc-package';
};

export type XmlRpcOdooClient = OdooTransportClient & {
  /**
   * Calls any model method through `execute_kw`.
   * NOTE: transport errors are retried, so a write that timed out may be applied twice; use it for reads.
   */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
};

export function createXmlRpcOdooClient(options: XmlRpcOdooClientOptions): XmlRpcOdooClient {
  const baseUrl = parseBaseUrl(options.url);
  const commonUrl = endpointUrl(baseUrl, '/xmlrpc/2/common');
  const objectUrl = endpointUrl(baseUrl, '/xmlrpc/2/object');
  const exchanger = createHttpExchanger(baseUrl, options, 'XML-RPC');
  const decode = options.decoder === 'xmlrpc-package' ? decodeMethodResponse : decodeXmlRpcResponseStream;
  const identity = { db: options.db, user: options.user };

  function call(url: URL, method: string, params: unknown[], context: { model?: string; method: string }, signal?: AbortSignal) {
    const callContext = { ...identity, ...context, url: url.href };
    return exchanger.send({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' },
      body: encodeMethodCall(method, params),
      context: callContext,
      signal,
      async readResponse(response: http.IncomingMessage) {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          throw httpStatusError(status, response.statusMessage ?? '', await readPreview(response), callContext, '/xmlrpc/2/');
        }
        try {
          return await decode(response);
        } catch (error) {
          if (error instanceof XmlRpcFaultResponse) throw faultToError(error.fault, callContext);
          throw error;
        }
      },
    });
  }

  const authenticate = cachedLogin({
    authenticate: () => call(commonUrl, 'authenticate', [options.db, options.user, options.apiKey, {}], { method: 'authenticate' }),
    db: options.db,
    user: options.user,
    url: commonUrl.href,
    origin: baseUrl.origin,
    transport: 'xmlrpc',
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
    return call(objectUrl, 'execute_kw', [options.db, uid, options.apiKey, model, method, args, kwargs], { model, method }, callOptions.signal);
  }

  const client = buildOdooClient(
    {
      transport: 'xmlrpc',
      async version() {
        const result = (await call(commonUrl, 'version', [], { method: 'version' })) as Record<string, unknown>;
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
