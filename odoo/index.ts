/** Entry point of the Odoo connector: build a client from the settings. */
import type { Settings } from '../config/settings.ts';
import type { StructuredLogger } from './http-exchange.ts';
import { createJson2OdooClient } from './json2-client.ts';
import { createJsonRpcOdooClient } from './jsonrpc-client.ts';
import type { OdooTransportClient, OdooTransportName } from './model-client.ts';
import { chooseOdooTransport } from './transport-selection.ts';
import { createXmlRpcOdooClient } from './xmlrpc-client.ts';

export * from './errors.ts';
export type * from './types.ts';
export type { OdooConnectionOptions, StructuredLogger } from './http-exchange.ts';
export type { OdooTransportClient, OdooTransportName } from './model-client.ts';
export { createXmlRpcOdooClient, type XmlRpcOdooClient, type XmlRpcOdooClientOptions } from './xmlrpc-client.ts';
export { createJsonRpcOdooClient, type JsonRpcOdooClient } from './jsonrpc-client.ts';
export { createJson2OdooClient, type Json2OdooClient } from './json2-client.ts';
export { chooseOdooTransport } from './transport-selection.ts';

/**
 * Creates the client for `settings.odoo` (the demo Odoo when ODOO_URL is unset) over the
 * configured transport; with `auto` (the default) it first reads the server's version.
 */
export async function createOdooClient(odoo: Settings['odoo'], logger?: StructuredLogger): Promise<OdooTransportClient> {
  const options = { url: odoo.url, db: odoo.db, user: odoo.user, apiKey: odoo.apiKey, timeoutMs: odoo.timeoutMs, logger };
  let transport: OdooTransportName;
  if (odoo.transport === 'auto') {
    const choice = await chooseOdooTransport(options);
    logger?.info({ url: odoo.url, serverVersion: choice.serverVersion, transport: choice.transport }, 'odoo transport chosen');
    transport = choice.transport;
  } else {
    transport = odoo.transport;
  }
  if (transport === 'json2') return createJson2OdooClient(options);
  if (transport === 'jsonrpc') return createJsonRpcOdooClient(options);
  return createXmlRpcOdooClient(options);
}
