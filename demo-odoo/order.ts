/** Odoo `order` specifications compiled to SQL `ORDER BY`, validated like Odoo does. */
import { userError, valueError } from './faults.ts';
import { findField } from './models.ts';
import { isStored, type ModelSpec } from './schema-types.ts';
import { quoteIdentifier } from './sql-fragment.ts';

const termPattern = /^\s*"?([a-z_][a-z0-9_]*)"?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

export type OrderTerm = { field: string; descending: boolean; nulls?: 'first' | 'last' };

/** Parses `order`, or the model's default order when it is empty or false. */
export function parseOrder(model: ModelSpec, order: unknown): OrderTerm[] {
  const text = typeof order === 'string' && order.trim() !== '' ? order : model.order;
  const terms = text.split(',').map((part): OrderTerm => {
    const match = termPattern.exec(part);
    if (!match) {
      throw userError(
        `Invalid "order" specified (${text}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    }
    const field = findField(model, match[1]);
    if (!field || !isStored(field)) throw valueError(`Invalid field '${match[1]}' on model '${model.name}'`);
    const nulls = match[3]?.toLowerCase() as 'first' | 'last' | undefined;
    return { field: field.name, descending: match[2]?.toLowerCase() === 'desc', nulls };
  });

  // Ties broken by id so OFFSET pages never overlap (PostgreSQL gives no such guarantee, but a
  // stable order is what a connector relies on anyway).
  if (!terms.some((term) => term.field === 'id')) terms.push({ field: 'id', descending: false });
  return terms;
}

/**
 * `ORDER BY` text for the rows aliased `alias`. NULLs sort as in PostgreSQL (last ascending, first
 * descending). NOTE: a many2one sorts by the target id, not by the target model's own order.
 */
export function orderBySql(terms: OrderTerm[], alias: string): string {
  return terms
    .map((term) => {
      const nulls = term.nulls ?? (term.descending ? 'first' : 'last');
      return `${alias}.${quoteIdentifier(term.field)} ${term.descending ? 'DESC' : 'ASC'} NULLS ${nulls.toUpperCase()}`;
    })
    .join(', ');
}
