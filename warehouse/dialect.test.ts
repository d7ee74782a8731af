import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../assets/test-helpers.ts';
import { duckDbDialect as d } from './dialect.ts';
import { DuckDbWarehouse } from './duckdb-warehouse.ts';

let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  const lakeDir = makeTempDir();
  warehouse = await DuckDbWarehouse.open({ path: ':memory:', lakePath: (key) => path.join(lakeDir, key) });
});

afterAll(async () => {
  await warehouse.close();
});

/** Evaluates one SQL expression over `value`, bound as the parameter `value`. */
async function evaluate(expression: (value: string) => string, value: unknown): Promise<unknown> {
  const [row] = await warehouse.query(`select ${expression(d.param('value'))} as result`, { value });
  return row.result;
}

const json = (value: unknown) => JSON.stringify(value);
const fromJson = (macro: (column: string) => string) => (value: string) => macro(`cast(${value} as json)`);

describe('Odoo JSON macros', () => {
  it.each([
    ['a string', json('01300'), '01300'],
    ['false', json(false), null],
    ['a many2one', json([3, 'Nouveau']), 'Nouveau'],
    ['an x2many id list', json([1, 2, 3]), null],
    ['a number', json(12), '12'],
  ])('odooText of %s', async (_name, value, expected) => {
    expect(
      await evaluate(
        fromJson((column) => d.odooText(column)),
        value,
      ),
    ).toBe(expected);
  });

  it.each([
    [json([3, 'Nouveau']), 3, 'Nouveau'],
    [json(7), 7, null],
    [json(false), null, null],
  ])('many2oneId and many2oneName of %s', async (value, id, name) => {
    expect(
      await evaluate(
        fromJson((column) => d.many2oneId(column)),
        value,
      ),
    ).toBe(id);
    expect(
      await evaluate(
        fromJson((column) => d.many2oneName(column)),
        value,
      ),
    ).toBe(name);
  });

  it('reads integers, dates and datetimes, NULL for false', async () => {
    expect(
      await evaluate(
        fromJson((column) => d.odooInt(column)),
        json(12),
      ),
    ).toBe(12);
    expect(
      await evaluate(
        fromJson((column) => d.odooInt(column)),
        json(false),
      ),
    ).toBe(null);
    expect(
      await evaluate(
        fromJson((column) => d.odooDate(column)),
        json('1998-03-14'),
      ),
    ).toEqual(new Date('1998-03-14T00:00:00Z'));
    expect(
      await evaluate(
        fromJson((column) => d.odooDatetime(column)),
        json('2026-12-04 19:33:23'),
      ),
    ).toEqual(new Date('2026-12-04T19:33:23Z'));
    expect(
      await evaluate(
        fromJson((column) => d.odooDatetime(column)),
        json(false),
      ),
    ).toBe(null);
  });
});

describe('htmlToText', () => {
  it.each([
    ['<p>Bonjour</p><p>Léa</p>', 'Bonjour Léa'],
    ['a<br>b<br/>c', 'a b c'],
    ['Tom &amp; Léa &lt;3 &quot;ok&quot; l&#39;été&nbsp;!', 'Tom & Léa <3 "ok" l\'été !'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['caf&#233; &#x263A; &#X263a;', 'café ☺ ☺'],
    ['&amp;lt; stays &amp;#233;', '&lt; stays &#233;'],
    ['&#; &#xZZ; &#99999999; &#55296;', '&#; &#xZZ; &#99999999; &#55296;'],
    ['  <p>\n  spaced \t out\u00a0 </p> ', 'spaced out'],
    ['<p><br></p>', null],
    ['', null],
  ])('%j reads %j', async (html, text) => {
    expect(await evaluate((value) => d.htmlToText(value), html)).toBe(text);
  });

  it('keeps NULL as NULL', async () => {
    expect(await evaluate((value) => d.htmlToText(value), null)).toBe(null);
  });
});

describe('string and regex macros', () => {
  it('matches case-insensitively only when asked', async () => {
    expect(await evaluate((value) => d.regexpMatches(value, '\\bcv\\b', true), 'Mon CV.pdf')).toBe(true);
    expect(await evaluate((value) => d.regexpMatches(value, '\\bcv\\b'), 'Mon CV.pdf')).toBe(false);
  });

  it('replaces every match and extracts a group or NULL', async () => {
    expect(await evaluate((value) => d.regexpReplace(value, '[ .]', ''), '06 12.34')).toBe('061234');
    expect(await evaluate((value) => d.regexpExtract(value, '(\\d{5})', 1), 'Lyon 69003')).toBe('69003');
    expect(await evaluate((value) => d.regexpExtract(value, '(\\d{5})', 1), 'Lyon')).toBe(null);
  });

  it('concatenates to NULL when a part is NULL', async () => {
    expect(await evaluate((value) => d.concat("'a'", value), 'b')).toBe('ab');
    expect(await evaluate((value) => d.concat("'a'", value), null)).toBe(null);
  });

  it('casts safely', async () => {
    expect(await evaluate((value) => d.safeCast(value, 'int64'), 'douze')).toBe(null);
    expect(await evaluate((value) => d.cast(value, 'int64'), '12')).toBe(12);
  });

  it('aggregates distinct values in order', async () => {
    const [row] = await warehouse.query(
      `select ${d.stringAggDistinct('x', ', ')} as joined from (values ('b'), ('a'), (null), ('b')) as t(x)`,
    );
    expect(row.joined).toBe('a, b');
  });

  it('quotes identifiers and literals', async () => {
    const [row] = await warehouse.query(`select ${d.literal("l'été")} as ${d.identifier('a "b"')}`);
    expect(row).toEqual({ 'a "b"': "l'été" });
    expect(d.literal(null)).toBe('null');
    expect(d.literal(true)).toBe('true');
    expect(() => d.literal(Number.NaN)).toThrow(/NaN/);
  });

  it('builds typed literal rows, also with none', async () => {
    const columns = [
      { name: 'n', type: 'int64' as const },
      { name: 'label', type: 'string' as const },
    ];
    expect(
      await warehouse.query(
        d.literalRows(columns, [
          [1, 'un'],
          [2, null],
        ]),
      ),
    ).toEqual([
      { n: 1, label: 'un' },
      { n: 2, label: null },
    ]);
    expect(await warehouse.query(d.literalRows(columns, []))).toEqual([]);
  });
});

describe('comparison macros', () => {
  it.each([
    ['Saint-Étienne', 'SAINT ETIENNE'],
    ["  la chapelle d'Armentières ", 'LA CHAPELLE D ARMENTIERES'],
    ['Œuvre-Æ', 'OEUVRE AE'],
    ['--', null],
    [null, null],
  ])('foldText(%j) is %j', async (value, expected) => {
    expect(await evaluate((expr) => d.foldText(expr), value)).toBe(expected);
  });

  it('counts the days between two dates', async () => {
    const [row] = await warehouse.query(
      `select ${d.dateDiffDays("date '2000-01-01'", "date '2001-01-01'")} as forward,
              ${d.dateDiffDays("date '2001-01-01'", "date '2000-12-31'")} as backward`,
    );
    expect(row).toEqual({ forward: 366, backward: -1 });
  });
});
