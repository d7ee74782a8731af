/**
 * XML-RPC encoding and decoding on top of the `xmlrpc` package's serializer and deserializer.
 *
 * The package's own HTTP client is not used (it has no timeout and parses any non-404 body as
 * XML), only its two codec modules. Their behaviour is adjusted in three places:
 * - `<dateTime.iso8601>` becomes a UTC `YYYY-MM-DD HH:MM:SS` string instead of a Date read in the
 *   machine's time zone, so datetimes look the same as the strings Odoo normally sends;
 * - `<base64>` stays a base64 string (a Buffer would serialize to JSON as a byte array);
 * - `<i8>` becomes a number when it fits, and stays a decimal string otherwise.
 * Request values the serializer would silently turn into empty or wrong XML (undefined, bigint
 * beyond the safe range, NaN, functions) are rejected before sending.
 */
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { XmlRpcFault } from './errors.ts';

type SerializerModule = { serializeMethodCall(method: string, params: unknown[], encoding?: string): string };

type DeserializerInstance = {
  push(value: unknown): void;
  value: boolean;
  endDateTime(data: string): void;
  endBase64(data: string): void;
  endI8(data: string): void;
  deserializeMethodResponse(stream: Readable, callback: (error: unknown, result: unknown) => void): void;
};
type DeserializerConstructor = new (encoding?: string) => DeserializerInstance;

// The package is CommonJS without an `exports` map; its lib modules are stable (last release 2016).
const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as SerializerModule;
const Deserializer = require('xmlrpc/lib/deserializer.js') as DeserializerConstructor;

const ISO_DATETIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?(\d{2})?)?$/;

/** Formats an instant as Odoo's naive UTC datetime string. */
export function toOdooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Reads an XML-RPC datetime. Without a zone it is taken as UTC, which is what Odoo stores;
 * with `Z` or an offset it is converted to UTC.
 */
export function isoDatetimeToOdoo(text: string): string {
  const trimmed = text.trim();
  const match = ISO_DATETIME.exec(trimmed);
  if (!match) throw new Error(`invalid XML-RPC datetime '${trimmed}': expected ISO 8601 such as 20261204T19:29:03`);
  const [, year, month, day, hour, minute, second, , zone] = match;
  const naive = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  if (zone === undefined) return naive.replace('T', ' ');

  // Date parsing needs the offset as `Z` or `+HH:MM`; XML-RPC also allows `+HH` and `+HHMM`.
  let offset = zone;
  if (zone.length === 3) offset = `${zone}:00`;
  else if (zone.length === 5) offset = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return toOdooDatetime(new Date(`${naive}${offset}`));
}

/** Returns a copy of `value` that serializes to the XML-RPC Odoo expects, or throws naming the bad path. */
export function sanitizeParam(value: unknown, path = 'params'): unknown {
  if (value === undefined) throw new TypeError(`${path} is undefined; XML-RPC cannot send it (omit it instead)`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}; XML-RPC cannot send it`);
    return value;
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TypeError(`${path} is ${value}n, beyond the integers XML-RPC can carry`);
    }
    return Number(value);
  }
  if (value instanceof Date) return toOdooDatetime(value);
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((item, index) => sanitizeParam(item, `${path}[${index}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, member]) => member !== undefined);
    return Object.fromEntries(entries.map(([key, member]) => [key, sanitizeParam(member, `${path}.${key}`)]));
  }
  throw new TypeError(`${path} is a ${typeof value}; XML-RPC cannot send it`);
}

/** Builds the `<methodCall>` document. */
export function encodeMethodCall(method: string, params: unknown[]): string {
  return serializer.serializeMethodCall(method, params.map((param, index) => sanitizeParam(param, `params[${index}]`)));
}

/** Raised by `decodeMethodResponse` when the body is a fault. */
export class XmlRpcFaultResponse extends Error {
  override name = 'XmlRpcFaultResponse';
  readonly fault: XmlRpcFault;

  constructor(fault: XmlRpcFault) {
    super(`XML-RPC fault ${fault.faultCode}`);
    this.fault = fault;
  }
}

function createDeserializer(): DeserializerInstance {
  const deserializer = new Deserializer('utf8');
  deserializer.endDateTime = function (data) {
    this.push(isoDatetimeToOdoo(data));
    this.value = false;
  };
  deserializer.endBase64 = function (data) {
    this.push(data.replace(/\s+/g, ''));
    this.value = false;
  };
  deserializer.endI8 = function (data) {
    const text = data.trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`invalid XML-RPC i8 value '${text}': expected an integer`);
    const value = Number(text);
    this.push(Number.isSafeInteger(value) ? value : text);
    this.value = false;
  };
  return deserializer;
}

/**
 * Parses a `<methodResponse>` from a stream. Resolves with the single result value; rejects with
 * `XmlRpcFaultResponse` for a fault and with a plain Error when the body is not XML-RPC.
 */
export function decodeMethodResponse(stream: Readable): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    createDeserializer().deserializeMethodResponse(stream, (error, result) => {
      // The deserializer can report twice (a stream error after a parse error).
      if (settled) return;
      settled = true;
      if (!error) return resolve(result);
      const fault = error as { faultCode?: unknown; faultString?: unknown };
      if (fault.faultCode !== undefined) {
        const faultCode = typeof fault.faultCode === 'number' ? fault.faultCode : String(fault.faultCode);
        reject(new XmlRpcFaultResponse({ faultCode, faultString: String(fault.faultString ?? '') }));
      } else {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
