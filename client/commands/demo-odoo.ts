/** `placement demo-odoo`: serves the demo Odoo (XML-RPC external API over generated data). */
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadSettings } from '../../config/settings.ts';
import { runDemoOdooCommand } from '../../demo-odoo/main.ts';
import { parsePort, parseInteger } from '../options.ts';

export const demoOdooCommand = new Command('demo-odoo')
  .description('serve the demo Odoo on 127.0.0.1 with deterministic generated French data, until interrupted')
  .option('--port <port>', 'TCP port to listen on (default: DEMO_ODOO_PORT or 8069)', parsePort)
  .option('--host <address>', 'listen address; 0.0.0.0 only inside a container (default 127.0.0.1)')
  .addOption(
    new Option('--scale <scale>', 'data volume: about 500, 5,000 or 50,000 leads').choices(['small', 'medium', 'large']),
  )
  .option('--seed <seed>', 'random seed; the same seed gives the same data', parseInteger)
  .action(async (options: { port?: number; host?: string; scale?: 'small' | 'medium' | 'large'; seed?: number }) => {
    const settings = loadSettings();
    const scale = options.scale ?? settings.demoOdoo.scale;
    const seed = options.seed ?? settings.demoOdoo.seed;
    await runDemoOdooCommand({
      port: options.port ?? settings.demoOdoo.port,
      host: options.host,
      scale,
      seed,
      storePath: path.join(settings.dataDir, 'demo-odoo', `${scale}-${seed}.duckdb`),
    });
  });
