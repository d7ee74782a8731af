/**
 * Routes the Temporal SDK's own logs (worker state, workflow and activity loggers) into the
 * structured JSON log, with the workflow, run and activity ids the SDK attaches as metadata.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger.ts';

const PINO_TO_TEMPORAL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let installed = false;

/**
 * Installs the SDK runtime logger once per process; later calls do nothing, because the SDK
 * accepts one Runtime.install before the first worker or native connection.
 */
export function installTemporalLogging(logger: Logger): void {
  if (installed) return;
  installed = true;

  const level = PINO_TO_TEMPORAL[logger.level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const { message, meta } = entry;
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[method]({ ...meta, source: 'temporal' }, message);
    }),
  });
}
