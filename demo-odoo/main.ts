/** Entry point behind `placement demo-odoo`: serves the demo Odoo until SIGINT or SIGTERM. */
import type { DemoScale } from './generate/scales.ts';
import { startDemoOdoo } from './server.ts';

export type DemoOdooCommandOptions = {
  port?: number;
  /** Listen address; 127.0.0.1 unless the demo Odoo runs in a container. */
  host?: string;
  scale?: DemoScale;
  seed?: number;
  storePath?: string;
};

export type DemoOdooCommandIo = {
  print?: (line: string) => void;
  /** Resolves when the server should stop; by default on SIGINT or SIGTERM. */
  stopped?: Promise<void>;
};

export async function runDemoOdooCommand(options: DemoOdooCommandOptions, io: DemoOdooCommandIo = {}): Promise<void> {
  const print = io.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  print(`Preparing the demo Odoo data (scale ${options.scale ?? 'small'}, seed ${options.seed ?? 1})…`);
  const odoo = await startDemoOdoo(options);
  const { generation } = odoo;
  const origin = generation.reused ? `reused from ${odoo.store.path}` : `generated in ${generation.seconds.toFixed(1)} s`;
  print(`Data: ${generation.leads} leads, ${generation.lines} survey answer lines (${origin}).`);
  print(`Demo Odoo 18 XML-RPC at ${odoo.url}  db: ${odoo.db}  user: ${odoo.user}  password: ${odoo.password}`);
  print('Press Ctrl+C to stop.');

  await (io.stopped ?? termination());
  await odoo.close();
  print('Demo Odoo stopped.');
}

function termination(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
