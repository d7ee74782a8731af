/**
 * All activities of the placement worker, built from injected resources so tests can run them
 * against any lake, warehouse and Odoo.
 */
import { createExtractActivities } from './extract.ts';
import { createMaterializeActivities } from './materialize.ts';
import type { Resources } from '../resources/index.ts';

export function createActivities(resources: Resources) {
  return {
    ...createExtractActivities({
      lake: resources.lake,
      odoo: resources.odoo,
      mapping: resources.mapping,
      pageSize: resources.settings.odoo.pageSize,
    }),
    ...createMaterializeActivities({
      lake: resources.lake,
      warehouse: resources.warehouse,
      mapping: resources.mapping,
      odooUrl: resources.settings.odoo.url,
    }),
  };
}

export type PlacementActivities = ReturnType<typeof createActivities>;
