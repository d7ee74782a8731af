/**
 * Structured JSON logs, on stderr by default so stdout stays free for command output.
 * Callers pass ids and counts as fields; never secrets or personal values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates a logger; with `file` (or PLACEMENT_LOG_FILE, which `placement demo` sets so the terminal
 * shows only the run) lines are appended there instead of stderr.
 */
export function createLogger(level: string, options: { file?: string; name?: string } = {}): Logger {
  let destination = pino.destination(2);
  const file = options.file ?? process.env.PLACEMENT_LOG_FILE;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    destination = pino.destination({ dest: file, append: true, sync: false });
  }
  return pino({ name: options.name ?? 'placement', level, base: { pid: process.pid } }, destination);
}
