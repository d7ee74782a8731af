/**
 * One error path for every command: a one-line message and a hint on stderr, then a non-zero exit.
 */
import { ConfigurationError } from '../config/settings.ts';
import { TemporalCliNotFoundError } from './temporal-dev-server.ts';

/** An error meant for the person at the terminal: what failed, and what to do next. */
export class CliError extends Error {
  override name = 'CliError';
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Prints `error` as `error: <message>` plus an optional `hint:` line and returns the exit code. */
export function reportError(error: unknown, write: (line: string) => void = (line) => process.stderr.write(line)): number {
  if (error instanceof CliError) {
    write(`error: ${error.message}\n`);
    if (error.hint) write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof ConfigurationError || error instanceof TemporalCliNotFoundError) {
    write(`error: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`error: ${message.split('\n')[0]}\n`);
  write('hint: run with PLACEMENT_LOG_LEVEL=debug for details, or see the Temporal Web UI for the failed run.\n');
  if (process.env.PLACEMENT_LOG_LEVEL === 'debug' && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return 1;
}
