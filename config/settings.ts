/**
 * Effective configuration, read from environment variables and an optional `.env` file.
 *
 * Every default gives the embedded setup: the demo Odoo, a lake folder and a DuckDB file under
 * `.data/`, and a Temporal dev server started on demand. Production sets the Odoo, lake,
 * warehouse and Temporal variables (see `.env.example`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import fs from 'node:fs';
import { z } from 'zod';

/** Repository root, found from this file so commands work from any working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const DEMO_ODOO_PORT = 8069;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInt = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be greater than 0`)
    .default(fallback);

const envSchema = z.object({
  PLACEMENT_DATA_DIR: z.string().default('.data'),
  PLACEMENT_TIMEZONE: z.string().default('Europe/Paris'),
  PLACEMENT_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),

  ODOO_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^/\s]+/i.test(value), {
    message: 'must be an http:// or https:// URL such as https://crm.example.org',
  }),
  ODOO_DB: z.string().default('demo'),
  ODOO_USER: z.string().default('admin'),
  ODOO_API_KEY: z.string().default('admin'),
  // Node timers cap at 2^31-1 ms; an hour is already far beyond any sane Odoo request.
  ODOO_TIMEOUT_MS: positiveInt('ODOO_TIMEOUT_MS', 120_000).refine((value) => value <= 3_600_000, {
    message: 'ODOO_TIMEOUT_MS must be at most 3600000 (one hour)',
  }),
  ODOO_PAGE_SIZE: positiveInt('ODOO_PAGE_SIZE', 2_000),
  ODOO_MAPPING_FILE: z.string().default('config/odoo-mapping.yaml'),
  ODOO_LANG: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'ODOO_LANG must be an Odoo language code such as fr_FR').default('fr_FR'),
  ODOO_TRANSPORT: z.enum(['auto', 'xmlrpc', 'jsonrpc', 'json2']).default('auto'),
  ODOO_MAX_REQUESTS_PER_SECOND: z.coerce
    .number({ error: 'ODOO_MAX_REQUESTS_PER_SECOND must be a number' })
    .positive('ODOO_MAX_REQUESTS_PER_SECOND must be greater than 0')
    .default(5),
  ODOO_MAX_CONCURRENT_REQUESTS: positiveInt('ODOO_MAX_CONCURRENT_REQUESTS', 2),
  ODOO_INCREMENT_MARGIN_MINUTES: positiveInt('ODOO_INCREMENT_MARGIN_MINUTES', 60),
  ODOO_RECONCILE_EVERY_DAYS: positiveInt('ODOO_RECONCILE_EVERY_DAYS', 7),
  BACKFILL_PAGE_SIZE: positiveInt('BACKFILL_PAGE_SIZE', 5_000),
  BACKFILL_PARTITION_SIZE: positiveInt('BACKFILL_PARTITION_SIZE', 250_000),
  BACKFILL_CONCURRENCY: positiveInt('BACKFILL_CONCURRENCY', 2),
  BACKFILL_PAGES_PER_RUN: positiveInt('BACKFILL_PAGES_PER_RUN', 200),
  BACKFILL_HEARTBEAT_TIMEOUT_SECONDS: positiveInt('BACKFILL_HEARTBEAT_TIMEOUT_SECONDS', 30),

  LAKE_URI: optionalText,
  WAREHOUSE: z.enum(['duckdb', 'bigquery']).default('duckdb'),
  DUCKDB_PATH: optionalText,
  BIGQUERY_PROJECT: optionalText,
  BIGQUERY_DATASET: z.string().default('placement'),
  BIGQUERY_LOCATION: z.string().default('EU'),
  BIGQUERY_API_ENDPOINT: optionalText,
  GCS_API_ENDPOINT: optionalText,
  GOOGLE_APPLICATION_CREDENTIALS: optionalText,

  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('placement'),
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_PORT: positiveInt('TEMPORAL_PORT', 7233).refine((port) => port <= 65_535, { message: 'TEMPORAL_PORT must be a TCP port (1 to 65535)' }),
  TEMPORAL_UI_PORT: positiveInt('TEMPORAL_UI_PORT', 8233).refine((port) => port <= 65_535, { message: 'TEMPORAL_UI_PORT must be a TCP port (1 to 65535)' }),
  TEMPORAL_UI_URL: optionalText,

  DEMO_ODOO_PORT: positiveInt('DEMO_ODOO_PORT', DEMO_ODOO_PORT).refine((port) => port <= 65_535, { message: 'DEMO_ODOO_PORT must be a TCP port (1 to 65535)' }),
  DEMO_ODOO_SCALE: z.enum(['small', 'medium', 'large']).default('small'),
  DEMO_ODOO_SEED: z.coerce.number().int().default(42),

  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DASHBOARD_PORT: positiveInt('DASHBOARD_PORT', 8080),
  DASHBOARD_USERS_FILE: optionalText,
  DASHBOARD_SESSION_SECRET: optionalText,
  DASHBOARD_TRUSTED_HEADER: optionalText,
  DASHBOARD_SERVING_PATH: optionalText,

  PLACEMENT_ALERT_WEBHOOK_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: 'PLACEMENT_ALERT_WEBHOOK_URL must be an http(s) URL' }).optional(),
  ),
});

export type Settings = {
  dataDir: string;
  /** IANA time zone that decides which calendar day a run belongs to. */
  timezone: string;
  logLevel: z.infer<typeof envSchema>['PLACEMENT_LOG_LEVEL'];
  odoo: {
    /** True when no ODOO_URL is set: the embedded demo Odoo is used. */
    demo: boolean;
    url: string;
    db: string;
    user: string;
    apiKey: string;
    timeoutMs: number;
    pageSize: number;
    mappingFile: string;
    /** Wire format: `auto` reads the server's version and picks JSON-2 from Odoo 19, else JSON-RPC. */
    transport: 'auto' | 'xmlrpc' | 'jsonrpc' | 'json2';
    /** Language of display names (stages, many2one labels) read from Odoo, e.g. fr_FR. */
    lang: string;
    /** Cap on Odoo-facing activity starts per second, enforced by Temporal across all workers. */
    maxRequestsPerSecond: number;
    /** Odoo-facing activities one worker runs at the same time. */
    maxConcurrentRequests: number;
    /** Overlap of consecutive incremental windows, in minutes: covers clock skew and long transactions. */
    incrementMarginMinutes: number;
    /** Days between two snapshots of the ids still in Odoo, which mark deleted records. */
    reconcileEveryDays: number;
  };
  backfill: {
    pageSize: number;
    partitionSize: number;
    concurrency: number;
    pagesPerRun: number;
    /** Seconds without a heartbeat after which a page's worker counts as dead. */
    heartbeatTimeoutSeconds: number;
  };
  lake: { uri: string };
  warehouse: {
    kind: 'duckdb' | 'bigquery';
    duckdbPath: string;
    bigquery: {
      project?: string;
      dataset: string;
      location: string;
      apiEndpoint?: string;
      credentialsFile?: string;
    };
    gcsApiEndpoint?: string;
  };
  temporal: {
    /** True when no TEMPORAL_ADDRESS is set: the CLI starts or reuses a local dev server. */
    embedded: boolean;
    address: string;
    namespace: string;
    taskQueue: string;
    cliPath?: string;
    uiPort: number;
    port: number;
    /** Base URL of the Temporal Web UI, for links printed by commands. */
    uiUrl: string;
  };
  demoOdoo: { port: number; scale: 'small' | 'medium' | 'large'; seed: number };
  dashboard: {
    host: string;
    port: number;
    /** YAML file of local accounts; unset in trusted-header mode means no local login. */
    usersFile: string;
    /** Key that signs session cookies; unset means one generated and kept under the data dir. */
    sessionSecret?: string;
    /** Request header carrying the user's email, set by an identity-aware proxy. */
    trustedHeader?: string;
    /** DuckDB file the dashboard reads, published at the end of each daily run. */
    servingPath: string;
  };
  /** Slack or Google Chat incoming webhook for the end-of-run check summary; unset = logs only. */
  alerts: { webhookUrl?: string };
};

/** Raised when an environment variable contains an invalid value; the message names it. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Reads `.env` from the working directory, if present, without overriding the real environment. */
function readDotenv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return {};
  return parseDotenv(fs.readFileSync(file));
}

/**
 * Builds the settings from `env` (default: `.env` merged under `process.env`).
 * @throws ConfigurationError naming the first invalid variable and its value.
 */
export function loadSettings(env: NodeJS.ProcessEnv = { ...readDotenv(process.cwd()), ...process.env }): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigurationError(
      `invalid configuration: ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}. ` +
        `Fix the variable in the environment or in .env (see .env.example).`,
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.PLACEMENT_DATA_DIR);
  const demoOdooUrl = `http://127.0.0.1:${e.DEMO_ODOO_PORT}`;

  if (!isValidTimezone(e.PLACEMENT_TIMEZONE)) {
    throw new ConfigurationError(
      `invalid configuration: PLACEMENT_TIMEZONE=${JSON.stringify(e.PLACEMENT_TIMEZONE)} is not an IANA time zone. ` +
        'Use a name such as Europe/Paris.',
    );
  }

  if (e.WAREHOUSE === 'bigquery' && !e.BIGQUERY_PROJECT) {
    throw new ConfigurationError(
      'invalid configuration: WAREHOUSE=bigquery needs BIGQUERY_PROJECT. Set it to your Google Cloud project id.',
    );
  }

  return {
    dataDir,
    timezone: e.PLACEMENT_TIMEZONE,
    logLevel: e.PLACEMENT_LOG_LEVEL,
    odoo: {
      demo: e.ODOO_URL === undefined,
      url: (e.ODOO_URL ?? demoOdooUrl).replace(/\/+$/, ''),
      db: e.ODOO_DB,
      user: e.ODOO_USER,
      apiKey: e.ODOO_API_KEY,
      timeoutMs: e.ODOO_TIMEOUT_MS,
      pageSize: e.ODOO_PAGE_SIZE,
      mappingFile: path.resolve(PROJECT_ROOT, e.ODOO_MAPPING_FILE),
      lang: e.ODOO_LANG,
      transport: e.ODOO_TRANSPORT,
      maxRequestsPerSecond: e.ODOO_MAX_REQUESTS_PER_SECOND,
      maxConcurrentRequests: e.ODOO_MAX_CONCURRENT_REQUESTS,
      incrementMarginMinutes: e.ODOO_INCREMENT_MARGIN_MINUTES,
      reconcileEveryDays: e.ODOO_RECONCILE_EVERY_DAYS,
    },
    backfill: {
      pageSize: e.BACKFILL_PAGE_SIZE,
      partitionSize: e.BACKFILL_PARTITION_SIZE,
      concurrency: e.BACKFILL_CONCURRENCY,
      pagesPerRun: e.BACKFILL_PAGES_PER_RUN,
      heartbeatTimeoutSeconds: e.BACKFILL_HEARTBEAT_TIMEOUT_SECONDS,
    },
    lake: { uri: e.LAKE_URI ?? path.join(dataDir, 'lake') },
    warehouse: {
      kind: e.WAREHOUSE,
      duckdbPath: path.resolve(e.DUCKDB_PATH ?? path.join(dataDir, 'warehouse.duckdb')),
      bigquery: {
        project: e.BIGQUERY_PROJECT,
        dataset: e.BIGQUERY_DATASET,
        location: e.BIGQUERY_LOCATION,
        apiEndpoint: e.BIGQUERY_API_ENDPOINT,
        credentialsFile: e.GOOGLE_APPLICATION_CREDENTIALS,
      },
      gcsApiEndpoint: e.GCS_API_ENDPOINT,
    },
    temporal: {
      embedded: e.TEMPORAL_ADDRESS === undefined,
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      uiPort: e.TEMPORAL_UI_PORT,
      port: e.TEMPORAL_PORT,
      uiUrl: (e.TEMPORAL_UI_URL ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`).replace(/\/+$/, ''),
    },
    demoOdoo: { port: e.DEMO_ODOO_PORT, scale: e.DEMO_ODOO_SCALE, seed: e.DEMO_ODOO_SEED },
    dashboard: {
      host: e.DASHBOARD_HOST,
      port: e.DASHBOARD_PORT,
      usersFile: path.resolve(e.DASHBOARD_USERS_FILE ?? path.join(dataDir, 'dashboard-users.yaml')),
      sessionSecret: e.DASHBOARD_SESSION_SECRET,
      trustedHeader: e.DASHBOARD_TRUSTED_HEADER,
      servingPath: path.resolve(e.DASHBOARD_SERVING_PATH ?? path.join(dataDir, 'serving.duckdb')),
    },
    alerts: { webhookUrl: e.PLACEMENT_ALERT_WEBHOOK_URL },
  };
}

/** Returns a copy of `settings` that is safe to print: secrets are masked. */
export function maskSecrets(settings: Settings): Settings {
  const masked = structuredClone(settings);
  masked.odoo.apiKey = maskValue(settings.odoo.apiKey);
  if (settings.dashboard.sessionSecret !== undefined) {
    masked.dashboard.sessionSecret = maskValue(settings.dashboard.sessionSecret);
  }
  // The path of a Slack or Google Chat webhook URL is its credential.
  if (settings.alerts.webhookUrl !== undefined) masked.alerts.webhookUrl = maskValue(settings.alerts.webhookUrl);
  return masked;
}

function maskValue(secret: string): string {
  return secret === '' ? '' : '****';
}

function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Returns the calendar date (YYYY-MM-DD) of `instant` in `timezone`. */
export function dateInTimezone(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}
