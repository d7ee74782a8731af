/** Description of an Odoo model for the demo: its fields, table, default order and display name. */

export type FieldType =
  | 'integer'
  | 'float'
  | 'monetary'
  | 'char'
  | 'text'
  | 'html'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'many2one_reference'
  | 'one2many'
  | 'binary';

export type FieldSpec = {
  name: string;
  type: FieldType;
  /** English label, as fields_get gives it without `context.lang`. */
  string: string;
  /** French label for `context.lang = fr_FR`; custom (`manual`) fields keep `string` in every language. */
  stringFr?: string;
  relation?: string;
  /** one2many: the many2one field on `relation` pointing back here; its rows come sorted by `inverseOrder`. */
  inverseName?: string;
  inverseOrder?: string;
  selection?: [string, string][];
  selectionFr?: [string, string][];
  required?: boolean;
  readonly?: boolean;
  /** Created as a custom field (Studio style): fields_get reports `manual: true`. */
  manual?: boolean;
  /** Computed, not a table column (display_name, one2many, ir.attachment.raw). */
  computed?: boolean;
};

export type ModelSpec = {
  name: string;
  table: string;
  /** English and French names, used in access error messages. */
  description: string;
  /** Default `order` when a search gives none, in Odoo's syntax. */
  order: string;
  /** Field hiding archived rows from searches (`active`, or `x_active` on custom models). */
  activeField?: string;
  /** SQL expression of the display name for the row aliased `alias`. */
  displayName: (alias: string) => string;
  /** Only the administrator may read it (fault 4 for other users). */
  adminOnly?: boolean;
  /** The table has a `_deleted` column: rows removed from the model but still named by dangling references. */
  keepsDeletedRows?: boolean;
  fields: FieldSpec[];
};

/** Log-access fields every model has, after its own fields as in Odoo's fields_get. */
export function magicFields(): FieldSpec[] {
  return [
    { name: 'id', type: 'integer', string: 'ID', readonly: true },
    { name: 'display_name', type: 'char', string: 'Display Name', stringFr: 'Nom affiché', readonly: true, computed: true },
    { name: 'create_uid', type: 'many2one', relation: 'res.users', string: 'Created by', stringFr: 'Créé par', readonly: true },
    { name: 'create_date', type: 'datetime', string: 'Created on', stringFr: 'Créé le', readonly: true },
    { name: 'write_uid', type: 'many2one', relation: 'res.users', string: 'Last Updated by', stringFr: 'Mis à jour par', readonly: true },
    { name: 'write_date', type: 'datetime', string: 'Last Updated on', stringFr: 'Mis à jour le', readonly: true },
  ];
}

export function isStored(field: FieldSpec): boolean {
  return !field.computed && field.type !== 'one2many';
}
