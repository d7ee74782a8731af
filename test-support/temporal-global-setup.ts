/**
 * Starts one Temporal dev server (in memory, headless, random port) for the whole test run, or
 * uses TEMPORAL_TEST_ADDRESS when a server is already running (as `.ci/run` may arrange).
 */
import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { ensureDevServer } from '../client/temporal-dev-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject) {
  const existing = process.env.TEMPORAL_TEST_ADDRESS;
  if (existing) {
    project.provide('temporalAddress', existing);
    return;
  }

  const server = await ensureDevServer({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    port: await freePort(),
    namespace: 'default',
    startupTimeoutMs: 120_000,
  });
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
