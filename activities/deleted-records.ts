/**
 * Removal of records deleted in Odoo from an incremental source's raw table.
 *
 * An incremental extraction reads only created and changed rows, so a row deleted in Odoo stays in
 * the lake. The latest snapshot of the ids still in Odoo (taken every few days) tells them apart:
 * an id at or below the snapshot's highest id that the snapshot lacks was deleted. Those rows are
 * listed in `raw_odoo_deleted_record` and removed from the raw table, so no downstream table shows
 * them; the lake keeps every file.
 */
import type { SourceDefinition } from '../assets/sources.ts';
import type { Lake } from '../lake/lake.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export const DELETED_RECORD_TABLE = 'raw_odoo_deleted_record';

/** Returns the raw table's row count after the removal, or undefined when no id snapshot exists yet. */
export async function removeDeletedRecords(
  lake: Lake,
  warehouse: Warehouse,
  source: SourceDefinition,
  runDate: string,
): Promise<number | undefined> {
  const snapshotKey = await latestIdSnapshot(lake, source.name, runDate);
  if (!snapshotKey) return undefined;

  const d = warehouse.dialect;
  const raw = d.table(source.rawTable);
  const snapshot = d.table(`${source.rawTable}_id_snapshot`);
  const deleted = d.table(DELETED_RECORD_TABLE);
  await warehouse.loadNdjson(`${source.rawTable}_id_snapshot`, [{ name: 'id', type: 'int64' }], [snapshotKey]);

  const deletedIds = `select distinct raw.id from ${raw} as raw
    where raw.id <= (select max(id) from ${snapshot})
      and raw.id not in (select id from ${snapshot})`;
  await warehouse.query(
    `create table if not exists ${deleted} (source ${d.type('string')}, id ${d.type('int64')}, detected_on ${d.type('date')})`,
  );
  await warehouse.query(`delete from ${deleted} where source = ${d.literal(source.name)}`);
  await warehouse.query(
    `insert into ${deleted} (source, id, detected_on) ` +
      `select ${d.literal(source.name)}, id, ${d.cast(d.literal(runDate), 'date')} from (${deletedIds}) as gone`,
  );
  await warehouse.query(
    `delete from ${raw} where id in (select id from ${deleted} where source = ${d.literal(source.name)})`,
  );
  const [{ remaining }] = await warehouse.query<{ remaining: number | bigint }>(`select count(*) as remaining from ${raw}`);
  return Number(remaining);
}

async function latestIdSnapshot(lake: Lake, source: string, runDate: string): Promise<string | undefined> {
  const keys = await lake.list(`raw/odoo/${source}/ids/`);
  return keys
    .filter((key) => key.endsWith('.ndjson'))
    .filter((key) => (/run_date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1] ?? '9999') <= runDate)
    .sort()
    .at(-1);
}
