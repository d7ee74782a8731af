/** Lake key layout, shared by extraction and loading so both agree on where a source's files are. */

/** Folder of one source's extraction for one run date, e.g. `raw/odoo/crm_lead/run_date=2026-12-04`. */
export function runFolder(source: string, runDate: string): string {
  return `raw/odoo/${source}/run_date=${runDate}`;
}

/** Data file of one page, numbered from 0 so names are deterministic across retries. */
export function partKey(source: string, runDate: string, partIndex: number): string {
  return `${runFolder(source, runDate)}/part-${String(partIndex).padStart(5, '0')}.ndjson`;
}

/** Manifest written last: its presence marks the extraction of that run date as complete. */
export function manifestKey(source: string, runDate: string): string {
  return `${runFolder(source, runDate)}/_manifest.json`;
}

/** Manifest contents: which parts belong to the extraction and the Odoo field types seen. */
export type ExtractionManifest = {
  source: string;
  model: string;
  runDate: string;
  extractedAt: string;
  rows: number;
  parts: string[];
  /** Odoo field name to Odoo field type (char, many2one, integer, …) from fields_get. */
  fieldTypes: Record<string, string>;
  /** Full fields_get description of each extracted field (labels, selection pairs, relation). */
  fields?: Record<string, { type: string; string?: string; selection?: [string, string][]; relation?: string }>;
  maxId: number | null;
  maxWriteDate: string | null;
};

/** Folder of one backfill's pages: `raw/odoo/<source>/backfill=<id>`. */
export function backfillFolder(source: string, backfillId: string): string {
  return `raw/odoo/${source}/backfill=${backfillId}`;
}

/**
 * Page file of a backfill, named by its partition and the cursor it started after, so a page
 * read again after a crash replaces its own file instead of adding a second copy.
 */
export function backfillPageKey(source: string, backfillId: string, partition: number, afterId: number): string {
  const partitionName = `partition=${String(partition).padStart(5, '0')}`;
  return `${backfillFolder(source, backfillId)}/${partitionName}/page-after-${String(afterId).padStart(12, '0')}.ndjson`;
}

/** Durable checkpoint of the latest backfill of a source (partitions, cursors, status). */
export function backfillCheckpointKey(source: string): string {
  return `state/odoo/${source}/backfill.json`;
}

/** Record of one day's incremental extraction: when it started and which window it read. */
export function incrementRecordKey(source: string, runDate: string): string {
  return `state/odoo/${source}/increments/run_date=${runDate}.json`;
}

export function incrementRecordPrefix(source: string): string {
  return `state/odoo/${source}/increments/`;
}

/** Snapshot of every id still present in Odoo, used to mark records deleted since extraction. */
export function idSnapshotKey(source: string, runDate: string): string {
  return `raw/odoo/${source}/ids/run_date=${runDate}/ids.ndjson`;
}

export type IncrementRecord = {
  source: string;
  runDate: string;
  /** UTC instant the extraction started, ISO 8601; the next window starts from it minus the margin. */
  startedAt: string;
  /** Lower bound of `write_date` read (Odoo format, UTC), or null for a full extraction. */
  since: string | null;
  rows: number;
};
