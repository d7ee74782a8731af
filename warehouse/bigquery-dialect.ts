/**
 * BigQuery (GoogleSQL) implementation of the dialect macros, so the DuckDB models run unchanged on
 * BigQuery. Each macro returns the same values as its DuckDB twin for the same input.
 *
 * Raw JSON columns are distinguished by the first character of their JSON text (`"` string, `[`
 * array, digit or `-` number) rather than by JSON_TYPE.
 * NOTE: bqemulator answers JSON_TYPE with DuckDB's type names (`varchar`, `bigint`), BigQuery with
 * its own (`string`, `number`); the JSON text is the same on both, so the emulator runs the
 * production SQL.
 */
import type { Dialect, SqlValue } from './dialect.ts';
import type { ColumnType } from './warehouse.ts';

const bigQueryTypes: Record<ColumnType, string> = {
  int64: 'INT64',
  float64: 'FLOAT64',
  bool: 'BOOL',
  string: 'STRING',
  json: 'JSON',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
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
// REGEXP_REPLACE refers to groups as \1 to \9; regexpExtract wraps the pattern in one more group.
const MAX_EXTRACT_GROUP = 8;

export type BigQueryDialectOptions = {
  /** Google Cloud project holding the dataset. */
  project: string;
  /** Dataset of every table the pipeline writes. */
  dataset: string;
};

/** The BigQuery dialect writing table names into `project.dataset`. */
export function bigQueryDialect(options: BigQueryDialectOptions): Dialect {
  const { project, dataset } = options;
  for (const [name, value] of Object.entries({ project, dataset })) {
    if (!value || /[`\\]/.test(value)) {
      throw new Error(`invalid BigQuery ${name} "${value}": give the plain id, such as my-project or placement`);
    }
  }

  const jsonText = (column: string) => `to_json_string(${column})`;
  const isJsonString = (column: string) => `starts_with(${jsonText(column)}, '"')`;
  const isJsonArray = (column: string) => `starts_with(${jsonText(column)}, '[')`;
  const isJsonInteger = (column: string) => `regexp_contains(${jsonText(column)}, r'^-?[0-9]+$')`;
  const isJsonNumber = (column: string) => `regexp_contains(${jsonText(column)}, r'^-?[0-9]')`;

  const dialect: Dialect = {
    name: 'bigquery',

    identifier(name) {
      return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
    },

    table(name) {
      if (/[`\\]/.test(name)) throw new Error(`invalid table name "${name}": backticks and backslashes are not allowed`);
      return `\`${project}.${dataset}.${name}\``;
    },

    literal(value: SqlValue) {
      if (value === null) return 'null';
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new Error(`invalid SQL literal ${value}: only finite numbers have one`);
        return String(value);
      }
      // GoogleSQL string literals take backslash escapes, and a quoted literal cannot hold a raw line break.
      const escaped = value
        .replaceAll('\\', '\\\\')
        .replaceAll("'", "\\'")
        .replace(/[\u0000-\u001f\u007f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return `'${escaped}'`;
    },

    param(name) {
      return `@${name}`;
    },

    type(type) {
      return bigQueryTypes[type];
    },

    cast(expr, type) {
      // A JSON value is parsed from its text, as DuckDB's cast to json does.
      if (type === 'json') return `parse_json(${expr})`;
      return `cast(${expr} as ${this.type(type)})`;
    },

    safeCast(expr, type) {
      if (type === 'json') return `safe.parse_json(${expr})`;
      return `safe_cast(${expr} as ${this.type(type)})`;
    },

    regexpMatches(expr, pattern, ignoreCase = false) {
      return `regexp_contains(${expr}, ${this.literal(ignoreCase ? `(?i)${pattern}` : pattern)})`;
    },

    regexpReplace(expr, pattern, replacement) {
      return `regexp_replace(${expr}, ${this.literal(pattern)}, ${this.literal(replacement)})`;
    },

    regexpExtract(expr, pattern, group = 0) {
      if (!Number.isInteger(group) || group < 0 || group > MAX_EXTRACT_GROUP) {
        throw new Error(`invalid regexpExtract group ${group}: BigQuery can extract groups 0 to ${MAX_EXTRACT_GROUP}`);
      }
      // REGEXP_EXTRACT accepts at most one capturing group, so the whole text is replaced by the
      // wanted group instead: a lazy prefix finds the leftmost match, as DuckDB's extract does.
      const wholeText = `^(?s:.*?)(${pattern})(?s:.*)$`;
      return (
        `case when ${this.regexpMatches(expr, pattern)} ` +
        `then regexp_replace(${expr}, ${this.literal(wholeText)}, ${this.literal(`\\${group + 1}`)}) end`
      );
    },

    concat(...exprs) {
      return `(${exprs.join(' || ')})`;
    },

    stringAggDistinct(expr, separator) {
      return `string_agg(distinct ${expr}, ${this.literal(separator)} order by ${expr})`;
    },

    odooText(column) {
      return (
        `case when ${isJsonString(column)} then json_value(${column}) ` +
        `when ${isJsonArray(column)} then ${this.many2oneName(column)} ` +
        `when ${isJsonNumber(column)} then json_value(${column}) end`
      );
    },

    odooInt(column) {
      return `case when ${isJsonInteger(column)} then cast(json_value(${column}) as INT64) end`;
    },

    odooDate(column) {
      return `cast(${this.odooText(column)} as DATE)`;
    },

    odooDatetime(column) {
      // A TIMESTAMP without an offset is read as UTC: Odoo stores datetimes in UTC.
      return `cast(${this.odooText(column)} as TIMESTAMP)`;
    },

    many2oneId(column) {
      return (
        `case when ${isJsonArray(column)} then cast(json_value(${column}, '$[0]') as INT64) ` +
        `when ${isJsonInteger(column)} then cast(json_value(${column}) as INT64) end`
      );
    },

    many2oneName(column) {
      // A many2one is `[id, "name"]`. Other arrays (x2many id lists) have no name.
      return `case when ${isJsonString(`json_query(${column}, '$[1]')`)} then json_value(${column}, '$[1]') end`;
    },

    htmlToText(expr) {
      // Same steps as the DuckDB macro: tags to spaces, numeric then named entities, whitespace.
      const withoutTags = this.regexpReplace(expr, '<[^>]*>', ' ');
      const numericDecoded = decodeNumericEntities(this, withoutTags);
      const decoded = namedEntities.reduce(
        (text, [entity, character]) => `replace(${text}, ${this.literal(entity)}, ${this.literal(character)})`,
        numericDecoded,
      );
      const collapsed = this.regexpReplace(decoded, '[\\s\\x{00A0}]+', ' ');
      // Spaces only, as DuckDB's trim: BigQuery's default would also strip other white space.
      return `nullif(trim(${collapsed}, ' '), '')`;
    },

    literalRows(columns, rows) {
      if (columns.length === 0) throw new Error('invalid literalRows call: no columns; give at least one');
      if (rows.length === 0) {
        const nulls = columns.map((column) => `cast(null as ${this.type(column.type)}) as ${this.identifier(column.name)}`);
        return `select ${nulls.join(', ')} limit 0`;
      }
      const structType = columns.map((column) => `${this.identifier(column.name)} ${this.type(column.type)}`).join(', ');
      const values = rows.map((row, index) => {
        if (row.length !== columns.length) {
          throw new Error(`invalid literal row ${index}: ${row.length} values for ${columns.length} columns`);
        }
        return `(${row.map((value, position) => this.cast(this.literal(value), columns[position].type)).join(', ')})`;
      });
      return `select * from unnest(array<struct<${structType}>>[${values.join(', ')}])`;
    },

    foldText(expr) {
      const ligaturesSpelt = `replace(replace(upper(${expr}), 'Œ', 'OE'), 'Æ', 'AE')`;
      // Decomposed, accents are separate marks that the pattern removes, as DuckDB's strip_accents.
      const withoutAccents = `regexp_replace(normalize(${ligaturesSpelt}, NFD), r'\\p{M}', '')`;
      const separated = this.regexpReplace(withoutAccents, '[^A-Z0-9]+', ' ');
      return `nullif(trim(${separated}, ' '), '')`;
    },

    dateDiffDays(start, end) {
      return `date_diff(${end}, ${start}, DAY)`;
    },
  };
  return dialect;
}

/**
 * The character of code point `code`, read from a JSON `\u` escape (a surrogate pair above U+FFFF).
 * NOTE: CODE_POINTS_TO_STRING would be shorter. bqemulator turns it into DuckDB's chr(), which
 * refuses the INT64 that SAFE_CAST gives; the JSON form runs the same on both.
 */
function codePointText(code: string): string {
  const escape =
    `case when ${code} < 65536 then format('"\\\\u%04x"', ${code}) ` +
    `else format('"\\\\u%04x\\\\u%04x"', 55296 + div(${code} - 65536, 1024), 56320 + mod(${code} - 65536, 1024)) end`;
  return `json_value(parse_json(${escape}))`;
}

/**
 * Decodes `&#233;` and `&#xE9;`: the text is split on `&#`, and the code at the start of each piece
 * is decoded. A piece that does not start with a valid code keeps its `&#`.
 */
function decodeNumericEntities(dialect: Dialect, expr: string): string {
  const decimal = '^([0-9]{1,7});';
  const hex = '^[xX]([0-9a-fA-F]{1,6});';
  const decodePiece = (pattern: string, code: string) => {
    return (
      `when regexp_contains(piece, ${dialect.literal(pattern)}) ` +
      `and ${code} between 1 and ${MAX_CODE_POINT} and ${code} not between 55296 and 57343 ` +
      `then ${codePointText(code)} || regexp_replace(piece, ${dialect.literal(pattern)}, '')`
    );
  };
  const decimalCode = `safe_cast(regexp_extract(piece, ${dialect.literal(decimal)}) as INT64)`;
  const hexCode = `safe_cast(concat('0x', regexp_extract(piece, ${dialect.literal(hex)})) as INT64)`;
  return (
    `(select string_agg(case when piece_offset = 0 then piece ${decodePiece(decimal, decimalCode)} ` +
    `${decodePiece(hex, hexCode)} else concat('&#', piece) end, '' order by piece_offset) ` +
    `from unnest(split(${expr}, '&#')) as piece with offset as piece_offset)`
  );
}
