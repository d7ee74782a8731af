/**
 * Resources the activities run against, chosen from the settings: the lake, the warehouse, the
 * Odoo client and the Odoo mapping. One place picks the whole set, so the embedded setup and
 * production differ only by configuration.
 */
import { loadOdooMapping, type OdooMapping } from '../config/odoo-mapping.ts';
import { ConfigurationError, type Settings } from '../config/settings.ts';
import { createStorageClient, GcsLake } from '../lake/gcs-lake.ts';
import { LocalLake } from '../lake/local-lake.ts';
import type { Lake } from '../lake/lake.ts';
import { createOdooClient } from '../odoo/index.ts';
import type { OdooClient } from '../odoo/types.ts';
import { BigQueryWarehouse, createBigQueryClient } from '../warehouse/bigquery-warehouse.ts';
import { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { activityJobLabels } from './job-labels.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export type Resources = {
  settings: Settings;
  mapping: OdooMapping;
  lake: Lake;
  warehouse: Warehouse;
  /** Returns the shared Odoo client, created and authenticated on first use. */
  odoo: () => Promise<OdooClient>;
  close(): Promise<void>;
};

export type OpenResourcesOptions = {
  /**
   * Longest wait for another process to release the DuckDB file, in milliseconds. Workers wait
   * long (a statement of another worker may take minutes); commands give up sooner.
   */
  warehouseLockTimeoutMs?: number;
};

export async function openResources(settings: Settings, options: OpenResourcesOptions = {}): Promise<Resources> {
  const mapping = loadOdooMapping(settings.odoo.mappingFile);

  const lake = openLake(settings);
  const warehouse = await openWarehouse(settings, lake, options);

  let client: Promise<OdooClient> | undefined;
  const odoo = () => {
    client ??= Promise.resolve(createOdooClient(settings.odoo));
    return client;
  };

  return {
    settings,
    mapping,
    lake,
    warehouse,
    odoo,
    close: () => warehouse.close(),
  };
}

/** A GCS lake for a `gs://` LAKE_URI, else a local folder. */
function openLake(settings: Settings): Lake {
  const { uri } = settings.lake;
  if (!uri.startsWith('gs://')) return new LocalLake(uri);
  const storage = createStorageClient({
    projectId: settings.warehouse.bigquery.project,
    apiEndpoint: settings.warehouse.gcsApiEndpoint,
    keyFilename: settings.warehouse.bigquery.credentialsFile,
  });
  try {
    return GcsLake.fromUri(uri, storage);
  } catch (error) {
    throw new ConfigurationError(`LAKE_URI=${uri}: ${(error as Error).message}`);
  }
}

async function openWarehouse(settings: Settings, lake: Lake, options: OpenResourcesOptions): Promise<Warehouse> {
  if (settings.warehouse.kind === 'bigquery') {
    const { project, dataset, location, apiEndpoint, credentialsFile } = settings.warehouse.bigquery;
    const client = createBigQueryClient({ projectId: project!, apiEndpoint, keyFilename: credentialsFile });
    return BigQueryWarehouse.open({
      client,
      dataset,
      location,
      lake,
      jobLabels: activityJobLabels,
      // The dashboards filter on the search flag and the training region first.
      clustering: { fact_odoo_crm_opportunite: ['est_en_recherche', 'region_formation'] },
    });
  }
  if (!(lake instanceof LocalLake)) {
    throw new ConfigurationError(
      `LAKE_URI=${settings.lake.uri}: the DuckDB warehouse reads a local lake folder only. ` +
        'Set WAREHOUSE=bigquery for a gs:// lake, or LAKE_URI to a folder.',
    );
  }
  return DuckDbWarehouse.open({
    path: settings.warehouse.duckdbPath,
    lakePath: (key: string) => lake.path(key),
    lockTimeoutMs: options.warehouseLockTimeoutMs,
  });
}
