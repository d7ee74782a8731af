/** Parses an XML-RPC methodCall body with the `xmlrpc` package's deserializer. */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { serverError } from './faults.ts';

type Deserializer = {
  deserializeMethodCall(
    stream: Readable,
    callback: (error: Error | null | undefined, methodName?: string, params?: unknown[]) => void,
  ): void;
};

const require = createRequire(import.meta.url);
const DeserializerClass = require('xmlrpc/lib/deserializer.js') as new (encoding?: string) => Deserializer;

export type MethodCall = { methodName: string; params: unknown[] };

/** Malformed bodies become fault 1, as Odoo reports the expat error from its own parser. */
export function parseMethodCall(body: Buffer): Promise<MethodCall> {
  return new Promise((resolve, reject) => {
    const deserializer = new DeserializerClass('utf8');
    let settled = false;
    deserializer.deserializeMethodCall(Readable.from([body]), (error, methodName, params) => {
      if (settled) return;
      settled = true;
      if (error || !methodName) {
        const reason = error?.message ?? 'no method name';
        reject(serverError('xml.parsers.expat.ExpatError', `malformed XML-RPC call: ${reason.split('\n')[0]}`));
        return;
      }
      resolve({ methodName, params: params ?? [] });
    });
  });
}
