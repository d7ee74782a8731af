/**
 * Resources the activities run against, chosen from the settings: the lake, the warehouse, the
 * Odoo client and the Odoo mapping. One place picks the whole set, so the embedded setup and
 * production differ only by configuration.
 */
import { loadOdooMapping, type OdooMapping } from '../config/odoo-mapping.ts';
import { ConfigurationError, type Settings } from '../config/settings.ts';
import { LocalLake } from '../lake/local-lake.ts';
import type { Lake } from '../lake/lake.ts';
import { createOdooClient } from '../odoo/index.ts';
import type { OdooClient } from '../odoo/types.ts';
import { BigQueryWarehouse, createBigQueryClient } from '../warehouse/bigquery-warehouse.ts';
import { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { activityJobLabels } from './job-labels.ts';
import { openLake } from './lake.ts';
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
   * Maximum wait for another process to release the DuckDB file, in milliseconds. Workers wait
   * long because a statement of another worker may take minutes, and commands give up sooner.
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
