/**
 * The demo Odoo's data: one DuckDB table per model, searched and read with Odoo 18's semantics.
 *
 * Every operation runs alone (a promise queue), because one DuckDB connection is not meant for
 * concurrent statements. Writes stamp create_date/write_date with one timestamp per call, like an
 * Odoo transaction does.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { columnType, schemaStatements } from './ddl.ts';
import { transactionTimestamp } from './datetime-values.ts';
import { compileDomain } from './domain.ts';
import { missingError, serverError, userError, valueError } from './faults.ts';
import { fieldsDescription, type FieldsGetOptions } from './fields-get.ts';
import { findField, findModel } from './models.ts';
import { orderBySql, parseOrder } from './order.ts';
import { fieldSelectExpressions, toRpcValue } from './record-values.ts';
import type { RpcValue } from './rpc-values.ts';
import type { FieldSpec, ModelSpec } from './schema-types.ts';
import { placeholders, quoteIdentifier, type SqlParam } from './sql-fragment.ts';
import { toColumnValues, type ColumnValues } from './write-values.ts';

export type SearchOptions = {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
  context?: Record<string, unknown>;
};

export type ReadOptions = {
  /** Field names; empty or missing means every field, `datas` and `raw` included, as in Odoo. */
  fields?: unknown;
  /** Odoo's `load`: anything but `_classic_read` returns many2one as bare ids. */
  load?: unknown;
};

export type RpcRecord = Record<string, RpcValue>;

/** The uid stamped in create_uid/write_uid when a caller gives none: the administrator. */
export const adminUid = 2;

export class DemoOdooStore {
  readonly path: string | undefined;
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, storePath: string | undefined) {
    this.instance = instance;
    this.connection = connection;
    this.path = storePath;
  }

  /** Opens (creating if needed) the store in a DuckDB file, or in memory when no path is given. */
  static async open(storePath?: string): Promise<DemoOdooStore> {
    if (storePath) await mkdir(path.dirname(storePath), { recursive: true });
    const instance = await DuckDBInstance.create(storePath ?? ':memory:');
    const connection = await instance.connect();
    const store = new DemoOdooStore(instance, connection, storePath);
    for (const statement of schemaStatements()) await connection.run(statement);
    return store;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Runs `work` once every earlier operation has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Raw SQL for the generator and tests; values are bound parameters. */
  async query(sqlText: string, params: SqlParam[] = []): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sqlText, params as DuckDBValue[]);
    return reader.getRowsJS() as unknown[][];
  }

  get duckdb(): DuckDBConnection {
    return this.connection;
  }

  // ---- meta -------------------------------------------------------------------------------

  async getMeta(key: string): Promise<string | undefined> {
    const rows = await this.query('SELECT "value" FROM "demo_meta" WHERE "key" = ?', [key]);
    return rows.length > 0 ? String(rows[0][0]) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.query('INSERT OR REPLACE INTO "demo_meta" VALUES (?, ?)', [key, value]);
  }

  // ---- reads --------------------------------------------------------------------------------

  search(modelName: string, domain: unknown, options: SearchOptions = {}): Promise<number[]> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const page = pageQuery(model, domain, options);
      const rows = await this.query(`SELECT t."id" FROM ${quoteIdentifier(model.table)} t ${page.sql}`, page.params);
      return rows.map((row) => Number(row[0]));
    });
  }

  searchRead(modelName: string, domain: unknown, options: SearchOptions & ReadOptions = {}): Promise<RpcRecord[]> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const fields = resolveFields(model, options.fields);
      const page = pageQuery(model, domain, options);
      const select = selectList(model, fields, 'p');
      const order = orderBySql(parseOrder(model, options.order), 'p');
      const sqlText =
        `WITH page AS MATERIALIZED (SELECT t.* FROM ${quoteIdentifier(model.table)} t ${page.sql}) ` +
        `SELECT ${select} FROM page p ORDER BY ${order}`;
      const rows = await this.query(sqlText, page.params);
      return rows.map((row) => toRecord(fields, row, loadsDisplayNames(options.load)));
    });
  }

  /** Records by id in the order asked, archived ones included; missing ids are dropped. */
  read(modelName: string, ids: unknown, options: ReadOptions = {}): Promise<RpcRecord[]> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const fields = resolveFields(model, options.fields);
      const wanted = [...new Set(idList(ids))];
      if (wanted.length === 0) return [];
      const deleted = model.keepsDeletedRows ? ' AND NOT p."_deleted"' : '';
      const sqlText =
        `SELECT ${selectList(model, fields, 'p')} FROM ${quoteIdentifier(model.table)} p ` +
        `WHERE p."id" IN (${placeholders(wanted.length)})${deleted}`;
      const rows = await this.query(sqlText, wanted);
      const byId = new Map(rows.map((row) => [Number(row[0]), row]));
      return wanted.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toRecord(fields, row, loadsDisplayNames(options.load))] : [];
      });
    });
  }

  searchCount(modelName: string, domain: unknown, context: Record<string, unknown> = {}): Promise<number> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const where = compileDomain(model, domain, 't', { activeTest: context.active_test !== false });
      const rows = await this.query(`SELECT count(*) FROM ${quoteIdentifier(model.table)} t WHERE ${where.sql}`, where.params);
      return Number(rows[0][0]);
    });
  }

  /** Number of rows of `model`; with `activeTest` (the default) archived rows are left out. */
  count(modelName: string, activeTest = true): Promise<number> {
    return this.searchCount(modelName, [], { active_test: activeTest });
  }

  fieldsGet(modelName: string, options: FieldsGetOptions = {}): Record<string, RpcRecord> {
    return fieldsDescription(requireModel(modelName), options);
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Creates rows in one transaction; they share one create_date/write_date. Returns their ids. */
  createRecords(modelName: string, rows: Record<string, unknown>[], uid = adminUid): Promise<number[]> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const columnRows = rows.map((row) => withDefaults(model, toColumnValues(model, row)));
      if (columnRows.length === 0) return [];
      const stamp = transactionTimestamp();
      return this.transaction(async () => {
        const firstId = (await this.lastId(model)) + 1;
        const ids = columnRows.map((_, index) => firstId + index);
        for (const [index, columns] of columnRows.entries()) {
          columns.set('id', ids[index]);
          columns.set('create_date', stamp);
          columns.set('write_date', stamp);
          columns.set('create_uid', uid);
          columns.set('write_uid', uid);
          await this.insertRow(model, columns);
        }
        await this.setMeta(`last_id.${model.table}`, String(ids[ids.length - 1]));
        await this.deriveColumns(model, ids);
        return ids;
      });
    });
  }

  /** Updates rows in one transaction, stamping one write_date; ids never change. */
  writeRecords(modelName: string, ids: unknown, values: Record<string, unknown>, uid = adminUid): Promise<void> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const wanted = [...new Set(idList(ids))];
      const columns = toColumnValues(model, values);
      if (wanted.length === 0) return;
      await this.requireExisting(model, wanted, uid);
      columns.set('write_date', transactionTimestamp());
      columns.set('write_uid', uid);
      const assignments = [...columns.keys()].map(
        (name) => `${quoteIdentifier(name)} = CAST(? AS ${columnType(requireField(model, name))})`,
      );
      await this.transaction(async () => {
        await this.query(
          `UPDATE ${quoteIdentifier(model.table)} SET ${assignments.join(', ')} WHERE "id" IN (${placeholders(wanted.length)})`,
          [...columns.values(), ...wanted],
        );
        await this.deriveColumns(model, wanted);
      });
    });
  }

  deleteRecords(modelName: string, ids: unknown): Promise<void> {
    return this.exclusive(async () => {
      const model = requireModel(modelName);
      const wanted = [...new Set(idList(ids))];
      if (wanted.length === 0) return;
      await this.query(`DELETE FROM ${quoteIdentifier(model.table)} WHERE "id" IN (${placeholders(wanted.length)})`, wanted);
    });
  }

  /** Returns the highest id ever handed out for `model`, so ids are never reused, as with PostgreSQL sequences. */
  async lastId(model: ModelSpec): Promise<number> {
    const recorded = Number((await this.getMeta(`last_id.${model.table}`)) ?? 0);
    const rows = await this.query(`SELECT coalesce(max("id"), 0) FROM ${quoteIdentifier(model.table)}`);
    return Math.max(recorded, Number(rows[0][0]));
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  private async insertRow(model: ModelSpec, columns: ColumnValues): Promise<void> {
    const names = [...columns.keys()];
    const values = names.map((name) => `CAST(? AS ${columnType(requireField(model, name))})`);
    await this.query(
      `INSERT INTO ${quoteIdentifier(model.table)} (${names.map(quoteIdentifier).join(', ')}) VALUES (${values.join(', ')})`,
      [...columns.values()],
    );
  }

  private async requireExisting(model: ModelSpec, ids: number[], uid: number): Promise<void> {
    const deleted = model.keepsDeletedRows ? ' AND NOT "_deleted"' : '';
    const rows = await this.query(
      `SELECT "id" FROM ${quoteIdentifier(model.table)} WHERE "id" IN (${placeholders(ids.length)})${deleted}`,
      ids,
    );
    const found = new Set(rows.map((row) => Number(row[0])));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      // Odoo writes this message in the user's language, and the demo's admin is French.
      throw missingError(
        `L'enregistrement n'existe pas ou a été supprimé.\n(Enregistrement : ${model.name}(${missing.join(', ')},), Utilisateur : ${uid})`,
      );
    }
  }

  /** Related fields Odoo stores on answer lines, kept in step with the question they point to. */
  private async deriveColumns(model: ModelSpec, ids: number[]): Promise<void> {
    if (model.name !== 'survey.user_input.line') return;
    await this.query(
      `UPDATE "survey_user_input_line" AS l SET "survey_id" = q."survey_id", "question_sequence" = q."sequence", "page_id" = q."page_id"
       FROM "survey_question" q WHERE q."id" = l."question_id" AND l."id" IN (${placeholders(ids.length)})`,
      ids,
    );
  }
}

function requireModel(name: string): ModelSpec {
  const model = findModel(name);
  if (!model) throw userError(`Object ${name} doesn't exist`);
  return model;
}

function requireField(model: ModelSpec, name: string): FieldSpec {
  const field = findField(model, name);
  if (!field) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
  return field;
}

/** Fields to read: `id` first, then the asked ones in order (all of them when none is asked). */
function resolveFields(model: ModelSpec, fields: unknown): FieldSpec[] {
  const idField = requireField(model, 'id');
  if (!Array.isArray(fields) || fields.length === 0) {
    return [idField, ...model.fields.filter((field) => field.name !== 'id')];
  }
  const names = [...new Set(fields.map(String))].filter((name) => name !== 'id');
  return [idField, ...names.map((name) => requireField(model, name))];
}

function selectList(model: ModelSpec, fields: FieldSpec[], alias: string): string {
  return fields.flatMap((field) => fieldSelectExpressions(model, field, alias)).join(', ');
}

function toRecord(fields: FieldSpec[], row: unknown[], loadDisplayNames: boolean): RpcRecord {
  const record: RpcRecord = {};
  let column = 0;
  for (const field of fields) {
    const width = field.type === 'many2one' ? 2 : 1;
    record[field.name] = toRpcValue(field, row.slice(column, column + width), loadDisplayNames);
    column += width;
  }
  return record;
}

function loadsDisplayNames(load: unknown): boolean {
  return load === undefined || load === null || load === '_classic_read';
}

/** `WHERE … ORDER BY … LIMIT … OFFSET …` for the rows aliased `t`. */
function pageQuery(model: ModelSpec, domain: unknown, options: SearchOptions): { sql: string; params: SqlParam[] } {
  const where = compileDomain(model, domain, 't', { activeTest: options.context?.active_test !== false });
  const order = orderBySql(parseOrder(model, options.order), 't');
  const limit = pageLimit(options.limit);
  const offset = pageOffset(options.offset);
  const limitSql = limit === undefined ? '' : ' LIMIT ?';
  const params = [...where.params, ...(limit === undefined ? [] : [limit]), offset];
  return { sql: `WHERE ${where.sql} ORDER BY ${order}${limitSql} OFFSET ?`, params };
}

/** `limit` 0, false or missing means no limit; a negative one is refused by PostgreSQL. */
function pageLimit(limit: unknown): number | undefined {
  if (limit === undefined || limit === null || limit === false || limit === 0) return undefined;
  const value = Number(limit);
  if (!Number.isInteger(value)) throw serverError('TypeError', `'<' not supported between instances of 'str' and 'int'`);
  if (value < 0) throw serverError('psycopg2.errors.InvalidRowCountInLimitClause', 'LIMIT must not be negative');
  return value;
}

function pageOffset(offset: unknown): number {
  if (offset === undefined || offset === null || offset === false) return 0;
  const value = Number(offset);
  if (!Number.isInteger(value)) throw serverError('TypeError', `'<' not supported between instances of 'str' and 'int'`);
  if (value < 0) throw serverError('psycopg2.errors.InvalidRowCountInResultOffsetClause', 'OFFSET must not be negative');
  return value;
}

function idList(ids: unknown): number[] {
  const list = Array.isArray(ids) ? ids : [ids];
  return list.filter((id) => typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id))).map(Number);
}

/** Defaults Odoo fills in on create: records are active, leads are leads of normal priority. */
function withDefaults(model: ModelSpec, columns: ColumnValues): ColumnValues {
  if (model.activeField && !columns.has(model.activeField)) columns.set(model.activeField, true);
  if (model.name === 'crm.lead') {
    if (!columns.has('type')) columns.set('type', 'lead');
    if (!columns.has('priority')) columns.set('priority', '0');
  }
  if (model.name === 'ir.attachment' && !columns.has('type')) columns.set('type', 'binary');
  return columns;
}
