/**
 * Extraction activity: copies one Odoo model into the raw lake for one run date.
 *
 * Rows are read by keyset pages (`id > last id`, ordered by id), and each page becomes one part
 * file `part-NNNNN.ndjson`. The manifest is written last, so its presence marks the extraction
 * complete. Only a small summary goes back through Temporal, never rows.
 *
 * Retries: after each page the activity heartbeats `{ afterId, partIndex, rows }`. A retried
 * attempt that finds such details resumes from them; part names are deterministic, so the parts
 * already written stay valid. A fresh attempt deletes the run folder first, so a shorter
 * re-extraction leaves no stale part behind.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { findSource, type SourceDefinition, type SourceName } from '../assets/sources.ts';
import type { OdooMapping } from '../config/odoo-mapping.ts';
import type { Lake } from '../lake/lake.ts';
import {
  backfillCheckpointKey,
  idSnapshotKey,
  incrementRecordKey,
  incrementRecordPrefix,
  manifestKey,
  partKey,
  runFolder,
  type ExtractionManifest,
  type IncrementRecord,
} from '../lake/paths.ts';
import type { BackfillState } from '../workflows/backfill-state.ts';
import { startHeartbeat } from './heartbeat.ts';
import { OdooError } from '../odoo/errors.ts';
import type { FieldDescription, OdooClient, OdooRecord } from '../odoo/types.ts';
import type { StructuredLogger } from '../odoo/xmlrpc-client.ts';

export type ExtractSourceInput = {
  source: SourceName;
  runDate: string /* YYYY-MM-DD */;
  /** Read every record, whatever the source's mode: a new baseline for an incremental source. */
  full?: boolean;
  /**
   * Return the run date's finished extraction instead of reading Odoo again, so a retried run
   * redoes only what failed. False re-reads Odoo.
   */
  reuse?: boolean;
};

export type ExtractSourceResult = {
  source: SourceName;
  model: string;
  rows: number;
  parts: number;
  manifestKey: string;
  maxId: number | null;
  maxWriteDate: string | null;
  durationMs: number;
  mode: 'snapshot' | 'incremental';
  /** Lower bound of the `write_date` window read, or null when every record was read. */
  since: string | null;
  /** False while the source's baseline (the backfill) has not completed: the table misses rows. */
  complete: boolean;
  /** Reason the source is incomplete, and the command that completes it. */
  note?: string;
  /** Ids in the snapshot taken to detect deletions, when one was taken this run. */
  idSnapshotRows?: number;
  /** True when the run date's earlier extraction was returned instead of reading Odoo. */
  reused?: boolean;
};

export type ExtractDependencies = {
  lake: Lake;
  /** Called once per attempt; may connect lazily. */
  odoo: () => OdooClient | Promise<OdooClient>;
  mapping: OdooMapping;
  /** Rows per Odoo request and per part file. */
  pageSize: number;
  /** Overlap between consecutive incremental windows, in minutes. */
  incrementMarginMinutes?: number;
  /** Days between two snapshots of the ids still in Odoo. */
  reconcileEveryDays?: number;
  /** Odoo language for display names (`context.lang`); without it Odoo returns English names. */
  lang?: string;
  logger?: StructuredLogger;
};

/** Part of a source one run reads: every record, or a `write_date` window. */
type ExtractionWindow = { since: string | null; complete: boolean; note?: string; skip?: boolean };

/** Ids per `search` request when taking the id snapshot. */
const ID_SNAPSHOT_PAGE = 50_000;

/** Progress recorded after each page; a retry resumes from it. */
type ExtractProgress = { afterId: number; partIndex: number; rows: number; maxWriteDate: string | null };

const FIELD_ATTRIBUTES = ['type', 'string', 'selection', 'relation'];

export function createExtractActivities(deps: ExtractDependencies) {
  return {
    async extractSource(input: ExtractSourceInput): Promise<ExtractSourceResult> {
      try {
        return await extractSource(deps, input);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  };
}

async function extractSource(deps: ExtractDependencies, input: ExtractSourceInput): Promise<ExtractSourceResult> {
  const startedAt = Date.now();
  const source = resolveSource(deps.mapping, input.source);
  validateRunDate(input.runDate);
  if (!Number.isInteger(deps.pageSize) || deps.pageSize <= 0) {
    throw ApplicationFailure.create({
      type: 'InvalidPageSize',
      nonRetryable: true,
      message: `page size must be a positive whole number, got ${deps.pageSize}; fix ODOO_PAGE_SIZE`,
    });
  }

  if (input.reuse) {
    const earlier = await deps.lake.readJson<ExtractionManifest>(manifestKey(source.name, input.runDate));
    // An extraction made before a mapping change lacks the new fields: read Odoo again.
    const hasEveryField = earlier && source.fields.every((field) => field in earlier.fieldTypes);
    if (earlier && hasEveryField) return reusedResult(source, earlier, startedAt);
  }

  const activity = currentActivity();
  const folder = runFolder(source.name, input.runDate);
  const odoo = await deps.odoo();
  const fields = await describeFields(odoo, source, deps.mapping);
  const window: ExtractionWindow = input.full
    ? { since: null, complete: true }
    : await extractionWindow(deps, source, input.runDate);
  const domain = window.since ? [...source.domain, ['write_date', '>=', window.since] as [string, string, unknown]] : source.domain;

  let progress = await resumableProgress(deps.lake, source, input.runDate, activity?.info.heartbeatDetails);
  if (progress) {
    deps.logger?.info({ source: source.name, runDate: input.runDate, ...progress }, 'resuming extraction from heartbeat');
  } else {
    const deleted = await deps.lake.deletePrefix(`${folder}/`);
    if (deleted > 0) deps.logger?.info({ source: source.name, runDate: input.runDate, deleted }, 'cleared previous extraction');
    progress = { afterId: 0, partIndex: 0, rows: 0, maxWriteDate: null };
  }

  // Between pages, a timer re-sends the latest progress, so a slow Odoo request does not look
  // like a dead worker.
  const stopHeartbeat = startHeartbeat(() => progress);
  try {
    while (!window.skip) {
      const page = await odoo.keysetPage({
        model: source.model,
        domain,
        fields: source.fields,
        pageSize: deps.pageSize,
        afterId: progress.afterId,
        context: readContext(source, deps.lang),
        signal: activity?.cancellationSignal,
      });
      if (page.length === 0) break;

      const lastId = lastIdOf(page, progress.afterId, source.model);
      await deps.lake.writeNdjson(partKey(source.name, input.runDate, progress.partIndex), page);
      progress = {
        afterId: lastId,
        partIndex: progress.partIndex + 1,
        rows: progress.rows + page.length,
        maxWriteDate: maxWriteDate(page, progress.maxWriteDate),
      };
      activity?.heartbeat(progress);
      deps.logger?.debug({ source: source.name, ...progress }, 'extracted page');

      // Keyset pages are full until the last one.
      if (page.length < deps.pageSize) break;
    }
  } finally {
    stopHeartbeat();
  }

  const parts = Array.from({ length: progress.partIndex }, (_, index) => partKey(source.name, input.runDate, index));
  const manifest: ExtractionManifest = {
    source: source.name,
    model: source.model,
    runDate: input.runDate,
    extractedAt: new Date().toISOString(),
    rows: progress.rows,
    parts,
    fieldTypes: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.type])),
    fields,
    maxId: progress.rows > 0 ? progress.afterId : null,
    maxWriteDate: progress.maxWriteDate,
  };
  const manifestObjectKey = manifestKey(source.name, input.runDate);
  await deps.lake.writeJson(manifestObjectKey, manifest);

  if (source.mode.kind === 'incremental' && !window.skip) {
    const record: IncrementRecord = {
      source: source.name,
      runDate: input.runDate,
      startedAt: new Date(startedAt).toISOString(),
      since: window.since,
      rows: progress.rows,
    };
    await deps.lake.writeJson(incrementRecordKey(source.name, input.runDate), record);
  }
  let idSnapshotRows: number | undefined;
  if (source.mode.kind === 'incremental' && window.since === null && !window.skip) {
    // A full read is itself the list of ids still in Odoo.
    idSnapshotRows = await snapshotIdsFromParts(deps.lake, source, parts, input.runDate);
  } else if (source.mode.kind === 'incremental' && window.complete) {
    idSnapshotRows = await snapshotIdsWhenDue(deps, odoo, source, input.runDate);
  }

  const result: ExtractSourceResult = {
    source: source.name,
    model: source.model,
    rows: progress.rows,
    parts: parts.length,
    manifestKey: manifestObjectKey,
    maxId: manifest.maxId,
    maxWriteDate: manifest.maxWriteDate,
    durationMs: Date.now() - startedAt,
    mode: source.mode.kind,
    since: window.since,
    complete: window.complete,
    ...(window.note ? { note: window.note } : {}),
    ...(idSnapshotRows !== undefined ? { idSnapshotRows } : {}),
  };
  deps.logger?.info({ ...result }, 'extraction complete');
  return result;
}

/**
 * Decides what this run reads. Odoo stamps every row of a transaction with the transaction's
 * start and returns `write_date` to the second, so a `(write_date, id)` keyset can loop or skip,
 * and updated rows keep their old ids. The safe window is `write_date >= previous run start −
 * margin`, paged by id, with staging keeping the latest version of each id.
 */
async function extractionWindow(
  deps: ExtractDependencies,
  source: SourceDefinition,
  runDate: string,
): Promise<ExtractionWindow> {
  if (source.mode.kind === 'snapshot') return { since: null, complete: true };

  const marginMs = (deps.incrementMarginMinutes ?? 60) * 60_000;
  const previous = await previousIncrement(deps.lake, source.name, runDate);

  if (source.mode.baseline === 'full') {
    if (!previous) return { since: null, complete: true };
    return { since: odooDatetime(Date.parse(previous.startedAt) - marginMs), complete: true };
  }

  const backfill = await deps.lake.readJson<BackfillState>(backfillCheckpointKey(source.name));
  const complete = backfill?.status === 'completed';
  const note = complete
    ? undefined
    : backfill
      ? `the backfill of ${source.name} is ${backfill.status}, so its table misses older rows; finish it with \`placement start-backfill --resume\``
      : `no backfill of ${source.name} has run, so its table misses older rows; run \`placement start-backfill\``;

  if (previous) return { since: odooDatetime(Date.parse(previous.startedAt) - marginMs), complete, note };
  if (backfill) return { since: odooDatetime(Date.parse(backfill.startedAt) - marginMs), complete, note };
  return { since: null, complete: false, note, skip: true };
}

/** Latest incremental extraction of a run date before `runDate`, so re-running a date reads the same window. */
async function previousIncrement(lake: Lake, source: string, runDate: string): Promise<IncrementRecord | undefined> {
  const keys = await lake.list(incrementRecordPrefix(source));
  const earlier = keys
    .map((key) => ({ key, date: /run_date=(\d{4}-\d{2}-\d{2})\.json$/.exec(key)?.[1] }))
    .filter((entry): entry is { key: string; date: string } => entry.date !== undefined && entry.date < runDate)
    .sort((a, b) => a.date.localeCompare(b.date));
  const latest = earlier.at(-1);
  return latest ? lake.readJson<IncrementRecord>(latest.key) : undefined;
}

/**
 * Writes every id still in Odoo when the last snapshot is older than `reconcileEveryDays`, so
 * staging can mark as deleted the ids the lake contains but Odoo no longer has. Returns the id
 * count, or undefined when no snapshot was due.
 */
async function snapshotIdsWhenDue(
  deps: ExtractDependencies,
  odoo: OdooClient,
  source: SourceDefinition,
  runDate: string,
): Promise<number | undefined> {
  const prefix = `raw/odoo/${source.name}/ids/`;
  const dates = (await deps.lake.list(prefix))
    .map((key) => /run_date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1])
    .filter((date): date is string => date !== undefined && date < runDate);
  const latest = dates.sort().at(-1);
  const everyDays = deps.reconcileEveryDays ?? 7;
  if (latest && Date.parse(runDate) - Date.parse(latest) < everyDays * 86_400_000) return undefined;

  const ids: { id: number }[] = [];
  for (let afterId = 0; ; ) {
    const page = await odoo.search(source.model, [...source.domain, ['id', '>', afterId]], {
      order: 'id asc',
      limit: ID_SNAPSHOT_PAGE,
      context: readContext(source, deps.lang),
    });
    for (const id of page) ids.push({ id });
    if (page.length < ID_SNAPSHOT_PAGE) break;
    afterId = page[page.length - 1];
    currentActivity()?.heartbeat({ idSnapshotAfter: afterId });
  }
  await deps.lake.writeNdjson(idSnapshotKey(source.name, runDate), ids);
  return ids.length;
}

async function snapshotIdsFromParts(
  lake: Lake,
  source: SourceDefinition,
  parts: string[],
  runDate: string,
): Promise<number> {
  const ids: { id: number }[] = [];
  for (const key of parts) {
    for await (const row of lake.readNdjson(key)) ids.push({ id: (row as OdooRecord).id });
  }
  await lake.writeNdjson(idSnapshotKey(source.name, runDate), ids);
  return ids.length;
}

/** Returns the source's context with the display language, unless the source sets its own. */
export function readContext(source: SourceDefinition, lang: string | undefined): Record<string, unknown> {
  return lang ? { lang, ...source.context } : source.context;
}

/** Formats an instant as Odoo's `YYYY-MM-DD HH:MM:SS` UTC. */
function odooDatetime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

function reusedResult(source: SourceDefinition, manifest: ExtractionManifest, startedAt: number): ExtractSourceResult {
  return {
    source: source.name,
    model: source.model,
    rows: manifest.rows,
    parts: manifest.parts.length,
    manifestKey: manifestKey(source.name, manifest.runDate),
    maxId: manifest.maxId,
    maxWriteDate: manifest.maxWriteDate,
    durationMs: Date.now() - startedAt,
    mode: source.mode.kind,
    since: null,
    complete: true,
    reused: true,
  };
}

function resolveSource(mapping: OdooMapping, name: string): SourceDefinition {
  try {
    return findSource(mapping, name);
  } catch (error) {
    throw ApplicationFailure.create({ type: 'UnknownSource', nonRetryable: true, message: (error as Error).message });
  }
}

function validateRunDate(runDate: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(runDate));
  const valid = match !== null && new Date(`${runDate}T00:00:00Z`).toISOString().startsWith(runDate);
  if (!valid) {
    throw ApplicationFailure.create({
      type: 'InvalidRunDate',
      nonRetryable: true,
      message: `invalid runDate ${JSON.stringify(runDate)}: expected a calendar date as YYYY-MM-DD, e.g. 2026-12-04`,
    });
  }
}

/** Returns the Temporal activity context, or undefined when called outside an activity (tests, scripts). */
function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Reads the requested fields' descriptions and fails without retry when one is missing: Odoo
 * silently ignores unknown names in fields_get, but search_read would fail on every attempt.
 */
async function describeFields(
  odoo: OdooClient,
  source: SourceDefinition,
  mapping: OdooMapping,
): Promise<Record<string, FieldDescription>> {
  const described = await odoo.fieldsGet(source.model, source.fields, FIELD_ATTRIBUTES);
  const fields: Record<string, FieldDescription> = {};
  const missing: string[] = [];
  for (const name of source.fields) {
    // Odoo lists `id` in fields_get, but an Odoo-compatible server may not.
    let description = described[name];
    if (!description && name === 'id') description = { type: 'integer', string: 'ID' };
    if (description) fields[name] = pickAttributes(description);
    else missing.push(name);
  }
  if (missing.length === 0) return fields;

  const fromMapping = missing.filter((name) => Object.values(mapping.leadFields).includes(name));
  const fix =
    fromMapping.length > 0
      ? `Fix the field name${fromMapping.length > 1 ? 's' : ''} in config/odoo-mapping.yaml (crm_lead.fields) to match the technical names in Odoo (Settings > Technical > Fields)`
      : `Fix config/odoo-mapping.yaml or the field list of source ${source.name} in assets/sources.ts`;
  throw ApplicationFailure.create({
    type: 'OdooUnknownFieldError',
    nonRetryable: true,
    message: `Odoo model ${source.model} has no field ${missing.map((name) => `"${name}"`).join(', ')} (requested by source ${source.name}). ${fix}.`,
    details: [{ model: source.model, missingFields: missing }],
  });
}

function pickAttributes(description: FieldDescription): FieldDescription {
  const picked: FieldDescription = { type: description.type };
  if (description.string !== undefined) picked.string = description.string;
  if (description.selection !== undefined) picked.selection = description.selection;
  if (description.relation !== undefined) picked.relation = description.relation;
  return picked;
}

function isProgress(value: unknown): value is ExtractProgress {
  const progress = value as ExtractProgress;
  return (
    typeof progress === 'object' &&
    progress !== null &&
    Number.isInteger(progress.afterId) &&
    Number.isInteger(progress.partIndex) &&
    Number.isInteger(progress.rows) &&
    progress.partIndex > 0
  );
}

/**
 * Returns the heartbeat progress to resume from, or undefined to start over. Resuming needs
 * every part the progress counts. Temporal throttles heartbeats, so parts may exist beyond the
 * recorded progress: they are deleted, because a re-read that ends earlier would leave them behind.
 */
async function resumableProgress(
  lake: Lake,
  source: SourceDefinition,
  runDate: string,
  details: unknown,
): Promise<ExtractProgress | undefined> {
  if (!isProgress(details)) return undefined;
  const progress: ExtractProgress = { ...details, maxWriteDate: details.maxWriteDate ?? null };

  const existing = new Set(await lake.list(`${runFolder(source.name, runDate)}/`));
  for (let index = 0; index < progress.partIndex; index++) {
    if (!existing.has(partKey(source.name, runDate, index))) return undefined;
  }
  for (const key of existing) {
    const partIndex = /part-(\d+)\.ndjson$/.exec(key);
    if (partIndex && Number(partIndex[1]) >= progress.partIndex) await lake.deletePrefix(key);
  }
  await lake.deletePrefix(manifestKey(source.name, runDate));
  return progress;
}

/** Id of the page's last row; must move forward or paging would never end. */
function lastIdOf(page: OdooRecord[], afterId: number, model: string): number {
  const lastId = page[page.length - 1].id;
  if (!Number.isInteger(lastId) || lastId <= afterId) {
    throw ApplicationFailure.create({
      type: 'OdooPagingError',
      nonRetryable: true,
      message: `${model} returned id ${JSON.stringify(lastId)} after id ${afterId}; keyset paging needs increasing integer ids`,
    });
  }
  return lastId;
}

/** Odoo datetimes are `YYYY-MM-DD HH:MM:SS` strings, so string order is time order. */
function maxWriteDate(page: OdooRecord[], current: string | null): string | null {
  let max = current;
  for (const row of page) {
    const value = row.write_date;
    if (typeof value === 'string' && (max === null || value > max)) max = value;
  }
  return max;
}

/** Temporal boundary: Odoo errors become ApplicationFailures that keep their class name and retry flag. */
function toActivityFailure(error: unknown): unknown {
  if (error instanceof OdooError) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nonRetryable: !error.retryable,
      details: [{ code: error.code, model: error.model, method: error.method }],
    });
  }
  return error;
}
