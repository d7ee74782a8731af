/**
 * `placement status`: what ran, what failed, how fresh each asset is, the survey watermark and
 * any backfill in progress, in one screen.
 */
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { incrementRecordPrefix, type IncrementRecord } from '../../lake/paths.ts';
import { openResources } from '../../resources/index.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { backfillProgress } from '../../workflows/backfill-state.ts';
import { BACKFILL_SOURCE, readCheckpoint, runningBackfill } from '../backfill-run.ts';
import { formatKeyValues, formatTable } from '../output.ts';
import { connectTemporal, workflowUrl } from '../temporal.ts';

type RunLine = { workflowId: string; status: string; startedAt: string; closedAt: string | null };
type AssetLine = { asset: string; layer: string; rows: number; materializedAt: string; ageHours: number; checks: string };

export type StatusReport = {
  runs: RunLine[];
  assets: AssetLine[];
  surveyWatermark: { lastRunDate: string; since: string | null; startedAt: string } | null;
  backfill: ReturnType<typeof backfillProgress> | null;
};

export const statusCommand = new Command('status')
  .description('print the last runs, each asset’s last materialisation and checks, the survey watermark and the backfill')
  .option('--json', 'print the report as JSON')
  .option('--runs <count>', 'number of recent daily runs to list', (value) => Number.parseInt(value, 10), 5)
  .action(async (options: { json?: boolean; runs: number }) => {
    const settings = loadSettings();
    // In the embedded setup the run history lives in the dev server's file: start it to read it.
    const temporal = await connectTemporal(settings, { startDevServer: true });
    // A run holds the file only for one statement at a time; a longer wait means a stuck process.
    const resources = await openResources(settings, { warehouseLockTimeoutMs: 20_000 });
    try {
      const report = await collectStatus(temporal.client, settings, resources.warehouse, resources.lake, options.runs);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${printStatus(report, settings)}\n`);
    } finally {
      await resources.close();
      await temporal.close();
    }
  });

export async function collectStatus(
  client: Client,
  settings: Settings,
  warehouse: Warehouse,
  lake: import('../../lake/lake.ts').Lake,
  runCount: number,
): Promise<StatusReport> {
  const runs: RunLine[] = [];
  const query = `WorkflowType = 'dailyWorkflow' AND TaskQueue = '${settings.temporal.taskQueue}'`;
  for await (const execution of client.workflow.list({ query })) {
    runs.push({
      workflowId: execution.workflowId,
      status: execution.status.name,
      startedAt: execution.startTime.toISOString(),
      closedAt: execution.closeTime?.toISOString() ?? null,
    });
    if (runs.length >= runCount) break;
  }

  const running = await runningBackfill(client, BACKFILL_SOURCE);
  const checkpoint = running ? undefined : await readCheckpoint(lake, BACKFILL_SOURCE);
  const backfill = running ?? (checkpoint ? backfillProgress(checkpoint) : null);

  return { runs, assets: await assetFreshness(warehouse), surveyWatermark: await surveyWatermark(lake), backfill };
}

async function assetFreshness(warehouse: Warehouse): Promise<AssetLine[]> {
  if (!(await warehouse.tableExists('placement_materialization'))) return [];
  const d = warehouse.dialect;
  const latest = await warehouse.query<{ asset: string; layer: string; rows: number; materialized_at: unknown; run_date: unknown }>(
    `select asset, layer, rows, materialized_at, run_date from (
       select *, row_number() over (partition by asset order by materialized_at desc) as recency
       from ${d.table('placement_materialization')}
     ) as ranked where recency = 1 order by asset`,
  );
  const checks = (await warehouse.tableExists('placement_check_result'))
    ? await warehouse.query<{ asset: string; status: string; severity: string; checks: number }>(
        `select asset, status, severity, count(*) as checks from ${d.table('placement_check_result')} as result
         where run_id = (select run_id from ${d.table('placement_check_result')} order by checked_at desc limit 1)
         group by asset, status, severity`,
      )
    : [];

  return latest.map((row) => {
    const materializedAt = toUtcDate(row.materialized_at);
    const mine = checks.filter((check) => check.asset === row.asset);
    const count = (status: string, severity?: string) =>
      mine.filter((check) => check.status === status && (!severity || check.severity === severity)).reduce((sum, check) => sum + Number(check.checks), 0);
    const failedErrors = count('failed', 'error');
    const warnings = count('failed', 'warn');
    const passed = count('passed');
    const checkText = mine.length === 0 ? '-' : failedErrors > 0 ? `${failedErrors} error(s)` : warnings > 0 ? `${warnings} warning(s)` : `${passed} passed`;
    return {
      asset: row.asset,
      layer: row.layer,
      rows: Number(row.rows),
      materializedAt: materializedAt.toISOString(),
      ageHours: Math.round((Date.now() - materializedAt.getTime()) / 360_000) / 10,
      checks: checkText,
    };
  });
}

/** Reads a warehouse timestamp (UTC by convention): a Date from DuckDB, text from BigQuery. */
function toUtcDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value).replace(' ', 'T');
  return new Date(/Z|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

async function surveyWatermark(lake: import('../../lake/lake.ts').Lake): Promise<StatusReport['surveyWatermark']> {
  const keys = (await lake.list(incrementRecordPrefix(BACKFILL_SOURCE))).sort();
  const latest = keys.at(-1);
  if (!latest) return null;
  const record = await lake.readJson<IncrementRecord>(latest);
  return record ? { lastRunDate: record.runDate, since: record.since, startedAt: record.startedAt } : null;
}

function printStatus(report: StatusReport, settings: Settings): string {
  const sections: string[] = [];

  sections.push('Recent daily runs');
  sections.push(
    report.runs.length === 0
      ? '  none yet: start one with `placement run-daily` or `placement schedule create`'
      : formatTable(
          ['run', 'status', 'started', 'link'],
          report.runs.map((run) => [run.workflowId, run.status, run.startedAt, workflowUrl(settings, run.workflowId)]),
        ),
  );

  sections.push('\nAssets (last materialisation, checks of the latest checked run)');
  sections.push(
    report.assets.length === 0
      ? '  no asset materialised yet'
      : formatTable(
          ['asset', 'layer', 'rows', 'materialised (UTC)', 'age (h)', 'checks'],
          report.assets.map((asset) => [asset.asset, asset.layer, asset.rows, asset.materializedAt, String(asset.ageHours), asset.checks]),
        ),
  );

  const watermark = report.surveyWatermark;
  const backfill = report.backfill;
  sections.push(
    `\n${formatKeyValues([
      [
        'survey watermark',
        watermark
          ? `run ${watermark.lastRunDate} read changes since ${watermark.since ?? 'the beginning'} UTC (started ${watermark.startedAt})`
          : 'no daily increment yet',
      ],
      ['survey backfill', backfill ? `${backfill.backfillId} ${backfill.status}, ${backfill.percent}% (${backfill.rowsDone} rows)` : 'none yet'],
    ])}`,
  );
  return sections.join('\n');
}
