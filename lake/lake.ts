/**
 * The raw lake: a flat object store of NDJSON files addressed by slash-separated keys such as
 * `raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson`.
 *
 * Writes are whole-object and idempotent: writing a key again replaces it, so a retried
 * extraction overwrites its own files and never duplicates rows.
 */
export interface Lake {
  /** Human-readable location of a key (a file path or a `gs://` URI), for logs and CLI output. */
  uri(key: string): string;

  /** Writes `rows` as NDJSON under `key`, replacing any previous object, and returns what was written. */
  writeNdjson(key: string, rows: Iterable<unknown> | AsyncIterable<unknown>): Promise<LakeObject>;

  /** Writes a small JSON document (manifests, schemas) under `key`. */
  writeJson(key: string, value: unknown): Promise<LakeObject>;

  /** Reads a JSON document written by `writeJson`, or returns undefined when the key is absent. */
  readJson<T>(key: string): Promise<T | undefined>;

  /** Streams the parsed lines of an NDJSON object. */
  readNdjson(key: string): AsyncIterable<unknown>;

  /** Lists keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;

  /** Deletes every object under `prefix` and returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
}

export type LakeObject = { key: string; rows: number; bytes: number };
