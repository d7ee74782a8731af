import { describe, expect, it } from 'vitest';
import { csvCell, neutraliseFormula, toCsv } from './csv.ts';
import { exportColumns } from './columns.ts';

describe('CSV export', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 6 12', "'+33 6 12"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['Dupont', 'Dupont'],
    ['a=b', 'a=b'],
  ])('neutralises %j as %j', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
  });

  it('quotes separators, quotes and line breaks, and leaves NULL empty', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('dit "oui"')).toBe('"dit ""oui"""');
    expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvCell(null)).toBe('');
  });

  it('starts with a byte order mark and ends every line with CRLF', () => {
    const csv = toCsv([], exportColumns(false));
    expect(csv.startsWith('\uFEFFFiche candidat;CV;')).toBe(true);
    expect(csv.endsWith(';Remarque\r\n')).toBe(true);
  });
});
