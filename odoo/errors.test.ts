import { describe, expect, it } from 'vitest';
import { faultSummary } from './errors.ts';

describe('faultSummary', () => {
  it('keeps the exception line of a Python traceback', () => {
    const fault = 'Traceback (most recent call last):\n  File "odoo/models.py", line 1\nValueError: Invalid field crm.lead.foo';
    expect(faultSummary(fault)).toBe('ValueError: Invalid field crm.lead.foo');
  });

  it('skips the LINE and caret lines that close a PostgreSQL error', () => {
    const fault = [
      'Traceback (most recent call last):',
      '  File "odoo/sql_db.py", line 354, in execute',
      'psycopg2.errors.InvalidRowCountInResultOffsetClause: OFFSET must not be negative',
      'LINE 1: ...FROM "crm_lead" ORDER BY "crm_lead"."id" OFFSET -1',
      '                                                          ^',
    ].join('\n');
    expect(faultSummary(fault)).toBe('psycopg2.errors.InvalidRowCountInResultOffsetClause: OFFSET must not be negative');
  });

  it('joins a user error message without traceback', () => {
    expect(faultSummary("Object crm.leads doesn't exist")).toBe("Object crm.leads doesn't exist");
  });
});
