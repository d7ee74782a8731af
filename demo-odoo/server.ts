/**
 * The demo Odoo server: Odoo 18's XML-RPC external API (/xmlrpc/2/common, /xmlrpc/2/object) on
 * 127.0.0.1 over a DuckDB store filled with deterministic generated French data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher, type DemoUser } from './dispatcher.ts';
import { ensureDemoData, type GenerationSummary } from './generate/index.ts';
import { isDemoScale, type DemoScale } from './generate/scales.ts';
import { adminUid, DemoOdooStore } from './store.ts';
import { xmlRpcHandler } from './xmlrpc-http.ts';

export type DemoOdooOptions = {
  /** TCP port; 0 picks a free one. Default 8069, Odoo's. */
  port?: number;
  host?: '127.0.0.1';
  scale?: DemoScale;
  seed?: number;
  /** DuckDB file keeping the data between runs; in memory when absent. */
  storePath?: string;
  db?: string;
  user?: string;
  password?: string;
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
  if (host !== '127.0.0.1') throw new Error(`the demo Odoo listens on 127.0.0.1 only, not on "${String(host)}"`);
  const db = options.db ?? 'demo';
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';

  const store = await DemoOdooStore.open(options.storePath);
  let server: Server | undefined;
  try {
    const generation = await ensureDemoData(store, { scale, seed });
    const users: DemoUser[] = [{ uid: adminUid, login: user, password, isAdmin: true }, demoUser];
    const dispatch = createDispatcher({ db, users, store });
    server = createServer(xmlRpcHandler(dispatch));
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

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
