/** XLSX export with write-excel-file: every cell is a string cell, so no value is read as a formula. */
import writeXlsxFile from 'write-excel-file/node';
import type { CandidateRow } from '../data/candidates.ts';
import type { ExportColumn } from './columns.ts';

export async function toXlsx(rows: CandidateRow[], columns: ExportColumn[]): Promise<Buffer> {
  const header = columns.map((column) => ({ value: column.heading, fontWeight: 'bold' as const }));
  const body = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      return value === null || value === undefined ? null : { type: String, value };
    }),
  );
  return writeXlsxFile([header, ...body], {
    columns: columns.map((column) => ({ width: column.heading === 'Remarque' ? 60 : 22 })),
    stickyRowsCount: 1,
  }).toBuffer();
}
