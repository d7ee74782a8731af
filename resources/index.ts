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
import { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
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

export async function openResources(settings: Settings): Promise<Resources> {
  const mapping = loadOdooMapping(settings.odoo.mappingFile);

  if (settings.lake.uri.startsWith('gs://')) {
    throw new ConfigurationError(
      `LAKE_URI=${settings.lake.uri}: the GCS lake is not available in this build. Use a local folder path.`,
    );
  }
  if (settings.warehouse.kind !== 'duckdb') {
    throw new ConfigurationError(
      `WAREHOUSE=${settings.warehouse.kind}: only duckdb is available in this build. Set WAREHOUSE=duckdb.`,
    );
  }

  const lake = new LocalLake(settings.lake.uri);
  const warehouse = await DuckDbWarehouse.open({
    path: settings.warehouse.duckdbPath,
    lakePath: (key: string) => lake.path(key),
  });

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
