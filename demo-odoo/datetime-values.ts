/**
 * Dates and datetimes as Odoo exchanges them: naive UTC strings `YYYY-MM-DD HH:MM:SS` (dates
 * `YYYY-MM-DD`). The store keeps microseconds; responses are truncated to the second.
 */
import { serverError } from './faults.ts';

const datetimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?)?$/;

/**
 * Normalises a domain or write value of a datetime field to `YYYY-MM-DD HH:MM:SS[.ffffff]`.
 * Odoo accepts the `T` separator and a bare date (midnight). Anything else is a PostgreSQL error.
 */
export function normalizeDatetimeInput(value: unknown): string {
  const text = String(value);
  const match = datetimePattern.exec(text);
  if (!match || !isRealDate(match)) throw invalidTimestamp(text);
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = ''] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw invalidTimestamp(text);
  return `${year}-${month}-${day} ${hour}:${minute}:${second}${fraction}`;
}

/** Normalises a domain or write value of a date field to the date part of a date or datetime string. */
export function normalizeDateInput(value: unknown): string {
  return normalizeDatetimeInput(value).slice(0, 10);
}

function isRealDate(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function invalidTimestamp(text: string) {
  return serverError('psycopg2.errors.InvalidDatetimeFormat', `invalid input syntax for type timestamp: "${text}"`);
}

/** Formats microseconds since the epoch (UTC) as `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function formatMicroseconds(epochMicros: bigint): string {
  const millis = Number(epochMicros / 1000n);
  const micros = Number(epochMicros % 1_000_000n);
  const base = new Date(millis).toISOString().slice(0, 19).replace('T', ' ');
  return `${base}.${String(micros).padStart(6, '0')}`;
}

let lastStampMicros = 0n;

/**
 * Returns the timestamp of one write transaction: current UTC time with microseconds, strictly
 * increasing so two calls never share a stamp (each RPC call is its own transaction in Odoo).
 */
export function transactionTimestamp(): string {
  const nowMicros = BigInt(Date.now()) * 1000n + (process.hrtime.bigint() / 1000n) % 1000n;
  lastStampMicros = nowMicros > lastStampMicros ? nowMicros : lastStampMicros + 1n;
  return formatMicroseconds(lastStampMicros);
}
