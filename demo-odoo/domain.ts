/**
 * Odoo domains compiled to SQL `WHERE` conditions.
 *
 * Prefix operators `&`, `|`, `!` with an implicit `&` between top-level terms; leaves
 * `[field, operator, value]` where field may follow a many2one (`question_id.survey_id`).
 * Values are always bound parameters.
 */
import { serverError, valueError } from './faults.ts';
import { normalizeDateInput, normalizeDatetimeInput } from './datetime-values.ts';
import { findField, findModel } from './models.ts';
import { pythonRepr, pythonTupleRepr } from './python-repr.ts';
import type { FieldSpec, ModelSpec } from './schema-types.ts';
import { joinSql, placeholders, quoteIdentifier, sql, type SqlFragment, type SqlParam } from './sql-fragment.ts';

const operators = new Set([
  '=', '!=', '<>', '<', '<=', '>', '>=', '=?', 'in', 'not in',
  'like', 'ilike', '=like', '=ilike', 'not like', 'not ilike',
]);

const negativeOperators: Record<string, string> = {
  '!=': '=',
  'not in': 'in',
  'not like': 'like',
  'not ilike': 'ilike',
};

const maxInt4 = 2 ** 31 - 1;

export type DomainOptions = {
  /** Hide archived rows unless the domain mentions the active field (Odoo's `active_test`). */
  activeTest: boolean;
};

/** Compiles `domain` to the condition selecting it on the rows of `model` aliased `alias`. */
export function compileDomain(model: ModelSpec, domain: unknown, alias: string, options: DomainOptions): SqlFragment {
  const terms = domainTerms(domain);
  const conditions: SqlFragment[] = [];
  const compiled = compileTerms(model, terms, alias);
  if (compiled) conditions.push(compiled);

  if (model.keepsDeletedRows) conditions.push(sql(`NOT ${alias}."_deleted"`));
  if (model.activeField && options.activeTest && !mentionsField(terms, model.activeField)) {
    conditions.push(sql(`${alias}.${quoteIdentifier(model.activeField)} = TRUE`));
  }

  if (conditions.length === 0) return sql('TRUE');
  return joinSql(conditions.map(parenthesize), ' AND ');
}

function domainTerms(domain: unknown): unknown[] {
  if (domain === undefined || domain === null || domain === false) return [];
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
  return domain;
}

function mentionsField(terms: unknown[], fieldName: string): boolean {
  return terms.some((term) => Array.isArray(term) && typeof term[0] === 'string' && term[0].split('.')[0] === fieldName);
}

/** Evaluates the prefix notation from the end with a stack; what remains is joined with AND. */
function compileTerms(model: ModelSpec, terms: unknown[], alias: string): SqlFragment | undefined {
  const stack: SqlFragment[] = [];
  for (let index = terms.length - 1; index >= 0; index--) {
    const term = terms[index];
    if (term === '!') {
      const operand = pop(stack, terms);
      stack.push(sql(`NOT (${operand.sql})`, operand.params));
    } else if (term === '&' || term === '|') {
      const left = pop(stack, terms);
      const right = pop(stack, terms);
      stack.push(joinSql([parenthesize(left), parenthesize(right)], term === '&' ? ' AND ' : ' OR '));
    } else if (Array.isArray(term) && term.length === 3) {
      stack.push(compileLeaf(model, term as [unknown, unknown, unknown], alias, term));
    } else {
      throw valueError(`Invalid leaf ${pythonRepr(term)}`);
    }
  }
  if (stack.length === 0) return undefined;
  return joinSql(stack.reverse().map(parenthesize), ' AND ');
}

function pop(stack: SqlFragment[], terms: unknown[]): SqlFragment {
  const fragment = stack.pop();
  if (!fragment) throw valueError(`Domain ${pythonRepr(terms)} is syntactically not correct.`);
  return fragment;
}

function parenthesize(fragment: SqlFragment): SqlFragment {
  return { sql: `(${fragment.sql})`, params: fragment.params };
}

function compileLeaf(model: ModelSpec, leaf: [unknown, unknown, unknown], alias: string, original: unknown[]): SqlFragment {
  const [left, rawOperator, value] = leaf;

  // Odoo's constant leaves TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
  if (typeof left === 'number' && rawOperator === '=' && value === 1) return sql(left === 1 ? 'TRUE' : 'FALSE');

  if (typeof left !== 'string' || typeof rawOperator !== 'string') {
    throw valueError(`Invalid leaf ${pythonTupleRepr(original)}`);
  }
  const operator = rawOperator.toLowerCase();
  if (!operators.has(operator)) throw valueError(`Invalid leaf ${pythonTupleRepr(original)}`);

  const [fieldName, ...rest] = left.split('.');
  const field = findField(model, fieldName);
  if (!field) throw valueError(`Invalid field ${model.name}.${fieldName} in leaf ${pythonTupleRepr(original)}`);

  if (rest.length > 0) return compilePathLeaf(field, rest.join('.'), operator, value, alias, original);
  return compareField(model, field, alias, operator === '<>' ? '!=' : operator, value, original);
}

let subqueryCounter = 0;

/** `partner_id.name ilike x` → `partner_id IN (SELECT id FROM res_partner WHERE name ILIKE x)`. */
function compilePathLeaf(
  field: FieldSpec,
  restPath: string,
  operator: string,
  value: unknown,
  alias: string,
  original: unknown[],
): SqlFragment {
  const target = field.relation ? findModel(field.relation) : undefined;
  if (!target || (field.type !== 'many2one' && field.type !== 'one2many')) {
    throw valueError(`Invalid field ${field.name}.${restPath} in leaf ${pythonTupleRepr(original)}`);
  }
  const subAlias = `p${++subqueryCounter}`;
  const inner = compileLeaf(target, [restPath, operator, value], subAlias, original);
  const table = quoteIdentifier(target.table);
  if (field.type === 'many2one') {
    return sql(`${alias}.${quoteIdentifier(field.name)} IN (SELECT ${subAlias}."id" FROM ${table} ${subAlias} WHERE ${inner.sql})`, inner.params);
  }
  const inverse = quoteIdentifier(field.inverseName ?? '');
  return sql(`EXISTS (SELECT 1 FROM ${table} ${subAlias} WHERE ${subAlias}.${inverse} = ${alias}."id" AND (${inner.sql}))`, inner.params);
}

function compareField(
  model: ModelSpec,
  field: FieldSpec,
  alias: string,
  operator: string,
  value: unknown,
  original: unknown[],
): SqlFragment {
  if (operator === '=?') {
    if (value === false || value === null || value === undefined) return sql('TRUE');
    return compareField(model, field, alias, '=', value, original);
  }

  if (field.type === 'one2many') return compareOneToMany(field, alias, operator, value, original);
  if (field.type === 'binary') throw valueError(`Cannot search on binary field ${model.name}.${field.name}`);

  const column = field.name === 'display_name' ? model.displayName(alias) : `${alias}.${quoteIdentifier(field.name)}`;
  const isNameSearch = field.type === 'many2one' && hasText(value);
  if (isNameSearch) return compareManyToOneByName(field, column, operator, value);
  return compareColumn(column, field, operator, value, original);
}

function hasText(value: unknown): boolean {
  if (typeof value === 'string') return true;
  return Array.isArray(value) && value.some((item) => typeof item === 'string');
}

/** Compares a many2one with text through the target's display name, as Odoo's name_search does. */
function compareManyToOneByName(field: FieldSpec, column: string, operator: string, value: unknown): SqlFragment {
  const target = findModel(field.relation ?? '');
  if (!target) throw new Error(`model schema error: unknown relation "${field.relation}"`);
  const positive = negativeOperators[operator] ?? operator;
  const subAlias = `n${++subqueryCounter}`;
  const displayField: FieldSpec = { name: 'display_name', type: 'char', string: 'Display Name' };
  const inner = compareColumn(target.displayName(subAlias), displayField, positive, value, [field.name, operator, value]);
  const subquery = `SELECT ${subAlias}."id" FROM ${quoteIdentifier(target.table)} ${subAlias} WHERE ${inner.sql}`;
  if (positive === operator) return sql(`${column} IN (${subquery})`, inner.params);
  return sql(`(${column} NOT IN (${subquery}) OR ${column} IS NULL)`, inner.params);
}

function compareOneToMany(field: FieldSpec, alias: string, operator: string, value: unknown, original: unknown[]): SqlFragment {
  const target = findModel(field.relation ?? '');
  if (!target) throw new Error(`model schema error: unknown relation "${field.relation}"`);
  const table = quoteIdentifier(target.table);
  const inverse = quoteIdentifier(field.inverseName ?? '');
  const related = `SELECT 1 FROM ${table} o WHERE o.${inverse} = ${alias}."id"`;
  if (value === false && (operator === '=' || operator === '!=')) {
    return sql(`${operator === '=' ? 'NOT ' : ''}EXISTS (${related})`);
  }
  const idField: FieldSpec = { name: 'id', type: 'integer', string: 'ID' };
  const positive = negativeOperators[operator] ?? operator;
  const inner = compareColumn('o."id"', idField, positive, value, original);
  const exists = `EXISTS (${related} AND ${inner.sql})`;
  return sql(positive === operator ? exists : `NOT ${exists}`, inner.params);
}

const textTypes = new Set(['char', 'text', 'html', 'selection']);

/** Compares one column with one value, with Odoo's NULL semantics. */
function compareColumn(column: string, field: FieldSpec, operator: string, value: unknown, original: unknown[]): SqlFragment {
  const isText = textTypes.has(field.type);
  const isEmpty = value === false || value === null || value === undefined;

  if (operator === '=' || operator === '!=') {
    if (isEmpty || (field.type === 'boolean' && value !== true)) {
      const emptyCondition = emptyTest(column, field);
      return sql(operator === '=' ? emptyCondition : `NOT (${emptyCondition})`);
    }
    const param = bindValue(field, value, original);
    if (operator === '=') return sql(`${column} = ${param.sql}`, param.params);
    return sql(`(${column} != ${param.sql} OR ${column} IS NULL)`, param.params);
  }

  if (operator === 'in' || operator === 'not in') {
    const items = Array.isArray(value) ? value : [value];
    const present = items.filter((item) => item !== false && item !== null);
    const wantsEmpty = present.length < items.length;
    const parts: SqlFragment[] = [];
    if (present.length > 0) {
      const bound = present.map((item) => bindValue(field, item, original));
      parts.push(sql(`${column} IN (${bound.map((b) => b.sql).join(', ')})`, bound.flatMap((b) => b.params)));
    }
    if (wantsEmpty) parts.push(sql(emptyTest(column, field)));
    const positive = parts.length === 0 ? sql('FALSE') : joinSql(parts.map(parenthesize), ' OR ');
    if (operator === 'in') return positive;
    // NOT IN keeps rows whose value is empty unless the list asked for empty values.
    return wantsEmpty ? sql(`NOT (${positive.sql})`, positive.params) : sql(`(NOT (${positive.sql}) OR ${column} IS NULL)`, positive.params);
  }

  if (operator.includes('like')) {
    const text = isEmpty ? '' : String(value);
    const pattern = operator.startsWith('=') ? text : `%${text}%`;
    const sqlOperator = operator.includes('ilike') ? 'ILIKE' : 'LIKE';
    const target = isText ? column : `CAST(${column} AS VARCHAR)`;
    if (operator.startsWith('not')) return sql(`(${target} NOT ${sqlOperator} ? OR ${column} IS NULL)`, [pattern]);
    return sql(`${target} ${sqlOperator} ?`, [pattern]);
  }

  // <, <=, >, >=
  if (isEmpty) return sql('FALSE');
  const param = bindValue(field, value, original);
  return sql(`${column} ${operator} ${param.sql}`, param.params);
}

function emptyTest(column: string, field: FieldSpec): string {
  if (field.type === 'boolean') return `(${column} IS NULL OR ${column} = FALSE)`;
  if (textTypes.has(field.type)) return `(${column} IS NULL OR ${column} = '')`;
  return `${column} IS NULL`;
}

/** Binds one value, cast to the column's type so DuckDB compares like PostgreSQL would. */
function bindValue(field: FieldSpec, value: unknown, original: unknown[]): SqlFragment {
  switch (field.type) {
    case 'datetime':
      return sql('CAST(? AS TIMESTAMP)', [normalizeDatetimeInput(value)]);
    case 'date':
      return sql('CAST(? AS DATE)', [normalizeDateInput(value)]);
    case 'boolean':
      return sql('?', [Boolean(value)]);
    case 'integer':
    case 'many2one':
    case 'many2one_reference':
    case 'float':
    case 'monetary':
      return sql('?', [numericParam(field, value, original)]);
    default:
      return sql('?', [String(value)]);
  }
}

function numericParam(field: FieldSpec, value: unknown, original: unknown[]): SqlParam {
  const number = typeof value === 'boolean' ? Number(value) : Number(value);
  if (Number.isNaN(number)) {
    throw serverError('psycopg2.errors.InvalidTextRepresentation', `invalid input syntax for type integer: ${pythonRepr(value)}`);
  }
  if (field.type !== 'float' && field.type !== 'monetary' && Math.abs(number) > maxInt4) {
    throw serverError('psycopg2.errors.NumericValueOutOfRange', `integer out of range (in leaf ${pythonTupleRepr(original)})`);
  }
  return number;
}
