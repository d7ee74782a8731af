/**
 * The production warehouse: one BigQuery dataset.
 *
 * Raw tables are loaded from the lake's NDJSON by load jobs with an explicit schema and no schema
 * detection, so a postal code such as "01300" stays a string and ids stay integers. Each lake file
 * goes to its own scratch table, and one CREATE OR REPLACE TABLE … AS unites them with the file's
 * lake key, so the raw table is replaced in one step and never shows half a load.
 * Models are materialised with CREATE OR REPLACE TABLE … AS. Every job carries labels naming the
 * asset and the run.
 */
import { randomUUID } from 'node:crypto';
import { BigQuery, type Job, type JobMetadata, type Query } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { GcsLake } from '../lake/gcs-lake.ts';
import type { Lake } from '../lake/lake.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { bigQueryDialect } from './bigquery-dialect.ts';
import type { Dialect } from './dialect.ts';
import { findBadNdjsonLine } from './ndjson-check.ts';
import type { ColumnSpec, ColumnType, TableResult, Warehouse } from './warehouse.ts';

export type BigQueryClientOptions = {
  projectId: string;
  /** Emulator base URL such as http://127.0.0.1:9050; unset for BigQuery. */
  apiEndpoint?: string;
  /** Service-account key file; unset for Application Default Credentials. */
  keyFilename?: string;
};

/**
 * BigQuery client. Against an emulator it authenticates with a fixed fake token and turns off
 * metadata-server detection, so it never looks for credentials (which would probe the GCE
 * metadata address) and sends nothing but requests to the emulator.
 */
export function createBigQueryClient(options: BigQueryClientOptions): BigQuery {
  if (options.apiEndpoint) {
    process.env.METADATA_SERVER_DETECTION = 'none';
    const authClient = new OAuth2Client();
    // No expiry date: the token is never refreshed.
    authClient.setCredentials({ access_token: 'emulator' });
    return new BigQuery({ projectId: options.projectId, apiEndpoint: options.apiEndpoint, authClient });
  }
  return new BigQuery({ projectId: options.projectId, keyFilename: options.keyFilename });
}

export type BigQueryWarehouseOptions = {
  client: BigQuery;
  /** Dataset of every table; created in `location` when missing. */
  dataset: string;
  /** Dataset location such as EU; every job runs there. */
  location: string;
  /** The lake that `loadNdjson` keys refer to: a GCS lake loads by gs:// URI, a local lake by upload. */
  lake: Lake;
  /** Labels added to every job, e.g. the run; values are cleaned to BigQuery's label rules. */
  jobLabels?: () => Record<string, string>;
  /** Clustering columns of tables, by table name. */
  clustering?: Record<string, string[]>;
  /** Load jobs running at once for one raw table. */
  loadConcurrency?: number;
};

const JSON_TYPES: Record<ColumnType, string> = {
  int64: 'INT64',
  float64: 'FLOAT64',
  bool: 'BOOL',
  string: 'STRING',
  json: 'JSON',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
};

/** Column added to every raw table, as the Warehouse contract names it. */
const LAKE_KEY_COLUMN = '_lake_key';

/** Prefix of the scratch tables of a raw load; they live for one load and expire in a day anyway. */
const SCRATCH_PREFIX = '_placement_load_';
const SCRATCH_LIFETIME_MS = 24 * 60 * 60 * 1000;

export class BigQueryWarehouse implements Warehouse {
  readonly dialect: Dialect;

  readonly #client: BigQuery;
  readonly #dataset: string;
  readonly #location: string;
  readonly #lake: Lake;
  readonly #jobLabels: () => Record<string, string>;
  readonly #clustering: Record<string, string[]>;
  readonly #loadConcurrency: number;

  private constructor(options: BigQueryWarehouseOptions) {
    this.#client = options.client;
    this.#dataset = options.dataset;
    this.#location = options.location;
    this.#lake = options.lake;
    this.#jobLabels = options.jobLabels ?? (() => ({}));
    this.#clustering = options.clustering ?? {};
    this.#loadConcurrency = options.loadConcurrency ?? 4;
    this.dialect = bigQueryDialect({ project: options.client.projectId, dataset: options.dataset });
  }

  /** Opens the warehouse, creating the dataset when it does not exist. */
  static async open(options: BigQueryWarehouseOptions): Promise<BigQueryWarehouse> {
    if (!(options.lake instanceof GcsLake) && !(options.lake instanceof LocalLake)) {
      throw new TypeError('BigQueryWarehouse loads from a GcsLake or a LocalLake only');
    }
    const dataset = options.client.dataset(options.dataset, { location: options.location });
    const [exists] = await dataset.exists();
    if (!exists) {
      try {
        await dataset.create({ location: options.location });
      } catch (error) {
        // Another worker may have created it meanwhile.
        if ((error as { code?: number }).code !== 409) throw error;
      }
    }
    return new BigQueryWarehouse(options);
  }

  async loadNdjson(table: string, columns: ColumnSpec[], keys: string[]): Promise<TableResult> {
    if (columns.length === 0) throw new Error(`invalid column list for raw table ${table}: empty; give at least id`);
    const d = this.dialect;
    const target = d.table(table);
    const cluster = this.#clusterClause(table, columns);

    if (keys.length === 0) {
      const definitions = [...columns, { name: LAKE_KEY_COLUMN, type: 'string' as const }]
        .map((column) => `${d.identifier(column.name)} ${d.type(column.type)}`)
        .join(', ');
      await this.#runQuery(`create or replace table ${target} (${definitions})${cluster}`, table);
      return { table, rows: 0 };
    }

    const loadId = randomUUID().replaceAll('-', '').slice(0, 12);
    const scratchTables = keys.map((_, index) => `${SCRATCH_PREFIX}${table}_${loadId}_${index}`);
    try {
      await forEachLimited(keys, this.#loadConcurrency, (key, index) =>
        this.#loadFile(table, scratchTables[index], columns, key),
      );
      const selectList = columns.map((column) => d.identifier(column.name)).join(', ');
      const parts = keys.map(
        (key, index) =>
          `select ${selectList}, ${d.literal(key)} as ${d.identifier(LAKE_KEY_COLUMN)} from ${d.table(scratchTables[index])}`,
      );
      await this.#runQuery(`create or replace table ${target}${cluster} as\n${parts.join('\nunion all\n')}`, table);
    } finally {
      await forEachLimited(scratchTables, this.#loadConcurrency, (scratch) =>
        this.#dataset_().table(scratch).delete({ ignoreNotFound: true }).then(() => undefined),
      );
    }
    return { table, rows: await this.#countRows(table) };
  }

  async createTableAs(table: string, selectSql: string): Promise<TableResult> {
    const cluster = this.#clustering[table]?.length
      ? ` cluster by ${this.#clustering[table].map((name) => this.dialect.identifier(name)).join(', ')}`
      : '';
    await this.#runQuery(`create or replace table ${this.dialect.table(table)}${cluster} as\n${selectSql}`, table);
    return { table, rows: await this.#countRows(table) };
  }

  async query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    return (await this.#runQuery(sql, undefined, params)) as T[];
  }

  async tableExists(table: string): Promise<boolean> {
    const [exists] = await this.#dataset_().table(table).exists();
    return exists;
  }

  async close(): Promise<void> {
    // The client holds no connection to release.
  }

  #dataset_() {
    return this.#client.dataset(this.#dataset, { location: this.#location });
  }

  /** Raw tables are clustered by record id, which the staging models partition their windows by. */
  #clusterClause(table: string, columns: ColumnSpec[]): string {
    const names = this.#clustering[table] ?? (columns.some((column) => column.name === 'id') ? ['id'] : []);
    return names.length ? ` cluster by ${names.map((name) => this.dialect.identifier(name)).join(', ')}` : '';
  }

  async #loadFile(table: string, scratch: string, columns: ColumnSpec[], key: string): Promise<void> {
    const load = {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: { fields: columns.map((column) => ({ name: column.name, type: JSON_TYPES[column.type] })) },
      // Never detect: types come from the Odoo field types only.
      autodetect: false,
      ignoreUnknownValues: false,
      maxBadRecords: 0,
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
    };
    let job: Job;
    try {
      if (this.#lake instanceof GcsLake) {
        [job] = await this.#client.createJob({
          location: this.#location,
          configuration: {
            load: {
              ...load,
              sourceUris: [this.#lake.uri(key)],
              destinationTable: { projectId: this.#client.projectId, datasetId: this.#dataset, tableId: scratch },
            },
            labels: this.#labels(table),
          },
        });
      } else {
        // NOTE: a load from a local file goes through the client's upload, which takes no job labels.
        const path = (this.#lake as LocalLake).path(key);
        [job] = await this.#dataset_().table(scratch).createLoadJob(path, load);
      }
      await waitForJob(job);
      await this.#dataset_()
        .table(scratch)
        .setMetadata({ expirationTime: String(Date.now() + SCRATCH_LIFETIME_MS) })
        .catch(() => undefined);
    } catch (error) {
      throw await this.#loadError(key, columns, error);
    }
  }

  /** A load failure reworded to name the lake file and the line, read back from the lake. */
  async #loadError(key: string, columns: ColumnSpec[], error: unknown): Promise<Error> {
    const reason = jobErrorMessage(error);
    const uri = this.#lake.uri(key);
    let badLine;
    try {
      badLine = await findBadNdjsonLine(this.#lake.readNdjson(key), columns);
    } catch (readError) {
      const message = readError instanceof Error ? readError.message : String(readError);
      // The lake reader names the file and the line of a line that is not JSON.
      return new Error(`failed to load ${message} (BigQuery: ${reason})`, { cause: error });
    }
    if (badLine) {
      return new Error(`failed to load ${uri} line ${badLine.line}: ${badLine.problem} (BigQuery: ${reason})`, {
        cause: error,
      });
    }
    return new Error(`failed to load ${uri}: ${reason}`, { cause: error });
  }

  async #countRows(table: string): Promise<number> {
    const rows = await this.#runQuery(`select count(*) as row_count from ${this.dialect.table(table)}`, table);
    return Number(rows[0]?.row_count ?? 0);
  }

  #labels(asset?: string): Record<string, string> {
    const labels: Record<string, string> = { app: 'placement', ...this.#jobLabels() };
    if (asset) labels.asset = asset;
    return Object.fromEntries(Object.entries(labels).map(([name, value]) => [labelText(name), labelText(value)]));
  }

  async #runQuery(sql: string, asset: string | undefined, params?: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const options: Query = {
      query: sql,
      location: this.#location,
      labels: this.#labels(asset),
      // Exact integers: INT64 values come back wrapped and are converted below.
      wrapIntegers: true,
    };
    if (params && Object.keys(params).length > 0) {
      options.params = params;
      // BigQuery cannot infer the type of a NULL parameter; the SQL casts it to the type it needs.
      const nullTypes = Object.fromEntries(
        Object.entries(params)
          .filter(([, value]) => value === null || value === undefined)
          .map(([name]) => [name, 'STRING']),
      );
      if (Object.keys(nullTypes).length > 0) options.types = nullTypes;
    }
    const [job] = await this.#client.createQueryJob(options);
    const [rows] = await job.getQueryResults({ wrapIntegers: true });
    return (rows as Record<string, unknown>[]).map(plainRow);
  }
}

/** Row with JS-friendly values, as the DuckDB warehouse returns them: integers as numbers when exact, times as Date. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) plain[name] = plainValue(value);
  return plain;
}

function plainValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const className = value.constructor?.name;
  const wrapped = (value as { value?: unknown }).value;
  if (className === 'BigQueryInt' && typeof wrapped === 'string') {
    const number = Number(wrapped);
    return Number.isSafeInteger(number) ? number : wrapped;
  }
  if ((className === 'BigQueryTimestamp' || className === 'BigQueryDatetime') && typeof wrapped === 'string') {
    return new Date(className === 'BigQueryDatetime' ? `${wrapped}Z` : wrapped);
  }
  if (className === 'BigQueryDate' && typeof wrapped === 'string') return new Date(`${wrapped}T00:00:00Z`);
  if (className === 'Object') return plainRow(value as Record<string, unknown>);
  return value;
}

/** Waits for `job` to finish; rejects with the job's errors when it failed. */
async function waitForJob(job: Job): Promise<void> {
  const [metadata] = (await job.promise()) as [JobMetadata];
  const status = metadata?.status;
  if (status?.errorResult) {
    throw Object.assign(new Error(status.errorResult.message ?? 'job failed'), { errors: status.errors });
  }
}

function jobErrorMessage(error: unknown): string {
  const errors = (error as { errors?: { message?: string; location?: string }[] })?.errors;
  const messages = (errors ?? [])
    .map((entry) => entry.message)
    .filter((message): message is string => Boolean(message));
  if (messages.length > 0) return [...new Set(messages)].join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** Label keys and values: lower-case letters, digits, `_` and `-`, at most 63 characters. */
function labelText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

async function forEachLimited<T>(items: T[], limit: number, action: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await action(items[index], index);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
