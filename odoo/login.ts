/**
 * The `common.authenticate` login shared by the XML-RPC and JSON-RPC clients: one login per
 * client, reused by every call, and tried again after a failure.
 */
import { authenticationFailed, OdooTransportError } from './errors.ts';
import type { StructuredLogger } from './http-exchange.ts';

export type CachedLoginOptions = {
  /** Sends `authenticate(db, user, key, {})` and returns the raw result. */
  authenticate: () => Promise<unknown>;
  db: string;
  user: string;
  /** Endpoint URL, for error messages; it never carries credentials. */
  url: string;
  /** Server origin and transport name, for the log line of a successful login. */
  origin: string;
  transport: 'xmlrpc' | 'jsonrpc';
  logger?: StructuredLogger;
};

/** Returns a function resolving to the user id, logging in on first use. */
export function cachedLogin(options: CachedLoginOptions): () => Promise<number> {
  const identity = { db: options.db, user: options.user };
  let uidPromise: Promise<number> | undefined;

  return () => {
    uidPromise ??= (async () => {
      const uid = await options.authenticate();
      // Odoo returns false for a bad login or password rather than a fault.
      if (uid === false) throw authenticationFailed({ ...identity, url: options.url }, 'authenticate returned false');
      if (typeof uid !== 'number') {
        throw new OdooTransportError(`authenticate at ${options.url} returned ${JSON.stringify(uid)} instead of a user id`, {
          ...identity,
          url: options.url,
          method: 'authenticate',
          code: 'ODOO_BAD_RESPONSE',
          retryable: false,
        });
      }
      options.logger?.info(
        { url: options.origin, db: options.db, user: options.user, uid, transport: options.transport },
        'authenticated to odoo',
      );
      return uid;
    })();
    // A failed login is not cached: the next call tries again.
    uidPromise.catch(() => {
      uidPromise = undefined;
    });
    return uidPromise;
  };
}
