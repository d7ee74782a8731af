/**
 * Data checks: declarations next to the assets they check, and their SQL.
 *
 * - Generic checks sit in the `checks:` list of an asset's `.yml` (beside its SQL file; raw assets
 *   have a `.yml` under `raw/`): not_null, unique, accepted_values, relationship, row_count_change
 *   and freshness.
 * - Business checks are SQL files `checks/<asset>__<predicate>.sql` returning the offending rows
 *   (columns `check_key` and `check_value`; zero rows means the check passes), with a header of
 *   `-- name: value` lines: severity, threshold, description, hint and optionally mask.
 *
 * A threshold is a count of failing rows (`0`, `10`) or a percentage of the asset's rows (`5%`):
 * the check fails when the failing rows exceed it. Severity `error` stops the downstream assets;
 * `warn` is reported and the run goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SqlValue } from '../warehouse/dialect.ts';
import { MODELS_DIR, type Asset, type AssetGraph } from './graph.ts';
import type { RenderContext } from './render.ts';
import { sourceDefinitions } from './sources.ts';

export type CheckSeverity = 'warn' | 'error';

/** Failing rows allowed: a count, or a percentage of the rows the check looked at. */
export type Threshold = { kind: 'count'; value: number } | { kind: 'percent'; value: number };

/** Masking applied to a sample value before it is stored or sent, so personal data never leaves as is. */
export type MaskKind = 'email' | 'phone' | 'text' | 'none';

type CheckBase = {
  /** Unique name: `<asset>__<predicate>`. */
  name: string;
  asset: string;
  severity: CheckSeverity;
  threshold: Threshold;
  description: string;
  /** Fix advice shown in the alert. */
  hint: string;
  mask: MaskKind;
  /** File that declares the check. */
  file: string;
};

export type CheckDefinition = CheckBase &
  (
    | { type: 'not_null'; column: string; keyColumn: string }
    | { type: 'unique'; column: string; keyColumn: string }
    | { type: 'accepted_values'; column: string; values: string[]; keyColumn: string }
    | { type: 'relationship'; column: string; to: string; field: string; keyColumn: string }
    /** Threshold: change of the row count against the previous run, in rows or percent of it. */
    | { type: 'row_count_change' }
    /** Fails when the newest `column` timestamp is older than `maxAgeHours` at the end of the run date. */
    | { type: 'freshness'; column: string; maxAgeHours: number }
    | { type: 'sql'; sqlFile: string }
  );

export type CheckType = CheckDefinition['type'];

/** Folder of the business checks. */
export const CHECKS_DIR = path.join(MODELS_DIR, 'checks');

const severitySchema = z.enum(['warn', 'error']);
const thresholdSchema = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%?$/)]);
const maskSchema = z.enum(['email', 'phone', 'text', 'none']);

const common = {
  name: z.string().regex(/^[a-z0-9_]+$/).optional(),
  severity: severitySchema,
  threshold: thresholdSchema.default(0),
  description: z.string().optional(),
  hint: z.string().optional(),
  mask: maskSchema.default('none'),
  /** Column that names a failing row in samples; defaults to the first documented column. */
  key: z.string().optional(),
};

const genericCheckSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('not_null'), column: z.string(), ...common }),
  z.object({ type: z.literal('unique'), column: z.string(), ...common }),
  z.object({
    type: z.literal('accepted_values'),
    column: z.string(),
    values: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).min(1),
    ...common,
  }),
  z.object({ type: z.literal('relationship'), column: z.string(), to: z.string(), field: z.string(), ...common }),
  z.object({ type: z.literal('row_count_change'), ...common, max_change: thresholdSchema }),
  z.object({
    type: z.literal('freshness'),
    column: z.string(),
    max_age: z.string().regex(/^\d+[hd]$/, 'must be hours or days such as 36h or 7d'),
    ...common,
  }),
]);

const documentationSchema = z.object({
  columns: z.array(z.object({ name: z.string() })).optional(),
  checks: z.array(z.unknown()).optional(),
});

const sqlHeaderSchema = z.object({
  severity: severitySchema,
  threshold: thresholdSchema.default(0),
  description: z.string().min(1),
  hint: z.string().min(1),
  mask: maskSchema.default('none'),
});

/**
 * Reads every check of the graph's assets.
 * @throws Error naming the file and the entry when a declaration is invalid, names an unknown
 *   asset, or two checks share a name.
 */
export function loadChecks(graph: AssetGraph, options: { modelsDir?: string } = {}): CheckDefinition[] {
  const modelsDir = options.modelsDir ?? MODELS_DIR;
  const checks = [
    ...graph.assets.flatMap((asset) => genericChecks(asset, modelsDir)),
    ...businessChecks(graph, path.join(modelsDir, 'checks')),
  ];

  const byName = new Map<string, CheckDefinition>();
  for (const check of checks) {
    const previous = byName.get(check.name);
    if (previous) {
      throw new Error(`two checks are named ${check.name}: in ${previous.file} and ${check.file}; give one a name`);
    }
    byName.set(check.name, check);
  }
  return checks;
}

/** Returns the `.yml` that documents an asset: beside its SQL file, or `raw/<key>.yml` for a raw asset. */
export function documentationFile(asset: Asset, modelsDir: string = MODELS_DIR): string {
  return asset.sqlFile ? asset.sqlFile.replace(/\.sql$/, '.yml') : path.join(modelsDir, asset.layer, `${asset.key}.yml`);
}

function genericChecks(asset: Asset, modelsDir: string): CheckDefinition[] {
  const file = documentationFile(asset, modelsDir);
  if (!fs.existsSync(file)) return [];
  const documentation = documentationSchema.safeParse(parseYaml(fs.readFileSync(file, 'utf8')) ?? {});
  if (!documentation.success) throw invalid(file, 'the file', documentation.error.issues[0]);
  // Raw tables are keyed by the Odoo record id; models by their first documented column (their grain).
  const defaultKey = asset.layer === 'raw' ? 'id' : documentation.data.columns?.[0]?.name;

  return (documentation.data.checks ?? []).map((entry, index) => {
    const parsed = genericCheckSchema.safeParse(entry);
    if (!parsed.success) throw invalid(file, `checks[${index}]`, parsed.error.issues[0]);
    const declared = parsed.data;
    const keyColumn = declared.key ?? defaultKey;
    const column = 'column' in declared ? declared.column : undefined;
    const predicate = declared.name ?? [declared.type, column].filter(Boolean).join('_');
    const base: CheckBase = {
      name: `${asset.key}__${predicate}`,
      asset: asset.key,
      severity: declared.severity,
      threshold: parseThreshold(declared.type === 'row_count_change' ? declared.max_change : declared.threshold),
      description: declared.description ?? genericDescription(declared),
      hint: declared.hint ?? genericHint(declared, asset),
      mask: declared.mask,
      file,
    };

    if (declared.type === 'row_count_change') return { ...base, type: 'row_count_change' };
    if (declared.type === 'freshness') {
      const amount = Number(declared.max_age.slice(0, -1));
      const maxAgeHours = declared.max_age.endsWith('d') ? amount * 24 : amount;
      return { ...base, type: 'freshness', column: declared.column, maxAgeHours };
    }
    if (!keyColumn) {
      throw new Error(`invalid check in ${file} at checks[${index}]: give it a key column, or document the columns`);
    }
    if (declared.type === 'accepted_values') {
      return { ...base, type: 'accepted_values', column: declared.column, values: declared.values, keyColumn };
    }
    if (declared.type === 'relationship') {
      return { ...base, type: 'relationship', column: declared.column, to: declared.to, field: declared.field, keyColumn };
    }
    return { ...base, type: declared.type, column: declared.column, keyColumn };
  });
}

function businessChecks(graph: AssetGraph, checksDir: string): CheckDefinition[] {
  if (!fs.existsSync(checksDir)) return [];
  const assetKeys = new Set(graph.assets.map((asset) => asset.key));
  return fs
    .readdirSync(checksDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sqlFile = path.join(checksDir, name);
      const match = /^(.+?)__([a-z0-9_]+)\.sql$/.exec(name);
      if (!match || !assetKeys.has(match[1])) {
        throw new Error(
          `invalid check file name ${sqlFile}: name it <asset>__<predicate>.sql after an asset of the graph`,
        );
      }
      const header = sqlHeaderSchema.safeParse(readHeader(sqlFile));
      if (!header.success) throw invalid(sqlFile, 'the header', header.error.issues[0]);
      return {
        name: name.slice(0, -'.sql'.length),
        asset: match[1],
        severity: header.data.severity,
        threshold: parseThreshold(header.data.threshold),
        description: header.data.description,
        hint: header.data.hint,
        mask: header.data.mask,
        file: sqlFile,
        type: 'sql' as const,
        sqlFile,
      };
    });
}

const HEADER_FIELDS = new Set(Object.keys(sqlHeaderSchema.shape));

/**
 * Reads the header fields from the leading comment lines of a SQL file (`-- severity: warn`); other
 * leading comments are free text.
 */
function readHeader(file: string): Record<string, string> {
  const header: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('--')) break;
    const field = /^--\s*([a-z_]+):\s*(.*)$/.exec(line);
    if (field && HEADER_FIELDS.has(field[1])) header[field[1]] = field[2].trim();
  }
  return header;
}

export function parseThreshold(value: number | string): Threshold {
  const text = String(value);
  if (text.endsWith('%')) return { kind: 'percent', value: Number(text.slice(0, -1)) };
  return { kind: 'count', value: Number(text) };
}

export function formatThreshold(threshold: Threshold): string {
  return threshold.kind === 'percent' ? `${threshold.value}%` : String(threshold.value);
}

/** True when `failing` rows out of `total` exceed the threshold. */
export function exceedsThreshold(threshold: Threshold, failing: number, total: number): boolean {
  if (threshold.kind === 'count') return failing > threshold.value;
  if (total === 0) return failing > 0;
  return (failing / total) * 100 > threshold.value;
}

/**
 * SQL returning the offending rows of a row-level check as `check_key` and `check_value` (text),
 * or, for a freshness check, one row with the newest timestamp as `latest`.
 * @throws Error naming the check file when a SQL check refers to an asset that is neither the
 *   checked asset nor one of its upstreams (it might not be built yet when the check runs).
 */
export function renderCheck(check: CheckDefinition, context: RenderContext): string {
  const d = context.dialect;
  const asset = context.graph.get(check.asset);
  const table = d.table(check.asset);
  const text = (expr: string) => d.cast(expr, 'string');

  switch (check.type) {
    case 'not_null':
      return (
        `select ${text(d.identifier(check.keyColumn))} as check_key, ${text('null')} as check_value ` +
        `from ${table} where ${d.identifier(check.column)} is null`
      );
    case 'unique': {
      const column = d.identifier(check.column);
      return (
        `select ${text(`checked.${d.identifier(check.keyColumn)}`)} as check_key, ${text(`checked.${column}`)} as check_value ` +
        `from ${table} as checked inner join (select ${column} as duplicate_value from ${table} ` +
        `where ${column} is not null group by ${column} having count(*) > 1) as duplicated ` +
        `on duplicated.duplicate_value = checked.${column}`
      );
    }
    case 'accepted_values': {
      const column = d.identifier(check.column);
      const accepted = check.values.map((value) => d.literal(value)).join(', ');
      return (
        `select ${text(d.identifier(check.keyColumn))} as check_key, ${text(column)} as check_value ` +
        `from ${table} where ${column} is not null and ${text(column)} not in (${accepted})`
      );
    }
    case 'relationship': {
      if (!upstreamClosure(context.graph, check.asset).has(check.to)) {
        throw new Error(`check ${check.name} in ${check.file}: ${check.to} is not upstream of ${check.asset}`);
      }
      const column = `checked.${d.identifier(check.column)}`;
      const field = `parent.${d.identifier(check.field)}`;
      return (
        `select ${text(`checked.${d.identifier(check.keyColumn)}`)} as check_key, ${text(column)} as check_value ` +
        `from ${table} as checked left join ${d.table(check.to)} as parent on ${field} = ${column} ` +
        `where ${column} is not null and ${field} is null`
      );
    }
    case 'freshness': {
      // Raw tables hold Odoo's JSON values; models hold typed timestamps.
      const column = asset.layer === 'raw' ? d.odooDatetime(d.identifier(check.column)) : d.identifier(check.column);
      return `select max(${column}) as latest from ${table}`;
    }
    case 'row_count_change':
      return `select count(*) as row_count from ${table}`;
    case 'sql':
      return `select ${text('check_key')} as check_key, ${text('check_value')} as check_value from (\n${renderSqlCheck(check, context)}\n) as offending`;
  }
}

function renderSqlCheck(check: CheckDefinition & { type: 'sql' }, context: RenderContext): string {
  const { dialect, mapping } = context;
  const readable = upstreamClosure(context.graph, check.asset);
  const rawTables = new Map<string, string>(sourceDefinitions(mapping).map((source) => [source.name, source.rawTable]));
  const ref = (name: string) => {
    if (!readable.has(name)) {
      throw new Error(`ref('${name}') in ${check.sqlFile}: only ${check.asset} and its upstream assets can be read`);
    }
    return dialect.table(name);
  };
  const source = (name: string) => {
    const rawTable = rawTables.get(name);
    if (!rawTable || !readable.has(rawTable)) {
      throw new Error(`source('${name}') in ${check.sqlFile}: only ${check.asset} and its upstream assets can be read`);
    }
    return dialect.table(rawTable);
  };

  const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  environment.addFilter('ident', (name: string) => dialect.identifier(name));
  environment.addFilter('literal', (value: SqlValue) => dialect.literal(value));
  try {
    return environment.renderString(fs.readFileSync(check.sqlFile, 'utf8'), {
      ref,
      source,
      d: dialect,
      lead: mapping.leadFields,
      questions: mapping.questionPatterns,
      cv_pattern: mapping.cvPattern,
      search_stage: mapping.searchStage,
      odoo_url: context.odooUrl.replace(/\/+$/, ''),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`failed to render check ${check.sqlFile}: ${message}`, { cause: error });
  }
}

/** `key` and every asset it depends on, directly or not. */
function upstreamClosure(graph: AssetGraph, key: string): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const upstream of graph.get(current).upstream) visit(upstream);
  };
  visit(key);
  return seen;
}

type DeclaredGeneric = z.infer<typeof genericCheckSchema>;

function genericDescription(check: DeclaredGeneric): string {
  switch (check.type) {
    case 'not_null':
      return `rows with an empty ${check.column}`;
    case 'unique':
      return `rows sharing their ${check.column} with another row`;
    case 'accepted_values':
      return `${check.column} outside ${check.values.join(', ')}`;
    case 'relationship':
      return `${check.column} missing from ${check.to}.${check.field}`;
    case 'row_count_change':
      return `row count changed by more than ${check.max_change} since the previous run`;
    case 'freshness':
      return `newest ${check.column} older than ${check.max_age} at the end of the run date`;
  }
}

function genericHint(check: DeclaredGeneric, asset: Asset): string {
  const where = asset.sqlFile ? `the model ${path.basename(asset.sqlFile)}` : `the extraction of ${asset.key}`;
  switch (check.type) {
    case 'row_count_change':
      return `compare with the previous run: a filter, a failed extraction page or a mass deletion in Odoo`;
    case 'freshness':
      return `check that Odoo is still being used and that the extraction reads the right database`;
    default:
      return `look at the sample rows, then fix the values in Odoo or ${where}`;
  }
}

function invalid(file: string, where: string, issue: z.ZodError['issues'][number] | undefined): Error {
  const at = issue?.path.length ? `${where}.${issue.path.join('.')}` : where;
  return new Error(`invalid check declaration in ${file} at ${at}: ${issue?.message ?? 'unreadable'}`);
}
