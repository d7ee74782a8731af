/**
 * Checks of the deployable stack (docker-compose.yml, Dockerfile, .env.example) that need no Docker
 * engine: the files parse, images are pinned, every command the stack runs exists in the CLI,
 * every variable is documented, and ports stay on 127.0.0.1. `docker compose config` runs too
 * when the compose plugin is installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildProgram } from '../client/cli.ts';
import { PROJECT_ROOT } from '../config/settings.ts';

type ComposeService = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  container_name?: string;
  stop_grace_period?: string;
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
};

type ComposeFile = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

const composeText = readProjectFile('docker-compose.yml');
const compose = parseYaml(composeText, { merge: true }) as ComposeFile;
const envExampleText = readProjectFile('.env.example');
const dockerfileText = readProjectFile('Dockerfile');

/** Services built from this repository's Dockerfile: their command is a `placement` command line. */
const appServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

function readProjectFile(name: string): string {
  return fs.readFileSync(path.join(PROJECT_ROOT, name), 'utf8');
}

/** Names assigned in .env.example, active (`NAME=`) or commented out (`# NAME=`). */
function documentedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
}

/**
 * Variables interpolated by Compose (`${NAME}`, `${NAME:-default}`, `${NAME:?error}`). `$${` is an
 * escape, so it is skipped.
 */
function interpolatedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]));
}

/** Keys of the zod object `envSchema` in config/settings.ts: the variables the application reads. */
function settingsVariables(): Set<string> {
  const source = readProjectFile('config/settings.ts');
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start === -1 || end === -1) {
    throw new Error(
      'config/settings.ts: `const envSchema = z.object({ … });` not found; update settingsVariables() to its new layout',
    );
  }
  return new Set([...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]));
}

function environmentOf(service: ComposeService): Record<string, string> {
  const { environment } = service;
  if (environment === undefined) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}

function argsOf(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter((token) => token !== '');
}

/**
 * Returns the problems of a `placement` command line (empty when the CLI accepts it): unknown
 * sub-command or option, missing or invalid option value, or extra arguments.
 */
function cliProblems(program: Command, args: string[]): string[] {
  let command = program;
  let index = 0;
  while (index < args.length && !args[index].startsWith('-')) {
    const name = args[index];
    const sub = command.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name));
    if (!sub) break;
    command = sub;
    index += 1;
  }
  if (command === program) return [`"${args.join(' ')}" names no placement sub-command`];

  const problems: string[] = [];
  const positional: string[] = [];
  const label = `placement ${args.slice(0, index).join(' ')}`;
  while (index < args.length) {
    const token = args[index];
    index += 1;
    if (!token.startsWith('-')) {
      positional.push(token);
      continue;
    }
    const [flag, inlineValue] = token.split(/=(.*)/s, 2);
    const option = command.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (!option) {
      problems.push(`${label} has no option ${flag}`);
      continue;
    }
    if (!option.required && !option.optional) continue;
    const value = inlineValue ?? args[index];
    if (inlineValue === undefined) index += 1;
    if (value === undefined) {
      problems.push(`${label} ${flag} needs a value`);
      continue;
    }
    if (option.argChoices && !option.argChoices.includes(value)) {
      problems.push(`${label} ${flag} ${value}: not a choice`);
    }
    try {
      option.parseArg?.(value, undefined);
    } catch (error) {
      problems.push(`${label} ${flag} ${value}: ${(error as Error).message}`);
    }
  }
  if (positional.length > command.registeredArguments.length) {
    problems.push(`${label} takes no argument ${positional.slice(command.registeredArguments.length).join(' ')}`);
  }
  return problems;
}

/** Seconds in a Compose duration such as `45s`, `1m30s` or `1.5m`. */
function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== duration) {
    throw new Error(`"${duration}" is not a Compose duration such as 45s or 1m30s`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]], 0);
}

/** Longest `shutdownGraceTime` of the workers in worker.ts, in seconds. */
function workerShutdownGraceSeconds(): number {
  const source = readProjectFile('worker.ts');
  const graces = [...source.matchAll(/shutdownGraceTime:\s*'(\d+) seconds'/g)].map((match) => Number(match[1]));
  if (graces.length === 0) throw new Error("worker.ts: no shutdownGraceTime: '<n> seconds' found");
  return Math.max(...graces);
}

type PortBinding = { hostIp: string | undefined; containerPort: string };

/** Host address and container port of a Compose port, short (`127.0.0.1:8080:80`) or long syntax. */
function portBinding(port: NonNullable<ComposeService['ports']>[number]): PortBinding {
  if (typeof port !== 'string') return { hostIp: port.host_ip, containerPort: String(port.target) };
  // The host port may be an interpolation containing colons, such as ${PORT:-8080}.
  const match = /^(?:(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):)?(?:(\$\{[^}]+\}|[\d-]+):)?(\d+)(?:\/\w+)?$/.exec(port);
  if (!match) throw new Error(`invalid Compose port "${port}": expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT`);
  return { hostIp: match[1], containerPort: match[3] };
}

/** Value of `--name value` or `--name=value` in a command line. */
function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index !== -1) return args[index + 1];
  return args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

function volumeTarget(volumes: ComposeService['volumes'], source: string): string | undefined {
  for (const volume of volumes ?? []) {
    if (typeof volume === 'string' && volume.split(':')[0] === source) return volume.split(':')[1];
    if (typeof volume !== 'string' && volume.source === source) return volume.target;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('describes the whole stack', () => {
    const names = Object.keys(compose.services);
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'worker', 'dashboard', 'schedule', 'demo-odoo']) {
      expect(names, `service ${name}`).toContain(name);
    }

    const temporal = environmentOf(compose.services.temporal);
    expect(temporal.DB).toBe('postgres12');
    expect(names).toContain(temporal.POSTGRES_SEEDS);
    expect(compose.services['demo-odoo'].profiles).toEqual(['demo']);
  });

  it('pins every image to an exact version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) continue;
      expect(service.image, `${name}: image`).toBeDefined();
      const tag = /^[^@]+:([^:@/]+)(@sha256:[0-9a-f]{64})?$/.exec(service.image!)?.[1];
      // A tag needs major.minor at least (16.9-bookworm, 1.31.0), because a bare major such as `16`
      // moves to each release.
      expect(tag, `${name}: ${service.image} has no tag`).toBeDefined();
      expect(tag, `${name}: ${service.image}`).toMatch(/^\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
    }
  });

  it('runs the schema tools of the server version', () => {
    const version = (image: string | undefined) => image?.split(':')[1];
    const serverVersion = version(compose.services.temporal.image);
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.image?.startsWith('temporalio/admin-tools:')) continue;
      expect(version(service.image), name).toBe(serverVersion);
    }
  });

  it('runs only existing placement commands', () => {
    const program = buildProgram();
    expect(appServices.length).toBeGreaterThan(0);
    for (const [name, service] of appServices) {
      // The image's entrypoint is `node client/cli.ts`, so the command is the CLI's arguments.
      expect(service.entrypoint, `${name}: entrypoint`).toBeUndefined();
      const args = argsOf(service.command);
      expect(cliProblems(program, args), `${name}: ${args.join(' ')}`).toEqual([]);
    }
  });

  it('command checker rejects wrong command lines', () => {
    const program = buildProgram();
    const problems = (args: string[]) => cliProblems(program, args).join('\n');

    expect(problems(['dashbord'])).toMatch(/names no placement sub-command/);
    expect(problems(['dashboard', '--hots', '0.0.0.0'])).toMatch(/has no option --hots/);
    expect(problems(['dashboard', '--port', 'eighty'])).toMatch(/--port eighty/);
    expect(problems(['dashboard', '--port'])).toMatch(/--port needs a value/);
    expect(problems(['demo-odoo', '--scale', 'huge'])).toMatch(/--scale huge/);
    expect(problems(['worker', 'extra'])).toMatch(/takes no argument extra/);
    expect(problems(['dashboard', '--host', '0.0.0.0', '--port', '8080'])).toBe('');
  });

  it('documents every variable it uses', () => {
    const documented = documentedVariables(envExampleText);
    for (const variable of interpolatedVariables(composeText)) {
      expect(documented.has(variable), `\${${variable}} is not in .env.example`).toBe(true);
    }
    for (const [name, service] of appServices) {
      for (const variable of Object.keys(environmentOf(service))) {
        expect(documented.has(variable), `${name}: ${variable} is not in .env.example`).toBe(true);
      }
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) {
        expect(portBinding(port).hostIp, `${name}: ${JSON.stringify(port)}`).toBe('127.0.0.1');
      }
    }
  });

  it('lets servers listen on their published port', () => {
    for (const [name, service] of appServices) {
      const args = argsOf(service.command);
      const listens = optionValue(args, '--port') !== undefined || (service.ports ?? []).length > 0;
      if (!listens) continue;

      // Inside a container 127.0.0.1 is unreachable from the host and from other containers.
      const host = optionValue(args, '--host') ?? environmentOf(service).DASHBOARD_HOST;
      expect(host, `${name}: listen address`).toBe('0.0.0.0');
      for (const port of service.ports ?? []) {
        expect(portBinding(port).containerPort, `${name}: container port`).toBe(optionValue(args, '--port'));
      }
    }
  });

  it('lets the worker scale and stop gracefully', () => {
    const worker = compose.services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.stop_grace_period).toBeDefined();
    expect(durationSeconds(worker.stop_grace_period!)).toBeGreaterThan(workerShutdownGraceSeconds());
  });

  it('points the application at the stack', () => {
    for (const [name, service] of appServices) {
      const address = environmentOf(service).TEMPORAL_ADDRESS;
      // The demo Odoo never talks to Temporal.
      if (name === 'demo-odoo') continue;
      expect(address, `${name}: TEMPORAL_ADDRESS`).toBe('temporal:7233');
    }
  });

  it('shares the data folder between workers and dashboard', () => {
    const { worker, dashboard } = compose.services;
    const dataDir = environmentOf(worker).PLACEMENT_DATA_DIR;
    expect(dataDir).toBeDefined();
    expect(environmentOf(dashboard).PLACEMENT_DATA_DIR).toBe(dataDir);

    const volume = Object.keys(compose.volumes ?? {}).find((name) => volumeTarget(worker.volumes, name) === dataDir);
    expect(volume, `a named volume mounted at ${dataDir} in worker`).toBeDefined();
    expect(volumeTarget(dashboard.volumes, volume!)).toBe(dataDir);
  });

  it('mounts existing files only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        if (!source?.startsWith('.')) continue;
        expect(fs.existsSync(path.join(PROJECT_ROOT, source)), `${name}: ${source}`).toBe(true);
      }

      // A script run from a bind mount, such as /deploy/setup-schema.sh, must exist in the mounted folder.
      const script = argsOf(service.entrypoint).find((arg) => arg.endsWith('.sh'));
      if (!script) continue;
      const mount = (service.volumes ?? [])
        .filter((volume): volume is string => typeof volume === 'string')
        .map((volume) => volume.split(':'))
        .find(([, target]) => script.startsWith(`${target}/`));
      expect(mount, `${name}: no bind mount holds ${script}`).toBeDefined();
      const file = path.join(PROJECT_ROOT, mount![0], script.slice(mount![1].length));
      expect(fs.existsSync(file), `${name}: ${file}`).toBe(true);
      expect(spawnSync('sh', ['-n', file]).status, `sh -n ${file}`).toBe(0);
    }
  });

  it('depends only on declared services', () => {
    const names = new Set(Object.keys(compose.services));
    for (const [name, service] of Object.entries(compose.services)) {
      const { depends_on: dependsOn } = service;
      const dependencies = Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn ?? {});
      for (const dependency of dependencies) {
        expect(names.has(dependency), `${name} depends on ${dependency}`).toBe(true);
      }
    }
  });
});

describe('.env.example', () => {
  it('lists every setting and nothing stale', () => {
    const documented = documentedVariables(envExampleText);
    const settings = settingsVariables();
    expect(settings.size).toBeGreaterThan(10);

    for (const variable of settings) expect(documented.has(variable), `${variable} is not in .env.example`).toBe(true);

    const composeVariables = interpolatedVariables(composeText);
    for (const variable of documented) {
      const used = settings.has(variable) || composeVariables.has(variable);
      const message = `${variable} in .env.example is read neither by config/settings.ts nor by docker-compose.yml`;
      expect(used, message).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileText
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const argument = (keyword: string) =>
    instructions
      .filter((line) => line.toUpperCase().startsWith(`${keyword} `))
      .map((line) => line.slice(keyword.length + 1).trim());

  it('builds on a pinned Node.js image', () => {
    const [base] = argument('FROM');
    const nodeMajor = readProjectFile('.nvmrc').trim();
    expect(base).toMatch(new RegExp(`^node:${nodeMajor}\\.\\d+\\.\\d+-[a-z]+-slim$`));
  });

  it('installs production dependencies only', () => {
    expect(argument('RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
  });

  it('runs the CLI as a non-root user', () => {
    const users = argument('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);

    const entrypoint = JSON.parse(argument('ENTRYPOINT').at(-1) ?? 'null') as string[];
    expect(entrypoint).toEqual(['node', 'client/cli.ts']);
    expect(fs.existsSync(path.join(PROJECT_ROOT, entrypoint[1]))).toBe(true);

    const command = JSON.parse(argument('CMD').at(-1) ?? '[]') as string[];
    expect(cliProblems(buildProgram(), command)).toEqual([]);
  });

  it('keeps secrets and local state out of the image', () => {
    const ignored = readProjectFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['.env', 'node_modules', '.data']) expect(ignored, entry).toContain(entry);
  });
});

/** True when `docker compose` (the Compose v2 plugin) runs; it validates files without an engine. */
function composePluginAvailable(): boolean {
  const result = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0;
}

describe('docker compose config', () => {
  it('accepts the file', (context) => {
    if (!composePluginAvailable()) {
      context.skip(
        'the Docker Compose plugin is not installed (`docker compose version` fails); the checks above still ran',
      );
    }

    // A scratch project with .env made from .env.example, as a user would start.
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-compose-'));
    try {
      fs.copyFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), path.join(directory, 'docker-compose.yml'));
      fs.writeFileSync(path.join(directory, '.env'), `${envExampleText}\nODOO_URL=http://demo-odoo:8069\n`);
      const result = spawnSync('docker', ['compose', '--profile', 'demo', 'config', '--quiet'], {
        cwd: directory,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status, result.stderr).toBe(0);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
