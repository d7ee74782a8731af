/** `placement checks`: prints the data check results of a run date from the warehouse. */
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import fs from 'node:fs';
import { loadSettings } from '../../config/settings.ts';
import { CHECK_RESULT_TABLE, toResultRow, type CheckResultRow } from '../../activities/check-results.ts';
import { CliError } from '../errors.ts';
import { formatTable } from '../output.ts';

type ChecksOptions = { date?: string; failing?: boolean; json?: boolean };

export const checksCommand = new Command('checks')
  .description('print the data check results of a run (default: the latest run date with results)')
  .option('--date <YYYY-MM-DD>', 'run date to show')
  .option('--failing', 'show only failed and errored checks')
  .option('--json', 'print the results as JSON')
  .action(async (options: ChecksOptions) => {
    if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
      throw new CliError(`invalid --date "${options.date}"`, { hint: 'give the run date as YYYY-MM-DD' });
    }
    const settings = loadSettings();
    if (settings.warehouse.kind !== 'duckdb') {
      throw new CliError(`placement checks reads the DuckDB warehouse; WAREHOUSE is ${settings.warehouse.kind}`, {
        hint: `query the ${CHECK_RESULT_TABLE} table in your warehouse instead`,
      });
    }
    const rows = await readResults(settings.warehouse.duckdbPath, options);
    const shown = options.failing ? rows.filter((row) => row.status !== 'passed') : rows;

    if (options.json) {
      process.stdout.write(`${JSON.stringify(shown.map(jsonRow), null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write(options.date ? `No check results for ${options.date}.\n` : 'No check results yet.\n');
      return;
    }
    const passed = rows.filter((row) => row.status === 'passed').length;
    process.stdout.write(
      `Checks of run ${rows[0].run_date}${rows[0].run_id ? ` (run ${rows[0].run_id})` : ''}: ` +
        `${passed} passed, ${rows.length - passed} failed or errored\n\n`,
    );
    process.stdout.write(
      `${formatTable(
        ['status', 'severity', 'check', 'failing', 'rows', 'threshold', 'sample keys'],
        shown.map((row) => [
          row.status,
          row.severity,
          row.check_name,
          row.failing_rows,
          row.total_rows ?? '',
          row.threshold,
          row.status === 'errored' ? (row.detail ?? '') : (JSON.parse(row.sample_keys) as string[]).join(', '),
        ]),
      )}\n`,
    );
  });

/** Reads the results of the chosen run date: its latest run when the date was run several times. */
async function readResults(duckdbPath: string, options: ChecksOptions): Promise<CheckResultRow[]> {
  if (!fs.existsSync(duckdbPath)) {
    throw new CliError(`no warehouse at ${duckdbPath}`, { hint: 'run `placement demo --once` or `placement run-daily` first' });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new CliError(`the warehouse ${duckdbPath} is locked by another process (a worker writing to it)`, {
        hint: 'wait for the daily run to finish, or stop `placement worker` / `placement demo`, then try again',
        cause: error,
      });
    }
    throw error;
  }
  const connection = await instance.connect();
  try {
    const tables = await connection.runAndReadAll(
      `select count(*) as found from information_schema.tables where table_name = '${CHECK_RESULT_TABLE}'`,
    );
    if (Number(tables.getRowObjectsJS()[0].found) === 0) return [];

    // The latest run of the date: a date run twice keeps both runs' rows under different run ids.
    const reader = await connection.runAndReadAll(
      `with chosen as (
         select run_date, coalesce(run_id, '') as run_key from ${CHECK_RESULT_TABLE}
         ${options.date ? 'where run_date = cast($date as date)' : ''}
         order by run_date desc, checked_at desc limit 1
       )
       select result.* from ${CHECK_RESULT_TABLE} as result
       inner join chosen on chosen.run_date = result.run_date and chosen.run_key = coalesce(result.run_id, '')
       order by case result.status when 'passed' then 1 else 0 end,
                case result.severity when 'error' then 0 else 1 end, result.asset, result.check_name`,
      options.date ? { date: options.date } : undefined,
    );
    return reader.getRowObjectsJS().map((row) =>
      toResultRow(Object.fromEntries(Object.entries(row).map(([name, value]) => [name, typeof value === 'bigint' ? Number(value) : value]))),
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function jsonRow(row: CheckResultRow) {
  return { ...row, sample_keys: JSON.parse(row.sample_keys) as string[] };
}
