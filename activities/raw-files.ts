/**
 * Which lake files make up a raw table for one run date.
 *
 * A snapshot source's table is that day's extraction. An incremental source's table is its
 * baseline (every backfill's pages, or the first full extraction) plus every increment up to the
 * run date; staging keeps the latest version of each id, so overlapping windows are harmless.
 */
import type { SourceDefinition } from '../assets/sources.ts';
import type { Lake } from '../lake/lake.ts';
import { manifestKey, type ExtractionManifest } from '../lake/paths.ts';

export async function rawLakeKeys(
  lake: Lake,
  source: SourceDefinition,
  runDate: string,
  manifest: ExtractionManifest,
): Promise<string[]> {
  if (source.mode.kind === 'snapshot') return manifest.parts;

  const keys: string[] = [];
  if (source.mode.baseline === 'backfill') {
    // Every backfill's pages, not only the latest one's: a partial or narrower backfill (a later
    // `--from-id`, one cancelled midway) must not hide the rows an earlier one copied. Staging
    // keeps the latest version of each id.
    const pages = await lake.list(`raw/odoo/${source.name}/backfill=`);
    keys.push(...pages.filter((key) => key.endsWith('.ndjson')));
  }

  for (const date of await extractedRunDates(lake, source.name)) {
    if (date > runDate) continue;
    // Only complete extractions count: the manifest is written last.
    const earlier = date === runDate ? manifest : await lake.readJson<ExtractionManifest>(manifestKey(source.name, date));
    if (earlier) keys.push(...earlier.parts);
  }
  return keys;
}

async function extractedRunDates(lake: Lake, source: string): Promise<string[]> {
  const dates = new Set<string>();
  for (const key of await lake.list(`raw/odoo/${source}/run_date=`)) {
    const date = /run_date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
    if (date) dates.add(date);
  }
  return [...dates].sort();
}
