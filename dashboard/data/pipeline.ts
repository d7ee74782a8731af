/** The asset graph with each asset's last materialisation and check status, for the pipeline page. */
import { ASSET_TABLE, CHECK_RESULT_TABLE, MATERIALIZATION_TABLE, RUN_TABLE } from '../serving/schema.ts';
import type { ServingSnapshot } from '../serving/snapshot.ts';
import { toInstant } from '../web/format.ts';

export const LAYER_ORDER = ['raw', 'staging', 'ods', 'dim', 'fact'];

export type PipelineAsset = {
  key: string;
  layer: string;
  upstream: string[];
  materializedAt?: Date;
  rows?: number;
  runId?: string;
  workflowId?: string;
  /** Worst status of the asset's checks in the latest check run: passed, warn or failed; undefined without checks. */
  checkStatus?: string;
};

export async function pipelineAssets(snapshot: ServingSnapshot): Promise<PipelineAsset[]> {
  const rows = await snapshot.query<Record<string, unknown>>(
    `with last_build as (
       select * from "${MATERIALIZATION_TABLE}"
       qualify row_number() over (partition by asset order by materialized_at desc) = 1
     ),
     latest_checks as (
       select * from "${CHECK_RESULT_TABLE}"
       where run_date = (select max(run_date) from "${CHECK_RESULT_TABLE}")
     ),
     check_status as (
       select asset,
         case when bool_or(lower(status) in ('failed', 'fail', 'error')) then 'failed'
              when bool_or(lower(status) in ('warn', 'warning')) then 'warn' else 'passed' end as status
       from latest_checks group by asset
     )
     select a.asset, a.layer, a.upstream, b.materialized_at, b.rows, b.run_id, b.run_date,
       (select any_value(r.workflow_id) from "${RUN_TABLE}" r where r.run_id = b.run_id) as workflow_id,
       c.status as check_status
     from "${ASSET_TABLE}" a
     left join last_build b on b.asset = a.asset
     left join check_status c on c.asset = a.asset
     order by a.asset`,
  );
  return rows.map((row) => ({
    key: String(row.asset),
    layer: String(row.layer),
    upstream: Array.isArray(row.upstream) ? row.upstream.map(String) : [],
    materializedAt: toInstant(row.materialized_at),
    rows: row.rows === null || row.rows === undefined ? undefined : Number(row.rows),
    runId: row.run_id ? String(row.run_id) : undefined,
    // The daily workflow's id is daily-<run date>; the run record gives it when it exists.
    workflowId: row.workflow_id ? String(row.workflow_id) : row.run_date ? `daily-${dateText(row.run_date)}` : undefined,
    checkStatus: row.check_status ? String(row.check_status) : undefined,
  }));
}

function dateText(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/** Columns of the drawing: each asset one column right of its deepest upstream, raw first. */
export function assetColumns(assets: PipelineAsset[]): PipelineAsset[][] {
  const depth = new Map<string, number>();
  const byKey = new Map(assets.map((asset) => [asset.key, asset]));
  const depthOf = (key: string, seen: Set<string>): number => {
    if (depth.has(key)) return depth.get(key)!;
    const asset = byKey.get(key);
    if (!asset || seen.has(key)) return 0;
    seen.add(key);
    const value = asset.upstream.length === 0 ? 0 : 1 + Math.max(...asset.upstream.map((up) => depthOf(up, seen)));
    depth.set(key, value);
    return value;
  };
  const columns: PipelineAsset[][] = [];
  for (const asset of assets) {
    const column = depthOf(asset.key, new Set());
    (columns[column] ??= []).push(asset);
  }
  return columns.map((column) =>
    (column ?? []).sort(
      (a, b) => LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer) || a.key.localeCompare(b.key),
    ),
  );
}
