/**
 * Connections to Temporal for commands: the configured server, or in the embedded setup a local
 * dev server that is started on demand and persists under the data directory.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Settings } from '../config/settings.ts';
import { CliError } from './errors.ts';
import { ensureDevServer, isTemporalHealthy, type DevServer } from './temporal-dev-server.ts';

export type TemporalSession = {
  client: Client;
  connection: Connection;
  address: string;
  /** The dev server this command started, if any; `close()` stops it. */
  devServer?: DevServer;
  close(): Promise<void>;
};

/**
 * Connects to Temporal. In the embedded setup, `startDevServer` starts a local dev server when
 * none answers; otherwise a missing server is an error with a hint.
 */
export async function connectTemporal(
  settings: Settings,
  options: { startDevServer: boolean },
): Promise<TemporalSession> {
  const { temporal } = settings;
  let devServer: DevServer | undefined;

  if (temporal.embedded && options.startDevServer) {
    devServer = await ensureDevServer({
      cliPath: temporal.cliPath,
      port: temporal.port,
      uiPort: temporal.uiPort,
      namespace: temporal.namespace,
      dbFile: path.join(settings.dataDir, 'temporal', 'temporal.sqlite'),
      logFile: path.join(settings.dataDir, 'temporal', 'server.log'),
    });
  } else if (!(await isTemporalHealthy(temporal.address))) {
    throw new CliError(`no Temporal server answers at ${temporal.address}`, {
      hint: temporal.embedded
        ? 'start one with `placement worker` or `placement demo`, or set TEMPORAL_ADDRESS.'
        : 'check TEMPORAL_ADDRESS and that the server is running.',
    });
  }

  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return {
    client,
    connection,
    address: temporal.address,
    devServer,
    close: async () => {
      await connection.close();
      await devServer?.stop();
    },
  };
}

/** Link to one workflow in the Temporal Web UI. */
export function workflowUrl(settings: Settings, workflowId: string): string {
  const namespace = encodeURIComponent(settings.temporal.namespace);
  return `${settings.temporal.uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
}
