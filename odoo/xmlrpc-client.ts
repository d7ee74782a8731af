/**
 * `OdooClient` over Odoo's XML-RPC API (`/xmlrpc/2/common` and `/xmlrpc/2/object`).
 *
 * Each call is one HTTP POST with its own timeout. Transport failures (timeouts, resets, refused
 * connections, HTTP 5xx) are retried here with exponential backoff and still surface as retryable
 * `OdooTransportError`s afterwards, so Temporal can retry the whole activity. Faults become the
 * typed errors of `errors.ts`.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  authenticationFailed,
  faultToError,
  OdooError,
  OdooTransportError,
  type OdooCallContext,
} from './errors.ts';
import type { Domain, FieldDescription, KeysetPageRequest, OdooClient, OdooRecord, SearchReadOptions } from './types.ts';
import { decodeMethodResponse, encodeMethodCall, XmlRpcFaultResponse } from './xmlrpc-codec.ts';

/** The subset of a pino logger the connector uses. */
export type StructuredLogger = {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type XmlRpcOdooClientOptions = {
  /** Base URL of the Odoo server, e.g. `https://odoo.example.com` (a path prefix is kept). */
  url: string;
  db: string;
  user: string;
  /** API key or password of `user`. Never logged. */
  apiKey: string;
  /** Upper bound for one HTTP exchange, response body included, in milliseconds. */
  timeoutMs: number;
  /** Extra attempts after a retryable transport failure. Default 3. */
  maxRetries?: number;
  /** Delay before the first retry in milliseconds; doubles on each retry. Default 500. */
  retryBaseDelayMs?: number;
  logger?: StructuredLogger;
};

/** Per-call options that the `OdooClient` interface does not carry. */
type CallOptions = { signal?: AbortSignal };

export type XmlRpcOdooClient = OdooClient & {
  /**
   * Calls any model method through `execute_kw`.
   * NOTE: transport errors are retried, so a write that timed out may be applied twice; use it for reads.
   */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  /** Closes idle keep-alive connections. */
  close(): void;
};

const MAX_BACKOFF_MS = 10_000;
const ERROR_BODY_PREVIEW_CHARS = 300;

/** Socket-level error codes worth another attempt. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function endpointUrl(base: URL, service: 'common' | 'object'): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}/xmlrpc/2/${service}`, base);
}

function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`invalid Odoo URL "${url}"; set ODOO_URL to something like https://odoo.example.com`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`invalid Odoo URL "${url}": only http and https are supported; fix ODOO_URL`);
  }
  if (parsed.username || parsed.password) {
    throw new TypeError('ODOO_URL must not carry credentials; use ODOO_USER and ODOO_API_KEY');
  }
  return parsed;
}

function readPreview(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      if (length < ERROR_BODY_PREVIEW_CHARS * 4) chunks.push(chunk);
      length += chunk.length;
    });
    response.on('end', () => resolve(textPreview(Buffer.concat(chunks).toString('utf8'))));
    response.on('error', () => resolve(textPreview(Buffer.concat(chunks).toString('utf8'))));
  });
}

/** Flattens an HTML or XML body into one short line for an error message. */
function textPreview(body: string): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > ERROR_BODY_PREVIEW_CHARS ? `${text.slice(0, ERROR_BODY_PREVIEW_CHARS)}…` : text;
}

function httpStatusError(status: number, statusText: string, preview: string, context: OdooCallContext): OdooTransportError {
  const retryable = status >= 500 || status === 408 || status === 429;
  const suggestion =
    status === 404 || status === 405
      ? 'Check ODOO_URL: it must point at the Odoo server root, which serves /xmlrpc/2/'
      : status === 401 || status === 403
        ? 'A proxy in front of Odoo rejected the request; check ODOO_URL and the proxy access rules'
        : retryable
          ? 'The Odoo server or a proxy in front of it failed; retry later or check the server logs'
          : undefined;
  return new OdooTransportError(`HTTP ${status} ${statusText} from ${context.url}${preview ? `: ${preview}` : ''}`, {
    ...context,
    code: 'ODOO_HTTP_STATUS',
    retryable,
    httpStatus: status,
    suggestion,
  });
}

function networkError(error: unknown, context: OdooCallContext): OdooError {
  if (error instanceof OdooError) return error;
  const code = (error as { code?: string }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code && TRANSIENT_NETWORK_CODES.has(code)) {
    return new OdooTransportError(`cannot reach Odoo at ${context.url}: ${code} ${detail}`, {
      ...context,
      code: 'ODOO_NETWORK',
      retryable: true,
      cause: error,
      suggestion: code === 'ECONNREFUSED' ? 'Check that Odoo is running and that ODOO_URL is right' : undefined,
    });
  }
  if (code === 'ENOTFOUND') {
    return new OdooTransportError(`cannot resolve the Odoo host of ${context.url}`, {
      ...context,
      code: 'ODOO_NETWORK',
      retryable: false,
      cause: error,
      suggestion: 'Check ODOO_URL',
    });
  }
  // A body that is not XML-RPC with status 200 (a proxy's login page, a truncated document).
  return new OdooTransportError(`the response from ${context.url} is not a valid XML-RPC response: ${detail}`, {
    ...context,
    code: 'ODOO_BAD_RESPONSE',
    retryable: false,
    cause: error,
    suggestion: 'Check that ODOO_URL points at Odoo itself and not at a login page or another service',
  });
}

export function createXmlRpcOdooClient(options: XmlRpcOdooClientOptions): XmlRpcOdooClient {
  const baseUrl = parseBaseUrl(options.url);
  const commonUrl = endpointUrl(baseUrl, 'common');
  const objectUrl = endpointUrl(baseUrl, 'object');
  const transport = baseUrl.protocol === 'https:' ? https : http;
  // Odoo's Werkzeug server sends `Connection: close`, but proxies in front of it often keep connections open.
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 8 });
  const maxRetries = options.maxRetries ?? 3;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  const logger = options.logger;
  const identity = { db: options.db, user: options.user };

  let uidPromise: Promise<number> | undefined;

  /** Sends one POST, checks the status and decodes the streamed body, all under one timeout. */
  function postOnce(url: URL, body: string, context: OdooCallContext, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        fail(
          new OdooTransportError(`Odoo timed out: no response to ${context.model ? `${context.model}.` : ''}${context.method} within ${options.timeoutMs} ms (${context.url})`, {
            ...context,
            code: 'ODOO_TIMEOUT',
            retryable: true,
            suggestion: 'Raise ODOO_TIMEOUT_MS or lower ODOO_PAGE_SIZE if pages are large',
          }),
        );
      }, options.timeoutMs);

      const onAbort = () => fail(signal?.reason ?? new Error('Odoo request cancelled'));
      const request = transport.request(url, {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': Buffer.byteLength(body, 'utf8'),
          Accept: 'text/xml',
          'User-Agent': 'placement-odoo-connector',
        },
      });

      function finish(): void {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      function fail(error: unknown): void {
        if (settled) return;
        finish();
        request.destroy();
        reject(error instanceof OdooError || signal?.aborted ? error : networkError(error, context));
      }

      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });

      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          void readPreview(response).then((preview) => fail(httpStatusError(status, response.statusMessage ?? '', preview, context)));
          return;
        }
        decodeMethodResponse(response).then(
          (result) => {
            if (settled) return;
            finish();
            resolve(result);
          },
          (error: unknown) => {
            if (error instanceof XmlRpcFaultResponse) fail(faultToError(error.fault, context));
            else fail(error);
          },
        );
      });
      request.end(body, 'utf8');
    });
  }

  /** Sends one call, retrying retryable transport errors with exponential backoff and jitter. */
  async function call(url: URL, method: string, params: unknown[], context: OdooCallContext, signal?: AbortSignal): Promise<unknown> {
    const body = encodeMethodCall(method, params);
    const callContext = { ...identity, ...context, url: url.href };

    for (let attempt = 0; ; attempt++) {
      const startedAt = performance.now();
      try {
        const result = await postOnce(url, body, callContext, signal);
        logger?.debug(
          { model: context.model, method: context.method, ms: Math.round(performance.now() - startedAt), requestBytes: Buffer.byteLength(body) },
          'odoo call done',
        );
        return result;
      } catch (error) {
        const retry = error instanceof OdooTransportError && error.retryable && attempt < maxRetries && !signal?.aborted;
        if (!retry) throw error;
        const delayMs = Math.min(MAX_BACKOFF_MS, retryBaseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        logger?.warn(
          { model: context.model, method: context.method, attempt: attempt + 1, maxRetries, delayMs: Math.round(delayMs), error: error.message },
          'odoo call failed, retrying',
        );
        await sleep(delayMs, undefined, { signal });
      }
    }
  }

  function authenticate(): Promise<number> {
    uidPromise ??= (async () => {
      const context = { method: 'authenticate' };
      const uid = await call(commonUrl, 'authenticate', [options.db, options.user, options.apiKey, {}], context);
      // Odoo returns False for a bad login or password rather than a fault.
      if (uid === false) throw authenticationFailed({ ...identity, url: commonUrl.href }, 'authenticate returned false');
      if (typeof uid !== 'number') {
        throw new OdooTransportError(`authenticate at ${commonUrl.href} returned ${JSON.stringify(uid)} instead of a user id`, {
          ...identity,
          url: commonUrl.href,
          method: 'authenticate',
          code: 'ODOO_BAD_RESPONSE',
          retryable: false,
        });
      }
      logger?.info({ url: baseUrl.origin, db: options.db, user: options.user, uid }, 'authenticated to odoo');
      return uid;
    })();
    // A failed login is not cached: the next call tries again.
    uidPromise.catch(() => {
      uidPromise = undefined;
    });
    return uidPromise;
  }

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

  function expectArray<T>(value: unknown, model: string, method: string): T[] {
    if (Array.isArray(value)) return value as T[];
    throw new OdooTransportError(`${model}.${method} returned ${typeof value} instead of a list`, {
      ...identity,
      model,
      method,
      code: 'ODOO_BAD_RESPONSE',
      retryable: false,
    });
  }

  async function searchRead(model: string, domain: Domain, searchOptions: SearchReadOptions & CallOptions): Promise<OdooRecord[]> {
    const { fields, order, limit, offset, context, signal } = searchOptions;
    const result = await executeKw(model, 'search_read', [domain], { fields, order, limit, offset, context }, { signal });
    return expectArray<OdooRecord>(result, model, 'search_read');
  }

  return {
    async version() {
      const result = (await call(commonUrl, 'version', [], { method: 'version' })) as Record<string, unknown>;
      return {
        serverVersion: String(result?.server_version ?? ''),
        serverVersionInfo: Array.isArray(result?.server_version_info) ? result.server_version_info : [],
      };
    },

    authenticate,

    searchRead,

    async search(model, domain, searchOptions = {}) {
      const { order, limit, offset, context } = searchOptions;
      const result = await executeKw(model, 'search', [domain], { order, limit, offset, context });
      return expectArray<number>(result, model, 'search');
    },

    async searchCount(model, domain, context) {
      const result = await executeKw(model, 'search_count', [domain], { context });
      if (typeof result !== 'number') throw new TypeError(`${model}.search_count returned ${JSON.stringify(result)}`);
      return result;
    },

    async fieldsGet(model, fields, attributes) {
      const result = await executeKw(model, 'fields_get', [], { allfields: fields, attributes });
      return result as Record<string, FieldDescription>;
    },

    keysetPage(request: KeysetPageRequest) {
      // A limit of 0 means "no limit" to Odoo: a bad page size would read the whole table at once.
      if (!Number.isInteger(request.pageSize) || request.pageSize <= 0) {
        throw new RangeError(`keysetPage pageSize must be a positive whole number, got ${request.pageSize}; fix ODOO_PAGE_SIZE`);
      }
      if (!Number.isInteger(request.afterId) || request.afterId < 0) {
        throw new RangeError(`keysetPage afterId must be a whole number >= 0, got ${request.afterId}`);
      }
      // Odoo's default order differs per model (crm.lead sorts by priority first), so it is always explicit.
      return searchRead(request.model, [...request.domain, ['id', '>', request.afterId]], {
        fields: request.fields,
        order: 'id asc',
        limit: request.pageSize,
        context: request.context,
        signal: request.signal,
      });
    },

    executeKw,

    close() {
      agent.destroy();
    },
  };
}
