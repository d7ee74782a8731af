/**
 * `fields_get` results: one description per field, in the model's field order, with only the
 * attributes that apply (`relation` on relational fields, `selection` on selection fields),
 * attribute names sorted as Odoo sends them. Labels follow `context.lang` except on custom fields.
 */
import type { RpcValue } from './rpc-values.ts';
import { isStored, type FieldSpec, type ModelSpec } from './schema-types.ts';

export type FieldsGetOptions = {
  /** Field names to describe; unknown names are ignored, as Odoo does. Empty: every field. */
  fields?: unknown;
  /** Attribute names to return. Empty means every attribute the demo describes. */
  attributes?: unknown;
  lang?: string;
};

const defaultAttributes = ['manual', 'name', 'readonly', 'relation', 'required', 'searchable', 'selection', 'sortable', 'store', 'string', 'type'];

export function fieldsDescription(model: ModelSpec, options: FieldsGetOptions): Record<string, Record<string, RpcValue>> {
  const wantedFields = stringList(options.fields);
  const attributes = stringList(options.attributes) ?? defaultAttributes;
  const french = typeof options.lang === 'string' && options.lang.startsWith('fr');

  const result: Record<string, Record<string, RpcValue>> = {};
  for (const field of model.fields) {
    if (wantedFields && !wantedFields.includes(field.name)) continue;
    const all = describe(field, french);
    const description: Record<string, RpcValue> = {};
    for (const name of Object.keys(all).sort()) {
      if (attributes.includes(name)) description[name] = all[name];
    }
    result[field.name] = description;
  }
  return result;
}

function describe(field: FieldSpec, french: boolean): Record<string, RpcValue> {
  const stored = isStored(field);
  const description: Record<string, RpcValue> = {
    manual: field.manual === true,
    name: field.name,
    readonly: field.readonly === true || field.computed === true,
    required: field.required === true,
    searchable: field.type !== 'binary' || stored,
    sortable: stored && field.type !== 'binary',
    store: stored,
    string: french && !field.manual && field.stringFr ? field.stringFr : field.string,
    type: field.type,
  };
  if (field.relation) description.relation = field.relation;
  if (field.selection) description.selection = (french && field.selectionFr) || field.selection;
  return description;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map(String);
}
