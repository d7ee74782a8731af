/**
 * Starts the Cloud Storage and BigQuery emulators installed by `scripts/emulators.sh install` as
 * child processes of the test, on free loopback ports, and stops them by PID.
 *
 * bqemulator reads `gs://bucket/object` from `<gcs root>/bucket/object`, so the pair shares one
 * folder: fake-gcs-server stores objects there and load jobs read them from there.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { PROJECT_ROOT } from '../config/settings.ts';
import { createStorageClient } from '../lake/gcs-lake.ts';
import { createBigQueryClient } from '../warehouse/bigquery-warehouse.ts';

export const EMULATOR_PROJECT = 'placement-test';

export type Emulator = { endpoint: string; stop(): Promise<void> };

export type EmulatorPair = {
  /** Folder holding the buckets, shared by both emulators. */
  gcsRoot: string;
  gcs: Emulator;
  bigquery: Emulator;
  stop(): Promise<void>;
};

type EmulatorPaths = { FAKE_GCS_BIN: string; BQEMULATOR_BIN: string; BQEMULATOR_HOME: string };

function emulatorPaths(): EmulatorPaths {
  const output = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/emulators.sh'), 'paths'], { encoding: 'utf8' });
  const paths = Object.fromEntries(output.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
  for (const name of ['FAKE_GCS_BIN', 'BQEMULATOR_BIN']) {
    if (!fs.existsSync(paths[name])) {
      throw new Error(`${name} ${paths[name]} is missing; run scripts/emulators.sh install first`);
    }
  }
  return paths as EmulatorPaths;
}

export async function startFakeGcs(gcsRoot: string): Promise<Emulator> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawnLogged(emulatorPaths().FAKE_GCS_BIN, [
    '-scheme', 'http', '-host', '127.0.0.1', '-port', String(port),
    '-backend', 'filesystem', '-filesystem-root', gcsRoot,
    '-external-url', endpoint, '-public-host', `127.0.0.1:${port}`, '-log-level', 'warn',
  ], {});
  await waitForUrl(`${endpoint}/_internal/healthcheck`, child, 'fake-gcs-server');
  return { endpoint, stop: () => stopChild(child) };
}

export async function startBqEmulator(gcsRoot: string): Promise<Emulator> {
  const paths = emulatorPaths();
  const [restPort, grpcPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${restPort}`;
  const child = spawnLogged(paths.BQEMULATOR_BIN, [
    'start', '--ephemeral', '--project', EMULATOR_PROJECT, '--log-level', 'warning',
    '--rest-host', '127.0.0.1', '--rest-port', String(restPort),
    '--grpc-host', '127.0.0.1', '--grpc-port', String(grpcPort),
  ], { HOME: paths.BQEMULATOR_HOME, BQEMU_GCS_LOCAL_ROOT: gcsRoot });
  await waitForUrl(`${endpoint}/bigquery/v2/projects/${EMULATOR_PROJECT}/datasets`, child, 'bqemulator');
  return { endpoint, stop: () => stopChild(child) };
}

export async function startEmulators(): Promise<EmulatorPair> {
  const gcsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-gcs-'));
  const gcs = await startFakeGcs(gcsRoot);
  let bigquery: Emulator;
  try {
    bigquery = await startBqEmulator(gcsRoot);
  } catch (error) {
    await gcs.stop();
    throw error;
  }
  return {
    gcsRoot,
    gcs,
    bigquery,
    async stop() {
      await Promise.all([gcs.stop(), bigquery.stop()]);
      fs.rmSync(gcsRoot, { recursive: true, force: true });
    },
  };
}

/** A Storage client of the emulator, and the bucket `name` created in it. */
export async function emulatorBucket(gcs: Emulator, name: string) {
  const storage = createStorageClient({ apiEndpoint: gcs.endpoint });
  await storage.createBucket(name);
  return storage;
}

export function emulatorBigQuery(bigquery: Emulator): BigQuery {
  return createBigQueryClient({ projectId: EMULATOR_PROJECT, apiEndpoint: bigquery.endpoint });
}

/**
 * Records the remote address of every TCP connection the process opens from now on, so a test
 * can assert that nothing left the loopback interface (no metadata server, no Google host).
 */
export function recordConnections(): { addresses: string[]; restore(): void } {
  const addresses: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args;
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number; path?: string } | number;
    if (typeof options === 'object' && options !== null && !options.path) addresses.push(options.host ?? 'localhost');
    else if (typeof options === 'number') addresses.push(typeof args[1] === 'string' ? args[1] : 'localhost');
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    addresses,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

function spawnLogged(binary: string, args: string[], env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(binary, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  const keep = (data: Buffer) => {
    child.output.push(data.toString('utf8'));
    // Only the tail matters when a start fails.
    if (child.output.length > 200) child.output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function waitForUrl(url: string, child: ChildProcess & { output: string[] }, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode}: ${child.output.join('').slice(-2000)}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`${name} did not answer ${url} within 60 s: ${child.output.join('').slice(-2000)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
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
