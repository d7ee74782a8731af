#!/usr/bin/env node
/**
 * The `placement` command line: one sub-command per file under client/commands/.
 */
import { Command, CommanderError } from 'commander';
import { backfillCommand, startBackfillCommand } from './commands/backfill.ts';
import { checksCommand } from './commands/checks.ts';
import { configCommand } from './commands/config.ts';
import { dashboardCommand } from './commands/dashboard.ts';
import { demoCommand } from './commands/demo.ts';
import { demoOdooCommand } from './commands/demo-odoo.ts';
import { graphCommand } from './commands/graph.ts';
import { runDailyCommand } from './commands/run-daily.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { statusCommand } from './commands/status.ts';
import { workerCommand } from './commands/worker.ts';
import { reportError } from './errors.ts';

export function buildProgram(): Command {
  const program = new Command('placement')
    .description('Odoo CRM to placement dashboard: daily extraction, warehouse layers and checks, on Temporal')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const commands = [
    demoCommand,
    runDailyCommand,
    statusCommand,
    scheduleCommand,
    startBackfillCommand,
    backfillCommand,
    workerCommand,
    checksCommand,
    dashboardCommand,
    demoOdooCommand,
    graphCommand,
    configCommand,
  ];
  for (const command of commands) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed help or the usage error.
    if (error instanceof CommanderError) return error.exitCode;
    return reportError(error);
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
