/**
 * The lake on a local folder: each key is a file under the root, `/` mapping to folders.
 *
 * Writes go to a temporary file beside the target, are flushed to disk, then renamed over the
 * final name, so a crash leaves either the old object or the new one under a key, never a part
 * of one. Temporary files are named `.<name>.<random>.tmp` and never listed.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Lake, LakeObject } from './lake.ts';

const TEMP_FILE = /^\..*\.tmp$/;
/** NDJSON lines are gathered up to this many characters before each write. */
const WRITE_BATCH_CHARS = 1 << 20;

export class LocalLake implements Lake {
  readonly rootDir: string;

  constructor(rootDir: string) {
    if (!rootDir) throw new TypeError('LocalLake needs a root folder; set LAKE_URI to a folder path');
    this.rootDir = path.resolve(rootDir);
  }

  /** Absolute file path of `key`, for readers such as DuckDB that open files directly. */
  path(key: string): string {
    if (TEMP_FILE.test(key.split('/').at(-1) ?? '')) {
      throw new Error(`invalid lake key "${key}": names like ".x.tmp" are reserved for temporary files`);
    }
    return this.resolveInside(key);
  }

  uri(key: string): string {
    return this.path(key);
  }

  /** Absolute path of any file under the root, temporary files included. */
  private resolveInside(key: string): string {
    validateKey(key);
    const resolved = path.resolve(this.rootDir, key);
    if (!resolved.startsWith(this.rootDir + path.sep)) throw escapeError(key, this.rootDir);
    return resolved;
  }

  async writeNdjson(key: string, rows: Iterable<unknown> | AsyncIterable<unknown>): Promise<LakeObject> {
    let count = 0;
    let bytes = 0;
    await this.writeAtomically(key, async (file) => {
      let batch = '';
      for await (const row of rows) {
        const line = JSON.stringify(row);
        if (line === undefined) throw new TypeError(`row ${count} of ${key} cannot be written as JSON (${typeof row})`);
        batch += `${line}\n`;
        count++;
        if (batch.length >= WRITE_BATCH_CHARS) {
          bytes += await writeText(file, batch);
          batch = '';
        }
      }
      if (batch) bytes += await writeText(file, batch);
    });
    return { key, rows: count, bytes };
  }

  /** Writes `value` as indented JSON. `rows` is 1: one document. */
  async writeJson(key: string, value: unknown): Promise<LakeObject> {
    const text = JSON.stringify(value, null, 2);
    if (text === undefined) throw new TypeError(`${key}: value cannot be written as JSON (${typeof value})`);
    let bytes = 0;
    await this.writeAtomically(key, async (file) => {
      bytes = await writeText(file, `${text}\n`);
    });
    return { key, rows: 1, bytes };
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    const file = this.path(key);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(`lake object ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  async *readNdjson(key: string): AsyncIterable<unknown> {
    const file = this.path(key);
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      try {
        yield JSON.parse(line);
      } catch (error) {
        throw new Error(`${file} line ${lineNumber} is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  /** Keys starting with `prefix` (plain string prefix, as in an object store), sorted. */
  async list(prefix: string): Promise<string[]> {
    return (await this.listFiles(prefix)).filter((key) => !TEMP_FILE.test(path.posix.basename(key)));
  }

  /** Deletes every key under `prefix`, plus temporary files left there by interrupted writes. */
  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === '') throw new Error('refusing to delete the whole lake: pass a non-empty prefix such as raw/odoo/crm_lead/');
    const files = await this.listFiles(prefix);
    for (const key of files) await fs.rm(this.resolveInside(key), { force: true });
    await this.removeEmptyFolders(prefix);
    return files.filter((key) => !TEMP_FILE.test(path.posix.basename(key))).length;
  }

  private async writeAtomically(key: string, write: (file: fs.FileHandle) => Promise<void>): Promise<void> {
    const target = this.path(key);
    const folder = path.dirname(target);
    await fs.mkdir(folder, { recursive: true });
    const temp = path.join(folder, `.${path.basename(target)}.${randomUUID().slice(0, 8)}.tmp`);

    const file = await fs.open(temp, 'wx');
    try {
      await write(file);
      await file.sync();
    } catch (error) {
      await file.close();
      await fs.rm(temp, { force: true });
      throw error;
    }
    await file.close();
    await fs.rename(temp, target);
    await syncFolder(folder);
  }

  /** Lists every file whose key starts with `prefix`, temporary files included. */
  private async listFiles(prefix: string): Promise<string[]> {
    validatePrefix(prefix);
    // Only the folder part of the prefix can be walked; the rest filters names.
    const folderKey = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = folderKey ? this.path(folderKey) : this.rootDir;
    const keys: string[] = [];
    await walk(start, folderKey, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  private async removeEmptyFolders(prefix: string): Promise<void> {
    const folderKey = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    if (!folderKey) return;
    let folder = this.path(folderKey);
    // From the prefix folder upwards, stopping at the root or at the first folder still in use.
    while (folder.startsWith(this.rootDir + path.sep)) {
      try {
        await fs.rmdir(folder);
      } catch {
        return;
      }
      folder = path.dirname(folder);
    }
  }
}

/** Local file path of `key` when `lake` is a LocalLake; throws for other lakes (e.g. GCS). */
export function localPathOf(lake: Lake, key: string): string {
  if (lake instanceof LocalLake) return lake.path(key);
  throw new TypeError(`lake object ${lake.uri(key)} is not a local file; read it through the Lake interface instead`);
}

function escapeError(key: string, root: string): Error {
  return new Error(
    `invalid lake key "${key}": it must stay inside the lake root ${root}. ` +
      'Use a relative slash-separated key such as raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson.',
  );
}

function validateKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new Error('invalid lake key: it is empty; pass a key such as raw/odoo/crm_lead/_manifest.json');
  const segments = key.split('/');
  if (path.isAbsolute(key) || key.includes('\\') || key.includes('\0') || segments.some((part) => part === '..')) {
    throw escapeError(key, '(lake root)');
  }
  if (segments.some((part) => part === '' || part === '.')) {
    throw new Error(`invalid lake key "${key}": empty or "." path segment; remove the doubled, leading or trailing slash`);
  }
}

function validatePrefix(prefix: string): void {
  if (prefix === '') return;
  // A prefix may end with "/" or in the middle of a name; check it as a key without that tail.
  const asKey = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (asKey === '' || path.isAbsolute(prefix) || asKey.split('/').some((part) => part === '..' || part === '')) {
    throw escapeError(prefix, '(lake root)');
  }
}

async function walk(folder: string, folderKey: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw error;
  }
  for (const entry of entries) {
    const key = folderKey ? `${folderKey}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(path.join(folder, entry.name), key, keys);
    else if (entry.isFile()) keys.push(key);
  }
}

async function writeText(file: fs.FileHandle, text: string): Promise<number> {
  const buffer = Buffer.from(text, 'utf8');
  // A single write may be partial; loop until the whole buffer is on disk.
  for (let offset = 0; offset < buffer.length; ) {
    const { bytesWritten } = await file.write(buffer, offset);
    offset += bytesWritten;
  }
  return buffer.length;
}

/** Makes the rename itself durable. Some file systems refuse fsync on a folder; that is not an error. */
async function syncFolder(folder: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Best effort only.
  } finally {
    await handle?.close();
  }
}
