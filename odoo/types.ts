/** Types of Odoo's external API as the connector exposes them. */

/** A domain term: a leaf `[field, operator, value]` or a prefix operator `&`, `|`, `!`. */
export type DomainTerm = [string, string, unknown] | '&' | '|' | '!';
export type Domain = DomainTerm[];

/** A record as Odoo returns it: `false` for empty values, many2one as `[id, "display name"]`. */
export type OdooRecord = Record<string, unknown> & { id: number };

export type SearchReadOptions = {
  fields: string[];
  order?: string;
  limit?: number;
  offset?: number;
  context?: Record<string, unknown>;
};

export type FieldDescription = { type: string; string?: string; relation?: string; selection?: [string, string][] };

/** Keyset page request: rows with `id > afterId`, ordered by id. */
export type KeysetPageRequest = {
  model: string;
  domain: Domain;
  fields: string[];
  pageSize: number;
  afterId: number;
  context?: Record<string, unknown>;
  /** Aborts the request, e.g. the activity's cancellation signal. */
  signal?: AbortSignal;
};

export interface OdooClient {
  /** Server version string, e.g. "18.0". */
  version(): Promise<{ serverVersion: string; serverVersionInfo: unknown[] }>;
  /** Logs in once and caches the uid. Throws OdooAuthenticationError when Odoo returns false. */
  authenticate(): Promise<number>;
  searchRead(model: string, domain: Domain, options: SearchReadOptions): Promise<OdooRecord[]>;
  search(model: string, domain: Domain, options?: Omit<SearchReadOptions, 'fields'>): Promise<number[]>;
  searchCount(model: string, domain: Domain, context?: Record<string, unknown>): Promise<number>;
  fieldsGet(model: string, fields?: string[], attributes?: string[]): Promise<Record<string, FieldDescription>>;
  /** One keyset page: `domain AND id > afterId`, `order 'id asc'`, `limit pageSize`. */
  keysetPage(request: KeysetPageRequest): Promise<OdooRecord[]>;
}
