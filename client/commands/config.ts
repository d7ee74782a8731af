/** `placement config`: prints the effective configuration with secrets masked. */
import { Command } from 'commander';
import { loadSettings, maskSecrets } from '../../config/settings.ts';
import { formatKeyValues } from '../output.ts';

export const configCommand = new Command('config')
  .description('print the effective configuration (environment and .env), secrets masked')
  .option('--json', 'print the settings as JSON')
  .action((options: { json?: boolean }) => {
    const settings = maskSecrets(loadSettings());
    if (options.json) {
      process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      return;
    }
    const { odoo, lake, warehouse, temporal, demoOdoo } = settings;
    process.stdout.write(
      `${formatKeyValues([
        ['data directory', settings.dataDir],
        ['time zone', settings.timezone],
        ['log level', settings.logLevel],
        ['odoo url', odoo.demo ? `${odoo.url} (demo Odoo)` : odoo.url],
        ['odoo database', odoo.db],
        ['odoo user', odoo.user],
        ['odoo api key', odoo.apiKey],
        ['odoo page size', odoo.pageSize],
        ['odoo mapping', odoo.mappingFile],
        ['lake', lake.uri],
        ['warehouse', warehouse.kind === 'duckdb' ? `duckdb ${warehouse.duckdbPath}` : `bigquery ${warehouse.bigquery.project}.${warehouse.bigquery.dataset}`],
        ['temporal', temporal.embedded ? `${temporal.address} (embedded dev server)` : temporal.address],
        ['temporal namespace', temporal.namespace],
        ['temporal task queue', temporal.taskQueue],
        ['temporal web ui', temporal.uiUrl],
        ['demo odoo', `port ${demoOdoo.port}, scale ${demoOdoo.scale}, seed ${demoOdoo.seed}`],
      ])}\n`,
    );
  });
