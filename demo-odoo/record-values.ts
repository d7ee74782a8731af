/**
 * Reading fields: the SQL that fetches each field and its conversion to what Odoo 18 returns.
 *
 * Empty values are `false` for every type except integer (0) and float (0.0). A many2one is
 * `[id, display name]`, or a bare id with `load` other than `_classic_read`. A one2many is a list of ids.
 */
import { findModel } from './models.ts';
import { RpcFloat, type RpcValue } from './rpc-values.ts';
import type { FieldSpec, ModelSpec } from './schema-types.ts';
import { quoteIdentifier } from './sql-fragment.ts';

/** Select-list expressions for one field of the row aliased `alias`; many2one adds its display name. */
export function fieldSelectExpressions(model: ModelSpec, field: FieldSpec, alias: string): string[] {
  const column = `${alias}.${quoteIdentifier(field.name)}`;

  if (field.name === 'display_name') return [model.displayName(alias)];
  if (field.name === 'raw') return [`${alias}."datas"`];

  switch (field.type) {
    case 'datetime':
      return [`strftime(${column}, '%Y-%m-%d %H:%M:%S')`];
    case 'date':
      return [`strftime(${column}, '%Y-%m-%d')`];
    case 'many2one': {
      const target = requireModel(field.relation);
      const displayName = `(SELECT ${target.displayName('m2o')} FROM ${quoteIdentifier(target.table)} m2o WHERE m2o."id" = ${column})`;
      return [column, displayName];
    }
    case 'one2many': {
      const target = requireModel(field.relation);
      const order = (field.inverseOrder ?? 'id')
        .split(',')
        .map((name) => `o2m.${quoteIdentifier(name.trim())}`)
        .join(', ');
      const inverse = quoteIdentifier(field.inverseName ?? '');
      return [`(SELECT list(o2m."id" ORDER BY ${order}) FROM ${quoteIdentifier(target.table)} o2m WHERE o2m.${inverse} = ${alias}."id")`];
    }
    default:
      return [column];
  }
}

/** Converts the SQL values of one field (1 value, 2 for many2one) to the RPC value. */
export function toRpcValue(field: FieldSpec, values: unknown[], loadDisplayNames: boolean): RpcValue {
  const [value, displayName] = values;

  if (field.name === 'raw') return value ? Buffer.from(String(value), 'base64').toString('utf8') : false;

  switch (field.type) {
    case 'integer':
    case 'many2one_reference':
      return value === null || value === undefined ? 0 : Number(value);
    case 'float':
    case 'monetary':
      return new RpcFloat(value === null || value === undefined ? 0 : Number(value));
    case 'boolean':
      return value === true;
    case 'many2one':
      if (value === null || value === undefined) return false;
      if (!loadDisplayNames) return Number(value);
      // Odoo returns False when the target row is gone; the demo keeps a name for deleted stages.
      return displayName === null || displayName === undefined ? false : [Number(value), String(displayName)];
    case 'one2many':
      return Array.isArray(value) ? value.map(Number) : [];
    default:
      return value === null || value === undefined || value === '' ? false : String(value);
  }
}

function requireModel(name: string | undefined): ModelSpec {
  const model = name ? findModel(name) : undefined;
  if (!model) throw new Error(`model schema error: unknown relation "${name}"`);
  return model;
}
