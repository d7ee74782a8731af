/** Parsers for command-line option values; each rejects bad input with the value and the fix. */
import { InvalidArgumentError } from 'commander';

export function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return Number(value);
}

export function parsePort(value: string): number {
  const port = parseInteger(value);
  if (port < 1 || port > 65_535) throw new InvalidArgumentError(`${port} is not a TCP port; use 1 to 65535.`);
  return port;
}

/** Accepts a calendar date written YYYY-MM-DD that exists (2026-02-30 is rejected). */
export function parseRunDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError(`"${value}" is not a date; write it as YYYY-MM-DD, for example 2026-12-04.`);
  }
  return value;
}
