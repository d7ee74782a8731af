import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLake, localPathOf } from './local-lake.ts';
import type { Lake } from './lake.ts';

describe('LocalLake', () => {
  let root: string;
  let lake: LocalLake;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'placement-lake-'));
    lake = new LocalLake(root);
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
    const items: unknown[] = [];
    for await (const item of iterable) items.push(item);
    return items;
  }

  it('writes NDJSON from an async iterable and reads it back', async () => {
    const rows = [{ id: 1, name: 'Léa', active: false }, { id: 2, stage_id: [4, 'Won'] }];
    async function* generate() {
      yield* rows;
    }
    const written = await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson', generate());

    const file = path.join(root, 'raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson');
    const text = await fs.readFile(file, 'utf8');
    expect(written).toEqual({ key: 'raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson', rows: 2, bytes: Buffer.byteLength(text) });
    expect(text.split('\n')).toHaveLength(3);
    expect(await collect(lake.readNdjson(written.key))).toEqual(rows);
    expect(lake.uri(written.key)).toBe(file);
    expect(localPathOf(lake, written.key)).toBe(file);
  });

  it('streams large pages in several writes with exact byte and row counts', async () => {
    const rowCount = 30_000;
    const rows = Array.from({ length: rowCount }, (_, id) => ({ id, text: 'x'.repeat(50) }));
    const written = await lake.writeNdjson('big.ndjson', rows);
    const stat = await fs.stat(path.join(root, 'big.ndjson'));
    expect(written.rows).toBe(rowCount);
    expect(written.bytes).toBe(stat.size);
    expect(stat.size).toBeGreaterThan(1 << 20);
  });

  it('overwrites an object and leaves no temporary file', async () => {
    await lake.writeNdjson('a/part.ndjson', [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await lake.writeNdjson('a/part.ndjson', [{ id: 9 }]);
    expect(await collect(lake.readNdjson('a/part.ndjson'))).toEqual([{ id: 9 }]);
    expect(await fs.readdir(path.join(root, 'a'))).toEqual(['part.ndjson']);
  });

  it('keeps the previous object when a write fails midway', async () => {
    await lake.writeNdjson('a/part.ndjson', [{ id: 1 }]);
    async function* failing() {
      yield { id: 2 };
      throw new Error('source failed');
    }
    await expect(lake.writeNdjson('a/part.ndjson', failing())).rejects.toThrow('source failed');
    expect(await collect(lake.readNdjson('a/part.ndjson'))).toEqual([{ id: 1 }]);
    expect(await fs.readdir(path.join(root, 'a'))).toEqual(['part.ndjson']);
  });

  it('rejects a row that is not JSON without touching the previous object', async () => {
    await lake.writeJson('doc.json', { ok: true });
    await expect(lake.writeNdjson('doc.json', [{ id: 1n }])).rejects.toThrow(/BigInt/);
    expect(await lake.readJson('doc.json')).toEqual({ ok: true });
  });

  it('writes and reads JSON documents; a missing key reads as undefined', async () => {
    const written = await lake.writeJson('raw/_manifest.json', { rows: 3, parts: ['p0'] });
    expect(written.rows).toBe(1);
    expect(await lake.readJson('raw/_manifest.json')).toEqual({ rows: 3, parts: ['p0'] });
    expect(await lake.readJson('raw/missing.json')).toBeUndefined();
  });

  it('lists recursively and sorted, skipping temporary files, by plain prefix', async () => {
    await lake.writeJson('raw/odoo/crm_stage/run_date=2026-12-04/_manifest.json', {});
    await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-04/part-00001.ndjson', [{ id: 2 }]);
    await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson', [{ id: 1 }]);
    await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-05/part-00000.ndjson', [{ id: 1 }]);
    await fs.writeFile(path.join(root, 'raw/odoo/crm_lead/run_date=2026-12-04/.part-00002.ndjson.abcd1234.tmp'), 'half');

    expect(await lake.list('raw/odoo/crm_lead/run_date=2026-12-04/')).toEqual([
      'raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson',
      'raw/odoo/crm_lead/run_date=2026-12-04/part-00001.ndjson',
    ]);
    expect(await lake.list('raw/odoo/crm')).toHaveLength(4);
    expect(await lake.list('')).toHaveLength(4);
    expect(await lake.list('raw/odoo/nothing/')).toEqual([]);
  });

  it('deletes a prefix, its temporary files and its empty folders', async () => {
    await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-04/part-00000.ndjson', [{ id: 1 }]);
    await lake.writeJson('raw/odoo/crm_lead/run_date=2026-12-04/_manifest.json', {});
    await lake.writeNdjson('raw/odoo/crm_lead/run_date=2026-12-05/part-00000.ndjson', [{ id: 1 }]);
    await fs.writeFile(path.join(root, 'raw/odoo/crm_lead/run_date=2026-12-04/.part-00001.ndjson.abcd1234.tmp'), 'half');

    expect(await lake.deletePrefix('raw/odoo/crm_lead/run_date=2026-12-04/')).toBe(2);
    expect(await lake.list('raw/')).toEqual(['raw/odoo/crm_lead/run_date=2026-12-05/part-00000.ndjson']);
    await expect(fs.stat(path.join(root, 'raw/odoo/crm_lead/run_date=2026-12-04'))).rejects.toThrow(/ENOENT/);
    expect(await lake.deletePrefix('raw/odoo/crm_lead/run_date=2026-12-04/')).toBe(0);
    await expect(lake.deletePrefix('')).rejects.toThrow(/whole lake/);
  });

  it.each(['../outside.json', 'raw/../../outside.json', '/etc/passwd', 'raw\\..\\x', 'raw//x.json', ''])(
    'rejects the key %j that could leave the root',
    async (key) => {
      await expect(lake.writeJson(key, {})).rejects.toThrow(/invalid lake key/);
      expect(() => lake.uri(key)).toThrow(/invalid lake key/);
    },
  );

  it('rejects prefixes that leave the root', async () => {
    await expect(lake.list('../')).rejects.toThrow(/invalid lake key/);
    await expect(lake.deletePrefix('/tmp/')).rejects.toThrow(/invalid lake key/);
  });

  it('localPathOf refuses lakes that are not local folders', () => {
    const remote = { uri: (key: string) => `gs://bucket/${key}` } as unknown as Lake;
    expect(() => localPathOf(remote, 'a.json')).toThrow(/gs:\/\/bucket\/a\.json is not a local file/);
  });
});
