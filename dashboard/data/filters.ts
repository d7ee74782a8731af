/**
 * The candidate list's filters, sort and page, as they live in the page URL (so a filtered view
 * can be bookmarked and shared), and their translation into a parameterised SQL condition.
 */
import type { Viewer } from '../auth/users.ts';

/** Multi-select filters: URL parameter → snapshot column. */
export const MULTI_FILTERS = {
  region_session: 'region_formation',
  region: 'region_candidat',
  ville: 'ville_candidat',
  parcours: 'parcours',
  formation: 'formation_campagne',
} as const;

export type MultiFilter = keyof typeof MULTI_FILTERS;

/** Yes/no survey answers: URL parameter = snapshot column. Shown only to viewers allowed sensitive data. */
export const SENSITIVE_TOGGLES = ['qpv', 'rsa', 'rqth'] as const;
export type SensitiveToggle = (typeof SENSITIVE_TOGGLES)[number];

/** Option value standing for "no value" in a multi-select: selects the rows where the column is NULL. */
export const EMPTY_VALUE = '__vide__';

/** Sortable columns: URL value → SQL expression over the snapshot's candidate table. */
export const SORT_COLUMNS = {
  prenom: 'prenom',
  nom: 'nom',
  formation: 'formation',
  email: 'email',
  telephone: 'telephone',
  region: 'region_candidat',
  ville: 'ville_candidat',
  region_session: 'region_formation',
  cv: 'lien_cv',
  qpv: 'qpv',
  rsa: 'rsa',
  rqth: 'rqth',
  contrat: 'contrat_alternance',
  mobilite: 'mobilite',
  remarque: 'remarque',
} as const;

export type SortKey = keyof typeof SORT_COLUMNS;

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;
const MAX_VALUES_PER_FILTER = 500;
const MAX_SEARCH_LENGTH = 200;

export type CandidateFilters = {
  multi: Record<MultiFilter, string[]>;
  /** Free text matched against first name, last name and email, accents and case ignored. */
  search: string;
  toggles: Record<SensitiveToggle, boolean>;
};

export type ListView = CandidateFilters & {
  sort: SortKey;
  order: 'asc' | 'desc';
  /** 1-based page number. */
  page: number;
  pageSize: number;
};

/** Reads the view from URL search parameters; unknown or malformed values fall back to defaults. */
export function parseListView(params: URLSearchParams): ListView {
  const multi = {} as Record<MultiFilter, string[]>;
  for (const name of Object.keys(MULTI_FILTERS) as MultiFilter[]) {
    const values = params
      .getAll(name)
      .map((value) => value.trim())
      .filter((value) => value !== '');
    multi[name] = [...new Set(values)].slice(0, MAX_VALUES_PER_FILTER);
  }

  const toggles = {} as Record<SensitiveToggle, boolean>;
  for (const name of SENSITIVE_TOGGLES) toggles[name] = params.get(name) === '1';

  const sortParam = params.get('tri') ?? '';
  const sort: SortKey = sortParam in SORT_COLUMNS ? (sortParam as SortKey) : 'nom';
  const pageSize = Number(params.get('taille'));

  return {
    multi,
    search: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH_LENGTH),
    toggles,
    sort,
    order: params.get('ordre') === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Math.floor(Number(params.get('page')) || 1)),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** Writes the view back as URL search parameters, leaving defaults out so links stay short. */
export function listViewParams(view: ListView, changes: Partial<ListView> = {}): URLSearchParams {
  const merged = { ...view, ...changes };
  const params = new URLSearchParams();
  for (const name of Object.keys(MULTI_FILTERS) as MultiFilter[]) {
    for (const value of merged.multi[name]) params.append(name, value);
  }
  if (merged.search) params.set('q', merged.search);
  for (const name of SENSITIVE_TOGGLES) if (merged.toggles[name]) params.set(name, '1');
  if (merged.sort !== 'nom') params.set('tri', merged.sort);
  if (merged.order !== 'asc') params.set('ordre', merged.order);
  if (merged.pageSize !== DEFAULT_PAGE_SIZE) params.set('taille', String(merged.pageSize));
  if (merged.page > 1) params.set('page', String(merged.page));
  return params;
}

/** The filters as a small object for logs: only what was set. */
export function describeFilters(filters: CandidateFilters): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(filters.multi)) if (values.length > 0) described[name] = values;
  if (filters.search) described.q = filters.search;
  for (const [name, on] of Object.entries(filters.toggles)) if (on) described[name] = true;
  return described;
}

export type SqlCondition = { sql: string; params: Record<string, string> };

/**
 * The WHERE condition selecting what `viewer` may see under `filters`. Every value is a bound
 * parameter; column names come from the constant maps above, never from the request.
 * `skip` leaves out some multi-select filters, for the cascading option lists.
 */
export function candidateCondition(
  viewer: Viewer,
  filters: CandidateFilters,
  skip: readonly MultiFilter[] = [],
): SqlCondition {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  let counter = 0;
  const bind = (value: string) => {
    const name = `p${counter++}`;
    params[name] = value;
    return `$${name}`;
  };

  if (viewer.regions !== '*') {
    // An account limited to no region sees nothing rather than everything.
    clauses.push(
      viewer.regions.length === 0 ? 'false' : `region_formation in (${viewer.regions.map(bind).join(', ')})`,
    );
  }

  for (const [name, column] of Object.entries(MULTI_FILTERS) as [MultiFilter, string][]) {
    const values = filters.multi[name];
    if (values.length === 0 || skip.includes(name)) continue;
    const present = values.filter((value) => value !== EMPTY_VALUE);
    const parts: string[] = [];
    if (present.length > 0) parts.push(`${column} in (${present.map(bind).join(', ')})`);
    if (present.length < values.length) parts.push(`${column} is null`);
    clauses.push(`(${parts.join(' or ')})`);
  }

  for (const word of searchWords(filters.search)) clauses.push(`contains(texte_recherche, ${bind(word)})`);

  if (viewer.sensitive) {
    for (const name of SENSITIVE_TOGGLES) if (filters.toggles[name]) clauses.push(`${name} = 'Oui'`);
  }

  return { sql: clauses.length === 0 ? 'true' : clauses.join(' and '), params };
}

/** Lower-case words without accents, as `texte_recherche` stores them. */
export function searchWords(search: string): string[] {
  return search
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .slice(0, 10);
}
