/** Tables of the demo store, one per model, derived from the model schema. */
import { models } from './models.ts';
import { isStored, type FieldSpec, type ModelSpec } from './schema-types.ts';
import { quoteIdentifier } from './sql-fragment.ts';

export function columnType(field: FieldSpec): string {
  switch (field.type) {
    case 'integer':
    case 'many2one':
    case 'many2one_reference':
      return 'INTEGER';
    case 'float':
    case 'monetary':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'datetime':
      // Microseconds, like PostgreSQL's timestamp: responses truncate to the second.
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

export function createTableSql(model: ModelSpec): string {
  const columns = model.fields.filter(isStored).map((field) => {
    const notNull = field.name === 'id' ? ' NOT NULL' : '';
    return `${quoteIdentifier(field.name)} ${columnType(field)}${notNull}`;
  });
  if (model.keepsDeletedRows) columns.push('"_deleted" BOOLEAN NOT NULL DEFAULT FALSE');
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(model.table)} (${columns.join(', ')})`;
}

/** Lists the statements creating the store's tables: model tables first, then bookkeeping. */
export function schemaStatements(): string[] {
  return [
    ...models.map(createTableSql),
    // Key/value facts about the store: generator scale and seed, last id handed out per table.
    'CREATE TABLE IF NOT EXISTS "demo_meta" ("key" VARCHAR PRIMARY KEY, "value" VARCHAR NOT NULL)',
  ];
}
