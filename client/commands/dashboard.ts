/**
 * `placement dashboard`: serves the placement dashboard over the serving snapshot, and helps admins
 * manage its local accounts (`user add`, `hash-password`).
 */
import fs from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSettings } from '../../config/settings.ts';
import { hashPassword } from '../../dashboard/auth/passwords.ts';
import { ROLES, upsertAccount, type Role } from '../../dashboard/auth/users.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { createLogger } from '../../logging/logger.ts';
import { CliError } from '../errors.ts';
import { parsePort } from '../options.ts';

type ServeOptions = { port?: number; host?: string };

/** `--regions "UI Lyon Est,UI Grenoble"` or `--regions '*'`. */
function parseRegions(value: string): '*' | string[] {
  if (value.trim() === '*') return '*';
  const regions = value
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  if (regions.length === 0) throw new InvalidArgumentError(`"${value}" names no region; write '*' or "UI Lyon Est,UI Grenoble".`);
  return regions;
}

/** Reads a password from stdin: typed at a terminal (not echoed) or piped. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const terminal = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide the characters typed after the prompt.
  const output = terminal as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(prompt);
  output._writeToOutput = () => undefined;
  try {
    return await terminal.question('');
  } finally {
    terminal.close();
    process.stderr.write('\n');
  }
}

const serve = async (options: ServeOptions) => {
  const settings = loadSettings();
  if (!settings.dashboard.trustedHeader && !fs.existsSync(settings.dashboard.usersFile)) {
    throw new CliError(`no dashboard accounts: ${settings.dashboard.usersFile} does not exist`, {
      hint: 'create one with `placement dashboard user add <login> --role admin --regions "*"`, or set DASHBOARD_USERS_FILE',
    });
  }
  const logger = createLogger(settings.logLevel, { name: 'placement-dashboard' });
  let dashboard;
  try {
    dashboard = await startDashboard(settings, { port: options.port, host: options.host, logger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${options.port ?? settings.dashboard.port} for the dashboard is already in use`, {
        hint: 'stop what listens there, or pass --port (or set DASHBOARD_PORT) to a free port.',
        cause: error,
      });
    }
    throw error;
  }
  process.stdout.write(`Dashboard        ${dashboard.url}\nServing snapshot ${settings.dashboard.servingPath}\n`);
  process.stdout.write('Serving until interrupted (Ctrl-C).\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await dashboard.close();
};

const userAdd = new Command('add')
  .description('add or replace a local dashboard account; the password is read from stdin')
  .argument('<login>', 'login (an email in trusted-header mode)')
  .addOption(new Option('--role <role>', 'what the account may open').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--regions <list>', "session regions it sees, comma-separated, or '*' for all", parseRegions)
  .option('--sensitive', 'may see and export QPV, RSA and RQTH (RQTH is health data)')
  .option('--no-password', 'no password: the account signs in through the identity-aware proxy only')
  .action(async (login: string, options: { role: Role; regions: '*' | string[]; sensitive?: boolean; password: boolean }) => {
    const settings = loadSettings();
    const passwordHash = options.password ? await hashPassword(await readPassword(`Password for ${login}: `)) : undefined;
    upsertAccount(settings.dashboard.usersFile, {
      login,
      role: options.role,
      regions: options.regions,
      sensitive: options.sensitive ?? false,
      passwordHash,
    });
    process.stdout.write(`Account ${login.toLowerCase()} saved in ${settings.dashboard.usersFile}\n`);
  });

export const dashboardCommand = new Command('dashboard')
  .description('serve the placement dashboard (candidates, data quality, pipeline) on 127.0.0.1')
  .option('--port <port>', 'TCP port (default DASHBOARD_PORT, 8080)', parsePort)
  .option('--host <host>', 'listen address (default DASHBOARD_HOST, 127.0.0.1)')
  .action(serve);

dashboardCommand.addCommand(new Command('user').description('manage local dashboard accounts').addCommand(userAdd));

dashboardCommand.addCommand(
  new Command('hash-password')
    .description('print the scrypt hash of a password read from stdin, for the users file')
    .action(async () => {
      process.stdout.write(`${await hashPassword(await readPassword('Password: '))}\n`);
    }),
);
