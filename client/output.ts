/** Plain-text output helpers for commands: aligned tables and key/value blocks. */

/** Formats rows as a left-aligned table with a header line; numbers are right-aligned. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const formatRow = (row: (string | number)[]) =>
    row
      .map((cell, column) =>
        typeof cell === 'number' ? String(cell).padStart(widths[column]) : String(cell ?? '').padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [formatRow(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(formatRow)].join('\n');
}

/** Formats `[label, value]` pairs with the values aligned in one column. */
export function formatKeyValues(pairs: [string, string | number | undefined][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value ?? '-'}`).join('\n');
}
