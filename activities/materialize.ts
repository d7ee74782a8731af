/**
 * Materialisation activities: build one warehouse table of the asset graph for a run date.
 *
 * Raw assets load the lake files listed by the extraction manifests of that date (seeds write
 * their reference rows to the lake first, then load them the same way); model assets
 * render their SQL template and replace their table. Every success appends a row to
 * `placement_materialization`, which status pages read for the last materialisation of an asset.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { OdooMapping } from '../config/odoo-mapping.ts';
import { loadAssetGraph, SELECTION_LABEL_TABLE, type Asset } from '../assets/graph.ts';
import { removeDeletedRecords } from './deleted-records.ts';
import { startHeartbeat } from './heartbeat.ts';
import { rawLakeKeys } from './raw-files.ts';
import { rawColumns } from '../assets/raw-columns.ts';
import { renderModel } from '../assets/render.ts';
import { seedDefinitions, seedKey, type SeedOptions } from '../assets/seeds.ts';
import { sourceDefinitions, type SourceDefinition } from '../assets/sources.ts';
import type { Lake } from '../lake/lake.ts';
import { manifestKey, type ExtractionManifest } from '../lake/paths.ts';
import type { SqlValue } from '../warehouse/dialect.ts';
import type { ColumnSpec, TableResult, Warehouse } from '../warehouse/warehouse.ts';

export type MaterializeAssetInput = { assetKey: string; runDate: string; runId?: string };
export type MaterializeAssetResult = { asset: string; layer: string; rows: number; durationMs: number };

export type MaterializeLogger = { info(fields: Record<string, unknown>, message: string): void };

export type MaterializeDependencies = {
  lake: Lake;
  warehouse: Warehouse;
  mapping: OdooMapping;
  /** Odoo base URL, for the links to records and files that models build. */
  odooUrl: string;
  logger?: MaterializeLogger;
  /** Folder of the SQL models; tests point it at their own models. */
  modelsDir?: string;
  /** Files of the seeds; tests point them at their own. */
  seeds?: SeedOptions;
};

/** Log of materialisations: one row per success, never updated. */
export const MATERIALIZATION_TABLE = 'placement_materialization';

/** Failure types, so callers and workflows can tell them apart. */
export const MISSING_EXTRACTION = 'MissingExtraction';
export const MATERIALIZATION_FAILED = 'MaterializationFailed';

const MATERIALIZATION_COLUMNS: ColumnSpec[] = [
  { name: 'run_date', type: 'date' },
  { name: 'asset', type: 'string' },
  { name: 'layer', type: 'string' },
  { name: 'rows', type: 'int64' },
  { name: 'materialized_at', type: 'timestamp' },
  { name: 'run_id', type: 'string' },
];

const SELECTION_LABEL_COLUMNS: ColumnSpec[] = [
  { name: 'model', type: 'string' },
  { name: 'field', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'label', type: 'string' },
];

export function createMaterializeActivities(deps: MaterializeDependencies) {
  const { lake, warehouse, mapping, odooUrl, logger } = deps;
  const graph = loadAssetGraph(mapping, { modelsDir: deps.modelsDir });
  const sources = sourceDefinitions(mapping);
  const seeds = seedDefinitions(deps.seeds);

  async function readManifest(source: SourceDefinition, runDate: string): Promise<ExtractionManifest> {
    const key = manifestKey(source.name, runDate);
    const manifest = await lake.readJson<ExtractionManifest>(key);
    if (!manifest) {
      throw ApplicationFailure.nonRetryable(
        `extraction manifest not found: ${key}. Run the extraction of ${source.name} for ${runDate} first.`,
        MISSING_EXTRACTION,
      );
    }
    return manifest;
  }

  async function loadSource(asset: Asset, source: SourceDefinition, runDate: string): Promise<TableResult> {
    const manifest = await readManifest(source, runDate);
    const fieldTypes: Record<string, string> = { ...manifest.fieldTypes };
    for (const [name, description] of Object.entries(manifest.fields ?? {})) fieldTypes[name] = description.type;
    const missingFields = source.fields.filter((field) => !(field in fieldTypes));
    if (missingFields.length > 0) {
      throw ApplicationFailure.nonRetryable(
        `the extraction of ${source.name} for ${runDate} has no field ${missingFields.join(', ')}: the Odoo mapping ` +
          `changed since. Run \`placement run-daily --date ${runDate} --reextract\` to read Odoo again.`,
        MISSING_EXTRACTION,
      );
    }
    const keys = await rawLakeKeys(lake, source, runDate, manifest);
    let loaded: TableResult;
    try {
      loaded = await warehouse.loadNdjson(asset.key, rawColumns(source, fieldTypes), keys);
    } catch (error) {
      throw failure(`failed to load raw asset ${asset.key} from ${keys.length} lake file(s) of ${runDate}`, error);
    }
    if (source.mode.kind === 'snapshot') return loaded;

    const remaining = await removeDeletedRecords(lake, warehouse, source, runDate);
    return remaining === undefined ? loaded : { ...loaded, rows: remaining };
  }

  async function loadSelectionLabels(runDate: string): Promise<TableResult> {
    const rows: SqlValue[][] = [];
    const missing: string[] = [];
    for (const source of sources) {
      // A source whose extraction failed has no manifest; its own raw asset fails and blocks its
      // models, so the labels of the other sources are still worth loading.
      const manifest = await lake.readJson<ExtractionManifest>(manifestKey(source.name, runDate));
      if (!manifest) {
        missing.push(source.name);
        continue;
      }
      for (const [field, description] of Object.entries(manifest.fields ?? {})) {
        for (const [key, label] of description.selection ?? []) rows.push([manifest.model, field, key, label]);
      }
    }
    if (missing.length === sources.length) {
      throw ApplicationFailure.nonRetryable(
        `no extraction manifest found for ${runDate}. Run the extractions for that date first.`,
        MISSING_EXTRACTION,
      );
    }
    return warehouse.createTableAs(SELECTION_LABEL_TABLE, warehouse.dialect.literalRows(SELECTION_LABEL_COLUMNS, rows));
  }

  async function loadSeed(asset: Asset): Promise<TableResult> {
    const seed = seeds.find((candidate) => candidate.name === asset.seed)!;
    try {
      const written = await lake.writeNdjson(seedKey(seed.name), seed.rows());
      return await warehouse.loadNdjson(asset.key, seed.columns, [written.key]);
    } catch (error) {
      throw failure(`failed to load seed ${asset.key}`, error);
    }
  }

  async function buildModel(asset: Asset): Promise<TableResult> {
    try {
      const sql = renderModel(asset.key, { graph, dialect: warehouse.dialect, mapping, odooUrl });
      return await warehouse.createTableAs(asset.key, sql);
    } catch (error) {
      throw failure(`failed to materialise ${asset.key} from ${asset.sqlFile}`, error);
    }
  }

  async function recordMaterialization(input: MaterializeAssetInput, asset: Asset, rows: number): Promise<void> {
    const d = warehouse.dialect;
    const table = d.table(MATERIALIZATION_TABLE);
    const definitions = MATERIALIZATION_COLUMNS.map((column) => `${d.identifier(column.name)} ${d.type(column.type)}`);
    await warehouse.query(`create table if not exists ${table} (${definitions.join(', ')})`);
    const values = MATERIALIZATION_COLUMNS.map((column) => d.cast(d.param(column.name), column.type));
    await warehouse.query(
      `insert into ${table} (${MATERIALIZATION_COLUMNS.map((column) => d.identifier(column.name)).join(', ')}) ` +
        `values (${values.join(', ')})`,
      {
        run_date: input.runDate,
        asset: asset.key,
        layer: asset.layer,
        rows,
        // UTC wall-clock time, the convention of every timestamp in the warehouse.
        materialized_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
        run_id: input.runId ?? null,
      },
    );
  }

  return {
    /** Returns the graph as small data for the workflow, in dependency order. */
    async planAssets(): Promise<{ key: string; layer: string; upstream: string[]; source?: string }[]> {
      return graph.layers().flatMap((keys) =>
        keys.map((key) => {
          const { layer, upstream, source } = graph.get(key);
          return source ? { key, layer, upstream, source } : { key, layer, upstream };
        }),
      );
    },

    async materializeAsset(input: MaterializeAssetInput): Promise<MaterializeAssetResult> {
      const stopHeartbeat = startHeartbeat(() => ({ asset: input.assetKey }));
      try {
        return await materializeOne(input);
      } finally {
        stopHeartbeat();
      }
    },
  };

  async function materializeOne(input: MaterializeAssetInput): Promise<MaterializeAssetResult> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.runDate)) {
      throw ApplicationFailure.nonRetryable(
        `invalid run date "${input.runDate}": expected YYYY-MM-DD`,
        MATERIALIZATION_FAILED,
      );
    }
    let asset: Asset;
    try {
      asset = graph.get(input.assetKey);
    } catch (error) {
      throw failure(`failed to materialise ${input.assetKey}`, error);
    }
    const started = performance.now();

    let result: TableResult;
    if (asset.source) {
      result = await loadSource(
        asset,
        sources.find((source) => source.name === asset.source)!,
        input.runDate,
      );
    } else if (asset.seed) {
      result = await loadSeed(asset);
    } else if (asset.key === SELECTION_LABEL_TABLE) {
      result = await loadSelectionLabels(input.runDate);
    } else {
      result = await buildModel(asset);
    }

    await recordMaterialization(input, asset, result.rows);
    const durationMs = Math.round(performance.now() - started);
    logger?.info(
      { asset: asset.key, layer: asset.layer, rows: result.rows, durationMs, runDate: input.runDate },
      'asset materialised',
    );
    return { asset: asset.key, layer: asset.layer, rows: result.rows, durationMs };
  }
}

function failure(message: string, error: unknown): ApplicationFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({
    message: `${message}: ${reason}`,
    type: MATERIALIZATION_FAILED,
    nonRetryable: true,
    cause: error instanceof Error ? error : undefined,
  });
}
