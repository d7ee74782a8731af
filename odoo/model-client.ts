/**
 * The `OdooClient` methods on top of one transport primitive, so that paging, argument checks and
 * result checks are the same whatever the wire format.
 */
import { OdooTransportError, type OdooCallContext } from './errors.ts';
import type { Domain, FieldDescription, KeysetPageRequest, OdooClient, OdooRecord, SearchReadOptions } from './types.ts';

export type OdooTransportName = 'xmlrpc' | 'jsonrpc' | 'json2';

/** Per-call options that the `OdooClient` interface does not carry. */
export type CallOptions = { signal?: AbortSignal };

/**
 * A model method call with named arguments, as JSON-2 sends it. `positional` lists the names that
 * `execute_kw` transports send as positional arguments, in order (`['domain']` for `search_read`);
 * `ids` is always positional there. Arguments whose value is undefined are not sent.
 */
export type ModelCall = {
  model: string;
  method: string;
  named: Record<string, unknown>;
  positional?: string[];
  signal?: AbortSignal;
};

/** Operations each transport implements; the rest of `OdooClient` is built on them. */
export type TransportPrimitives = {
  transport: OdooTransportName;
  version(): Promise<{ serverVersion: string; serverVersionInfo: unknown[] }>;
  authenticate(): Promise<number>;
  callModel(call: ModelCall): Promise<unknown>;
  close(): void;
};

export type OdooTransportClient = OdooClient & {
  /** Wire format of this client. */
  readonly transport: OdooTransportName;
  /**
   * Calls any model method with named arguments (`ids` for record methods).
   * NOTE: transport errors are retried, so a write that timed out may be applied twice; use it for reads.
   */
  callMethod(model: string, method: string, named?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  /** Closes idle keep-alive connections. */
  close(): void;
};

/** Drops undefined members, which no wire format can carry. */
export function definedMembers(named: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined));
}

/** Splits named arguments into `execute_kw`'s positional list and keyword struct. */
export function toExecuteKwArguments(call: ModelCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const positional = 'ids' in call.named && !call.positional?.includes('ids') ? ['ids', ...(call.positional ?? [])] : (call.positional ?? []);
  const args = positional.map((name) => call.named[name]);
  const kwargs = definedMembers(Object.fromEntries(Object.entries(call.named).filter(([name]) => !positional.includes(name))));
  return { args, kwargs };
}

export function buildOdooClient(primitives: TransportPrimitives, identity: OdooCallContext): OdooTransportClient {
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

  async function searchRead(model: string, domain: Domain, options: SearchReadOptions & CallOptions): Promise<OdooRecord[]> {
    const { fields, order, limit, offset, context, signal } = options;
    const named = { domain, fields, order, limit, offset, context };
    const result = await primitives.callModel({ model, method: 'search_read', named, positional: ['domain'], signal });
    return expectArray<OdooRecord>(result, model, 'search_read');
  }

  return {
    transport: primitives.transport,

    version: primitives.version,

    authenticate: primitives.authenticate,

    searchRead,

    async search(model, domain, options = {}) {
      const { order, limit, offset, context } = options;
      const named = { domain, order, limit, offset, context };
      const result = await primitives.callModel({ model, method: 'search', named, positional: ['domain'] });
      return expectArray<number>(result, model, 'search');
    },

    async searchCount(model, domain, context) {
      const result = await primitives.callModel({ model, method: 'search_count', named: { domain, context }, positional: ['domain'] });
      if (typeof result !== 'number') throw new TypeError(`${model}.search_count returned ${JSON.stringify(result)}`);
      return result;
    },

    async fieldsGet(model, fields, attributes) {
      const result = await primitives.callModel({ model, method: 'fields_get', named: { allfields: fields, attributes } });
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

    callMethod(model, method, named = {}, options = {}) {
      return primitives.callModel({ model, method, named, signal: options.signal });
    },

    close: primitives.close,
  };
}
