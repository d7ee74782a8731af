/**
 * Access to the demo Odoo server (demo-odoo/server.ts) for connector tests. Tests that need it
 * are skipped while that module is absent.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export type DemoOdoo = { url: string; db: string; user: string; password: string; close(): Promise<void> | void };
type StartDemoOdoo = (options: { port: number; scale: string; seed: number; version?: string }) => Promise<DemoOdoo>;

const serverModule = new URL('../../demo-odoo/server.ts', import.meta.url);

export const demoOdooAvailable = fs.existsSync(fileURLToPath(serverModule));

/** Starts a tiny demo Odoo on a free 127.0.0.1 port, reporting `version` (Odoo 18's by default). */
export async function startTinyDemoOdoo(seed = 7, version?: string): Promise<DemoOdoo> {
  // A computed specifier keeps the type checker from resolving a module that may not exist yet.
  const { startDemoOdoo } = (await import(serverModule.href)) as { startDemoOdoo: StartDemoOdoo };
  return startDemoOdoo({ port: 0, scale: 'tiny', seed, version });
}
