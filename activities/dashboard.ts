/**
 * Dashboard activity: publishes the serving snapshot the dashboard reads, at the end of every daily
 * run, succeeded or failed, so the dashboard shows the last run's outcome and the freshest data.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Settings } from '../config/settings.ts';
import { loadOdooMapping } from '../config/odoo-mapping.ts';
import { loadAssetGraph } from '../assets/graph.ts';
import { publishServingSnapshot, type PublishServingResult } from '../dashboard/serving/publish.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export type PublishServingInput = {
  runDate: string;
  runId: string;
  workflowId: string;
  status: 'succeeded' | 'failed';
};

export const PUBLISH_SERVING_FAILED = 'PublishServingFailed';

export function createDashboardActivities(deps: { warehouse: Warehouse; settings: Settings }) {
  const { warehouse, settings } = deps;
  return {
    async publishServing(input: PublishServingInput): Promise<PublishServingResult | { skipped: string }> {
      if (input.status !== 'succeeded' && input.status !== 'failed') {
        throw ApplicationFailure.nonRetryable(
          `invalid run status "${String(input.status)}" to publish: expected succeeded or failed`,
          PUBLISH_SERVING_FAILED,
        );
      }
      // NOTE: the dashboard reads a DuckDB snapshot only; on BigQuery the team reads the Looker
      // Studio table instead, so there is nothing to publish.
      if (warehouse.dialect.name !== 'duckdb') {
        return { skipped: `the dashboard snapshot is built from DuckDB only; the ${warehouse.dialect.name} warehouse is read directly` };
      }
      const graph = loadAssetGraph(loadOdooMapping(settings.odoo.mappingFile));
      const assets = graph.assets.map((asset) => ({ key: asset.key, layer: asset.layer, upstream: asset.upstream }));
      try {
        return await publishServingSnapshot({
          warehouse,
          servingPath: settings.dashboard.servingPath,
          runDate: input.runDate,
          runId: input.runId,
          workflowId: input.workflowId,
          status: input.status,
          assets,
        });
      } catch (error) {
        // A bad run date is the caller's mistake; anything else (disk, DuckDB) is worth a retry.
        const message = error instanceof Error ? error.message : String(error);
        if (message.startsWith('invalid run date')) throw ApplicationFailure.nonRetryable(message, PUBLISH_SERVING_FAILED);
        throw error;
      }
    },
  };
}
