/**
 * Backfill activities: plan the id partitions, read one page, and persist the checkpoint.
 *
 * A page is one Odoo request (`id > afterId AND id <= endId`, ordered by id) written to a lake
 * file named by its partition and cursor. A page read again after a crash overwrites its own
 * file, so the lake never contains the same page twice.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { findSource, type SourceDefinition } from '../assets/sources.ts';
import type { OdooMapping } from '../config/odoo-mapping.ts';
import type { Lake } from '../lake/lake.ts';
import { backfillCheckpointKey, backfillFolder, backfillPageKey } from '../lake/paths.ts';
import { OdooError } from '../odoo/errors.ts';
import { readContext } from './extract.ts';
import type { OdooClient } from '../odoo/types.ts';
import type { BackfillState } from '../workflows/backfill-state.ts';

export type BackfillDependencies = {
  lake: Lake;
  odoo: () => OdooClient | Promise<OdooClient>;
  mapping: OdooMapping;
  /** Odoo language for display names (`context.lang`). */
  lang?: string;
};

export type PlanBackfillInput = { source: string; backfillId: string; fromId: number };
export type PlanBackfillResult = { maxId: number; estimatedRows: number };

export type BackfillPageInput = {
  source: string;
  backfillId: string;
  partition: number;
  afterId: number;
  endId: number;
  pageSize: number;
};
export type BackfillPageResult = { rows: number; lastId: number; done: boolean };

/** Maximum interval between heartbeats while an Odoo request is in flight, in milliseconds. */
const MAX_HEARTBEAT_INTERVAL_MS = 5_000;

export function createBackfillActivities(deps: BackfillDependencies) {
  return {
    /** Reads the highest id and the row count to back-fill, and checks the field list once. */
    async planBackfill(input: PlanBackfillInput): Promise<PlanBackfillResult> {
      const source = resolveSource(deps.mapping, input.source);
      return withOdooFailures(async () => {
        const odoo = await deps.odoo();
        const fields = await odoo.fieldsGet(source.model, source.fields, ['type', 'string', 'selection', 'relation']);
        const missing = source.fields.filter((name) => name !== 'id' && !fields[name]);
        if (missing.length > 0) {
          throw ApplicationFailure.nonRetryable(
            `Odoo model ${source.model} has no field ${missing.join(', ')}; fix the field list of source ${source.name}`,
            'OdooUnknownFieldError',
          );
        }
        await deps.lake.writeJson(`${backfillFolder(source.name, input.backfillId)}/_fields.json`, fields);

        const [maxId = input.fromId] = await odoo.search(source.model, source.domain, {
          order: 'id desc',
          limit: 1,
          context: source.context,
        });
        const estimatedRows =
          maxId > input.fromId
            ? await odoo.searchCount(
                source.model,
                [...source.domain, ['id', '>', input.fromId], ['id', '<=', maxId]],
                source.context,
              )
            : 0;
        return { maxId, estimatedRows };
      });
    },

    async backfillPage(input: BackfillPageInput): Promise<BackfillPageResult> {
      const source = resolveSource(deps.mapping, input.source);
      const activity = currentActivity();
      const odoo = await withOdooFailures(async () => deps.odoo());

      // A page is one request: heartbeating while it is in flight tells Temporal the worker is
      // alive, so only a dead worker (not a slow Odoo) trips the heartbeat timeout.
      // Three beats per heartbeat timeout, so one delayed beat does not fail the attempt.
      const intervalMs = Math.min(MAX_HEARTBEAT_INTERVAL_MS, (activity?.info.heartbeatTimeoutMs ?? 15_000) / 3);
      const heartbeat = activity
        ? setInterval(() => activity.heartbeat({ afterId: input.afterId }), intervalMs)
        : undefined;
      try {
        const page = await withOdooFailures(() =>
          odoo.keysetPage({
            model: source.model,
            domain: [...source.domain, ['id', '<=', input.endId]],
            fields: source.fields,
            pageSize: input.pageSize,
            afterId: input.afterId,
            context: readContext(source, deps.lang),
            signal: activity?.cancellationSignal,
          }),
        );
        if (page.length > 0) {
          await deps.lake.writeNdjson(
            backfillPageKey(source.name, input.backfillId, input.partition, input.afterId),
            page,
          );
        }
        const lastId = page.length > 0 ? page[page.length - 1].id : input.afterId;
        activity?.heartbeat({ afterId: input.afterId, rows: page.length, lastId });
        return { rows: page.length, lastId, done: page.length < input.pageSize || lastId >= input.endId };
      } finally {
        clearInterval(heartbeat);
      }
    },

    /** Persists the checkpoint in the lake, where `start-backfill --resume` and the daily run read it. */
    async saveBackfillCheckpoint(state: BackfillState): Promise<void> {
      await deps.lake.writeJson(backfillCheckpointKey(state.source), state);
    },

    async readBackfillCheckpoint(input: { source: string }): Promise<BackfillState | null> {
      return (await deps.lake.readJson<BackfillState>(backfillCheckpointKey(input.source))) ?? null;
    },
  };
}

function resolveSource(mapping: OdooMapping, name: string): SourceDefinition {
  try {
    return findSource(mapping, name);
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'UnknownSource');
  }
}

function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Turns Odoo errors into ApplicationFailures that keep the error class and its retry flag. */
async function withOdooFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OdooError) {
      throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: !error.retryable });
    }
    throw error;
  }
}
