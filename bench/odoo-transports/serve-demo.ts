/**
 * Starts the demo Odoo for the transport benchmark in its own process, so that the server's CPU
 * time never counts as the clients'. Prints one JSON line with the connection details, then serves
 * until stdin closes (the benchmark ends) or SIGTERM.
 */
import { startDemoOdoo } from '../../demo-odoo/server.ts';
import { isDemoScale } from '../../demo-odoo/generate/scales.ts';

const [scale = 'small', storePath] = process.argv.slice(2);
if (!isDemoScale(scale)) throw new Error(`unknown scale "${scale}"; use tiny, small, medium or large`);

const odoo = await startDemoOdoo({ port: 0, scale, seed: 42, storePath: storePath || undefined, version: '19.0' });
process.stdout.write(`${JSON.stringify({ url: odoo.url, db: odoo.db, user: odoo.user, password: odoo.password, lines: odoo.generation.lines })}\n`);

const stop = () => void odoo.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
