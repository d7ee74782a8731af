/**
 * The lake on a Google Cloud Storage bucket: each key is the object `<prefix><key>`, with the
 * same layout and names as the local lake.
 *
 * NDJSON is streamed to a resumable upload in chunks, so a page never sits whole in memory and a
 * network error resends one chunk, not the object. GCS makes an object visible only when its upload
 * completes, so a failed write leaves the previous object (or none) under the key, never a part.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage, type File } from '@google-cloud/storage';
import type { Lake, LakeObject } from './lake.ts';

export type GcsLakeOptions = {
  storage: Storage;
  bucket: string;
  /** Object name prefix, empty or ending with `/`, e.g. `placement/`. */
  prefix?: string;
  /**
   * Bytes sent per request of a resumable upload, a multiple of 256 KiB. The client keeps at most
   * one chunk in memory, and a retry resends that chunk only.
   */
  chunkSizeBytes?: number;
};

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const CHUNK_GRANULE_BYTES = 256 * 1024;
/** NDJSON lines are gathered up to this many characters before they go to the upload stream. */
const WRITE_BATCH_CHARS = 1 << 20;

export class GcsLake implements Lake {
  readonly bucket: string;
  readonly prefix: string;
  readonly #storage: Storage;
  readonly #chunkSizeBytes: number;

  constructor(options: GcsLakeOptions) {
    if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(options.bucket)) {
      throw new Error(`invalid GCS bucket name "${options.bucket}": use the bucket's name only, such as my-lake`);
    }
    const prefix = options.prefix ?? '';
    if (prefix !== '' && (!prefix.endsWith('/') || prefix.startsWith('/') || prefix.split('/').slice(0, -1).some(isBadSegment))) {
      throw new Error(`invalid GCS lake prefix "${prefix}": give folder names ending with "/", such as placement/`);
    }
    const chunkSizeBytes = options.chunkSizeBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(chunkSizeBytes) || chunkSizeBytes <= 0 || chunkSizeBytes % CHUNK_GRANULE_BYTES !== 0) {
      throw new Error(`invalid upload chunk size ${chunkSizeBytes}: it must be a positive multiple of 262144 bytes`);
    }
    this.bucket = options.bucket;
    this.prefix = prefix;
    this.#storage = options.storage;
    this.#chunkSizeBytes = chunkSizeBytes;
  }

  /**
   * Lake on `uri`, `gs://bucket` or `gs://bucket/some/prefix`.
   * @throws Error naming the URI when it is not a gs:// URI.
   */
  static fromUri(uri: string, storage: Storage, options: { chunkSizeBytes?: number } = {}): GcsLake {
    const match = /^gs:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
    if (!match) throw new Error(`invalid GCS lake URI "${uri}": expected gs://bucket or gs://bucket/prefix`);
    const path = (match[2] ?? '').replace(/\/+$/, '');
    return new GcsLake({ storage, bucket: match[1], prefix: path ? `${path}/` : '', ...options });
  }

  /** Object name of `key` in the bucket. */
  objectName(key: string): string {
    validateKey(key);
    return this.prefix + key;
  }

  uri(key: string): string {
    return `gs://${this.bucket}/${this.objectName(key)}`;
  }

  /** The storage object of `key`, for clients that take one (such as BigQuery load jobs). */
  file(key: string): File {
    return this.#storage.bucket(this.bucket).file(this.objectName(key));
  }

  async writeNdjson(key: string, rows: Iterable<unknown> | AsyncIterable<unknown>): Promise<LakeObject> {
    const file = this.file(key);
    let count = 0;
    let bytes = 0;

    async function* ndjsonChunks(): AsyncGenerator<Buffer> {
      let batch = '';
      for await (const row of rows) {
        const line = JSON.stringify(row);
        if (line === undefined) throw new TypeError(`row ${count} of ${key} cannot be written as JSON (${typeof row})`);
        batch += `${line}\n`;
        count++;
        if (batch.length >= WRITE_BATCH_CHARS) {
          const chunk = Buffer.from(batch, 'utf8');
          bytes += chunk.length;
          batch = '';
          yield chunk;
        }
      }
      if (batch) {
        const chunk = Buffer.from(batch, 'utf8');
        bytes += chunk.length;
        yield chunk;
      }
    }

    await pipeline(
      Readable.from(ndjsonChunks()),
      file.createWriteStream({
        resumable: true,
        chunkSize: this.#chunkSizeBytes,
        contentType: 'application/x-ndjson',
        // The client checks the CRC32C GCS computed against the bytes it sent.
        validation: 'crc32c',
      }),
    );
    return { key, rows: count, bytes };
  }

  /** Writes `value` as indented JSON. `rows` is 1: one document. */
  async writeJson(key: string, value: unknown): Promise<LakeObject> {
    const text = JSON.stringify(value, null, 2);
    if (text === undefined) throw new TypeError(`${key}: value cannot be written as JSON (${typeof value})`);
    const body = Buffer.from(`${text}\n`, 'utf8');
    // Small documents: one request, no upload session.
    await this.file(key).save(body, { resumable: false, contentType: 'application/json', validation: 'crc32c' });
    return { key, rows: 1, bytes: body.length };
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    let contents: Buffer;
    try {
      [contents] = await this.file(key).download();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      return JSON.parse(contents.toString('utf8')) as T;
    } catch (error) {
      throw new Error(`lake object ${this.uri(key)} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  async *readNdjson(key: string): AsyncIterable<unknown> {
    const uri = this.uri(key);
    const lines = createInterface({ input: this.file(key).createReadStream(), crlfDelay: Infinity });
    let lineNumber = 0;
    try {
      for await (const line of lines) {
        lineNumber++;
        if (line.trim() === '') continue;
        try {
          yield JSON.parse(line);
        } catch (error) {
          throw new Error(`${uri} line ${lineNumber} is not valid JSON: ${(error as Error).message}`, { cause: error });
        }
      }
    } catch (error) {
      if (isNotFound(error)) throw new Error(`lake object ${uri} not found; run the extraction for that date again`);
      throw error;
    }
  }

  /** Keys starting with `prefix` (plain string prefix), sorted. */
  async list(prefix: string): Promise<string[]> {
    validatePrefix(prefix);
    const [files] = await this.#storage.bucket(this.bucket).getFiles({ prefix: this.prefix + prefix, autoPaginate: true });
    return files.map((file) => file.name.slice(this.prefix.length)).sort();
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === '') throw new Error('refusing to delete the whole lake: pass a non-empty prefix such as raw/odoo/crm_lead/');
    const keys = await this.list(prefix);
    for (const key of keys) await this.file(key).delete({ ignoreNotFound: true });
    return keys.length;
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 404;
}

function isBadSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..';
}

function validateKey(key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new Error('invalid lake key: it is empty; pass a key such as raw/odoo/crm_lead/_manifest.json');
  }
  if (key.startsWith('/') || key.includes('\\') || key.includes('\0') || key.split('/').some(isBadSegment)) {
    throw new Error(
      `invalid lake key "${key}": use a relative slash-separated key without empty, "." or ".." segments, ` +
        'such as raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson',
    );
  }
}

function validatePrefix(prefix: string): void {
  if (prefix === '') return;
  const asKey = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  validateKey(asKey);
}

export type StorageClientOptions = {
  /** Google Cloud project; optional, the lake only addresses its bucket. */
  projectId?: string;
  /** Emulator base URL such as http://127.0.0.1:4443; unset for Google Cloud Storage. */
  apiEndpoint?: string;
  /** Service-account key file; unset for Application Default Credentials. */
  keyFilename?: string;
};

/**
 * Storage client for the lake. With `apiEndpoint` the client sends no credentials and queries no
 * metadata server (the library treats a custom endpoint as unauthenticated); otherwise it uses the
 * key file, or Application Default Credentials.
 */
export function createStorageClient(options: StorageClientOptions): Storage {
  if (options.apiEndpoint) {
    return new Storage({ projectId: options.projectId ?? 'placement-local', apiEndpoint: options.apiEndpoint });
  }
  return new Storage({ projectId: options.projectId, keyFilename: options.keyFilename });
}
