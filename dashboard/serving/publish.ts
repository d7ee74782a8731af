/**
 * Publishes the serving snapshot: copies what the dashboard reads from the warehouse into a new
 * DuckDB file beside `servingPath`, then renames it over `servingPath`. A reader therefore sees the
 * previous snapshot or the new one, never a half-written file.
 *
 * The copy runs on the warehouse's own connection (DuckDB ATTACH), so it works while the worker
 * keeps the warehouse open. NOTE: a BigQuery warehouse would need an export job instead of ATTACH;
 * only DuckDB is supported here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import {
  ASSET_TABLE,
  CANDIDATE_TABLE,
  CHECK_RESULT_TABLE,
  FACT_TABLE,
  MATERIALIZATION_TABLE,
  RUN_TABLE,
  WAREHOUSE_CHECK_TABLE,
  WAREHOUSE_MATERIALIZATION_TABLE,
  WAREHOUSE_RUN_TABLE,
  type RunStatus,
} from './schema.ts';

export type PublishedAsset = { key: string; layer: string; upstream: string[] };

export type PublishServingInput = {
  warehouse: Warehouse;
  /** Final path of the snapshot; its folder is created when missing. */
  servingPath: string;
  runDate: string;
  runId: string;
  workflowId: string;
  /** Outcome of the run being published (default succeeded). */
  status?: RunStatus;
  /** The asset graph, for the pipeline page; omitted means an empty graph. */
  assets?: PublishedAsset[];
  /** End of the run; default now. */
  finishedAt?: Date;
};

export type PublishServingResult = { servingPath: string; candidates: number; bytes: number };

/** Alias of the snapshot file while it is attached to the warehouse connection. */
const SERVING_ALIAS = 'serving_snapshot';

// Explicit schema, so a first run that failed before the fact table existed still publishes a
// snapshot the dashboard can open (with no candidates and the failure to show).
const CANDIDATE_COLUMNS = `
  lead_id bigint, prenom varchar, nom varchar, formation varchar, formation_campagne varchar,
  email varchar, telephone varchar, region_candidat varchar, ville_candidat varchar,
  region_formation varchar, parcours varchar, qpv varchar, rsa varchar, rqth varchar,
  contrat_alternance varchar, mobilite varchar, remarque varchar, lien_cv varchar, lien_fiche_crm varchar,
  date_modification timestamp, texte_recherche varchar`;

const RUN_COLUMNS = 'run_date date, workflow_id varchar, run_id varchar, status varchar, finished_at timestamp';

const CHECK_COLUMNS = `
  run_date date, run_id varchar, check_name varchar, asset varchar, severity varchar, status varchar,
  failing_rows bigint, total_rows bigint, threshold double, sample_keys varchar, checked_at timestamp`;

const MATERIALIZATION_COLUMNS =
  'run_date date, asset varchar, layer varchar, rows bigint, materialized_at timestamp, run_id varchar';

/** Survey answers arrive as Oui/Non, Yes/No or free text; the dashboard needs one spelling. */
function yesNo(column: string): string {
  return `case
    when lower(trim(${column})) in ('oui', 'yes', 'true', '1', 'o', 'y') then 'Oui'
    when lower(trim(${column})) in ('non', 'no', 'false', '0', 'n') then 'Non'
    else nullif(trim(${column}), '') end`;
}

/**
 * Odoo names a lead "<Prénom Nom> - <training>"; the campaign filter needs the training alone.
 * The prefix is dropped only when it contains the candidate's name, so a training title containing
 * " - " stays whole.
 */
// NOTE: this belongs in the fact model as its own column; kept here until the model provides it.
const CAMPAIGN_EXPRESSION = `case
    when position(' - ' in formation) > 0
      and nom is not null
      and strpos(lower(split_part(formation, ' - ', 1)), lower(trim(nom))) > 0
    then trim(substr(formation, position(' - ' in formation) + 3))
    else formation end`;

function candidateSelect(factColumns: Set<string>): string {
  // Test records left in the CRM are flagged by newer fact models; older ones have no such column.
  const notTest = factColumns.has('est_test') ? ' and not coalesce(est_test, false)' : '';
  return `
  select lead_id, prenom, nom, formation, ${CAMPAIGN_EXPRESSION} as formation_campagne,
    email, telephone, region_candidat, ville_candidat, region_formation, parcours,
    ${yesNo('qpv')} as qpv, ${yesNo('rsa')} as rsa, ${yesNo('rqth')} as rqth,
    contrat_alternance, mobilite, remarque_candidature as remarque, lien_cv, lien_fiche_crm, date_modification,
    lower(strip_accents(concat_ws(' ', prenom, nom, email))) as texte_recherche
  from "${FACT_TABLE}"
  -- Archived leads are lost applications: they no longer look for a company.
  where est_en_recherche and coalesce(est_actif, true)${notTest}`;
}

async function factColumns(warehouse: Warehouse): Promise<Set<string>> {
  const rows = await warehouse.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $table`,
    { table: FACT_TABLE },
  );
  return new Set(rows.map((row) => row.column_name));
}

/** Records the run, then writes and swaps in a new snapshot. */
export async function publishServingSnapshot(input: PublishServingInput): Promise<PublishServingResult> {
  const { warehouse } = input;
  if (warehouse.dialect.name !== 'duckdb') {
    throw new Error(
      `the serving snapshot is published from a DuckDB warehouse only, not ${warehouse.dialect.name}; set WAREHOUSE=duckdb`,
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.runDate)) {
    throw new Error(`invalid run date "${input.runDate}" for the serving snapshot: expected YYYY-MM-DD`);
  }

  await recordRun(input);

  const finalPath = path.resolve(input.servingPath);
  fs.mkdirSync(path.dirname(finalPath), { recursive: true });
  const temporaryPath = `${finalPath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const literal = (value: string) => warehouse.dialect.literal(value);

  let candidates: number;
  await warehouse.query(`attach ${literal(temporaryPath)} as ${SERVING_ALIAS}`);
  try {
    candidates = await copyTables(input);
    await warehouse.query(`checkpoint ${SERVING_ALIAS}`);
  } catch (error) {
    await warehouse.query(`detach ${SERVING_ALIAS}`).catch(() => undefined);
    removeFiles(temporaryPath);
    throw error;
  }
  await warehouse.query(`detach ${SERVING_ALIAS}`);

  // After checkpoint and detach the whole database is in the one file; a leftover WAL would be
  // lost by the rename. Publishing nothing is better than an incomplete snapshot.
  if (fs.existsSync(`${temporaryPath}.wal`)) {
    removeFiles(temporaryPath);
    throw new Error(`serving snapshot ${temporaryPath} kept a write-ahead log after detach; not published`);
  }
  fs.renameSync(temporaryPath, finalPath);

  return { servingPath: finalPath, candidates, bytes: fs.statSync(finalPath).size };
}

async function recordRun(input: PublishServingInput): Promise<void> {
  const { warehouse } = input;
  await warehouse.query(`create table if not exists "${WAREHOUSE_RUN_TABLE}" (${RUN_COLUMNS})`);
  await warehouse.query(
    `insert into "${WAREHOUSE_RUN_TABLE}" values (cast($run_date as date), $workflow_id, $run_id, $status, cast($finished_at as timestamp))`,
    {
      run_date: input.runDate,
      workflow_id: input.workflowId,
      run_id: input.runId,
      status: input.status ?? 'succeeded',
      // UTC wall-clock time, the convention of every timestamp in the warehouse.
      finished_at: (input.finishedAt ?? new Date()).toISOString().replace('T', ' ').replace('Z', ''),
    },
  );
}

/** Copies every serving table; returns the number of candidates published. */
async function copyTables(input: PublishServingInput): Promise<number> {
  const { warehouse } = input;
  const target = (table: string) => `${SERVING_ALIAS}.main."${table}"`;
  const exists = (table: string) => warehouse.tableExists(table);

  await warehouse.query(`create table ${target(CANDIDATE_TABLE)} (${CANDIDATE_COLUMNS})`);
  if (await exists(FACT_TABLE)) {
    const select = candidateSelect(await factColumns(warehouse));
    await warehouse.query(`insert into ${target(CANDIDATE_TABLE)} ${select} order by nom, prenom, lead_id`);
  }
  const [{ candidates }] = await warehouse.query<{ candidates: number }>(
    `select count(*) as candidates from ${target(CANDIDATE_TABLE)}`,
  );

  await warehouse.query(`create table ${target(MATERIALIZATION_TABLE)} (${MATERIALIZATION_COLUMNS})`);
  if (await exists(WAREHOUSE_MATERIALIZATION_TABLE)) {
    await warehouse.query(
      `insert into ${target(MATERIALIZATION_TABLE)}
       select run_date, asset, layer, rows, materialized_at, run_id from "${WAREHOUSE_MATERIALIZATION_TABLE}"`,
    );
  }

  await warehouse.query(`create table ${target(CHECK_RESULT_TABLE)} (${CHECK_COLUMNS})`);
  if (await exists(WAREHOUSE_CHECK_TABLE)) {
    // Casts keep the snapshot readable whatever types the checks chose (sample keys may be a list or JSON).
    await warehouse.query(
      `insert into ${target(CHECK_RESULT_TABLE)}
       select try_cast(run_date as date), cast(run_id as varchar), cast(check_name as varchar), cast(asset as varchar),
              cast(severity as varchar), cast(status as varchar), try_cast(failing_rows as bigint),
              try_cast(total_rows as bigint), try_cast(threshold as double), cast(sample_keys as varchar),
              try_cast(checked_at as timestamp)
       from "${WAREHOUSE_CHECK_TABLE}"`,
    );
  }

  await warehouse.query(`create table ${target(RUN_TABLE)} as select * from "${WAREHOUSE_RUN_TABLE}"`);

  await warehouse.query(`create table ${target(ASSET_TABLE)} (asset varchar, layer varchar, upstream varchar[])`);
  const literal = (value: string) => warehouse.dialect.literal(value);
  for (const asset of input.assets ?? []) {
    const upstream = `[${asset.upstream.map(literal).join(', ')}]::varchar[]`;
    await warehouse.query(`insert into ${target(ASSET_TABLE)} values ($asset, $layer, ${upstream})`, {
      asset: asset.key,
      layer: asset.layer,
    });
  }
  return Number(candidates);
}

function removeFiles(databasePath: string): void {
  for (const file of [databasePath, `${databasePath}.wal`]) fs.rmSync(file, { force: true });
}
