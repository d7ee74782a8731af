/** Values given to create/write, checked and converted to column values like Odoo's ORM would. */
import { normalizeDateInput, normalizeDatetimeInput } from './datetime-values.ts';
import { valueError } from './faults.ts';
import { findField } from './models.ts';
import { pythonRepr } from './python-repr.ts';
import { isStored, type FieldSpec, type ModelSpec } from './schema-types.ts';
import type { SqlParam } from './sql-fragment.ts';

/** Log-access columns the ORM stamps itself; values given for them are ignored, as Odoo does. */
export const logAccessFields = new Set(['id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'display_name']);

export type ColumnValues = Map<string, SqlParam>;

export function toColumnValues(model: ModelSpec, values: unknown): ColumnValues {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw valueError(`Expected a dictionary of field values for ${model.name}, got ${pythonRepr(values)}`);
  }
  const columns: ColumnValues = new Map();
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const field = findField(model, name);
    if (!field) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
    if (logAccessFields.has(name)) continue;
    if (!isStored(field)) throw valueError(`Field ${model.name}.${name} is computed and cannot be written by the demo`);
    columns.set(name, toColumnValue(model, field, value));
  }
  return columns;
}

function toColumnValue(model: ModelSpec, field: FieldSpec, value: unknown): SqlParam {
  if (field.type === 'boolean') return Boolean(value);
  if (value === false || value === null || value === undefined) return null;

  switch (field.type) {
    case 'integer':
    case 'many2one':
    case 'many2one_reference': {
      const number = Number(value);
      if (!Number.isInteger(number)) throw valueError(`Wrong value for ${model.name}.${field.name}: ${pythonRepr(value)}`);
      return number;
    }
    case 'float':
    case 'monetary': {
      const number = Number(value);
      if (Number.isNaN(number)) throw valueError(`Wrong value for ${model.name}.${field.name}: ${pythonRepr(value)}`);
      return number;
    }
    case 'selection': {
      const key = String(value);
      if (!field.selection?.some(([candidate]) => candidate === key)) {
        throw valueError(`Wrong value for ${model.name}.${field.name}: ${pythonRepr(value)}`);
      }
      return key;
    }
    case 'date':
      return normalizeDateInput(value);
    case 'datetime':
      return normalizeDatetimeInput(value);
    default:
      return String(value);
  }
}
