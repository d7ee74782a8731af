/** Entry point of the Odoo connector: build a client from the settings. */
import type { Settings } from '../config/settings.ts';
import { createXmlRpcOdooClient, type StructuredLogger, type XmlRpcOdooClient } from './xmlrpc-client.ts';

export * from './errors.ts';
export type * from './types.ts';
export { createXmlRpcOdooClient, type StructuredLogger, type XmlRpcOdooClient } from './xmlrpc-client.ts';

/** Creates the XML-RPC client for `settings.odoo` (the demo Odoo when ODOO_URL is unset). */
export function createOdooClient(odoo: Settings['odoo'], logger?: StructuredLogger): XmlRpcOdooClient {
  return createXmlRpcOdooClient({ url: odoo.url, db: odoo.db, user: odoo.user, apiKey: odoo.apiKey, timeoutMs: odoo.timeoutMs, logger });
}
