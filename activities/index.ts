/**
 * All activities of the placement worker, built from injected resources so tests can run them
 * against any lake, warehouse and Odoo.
 */
import { createBackfillActivities } from './backfill.ts';
import { createDashboardActivities } from './dashboard.ts';
import { createCheckActivities } from './checks.ts';
import { createExtractActivities } from './extract.ts';
import { startHeartbeat } from './heartbeat.ts';
import { createMaterializeActivities } from './materialize.ts';
import { createLogger } from '../logging/logger.ts';
import type { Resources } from '../resources/index.ts';

export function createActivities(resources: Resources) {
  const checks = createCheckActivities({
    warehouse: resources.warehouse,
    mapping: resources.mapping,
    odooUrl: resources.settings.odoo.url,
    alertWebhookUrl: resources.settings.alerts.webhookUrl,
    logger: createLogger(resources.settings.logLevel, { name: 'placement-checks' }),
  });

  return {
    ...createExtractActivities({
      lake: resources.lake,
      odoo: resources.odoo,
      mapping: resources.mapping,
      pageSize: resources.settings.odoo.pageSize,
      incrementMarginMinutes: resources.settings.odoo.incrementMarginMinutes,
      reconcileEveryDays: resources.settings.odoo.reconcileEveryDays,
      lang: resources.settings.odoo.lang,
    }),
    ...createBackfillActivities({
      lake: resources.lake,
      odoo: resources.odoo,
      mapping: resources.mapping,
      lang: resources.settings.odoo.lang,
    }),
    ...createMaterializeActivities({
      lake: resources.lake,
      warehouse: resources.warehouse,
      mapping: resources.mapping,
      odooUrl: resources.settings.odoo.url,
    }),
    ...createDashboardActivities({ warehouse: resources.warehouse, settings: resources.settings }),
    ...checks,
    // Check queries can outlast the heartbeat timeout on large tables.
    runAssetChecks: async (input: Parameters<typeof checks.runAssetChecks>[0]) => {
      const stopHeartbeat = startHeartbeat(() => ({ asset: input.assetKey }));
      try {
        return await checks.runAssetChecks(input);
      } finally {
        stopHeartbeat();
      }
    },
  };
}

export type PlacementActivities = ReturnType<typeof createActivities>;
