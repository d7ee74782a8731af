/** The demo Odoo of the embedded setup, started by `placement demo` and `placement worker`. */
import path from 'node:path';
import type { Settings } from '../config/settings.ts';
import { startDemoOdoo, type DemoOdoo } from '../demo-odoo/server.ts';
import { CliError } from './errors.ts';

/**
 * Starts the demo Odoo on the configured port, with its data cached under the data folder.
 * @throws CliError with a hint when the port is taken.
 */
export async function startEmbeddedOdoo(
  settings: Settings,
  options: { scale?: 'small' | 'medium' | 'large'; seed?: number },
  say: (line: string) => void,
): Promise<DemoOdoo> {
  const scale = options.scale ?? settings.demoOdoo.scale;
  const seed = options.seed ?? settings.demoOdoo.seed;
  say(`Starting the demo Odoo (scale ${scale}, seed ${seed})…`);
  try {
    return await startDemoOdoo({
      port: settings.demoOdoo.port,
      scale,
      seed,
      storePath: path.join(settings.dataDir, 'demo-odoo', `${scale}-${seed}.duckdb`),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${settings.demoOdoo.port} for the demo Odoo is already in use`, {
        hint: 'stop what listens there, or set DEMO_ODOO_PORT to a free port.',
        cause: error,
      });
    }
    throw error;
  }
}

/** Points the Odoo settings at the demo server actually started (its port may differ). */
export function odooSettings(settings: Settings, demoOdoo: DemoOdoo | undefined): Settings {
  if (!demoOdoo) return settings;
  return {
    ...settings,
    odoo: { ...settings.odoo, url: demoOdoo.url, db: demoOdoo.db, user: demoOdoo.user, apiKey: demoOdoo.password },
  };
}

