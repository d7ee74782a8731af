/** « Placement : candidats en recherche d'entreprise »: filters, counts, charts, the table and its pager. */
import type { Viewer } from '../auth/users.ts';
import type { CandidateRow, ChartBar, FilterOption, Headline } from '../data/candidates.ts';
import {
  listViewParams,
  MULTI_FILTERS,
  PAGE_SIZES,
  SENSITIVE_TOGGLES,
  type ListView,
  type MultiFilter,
  type SortKey,
} from '../data/filters.ts';
import { formatCount, plural } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export const PAGE_TITLE = "Placement : candidats en recherche d'entreprise";

/** Remarks longer than this are shortened in the cell and shown whole in a tooltip. */
export const REMARK_PREVIEW_LENGTH = 80;

const FILTER_LABELS: Record<MultiFilter, string> = {
  region_session: 'Région de la session',
  region: 'Région du candidat',
  ville: 'Ville du candidat',
  parcours: 'Parcours',
  formation: 'Formation',
};

const TOGGLE_LABELS = { qpv: 'QPV', rsa: 'RSA', rqth: 'RQTH' };

export type CandidatePageData = {
  viewer: Viewer;
  view: ListView;
  options: Record<MultiFilter, FilterOption[]>;
  headline: Headline;
  charts: { byRegion: ChartBar[]; byTraining: ChartBar[] };
  rows: CandidateRow[];
  total: number;
  page: number;
  pageCount: number;
  canExport: boolean;
};

export function candidatesContent(data: CandidatePageData): SafeHtml {
  return html`<h1>${PAGE_TITLE}</h1>
${filterForm(data)}
<div id="results" aria-live="polite">
${results(data)}
</div>`;
}

function filterForm(data: CandidatePageData): SafeHtml {
  const { view, viewer, options } = data;
  const selects = (Object.keys(MULTI_FILTERS) as MultiFilter[]).map((name) => {
    const selected = new Set(view.multi[name]);
    return html`<label class="filter" data-filter="${name}"><span>${FILTER_LABELS[name]}</span>
<select name="${name}" multiple size="6" data-multiselect="${FILTER_LABELS[name]}">
${options[name].map(
  (option) =>
    html`<option value="${option.value}" data-label="${option.label}" data-count="${formatCount(option.count)}"${selected.has(option.value) ? html` selected` : ''}>${option.label} (${formatCount(option.count)})</option>`,
)}
</select></label>`;
  });
  const toggles = viewer.sensitive
    ? html`<fieldset class="toggles"><legend>Critères</legend>${SENSITIVE_TOGGLES.map(
        (name) =>
          html`<label><input type="checkbox" name="${name}" value="1"${view.toggles[name] ? html` checked` : ''}> ${TOGGLE_LABELS[name]}</label>`,
      )}</fieldset>`
    : '';
  const keep = html`${view.sort !== 'nom' ? html`<input type="hidden" name="tri" value="${view.sort}">` : ''}${
    view.order !== 'asc' ? html`<input type="hidden" name="ordre" value="${view.order}">` : ''
  }${view.pageSize !== 50 ? html`<input type="hidden" name="taille" value="${view.pageSize}">` : ''}`;
  return html`<form id="filters" class="filters" method="get" action="/" role="search">
${selects}
<label class="filter search"><span>Recherche (nom, prénom, email)</span>
<input type="search" name="q" value="${view.search}" placeholder="ex. dupont, @orange.fr" autocomplete="off"></label>
${toggles}
${keep}
<div class="filter-actions"><button type="submit">Filtrer</button> <a href="/" class="reset">Réinitialiser</a></div>
</form>`;
}

function results(data: CandidatePageData): SafeHtml {
  const { view, total } = data;
  const exportQuery = listViewParams(view, { page: 1 });
  const exports = data.canExport
    ? html`<div class="export"><a class="button" id="export-csv" href="/export.csv?${exportQuery.toString()}" download>Exporter</a>
<a class="button secondary" id="export-xlsx" href="/export.xlsx?${exportQuery.toString()}" download>XLSX</a></div>`
    : '';
  return html`${headlineCards(data)}
${charts(data)}
<div class="toolbar">
<p id="result-count" data-total="${total}"><strong>${plural(total, 'candidat')}</strong>${
    data.pageCount > 1 ? ` · page ${formatCount(data.page)} sur ${formatCount(data.pageCount)}` : ''
  }</p>
${exports}
</div>
${table(data)}
${pager(data)}`;
}

function headlineCards(data: CandidatePageData): SafeHtml {
  const { headline } = data;
  const cards: [string, number | undefined][] = [
    ['Candidats en recherche', headline.total],
    ['Avec CV', headline.withCv],
    ['QPV', headline.qpv],
    ['RQTH', headline.rqth],
  ];
  return html`<section class="kpis" aria-label="Chiffres clés">${cards
    .filter(([, value]) => value !== undefined)
    .map(
      ([label, value]) =>
        html`<div class="kpi"><span class="kpi-value">${formatCount(value!)}</span><span class="kpi-label">${label}</span></div>`,
    )}</section>`;
}

function charts(data: CandidatePageData): SafeHtml {
  return html`<section class="charts">
${barChart('Par région de la session', data.charts.byRegion)}
${barChart('Par formation (10 premières)', data.charts.byTraining)}
</section>`;
}

/** Horizontal bars in SVG: sizes are attributes, so the page needs no inline style. */
function barChart(title: string, bars: ChartBar[]): SafeHtml {
  const width = 520;
  const labelWidth = 250;
  const barHeight = 18;
  const gap = 6;
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const height = Math.max(1, bars.length) * (barHeight + gap);
  const rows = bars.map((bar, index) => {
    const y = index * (barHeight + gap);
    const length = Math.max(2, Math.round(((width - labelWidth - 50) * bar.count) / max));
    const label = bar.label.length > 38 ? `${bar.label.slice(0, 37)}…` : bar.label;
    return html`<g><title>${bar.label} : ${formatCount(bar.count)}</title>
<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" class="bar-label">${label}</text>
<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" rx="3" class="bar"></rect>
<text x="${labelWidth + length + 6}" y="${y + 13}" class="bar-value">${formatCount(bar.count)}</text></g>`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption>
${bars.length === 0 ? html`<p class="muted">Aucun candidat.</p>` : html`<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${title}">${rows}</svg>`}
</figure>`;
}

type Column = { key?: SortKey; label: string; cell: (row: CandidateRow) => SafeHtml };

function columns(viewer: Viewer): { administratif: Column[]; criteres: Column[] } {
  const text = (value: string | null | undefined) => html`${value ?? ''}`;
  const administratif: Column[] = [
    { label: 'Fiche candidat', cell: (row) => link(row.lien_fiche_crm, 'Fiche', `Fiche Odoo de ${row.prenom ?? ''} ${row.nom ?? ''}`) },
    {
      key: 'cv',
      label: 'CV',
      cell: (row) => (row.lien_cv ? link(row.lien_cv, 'CV', `CV de ${row.prenom ?? ''} ${row.nom ?? ''}`) : html`<span class="no-cv">pas de CV</span>`),
    },
    { key: 'prenom', label: 'Prénom', cell: (row) => text(row.prenom) },
    { key: 'nom', label: 'Nom', cell: (row) => text(row.nom) },
    { key: 'formation', label: 'Formation', cell: (row) => text(row.formation) },
    { key: 'email', label: 'Email', cell: (row) => (row.email ? html`<a href="mailto:${row.email}">${row.email}</a>` : html``) },
    { key: 'telephone', label: 'Téléphone', cell: (row) => text(row.telephone) },
    { key: 'region', label: 'Région', cell: (row) => text(row.region_candidat) },
    { key: 'ville', label: 'Ville', cell: (row) => text(row.ville_candidat) },
  ];
  const criteres: Column[] = [
    ...(viewer.sensitive
      ? (['qpv', 'rsa', 'rqth'] as const).map((name) => ({
          key: name,
          label: TOGGLE_LABELS[name],
          cell: (row: CandidateRow) => yesNoCell(row[name]),
        }))
      : []),
    { key: 'contrat', label: 'Contrat alternance', cell: (row) => text(row.contrat_alternance) },
    { key: 'mobilite', label: 'Mobilité', cell: (row) => text(row.mobilite) },
    { key: 'remarque', label: 'Remarque', cell: (row) => remark(row.remarque, row.lead_id) },
  ];
  return { administratif, criteres };
}

function table(data: CandidatePageData): SafeHtml {
  const { administratif, criteres } = columns(data.viewer);
  const all = [...administratif, ...criteres];
  const header = (column: Column) => sortHeader(column, data.view);
  const body =
    data.rows.length === 0
      ? html`<tr><td colspan="${all.length}" class="empty-row">Aucun candidat ne correspond à ces filtres.</td></tr>`
      : data.rows.map(
          (row) =>
            html`<tr data-lead-id="${row.lead_id}">${administratif.map((column) => html`<td>${column.cell(row)}</td>`)}${criteres.map(
              (column, index) => html`<td${index === 0 ? html` class="group-start"` : ''}>${column.cell(row)}</td>`,
            )}</tr>`,
        );
  return html`<div class="table-wrap"><table id="candidates">
<colgroup span="${administratif.length}" class="administratif"></colgroup>
<colgroup span="${criteres.length}" class="criteres"></colgroup>
<thead>
<tr class="groups"><th scope="colgroup" colspan="${administratif.length}">ADMINISTRATIF</th><th scope="colgroup" colspan="${criteres.length}" class="group-start">CRITÈRES DE PLACEMENT</th></tr>
<tr>${administratif.map(header)}${criteres.map(header)}</tr>
</thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

function sortHeader(column: Column, view: ListView): SafeHtml {
  if (!column.key) return html`<th scope="col">${column.label}</th>`;
  const active = view.sort === column.key;
  const nextOrder = active && view.order === 'asc' ? 'desc' : 'asc';
  const href = `/?${listViewParams(view, { sort: column.key, order: nextOrder, page: 1 }).toString()}`;
  const ariaSort = active ? (view.order === 'asc' ? 'ascending' : 'descending') : undefined;
  const arrow = active ? (view.order === 'asc' ? ' ▲' : ' ▼') : '';
  return html`<th scope="col"${ariaSort ? html` aria-sort="${ariaSort}"` : ''}><a class="sort" data-sort="${column.key}" href="${href}">${column.label}${arrow}</a></th>`;
}

function pager(data: CandidatePageData): SafeHtml {
  const { view, page, pageCount } = data;
  const to = (target: number) => `/?${listViewParams(view, { page: target }).toString()}`;
  const sizes = PAGE_SIZES.map((size) =>
    size === view.pageSize
      ? html`<strong>${size}</strong>`
      : html`<a href="/?${listViewParams(view, { pageSize: size, page: 1 }).toString()}">${size}</a>`,
  );
  return html`<nav class="pager" aria-label="Pages de résultats">
${page > 1 ? html`<a href="${to(1)}" rel="first">« Première</a> <a href="${to(page - 1)}" rel="prev">‹ Précédente</a>` : ''}
<span>Page ${formatCount(page)} sur ${formatCount(pageCount)}</span>
${page < pageCount ? html`<a href="${to(page + 1)}" rel="next">Suivante ›</a> <a href="${to(pageCount)}" rel="last">Dernière »</a>` : ''}
<span class="sizes">Lignes par page : ${sizes}</span>
</nav>`;
}

/** A link to Odoo, only for http(s) URLs: a `javascript:` value would otherwise run on click. */
function link(url: string | null, label: string, title: string): SafeHtml {
  if (!url || !/^https?:\/\//i.test(url)) return html`<span class="muted">—</span>`;
  return html`<a href="${url}" target="_blank" rel="noopener noreferrer" title="${title}">${label}</a>`;
}

function yesNoCell(value: string | null | undefined): SafeHtml {
  if (!value) return html``;
  const kind = value === 'Oui' ? 'yes' : value === 'Non' ? 'no' : 'other';
  return html`<span class="flag ${kind}">${value}</span>`;
}

/** Long remarks: shortened in the cell, whole in a tooltip shown on hover and on keyboard focus. */
function remark(value: string | null, leadId: number): SafeHtml {
  if (!value) return html``;
  if (value.length <= REMARK_PREVIEW_LENGTH) return html`<span class="remark">${value}</span>`;
  const id = `remarque-${leadId}`;
  return html`<span class="remark long" tabindex="0" aria-describedby="${id}">${value.slice(0, REMARK_PREVIEW_LENGTH - 1).trimEnd()}…<span class="tooltip" role="tooltip" id="${id}">${value}</span></span>`;
}
