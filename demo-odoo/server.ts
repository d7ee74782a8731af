/**
 * The demo Odoo server: Odoo's external APIs (on 127.0.0.1 by default) over a DuckDB store filled with
 * deterministic generated French data. XML-RPC (/xmlrpc/2/common, /xmlrpc/2/object), JSON-RPC
 * (/jsonrpc) and JSON-2 (/json/2/<model>/<method>) are all served from the same store. As on a
 * real Odoo, the version endpoints /web/version and /json/version exist only from version 19.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher, versionInfo, type DemoUser, type Dispatch } from './dispatcher.ts';
import { ensureDemoData, type GenerationSummary } from './generate/index.ts';
import { isDemoScale, type DemoScale } from './generate/scales.ts';
import { adminUid, DemoOdooStore } from './store.ts';
import { handleJson2 } from './json2-http.ts';
import { handleJsonRpc } from './jsonrpc-http.ts';
import { send, sendHtml, xmlRpcHandler } from './xmlrpc-http.ts';

export type DemoOdooOptions = {
  /** TCP port; 0 picks a free one. Default 8069, Odoo's. */
  port?: number;
  /** Listen address, 127.0.0.1 by default. Only a container sets 0.0.0.0, so that other containers reach it. */
  host?: string;
  scale?: DemoScale;
  seed?: number;
  /** DuckDB file keeping the data between runs; in memory when absent. */
  storePath?: string;
  db?: string;
  user?: string;
  password?: string;
  /** Version the server reports, `18.0` by default; `19.0` makes the JSON-2 version probe succeed. */
  version?: string;
};

export type DemoOdoo = {
  url: string;
  db: string;
  user: string;
  password: string;
  store: DemoOdooStore;
  generation: GenerationSummary;
  close(): Promise<void>;
};

/** The user without administrator rights: it gets access errors (fault 4) on restricted models. */
const demoUser: DemoUser = { uid: 6, login: 'demo', password: 'demo', isAdmin: false };

export async function startDemoOdoo(options: DemoOdooOptions = {}): Promise<DemoOdoo> {
  const scale = options.scale ?? 'small';
  if (!isDemoScale(scale)) throw new Error(`unknown demo Odoo scale "${String(scale)}"; use tiny, small, medium or large`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`demo Odoo seed must be an integer, got ${String(seed)}`);
  const host = options.host ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('invalid demo Odoo listen address "": pass an address such as 127.0.0.1');
  const db = options.db ?? 'demo';
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';

  const store = await DemoOdooStore.open(options.storePath);
  let server: Server | undefined;
  try {
    const generation = await ensureDemoData(store, { scale, seed });
    const users: DemoUser[] = [{ uid: adminUid, login: user, password, isAdmin: true }, demoUser];
    const version = options.version ?? '18.0';
    if (!/^\d+\.\d+$/.test(version)) throw new Error(`demo Odoo version must look like 18.0 or 19.0, got "${version}"`);
    const dispatch = createDispatcher({ db, users, store, version });
    server = createServer(routeRequests({ db, users, dispatch, version }));
    const port = await listen(server, options.port ?? 8069, host);
    const running = server;
    return {
      url: `http://${host}:${port}`,
      db,
      user,
      password,
      store,
      generation,
      close: async () => {
        await new Promise<void>((resolve) => {
          running.close(() => resolve());
          running.closeAllConnections();
        });
        await store.close();
      },
    };
  } catch (error) {
    server?.close();
    await store.close();
    throw error;
  }
}

/** Routes each request to its API by path; XML-RPC's handler sends a 404 page for every other path. */
function routeRequests(config: { db: string; users: DemoUser[]; dispatch: Dispatch; version: string }): RequestListener {
  const xmlRpc = xmlRpcHandler(config.dispatch);
  const servesVersionEndpoints = Number.parseInt(config.version, 10) >= 19;
  return (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    let handled: Promise<void> | undefined;
    if (pathname === '/jsonrpc') handled = handleJsonRpc(config.dispatch, request, response);
    else if (pathname === '/json/2' || pathname.startsWith('/json/2/')) handled = handleJson2(config, request, response, pathname);
    else if (servesVersionEndpoints && (pathname === '/web/version' || pathname === '/json/version')) {
      request.resume();
      const { server_version, server_version_info } = versionInfo(config.version);
      send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ version_info: server_version_info, version: server_version }));
      return;
    }
    if (!handled) return xmlRpc(request, response);
    handled.catch((error: unknown) => {
      if (!response.headersSent) sendHtml(response, 500, 'Internal Server Error', String(error));
      else response.destroy();
    });
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
