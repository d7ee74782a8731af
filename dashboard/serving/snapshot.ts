/**
 * Read-only access to the serving snapshot. Each query checks whether the file was replaced (a
 * new inode or modification time) and then opens the new file; queries already running finish on
 * the old one, which is closed after them.
 */
import fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** Raised when no snapshot has been published yet at the configured path. */
export class SnapshotMissingError extends Error {
  override name = 'SnapshotMissingError';
}

type OpenSnapshot = {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Identity of the file when it was opened: inode and modification time. */
  identity: string;
  // One connection runs one statement at a time: every query waits for the previous one.
  queue: Promise<unknown>;
};

const OLD_SNAPSHOT_GRACE_MS = 5_000;

export class ServingSnapshot {
  readonly path: string;
  #current: OpenSnapshot | undefined;
  #opening: Promise<OpenSnapshot> | undefined;
  #closed = false;

  constructor(snapshotPath: string) {
    this.path = snapshotPath;
  }

  /** Runs a parameterised query (`$name` placeholders) and returns plain rows. */
  async query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    const snapshot = await this.#snapshot();
    const result = snapshot.queue.then(async () => {
      const reader = await snapshot.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
      return reader.getRowObjectsJS().map(plainRow);
    });
    snapshot.queue = result.catch(() => undefined);
    return result as Promise<T[]>;
  }

  /** Modification time of the file currently served, or undefined when none is published. */
  publishedAt(): Date | undefined {
    try {
      return fs.statSync(this.path).mtime;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#current) await closeSnapshot(this.#current);
    this.#current = undefined;
  }

  async #snapshot(): Promise<OpenSnapshot> {
    if (this.#closed) throw new Error('the serving snapshot reader is closed');
    const identity = fileIdentity(this.path);
    if (identity === undefined) {
      throw new SnapshotMissingError(
        `no serving snapshot at ${this.path}; run the daily pipeline (placement demo --once) to publish one`,
      );
    }
    if (this.#current?.identity === identity) return this.#current;

    // Concurrent requests share one opening of the new file.
    this.#opening ??= this.#open(identity).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #open(identity: string): Promise<OpenSnapshot> {
    const instance = await DuckDBInstance.create(this.path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const previous = this.#current;
    this.#current = { instance, connection, identity, queue: Promise.resolve() };
    // A request that picked the previous file a moment ago may not have queued its query yet.
    if (previous) setTimeout(() => void closeSnapshot(previous), OLD_SNAPSHOT_GRACE_MS).unref();
    return this.#current;
  }
}

async function closeSnapshot(snapshot: OpenSnapshot): Promise<void> {
  await snapshot.queue.catch(() => undefined);
  snapshot.connection.closeSync();
  snapshot.instance.closeSync();
}

function fileIdentity(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

/** Row with JS-friendly values: BIGINT as number when exact (as text otherwise). */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    plain[name] = typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : String(value)) : value;
  }
  return plain;
}
