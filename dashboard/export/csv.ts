/**
 * CSV that French Excel opens correctly with a double-click: UTF-8 with a byte order mark (or Excel
 * guesses Windows-1252), `;` as separator (the French list separator), CRLF line ends.
 */
import type { CandidateRow } from '../data/candidates.ts';
import type { ExportColumn } from './columns.ts';

export const CSV_BOM = '\uFEFF';

/**
 * A cell starting with = + - @ (or a tab or carriage return, which Excel skips before them) is
 * read by spreadsheets as a formula: `=HYPERLINK(…)` in a candidate's remark would run on open.
 * A leading apostrophe makes it text.
 */
export function neutraliseFormula(value: string): string {
  // Spreadsheets also ignore leading spaces before a formula character.
  return /^[\s]*[=+\-@]|^[\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(value);
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: CandidateRow[], columns: ExportColumn[]): string {
  const lines = [columns.map((column) => csvCell(column.heading)).join(';')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(';'));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
