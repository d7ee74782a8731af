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
