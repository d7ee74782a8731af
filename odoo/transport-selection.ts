/**
 * Picks the wire format for a server: JSON-2 on Odoo 19 and later (where XML-RPC and JSON-RPC are
 * deprecated and log a warning on every call), JSON-RPC before (same services as XML-RPC, far
 * cheaper to decode).
 *
 * `GET /json/version` works on Odoo 19 and later without authentication. Older servers return
 * 404 there, so the probe falls back to JSON-RPC `common.version`, served from Odoo 16 to 19.
 */
import { OdooError } from './errors.ts';
import type { OdooConnectionOptions } from './http-exchange.ts';
import { createJson2OdooClient } from './json2-client.ts';
import { createJsonRpcOdooClient } from './jsonrpc-client.ts';
import type { OdooTransportName } from './model-client.ts';

/** First Odoo major version serving JSON-2. */
const JSON2_SINCE_MAJOR = 19;

export type TransportChoice = { transport: OdooTransportName; serverVersion: string };

function majorVersion(serverVersionInfo: unknown[], serverVersion: string): number {
  const first = serverVersionInfo[0];
  if (typeof first === 'number') return first;
  // SaaS builds report e.g. "saas~18.4" or version_info ["saas~18", 4, ...].
  const match = /(\d+)/.exec(typeof first === 'string' ? first : serverVersion);
  return match ? Number(match[1]) : Number.NaN;
}

export async function chooseOdooTransport(options: OdooConnectionOptions): Promise<TransportChoice> {
  const json2 = createJson2OdooClient({ ...options, maxRetries: options.maxRetries ?? 1 });
  try {
    const { serverVersion, serverVersionInfo } = await json2.version();
    if (majorVersion(serverVersionInfo, serverVersion) >= JSON2_SINCE_MAJOR) return { transport: 'json2', serverVersion };
  } catch (error) {
    // 404: a server older than 19. Anything else (unreachable server, proxy page) is reported as is.
    if (!(error instanceof OdooError && error.httpStatus === 404)) throw error;
  } finally {
    json2.close();
  }

  const jsonRpc = createJsonRpcOdooClient(options);
  try {
    const { serverVersion, serverVersionInfo } = await jsonRpc.version();
    const major = majorVersion(serverVersionInfo, serverVersion);
    return { transport: major >= JSON2_SINCE_MAJOR ? 'json2' : 'jsonrpc', serverVersion };
  } finally {
    jsonRpc.close();
  }
}
