/** Printing of a daily run as it progresses and once it has finished. */
import type { AssetSummary, DailyResult } from '../workflows/daily.ts';
import { formatTable } from './output.ts';

export function formatAssetLine(asset: AssetSummary): string {
  const rows = asset.rows === undefined ? '' : ` ${asset.rows} rows`;
  const duration = asset.durationMs === undefined ? '' : ` in ${(asset.durationMs / 1000).toFixed(1)} s`;
  const reason = asset.reason ? `: ${asset.reason}` : '';
  return `  ${asset.status.padEnd(9)} ${asset.asset}${rows}${duration}${reason}`;
}

/** Table of row counts per asset, extractions first. */
export function formatRunTable(summary: DailyResult): string {
  const extractionRows = summary.extractions.map((extraction): (string | number)[] => [
    'extract',
    extraction.source,
    extraction.reused ? 'reused' : 'succeeded',
    extraction.rows,
  ]);
  const assetRows = summary.assets.map((asset): (string | number)[] => [
    asset.layer,
    asset.asset,
    asset.status,
    asset.rows ?? '',
  ]);
  const table = formatTable(['layer', 'asset', 'status', 'rows'], [...extractionRows, ...assetRows]);
  const warnings = (summary.warnings ?? []).map((warning) => `warning: ${warning}`);
  return [table, ...warnings].join('\n');
}
