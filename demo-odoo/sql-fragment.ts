/** SQL text with its bound parameters: every user-supplied value travels as a `?` parameter. */

export type SqlParam = string | number | boolean | null;

export type SqlFragment = { sql: string; params: SqlParam[] };

export function sql(text: string, params: SqlParam[] = []): SqlFragment {
  return { sql: text, params };
}

/** Joins fragments with `separator`, keeping parameters in placeholder order. */
export function joinSql(fragments: SqlFragment[], separator: string): SqlFragment {
  return { sql: fragments.map((fragment) => fragment.sql).join(separator), params: fragments.flatMap((f) => f.params) };
}

/** `"name"`: identifiers come from the model schema, never from callers, and are quoted anyway. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
