/**
 * Queries of the candidate page against the serving snapshot: one page of rows with the total,
 * the filter options, the headline counts and the chart series. Every query carries the viewer's
 * region restriction; the sensitive columns are selected only for viewers allowed to see them.
 */
import type { Viewer } from '../auth/users.ts';
import { CANDIDATE_TABLE } from '../serving/schema.ts';
import type { ServingSnapshot } from '../serving/snapshot.ts';
import {
  candidateCondition,
  EMPTY_VALUE,
  MULTI_FILTERS,
  SORT_COLUMNS,
  type CandidateFilters,
  type ListView,
  type MultiFilter,
} from './filters.ts';

export type CandidateRow = {
  lead_id: number;
  prenom: string | null;
  nom: string | null;
  formation: string | null;
  email: string | null;
  telephone: string | null;
  region_candidat: string | null;
  ville_candidat: string | null;
  region_formation: string | null;
  lien_cv: string | null;
  lien_fiche_crm: string | null;
  contrat_alternance: string | null;
  mobilite: string | null;
  remarque: string | null;
  /** Present only for viewers allowed sensitive data. */
  qpv?: string | null;
  rsa?: string | null;
  rqth?: string | null;
};

export type FilterOption = { value: string; label: string; count: number };

export type Headline = { total: number; withCv: number; qpv?: number; rqth?: number };

export type ChartBar = { label: string; count: number };

const BASE_COLUMNS =
  'lead_id, prenom, nom, formation, email, telephone, region_candidat, ville_candidat, region_formation, ' +
  'lien_cv, lien_fiche_crm, contrat_alternance, mobilite, remarque';

const TABLE = `"${CANDIDATE_TABLE}"`;

/** Option lists narrow each other where the teams expect it: a region narrows the cities. */
const CASCADE: Record<MultiFilter, readonly MultiFilter[]> = {
  region_session: [],
  region: ['region_session'],
  ville: ['region_session', 'region'],
  parcours: ['region_session'],
  formation: ['region_session', 'parcours'],
};

export const EMPTY_LABEL = '(non renseigné)';

function selectColumns(viewer: Viewer): string {
  return viewer.sensitive ? `${BASE_COLUMNS}, qpv, rsa, rqth` : BASE_COLUMNS;
}

/** Sensitive columns: sorting on them would reveal their values to viewers who may not see them. */
const SENSITIVE_SORT_KEYS = new Set(['qpv', 'rsa', 'rqth']);

function orderBy(view: Pick<ListView, 'sort' | 'order'>, viewer: Viewer): string {
  const sort = SENSITIVE_SORT_KEYS.has(view.sort) && !viewer.sensitive ? 'nom' : view.sort;
  const column = SORT_COLUMNS[sort];
  // Case and accents ignored, so "Émilie" sorts with "Emilie"; empty cells last either way.
  const key = column === 'lien_cv' ? `(lien_cv is null)` : `lower(strip_accents(${column}))`;
  return `${key} ${view.order} nulls last, lead_id`;
}

export async function candidatePage(
  snapshot: ServingSnapshot,
  viewer: Viewer,
  view: ListView,
): Promise<{ rows: CandidateRow[]; total: number; page: number; pageCount: number }> {
  const where = candidateCondition(viewer, view);
  const [{ total }] = await snapshot.query<{ total: number }>(
    `select count(*) as total from ${TABLE} where ${where.sql}`,
    where.params,
  );
  const pageCount = Math.max(1, Math.ceil(total / view.pageSize));
  const page = Math.min(view.page, pageCount);
  const rows = await snapshot.query<CandidateRow>(
    `select ${selectColumns(viewer)} from ${TABLE} where ${where.sql}
     order by ${orderBy(view, viewer)} limit ${view.pageSize} offset ${(page - 1) * view.pageSize}`,
    where.params,
  );
  return { rows, total, page, pageCount };
}

/** Every row matching the view, in its sort order, for the export. */
export async function candidateExport(snapshot: ServingSnapshot, viewer: Viewer, view: ListView): Promise<CandidateRow[]> {
  const where = candidateCondition(viewer, view);
  return snapshot.query<CandidateRow>(
    `select ${selectColumns(viewer)} from ${TABLE} where ${where.sql} order by ${orderBy(view, viewer)}`,
    where.params,
  );
}

/** Options of each multi-select with their row counts; selected values are kept even when they match nothing. */
export async function filterOptions(
  snapshot: ServingSnapshot,
  viewer: Viewer,
  filters: CandidateFilters,
): Promise<Record<MultiFilter, FilterOption[]>> {
  const options = {} as Record<MultiFilter, FilterOption[]>;
  for (const [name, column] of Object.entries(MULTI_FILTERS) as [MultiFilter, string][]) {
    const ignored = Object.keys(MULTI_FILTERS).filter(
      (other) => !CASCADE[name].includes(other as MultiFilter),
    ) as MultiFilter[];
    // Only the parent filters narrow an option list; search and toggles do not, so options stay stable.
    const where = candidateCondition(viewer, { multi: filters.multi, search: '', toggles: noToggles() }, ignored);
    const rows = await snapshot.query<{ value: string | null; count: number }>(
      `select ${column} as value, count(*) as count from ${TABLE} where ${where.sql}
       group by 1 order by lower(strip_accents(coalesce(${column}, ''))) nulls first`,
      where.params,
    );
    const list = rows.map((row) => ({
      value: row.value ?? EMPTY_VALUE,
      label: row.value ?? EMPTY_LABEL,
      count: Number(row.count),
    }));
    for (const selected of filters.multi[name]) {
      if (!list.some((option) => option.value === selected)) {
        list.push({ value: selected, label: selected === EMPTY_VALUE ? EMPTY_LABEL : selected, count: 0 });
      }
    }
    options[name] = list;
  }
  return options;
}

export async function headline(snapshot: ServingSnapshot, viewer: Viewer, filters: CandidateFilters): Promise<Headline> {
  const where = candidateCondition(viewer, filters);
  const sensitive = viewer.sensitive
    ? `, count(*) filter (where qpv = 'Oui') as qpv, count(*) filter (where rqth = 'Oui') as rqth`
    : '';
  const [row] = await snapshot.query<Record<string, number>>(
    `select count(*) as total, count(lien_cv) as with_cv${sensitive} from ${TABLE} where ${where.sql}`,
    where.params,
  );
  const result: Headline = { total: Number(row.total), withCv: Number(row.with_cv) };
  if (viewer.sensitive) {
    result.qpv = Number(row.qpv);
    result.rqth = Number(row.rqth);
  }
  return result;
}

/** Row counts by session region and by training, largest first, `limit` bars at most. */
export async function chartSeries(
  snapshot: ServingSnapshot,
  viewer: Viewer,
  filters: CandidateFilters,
  limit = 10,
): Promise<{ byRegion: ChartBar[]; byTraining: ChartBar[] }> {
  const where = candidateCondition(viewer, filters);
  const series = async (column: string) => {
    const rows = await snapshot.query<{ label: string | null; count: number }>(
      `select ${column} as label, count(*) as count from ${TABLE} where ${where.sql}
       group by 1 order by 2 desc, 1 limit ${limit}`,
      where.params,
    );
    return rows.map((row) => ({ label: row.label ?? EMPTY_LABEL, count: Number(row.count) }));
  };
  return { byRegion: await series('region_formation'), byTraining: await series('formation_campagne') };
}

function noToggles(): CandidateFilters['toggles'] {
  return { qpv: false, rsa: false, rqth: false };
}
