/**
 * Column types of raw tables, derived from Odoo field types.
 *
 * Odoo sends `false` for an empty value of every type except integers (0) and floats (0.0). So only
 * those and booleans get a typed raw column. Everything else stays JSON, and staging models type it.
 */
import type { SourceDefinition } from './sources.ts';
import type { ColumnSpec, ColumnType } from '../warehouse/warehouse.ts';

const typedOdooFields: Record<string, ColumnType> = {
  integer: 'int64',
  many2one_reference: 'int64',
  float: 'float64',
  monetary: 'float64',
  boolean: 'bool',
};

/** Returns the raw column type of an Odoo field type: JSON, which accepts any value, for unknown types. */
export function rawColumnType(odooType: string | undefined): ColumnType {
  return (odooType && typedOdooFields[odooType]) || 'json';
}

/**
 * Returns the raw columns of a source, in the source's field order. `fieldTypes` maps field names
 * to Odoo types (from fields_get). `id` is an integer even when fields_get does not list it.
 */
export function rawColumns(source: SourceDefinition, fieldTypes: Record<string, string>): ColumnSpec[] {
  return source.fields.map((name) => ({
    name,
    type: name === 'id' ? 'int64' : rawColumnType(fieldTypes[name]),
  }));
}
