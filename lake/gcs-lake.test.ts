import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorBucket, recordConnections, startFakeGcs, type Emulator } from '../test-emulators/emulators.ts';
import { GcsLake } from './gcs-lake.ts';

const BUCKET = 'placement-lake';
const PART = 'raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson';

let gcsRoot: string;
let gcs: Emulator;
let storage: Storage;
let connections: ReturnType<typeof recordConnections>;

beforeAll(async () => {
  connections = recordConnections();
  gcsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-gcs-lake-'));
  gcs = await startFakeGcs(gcsRoot);
  storage = await emulatorBucket(gcs, BUCKET);
});

afterAll(async () => {
  connections?.restore();
  await gcs?.stop();
  fs.rmSync(gcsRoot, { recursive: true, force: true });
});

function lake(prefix: string, chunkSizeBytes?: number): GcsLake {
  return GcsLake.fromUri(`gs://${BUCKET}/${prefix}`, storage, { chunkSizeBytes });
}

async function readAll(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe('GcsLake', () => {
  it('stores keys as objects under the prefix, with the local lake layout', async () => {
    const gcsLake = lake('layout');
    const rows = [
      { id: 1, zip: '01300', stage_id: [3, "En recherche d'entreprise"] },
      { id: 2, zip: false, stage_id: false },
    ];

    const written = await gcsLake.writeNdjson(PART, rows);

    expect(gcsLake.uri(PART)).toBe(`gs://${BUCKET}/layout/${PART}`);
    const stored = fs.readFileSync(path.join(gcsRoot, BUCKET, 'layout', PART), 'utf8');
    expect(stored).toBe(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    expect(written).toEqual({ key: PART, rows: 2, bytes: Buffer.byteLength(stored) });
    expect(await readAll(gcsLake.readNdjson(PART))).toEqual(rows);
  });

  it('replaces an object written again under the same key', async () => {
    const gcsLake = lake('rewrite');
    await gcsLake.writeNdjson(PART, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await gcsLake.writeNdjson(PART, [{ id: 1 }]);
    expect(await readAll(gcsLake.readNdjson(PART))).toEqual([{ id: 1 }]);
    expect(await gcsLake.list('raw/')).toEqual([PART]);
  });

  it('reads back JSON documents and tells an absent one', async () => {
    const gcsLake = lake('json');
    const manifest = { source: 'crm_lead', parts: [PART], rows: 2 };
    await gcsLake.writeJson('raw/odoo/crm_lead/run_date=2026-12-04/_manifest.json', manifest);
    expect(await gcsLake.readJson('raw/odoo/crm_lead/run_date=2026-12-04/_manifest.json')).toEqual(manifest);
    expect(await gcsLake.readJson('raw/odoo/crm_lead/run_date=2026-12-05/_manifest.json')).toBeUndefined();
  });

  it('lists keys sorted without the prefix and deletes a prefix only', async () => {
    const gcsLake = lake('listing');
    const keys = [
      'raw/odoo/crm_stage/run_date=2026-12-04/part-00000.ndjson',
      'raw/odoo/crm_lead/run_date=2026-12-04/part-00001.ndjson',
      'raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson',
    ];
    for (const key of keys) await gcsLake.writeNdjson(key, [{ id: 1 }]);

    expect(await gcsLake.list('raw/odoo/crm_lead/')).toEqual([keys[2], keys[1]]);
    expect(await gcsLake.deletePrefix('raw/odoo/crm_lead/')).toBe(2);
    expect(await gcsLake.list('raw/')).toEqual([keys[0]]);
    await expect(gcsLake.deletePrefix('')).rejects.toThrow(/whole lake/);
  });

  it('names the object and the line of an invalid NDJSON line', async () => {
    const gcsLake = lake('invalid');
    await storage.bucket(BUCKET).file(`invalid/${PART}`).save('{"id":1}\n{"id":\n', { resumable: false });
    await expect(readAll(gcsLake.readNdjson(PART))).rejects.toThrow(`gs://${BUCKET}/invalid/${PART} line 2 is not valid JSON`);
  });

  it('uploads a large page in several resumable chunks', async () => {
    const gcsLake = lake('large', 256 * 1024);
    const uploadRequests: string[] = [];
    const originalRequest = http.request;
    // Counts the upload session's requests: one to open it, then one PUT per chunk.
    http.request = ((...args: unknown[]) => {
      const [target, options] = args as [string | URL | http.RequestOptions, http.RequestOptions | undefined];
      const requestOptions = typeof target === 'string' || target instanceof URL ? (options ?? {}) : target;
      const pathname = typeof target === 'string' || target instanceof URL ? new URL(target).pathname : target.path;
      if (pathname?.includes('/upload/')) uploadRequests.push(`${requestOptions.method ?? 'GET'} ${pathname}`);
      return (originalRequest as (...a: unknown[]) => http.ClientRequest)(...args);
    }) as typeof http.request;

    // About 1.6 MB: 6 or 7 chunks of 256 KiB.
    const rowCount = 8_000;
    async function* rows() {
      for (let id = 1; id <= rowCount; id++) {
        yield { id, name: `Candidat ${id}`, description: `<p>${'x'.repeat(150)}</p>`, zip: String(id).padStart(5, '0') };
      }
    }
    let written;
    try {
      written = await gcsLake.writeNdjson(PART, rows());
    } finally {
      http.request = originalRequest;
    }

    expect(written.rows).toBe(rowCount);
    expect(written.bytes).toBeGreaterThan(6 * 256 * 1024);
    const chunkPuts = uploadRequests.filter((request) => request.startsWith('PUT'));
    expect(chunkPuts.length).toBeGreaterThanOrEqual(Math.floor(written.bytes / (256 * 1024)));

    const [metadata] = await gcsLake.file(PART).getMetadata();
    expect(Number(metadata.size)).toBe(written.bytes);
    let count = 0;
    let last: unknown;
    for await (const row of gcsLake.readNdjson(PART)) {
      count++;
      last = row;
    }
    expect(count).toBe(rowCount);
    expect(last).toMatchObject({ id: rowCount, zip: String(rowCount).padStart(5, '0') });
  });

  it('connects to nothing but the emulator on the loopback interface', () => {
    expect(connections.addresses.length).toBeGreaterThan(0);
    expect(new Set(connections.addresses)).toEqual(new Set(['127.0.0.1']));
  });

  it('refuses keys that would leave the prefix', () => {
    const gcsLake = lake('keys');
    expect(() => gcsLake.uri('../other/file.ndjson')).toThrow(/invalid lake key/);
    expect(() => gcsLake.uri('/raw/file.ndjson')).toThrow(/invalid lake key/);
    expect(() => GcsLake.fromUri('s3://bucket/x', storage)).toThrow(/gs:\/\/bucket/);
  });
});
