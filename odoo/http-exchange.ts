/**
 * The HTTP layer shared by the three Odoo transports: one request with one timeout covering the
 * whole exchange, cancellation, and retries with exponential backoff.
 *
 * Transport failures (timeouts, resets, refused connections, HTTP 5xx from a proxy) are retried
 * here and still surface as retryable `OdooTransportError`s afterwards, so Temporal can retry the
 * whole activity. Each transport decodes the response itself (`readResponse`), because status
 * codes mean different things to each: XML-RPC and JSON-RPC send errors with status 200, JSON-2
 * with real status codes.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { OdooError, OdooTransportError, type OdooCallContext } from './errors.ts';

/** The subset of a pino logger the connector uses. */
export type StructuredLogger = {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

/** Options every transport accepts. */
export type OdooConnectionOptions = {
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

export type HttpRequest = {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  context: OdooCallContext;
  signal?: AbortSignal;
  /**
   * Reads the response, streaming or not. Resolves with the call's result, rejects with an
   * `OdooError` (or any error, reported as a bad response).
   */
  readResponse(response: http.IncomingMessage): Promise<unknown>;
};

export type HttpExchanger = {
  /** Sends `request`, retrying retryable transport errors. */
  send(request: HttpRequest): Promise<unknown>;
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

export function parseBaseUrl(url: string): URL {
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

/** `path` below the base URL, keeping a path prefix such as `/odoo`. */
export function endpointUrl(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, base);
}

/** Reads a whole body as UTF-8 text. */
export function readText(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** Reads the start of an error body, flattened into one short line. */
export function readPreview(response: http.IncomingMessage): Promise<string> {
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
export function textPreview(body: string): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > ERROR_BODY_PREVIEW_CHARS ? `${text.slice(0, ERROR_BODY_PREVIEW_CHARS)}…` : text;
}

/** Builds the error for an unexpected HTTP status: a proxy's page, a wrong URL, an overloaded server. */
export function httpStatusError(
  status: number,
  statusText: string,
  preview: string,
  context: OdooCallContext,
  servedPath: string,
): OdooTransportError {
  const retryable = status >= 500 || status === 408 || status === 429;
  const suggestion =
    status === 404 || status === 405
      ? `Check ODOO_URL: it must point at the Odoo server root, which serves ${servedPath}`
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

/** Builds the error for a status-200 body in another format (a proxy's login page, a truncated document). */
export function badResponseError(context: OdooCallContext, format: string, detail: string, cause?: unknown): OdooTransportError {
  return new OdooTransportError(`the response from ${context.url} is not a valid ${format} response: ${detail}`, {
    ...context,
    code: 'ODOO_BAD_RESPONSE',
    retryable: false,
    cause,
    suggestion: 'Check that ODOO_URL points at Odoo itself and not at a login page or another service',
  });
}

function networkError(error: unknown, context: OdooCallContext, format: string): OdooError {
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
  return badResponseError(context, format, detail, error);
}

export function createHttpExchanger(
  baseUrl: URL,
  options: Pick<OdooConnectionOptions, 'timeoutMs' | 'maxRetries' | 'retryBaseDelayMs' | 'logger'>,
  /** Name of the wire format in error messages, e.g. `XML-RPC`. */
  format: string,
): HttpExchanger {
  const transport = baseUrl.protocol === 'https:' ? https : http;
  // Odoo's Werkzeug server sends `Connection: close`, but proxies in front of it often keep connections open.
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 8 });
  const maxRetries = options.maxRetries ?? 3;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  const logger = options.logger;

  /** Sends one request and reads its response, all under one timeout. */
  function sendOnce(request: HttpRequest): Promise<unknown> {
    const { context, signal } = request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        const call = `${context.model ? `${context.model}.` : ''}${context.method}`;
        fail(
          new OdooTransportError(`Odoo timed out: no response to ${call} within ${options.timeoutMs} ms (${context.url})`, {
            ...context,
            code: 'ODOO_TIMEOUT',
            retryable: true,
            suggestion: 'Raise ODOO_TIMEOUT_MS or lower ODOO_PAGE_SIZE if pages are large',
          }),
        );
      }, options.timeoutMs);

      const onAbort = () => fail(signal?.reason ?? new Error('Odoo request cancelled'));
      const headers: Record<string, string | number> = { 'User-Agent': 'placement-odoo-connector', ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body, 'utf8');
      const outgoing = transport.request(request.url, { method: request.method, agent, headers });

      function finish(): void {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      function fail(error: unknown): void {
        if (settled) return;
        finish();
        outgoing.destroy();
        reject(error instanceof OdooError || signal?.aborted ? error : networkError(error, context, format));
      }

      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });

      outgoing.on('error', fail);
      outgoing.on('response', (response) => {
        request.readResponse(response).then((result) => {
          if (settled) return;
          finish();
          resolve(result);
        }, fail);
      });
      outgoing.end(request.body, 'utf8');
    });
  }

  return {
    async send(request) {
      for (let attempt = 0; ; attempt++) {
        const startedAt = performance.now();
        const { model, method } = request.context;
        try {
          const result = await sendOnce(request);
          logger?.debug(
            { model, method, ms: Math.round(performance.now() - startedAt), requestBytes: Buffer.byteLength(request.body ?? '') },
            'odoo call done',
          );
          return result;
        } catch (error) {
          const retry = error instanceof OdooTransportError && error.retryable && attempt < maxRetries && !request.signal?.aborted;
          if (!retry) throw error;
          const delayMs = Math.min(MAX_BACKOFF_MS, retryBaseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
          logger?.warn(
            { model, method, attempt: attempt + 1, maxRetries, delayMs: Math.round(delayMs), error: error.message },
            'odoo call failed, retrying',
          );
          await sleep(delayMs, undefined, { signal: request.signal });
        }
      }
    },

    close() {
      agent.destroy();
    },
  };
}
