/**
 * JSON bodies of the JSON-RPC and JSON-2 transports.
 *
 * `JSON.parse` turns integers beyond 2^53 into rounded doubles. Odoo's ids and integer fields are
 * PostgreSQL `integer` (below 2^31), so such numbers only come from computed or JSON fields. They
 * are kept as their exact decimal string, like `<i8>` values over XML-RPC. Finding one needs a
 * reviver, which makes parsing several times slower, so it runs only when the text holds a run of
 * 16 digits (2^53 has 16 digits); a false alarm, such as digits inside a string, only costs time.
 */
import { toOdooDatetime } from './xmlrpc-codec.ts';

const SIXTEEN_DIGITS = /\d{16}/;
const INTEGER_SOURCE = /^-?\d+$/;

type ReviverContext = { source?: string };

function keepUnsafeIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return INTEGER_SOURCE.test(context.source) ? context.source : value;
}

/** Parses an Odoo JSON body; integers beyond 2^53 become decimal strings. */
export function parseOdooJson(text: string): unknown {
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(text, keepUnsafeIntegers as (key: string, value: unknown) => unknown);
}

/**
 * Encodes a request body like the XML-RPC encoder does: undefined members are left out, a Date
 * becomes Odoo's naive UTC datetime string, a bigint within the safe range a number.
 */
export function encodeOdooJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, member: unknown) {
    // `member` went through Date.prototype.toJSON already; the holder still has the Date.
    const original = this[key];
    if (original instanceof Date) return toOdooDatetime(original);
    if (typeof member !== 'bigint') return member;
    if (member > BigInt(Number.MAX_SAFE_INTEGER) || member < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TypeError(`${member}n is beyond the integers JSON numbers carry exactly; send it as a string`);
    }
    return Number(member);
  });
}
