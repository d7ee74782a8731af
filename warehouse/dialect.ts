/**
 * SQL dialect macros: the only place where SQL models meet engine differences.
 *
 * Every macro returns SQL text. Arguments named `expr` or `column` are SQL expressions, already
 * quoted where needed. Arguments named `pattern` are RE2 regular expressions (the syntax DuckDB and
 * BigQuery share) given as plain text, which the macro quotes. A BigQuery implementation adds a
 * second object with the same interface, and the models stay unchanged.
 */
import type { ColumnSpec, ColumnType } from './warehouse.ts';

export type SqlValue = string | number | boolean | null;

export interface Dialect {
  readonly name: string;

  /** Quoted identifier (column or alias). */
  identifier(name: string): string;
  /** Quoted, fully qualified name of a warehouse table, as `ref()` and `source()` resolve it. */
  table(name: string): string;
  /** SQL literal for a JS value. */
  literal(value: SqlValue): string;
  /** Placeholder for the named parameter `name` of `Warehouse.query`. */
  param(name: string): string;

  /** Engine type name of a column type. */
  type(type: ColumnType): string;
  cast(expr: string, type: ColumnType): string;
  /** Cast that gives NULL instead of failing on a value that does not convert. */
  safeCast(expr: string, type: ColumnType): string;

  regexpMatches(expr: string, pattern: string, ignoreCase?: boolean): string;
  /** Replaces every match with `replacement`, plain text in which `\1` refers to a group. */
  regexpReplace(expr: string, pattern: string, replacement: string): string;
  /** First match of `group` (0 = whole match), or NULL when the pattern does not match. */
  regexpExtract(expr: string, pattern: string, group?: number): string;

  /** Concatenation that is NULL when any part is NULL. */
  concat(...exprs: string[]): string;
  /** Aggregates the distinct non-NULL values of `expr`, sorted and joined with `separator` (plain text). */
  stringAggDistinct(expr: string, separator: string): string;

  /**
   * Text of a raw JSON column containing an Odoo value: a string or number as is, the display name
   * of a many2one, NULL when Odoo sent `false`.
   */
  odooText(column: string): string;
  /** Integer of a raw JSON column, NULL when Odoo sent `false`. */
  odooInt(column: string): string;
  /** Date of a raw JSON column containing Odoo's `"YYYY-MM-DD"`. */
  odooDate(column: string): string;
  /** Timestamp (UTC) of a raw JSON column containing Odoo's `"YYYY-MM-DD HH:MM:SS"`. */
  odooDatetime(column: string): string;
  /** Record id of a many2one (`[id, "name"]`, or a bare id when read with `load=False`). */
  many2oneId(column: string): string;
  /** Display name of a many2one, as Odoo computed it at extraction time. */
  many2oneName(column: string): string;

  /**
   * Plain text of an HTML text expression: tags removed, named and numeric entities decoded,
   * whitespace collapsed. NULL when no text is left.
   */
  htmlToText(expr: string): string;

  /** A select statement returning `rows` (arrays in `columns` order), typed by `columns`. */
  literalRows(columns: ColumnSpec[], rows: SqlValue[][]): string;

  /**
   * Comparison key of a text: upper case, accents removed (Œ and Æ spelt OE and AE), every run of
   * characters other than A-Z and 0-9 turned into one space, trimmed. NULL when nothing is left.
   * `Saint-Étienne`, `SAINT ETIENNE` and ` saint etienne ` share the key `SAINT ETIENNE`.
   */
  foldText(expr: string): string;
  /** Whole days from date `start` to date `end`, negative when `end` comes first. */
  dateDiffDays(start: string, end: string): string;
}

const duckDbTypes: Record<ColumnType, string> = {
  int64: 'bigint',
  float64: 'double',
  bool: 'boolean',
  string: 'varchar',
  json: 'json',
  timestamp: 'timestamp',
  date: 'date',
};

const namedEntities: [string, string][] = [
  ['&nbsp;', ' '],
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&quot;', '"'],
  ['&#39;', "'"],
  ['&apos;', "'"],
  // Last, so that an escaped entity such as `&amp;lt;` decodes to the text `&lt;`.
  ['&amp;', '&'],
];

// Highest Unicode code point; surrogates (0xD800-0xDFFF) are not characters either.
const MAX_CODE_POINT = 0x10ffff;

export const duckDbDialect: Dialect = {
  name: 'duckdb',

  identifier(name) {
    return `"${name.replaceAll('"', '""')}"`;
  },

  table(name) {
    return this.identifier(name);
  },

  literal(value) {
    if (value === null) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`invalid SQL literal ${value}: only finite numbers have one`);
      return String(value);
    }
    return `'${value.replaceAll("'", "''")}'`;
  },

  param(name) {
    return `$${name}`;
  },

  type(type) {
    return duckDbTypes[type];
  },

  cast(expr, type) {
    return `cast(${expr} as ${this.type(type)})`;
  },

  safeCast(expr, type) {
    return `try_cast(${expr} as ${this.type(type)})`;
  },

  regexpMatches(expr, pattern, ignoreCase = false) {
    return `regexp_matches(${expr}, ${this.literal(ignoreCase ? `(?i)${pattern}` : pattern)})`;
  },

  regexpReplace(expr, pattern, replacement) {
    return `regexp_replace(${expr}, ${this.literal(pattern)}, ${this.literal(replacement)}, 'g')`;
  },

  regexpExtract(expr, pattern, group = 0) {
    // DuckDB returns '' when nothing matches, so the match test keeps "no match" apart from an empty group.
    const matches = this.regexpMatches(expr, pattern);
    return `case when ${matches} then regexp_extract(${expr}, ${this.literal(pattern)}, ${group}) end`;
  },

  concat(...exprs) {
    return `(${exprs.join(' || ')})`;
  },

  stringAggDistinct(expr, separator) {
    return `string_agg(distinct ${expr}, ${this.literal(separator)} order by ${expr})`;
  },

  odooText(column) {
    return (
      `case json_type(${column}) ` +
      `when 'VARCHAR' then ${column} ->> '$' ` +
      `when 'ARRAY' then ${this.many2oneName(column)} ` +
      `when 'BIGINT' then ${column} ->> '$' ` +
      `when 'UBIGINT' then ${column} ->> '$' ` +
      `when 'DOUBLE' then ${column} ->> '$' end`
    );
  },

  odooInt(column) {
    return `case when json_type(${column}) in ('BIGINT', 'UBIGINT') then cast(${column} ->> '$' as bigint) end`;
  },

  odooDate(column) {
    return `cast(${this.odooText(column)} as date)`;
  },

  odooDatetime(column) {
    return `cast(${this.odooText(column)} as timestamp)`;
  },

  many2oneId(column) {
    return (
      `case json_type(${column}) when 'ARRAY' then cast(${column} ->> '$[0]' as bigint) ` +
      `when 'BIGINT' then cast(${column} ->> '$' as bigint) when 'UBIGINT' then cast(${column} ->> '$' as bigint) end`
    );
  },

  many2oneName(column) {
    // A many2one is `[id, "name"]`. Other arrays (x2many id lists) have no name.
    return `case when json_type(${column}, '$[1]') = 'VARCHAR' then ${column} ->> '$[1]' end`;
  },

  htmlToText(expr) {
    // Tags become spaces so that `a<br>b` reads `a b`. Entities are decoded after the tags are
    // removed, so escaped markup typed by a user (`&lt;script&gt;`) stays visible text.
    const withoutTags = this.regexpReplace(expr, '<[^>]*>', ' ');
    const numericDecoded = decodeNumericEntities(this, withoutTags);
    const decoded = namedEntities.reduce(
      (text, [entity, character]) => `replace(${text}, ${this.literal(entity)}, ${this.literal(character)})`,
      numericDecoded,
    );
    const collapsed = this.regexpReplace(decoded, '[\\s\\x{00A0}]+', ' ');
    return `nullif(trim(${collapsed}), '')`;
  },

  literalRows(columns, rows) {
    if (columns.length === 0) throw new Error('invalid literalRows call: no columns; give at least one');
    const typedColumns = (valueOf: (name: string) => string) =>
      columns.map((column) => `${this.cast(valueOf(column.name), column.type)} as ${this.identifier(column.name)}`);
    if (rows.length === 0) {
      return `select ${typedColumns(() => 'null').join(', ')} where 1 = 0`;
    }
    const values = rows.map((row, index) => {
      if (row.length !== columns.length) {
        throw new Error(`invalid literal row ${index}: ${row.length} values for ${columns.length} columns`);
      }
      return `(${row.map((value) => this.literal(value)).join(', ')})`;
    });
    const names = columns.map((column) => this.identifier(column.name)).join(', ');
    const selectList = typedColumns((name) => `literal_rows.${this.identifier(name)}`);
    return `select ${selectList.join(', ')} from (values ${values.join(', ')}) as literal_rows(${names})`;
  },

  foldText(expr) {
    const ligaturesSpelt = `replace(replace(upper(${expr}), 'Œ', 'OE'), 'Æ', 'AE')`;
    const separated = this.regexpReplace(`strip_accents(${ligaturesSpelt})`, '[^A-Z0-9]+', ' ');
    return `nullif(trim(${separated}), '')`;
  },

  dateDiffDays(start, end) {
    return `date_diff('day', ${start}, ${end})`;
  },
};

/**
 * Decodes `&#233;` and `&#xE9;`: the text is split on `&#`, and the code at the start of each piece
 * is decoded. A piece that does not start with a valid code keeps its `&#`.
 */
function decodeNumericEntities(dialect: Dialect, expr: string): string {
  const decimal = '^([0-9]{1,7});';
  const hex = '^[xX]([0-9a-fA-F]{1,6});';
  const decodePiece = (pattern: string, code: string) => {
    return (
      `when regexp_matches(piece, ${dialect.literal(pattern)}) ` +
      `and ${code} between 1 and ${MAX_CODE_POINT} and ${code} not between 55296 and 57343 ` +
      `then chr(${code}) || regexp_replace(piece, ${dialect.literal(pattern)}, '')`
    );
  };
  // try_cast, because DuckDB may evaluate the code on pieces that do not match, where it is ''.
  const decimalCode = `try_cast(regexp_extract(piece, ${dialect.literal(decimal)}, 1) as integer)`;
  const hexCode = `try_cast('0x' || regexp_extract(piece, ${dialect.literal(hex)}, 1) as integer)`;
  return (
    `array_to_string(list_transform(string_split(${expr}, '&#'), lambda piece, position: case ` +
    `when position = 1 then piece ${decodePiece(decimal, decimalCode)} ${decodePiece(hex, hexCode)} ` +
    `else '&#' || piece end), '')`
  );
}
