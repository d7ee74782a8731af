/** The frame of every page: navigation, account, data freshness and the warning banner. */
import type { Viewer } from '../auth/users.ts';
import type { DataStatus } from '../data/status.ts';
import { formatInstant } from './format.ts';
import { html, type SafeHtml } from './html.ts';

export type PageName = 'candidats' | 'qualite' | 'pipeline';

export type PageFrame = {
  title: string;
  page: PageName;
  viewer: Viewer;
  csrfToken: string;
  status?: DataStatus;
  timezone: string;
  /** Absent in trusted-header mode: the proxy handles sign-out. */
  canLogOut: boolean;
};

const NAVIGATION: { page: PageName; href: string; label: string }[] = [
  { page: 'candidats', href: '/', label: 'Candidats' },
  { page: 'qualite', href: '/qualite', label: 'Qualité des données' },
  { page: 'pipeline', href: '/pipeline', label: 'Pipeline' },
];

/** Pages each role may open; the candidate list is open to every role. */
export function allowedPages(viewer: Viewer): PageName[] {
  if (viewer.role === 'admin') return ['candidats', 'qualite', 'pipeline'];
  if (viewer.role === 'placement') return ['candidats', 'qualite'];
  return ['candidats'];
}

export function document(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Placement</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script type="module" src="/static/app.js"></script>
</head>
<body>
${body}
</body>
</html>`;
}

export function layout(frame: PageFrame, content: SafeHtml): SafeHtml {
  const pages = allowedPages(frame.viewer);
  const links = NAVIGATION.filter((item) => pages.includes(item.page)).map(
    (item) =>
      html`<a href="${item.href}"${item.page === frame.page ? html` aria-current="page"` : ''}>${item.label}</a>`,
  );
  const logout = frame.canLogOut
    ? html`<form method="post" action="/deconnexion" class="logout">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}">
        <button type="submit">Se déconnecter</button>
      </form>`
    : '';
  return document(
    frame.title,
    html`<header class="top">
  <a class="brand" href="/">Placement</a>
  <nav aria-label="Pages">${links}</nav>
  <div class="account"><span class="who">${frame.viewer.login} · ${roleLabel(frame.viewer)}</span>${logout}</div>
</header>
${statusLine(frame.status, frame.timezone)}
<main>
${content}
</main>`,
  );
}

function roleLabel(viewer: Viewer): string {
  const role = { admin: 'administration', placement: 'placement', lecture: 'lecture' }[viewer.role];
  return viewer.regions === '*' ? role : `${role}, ${viewer.regions.length} région(s)`;
}

function statusLine(status: DataStatus | undefined, timezone: string): SafeHtml {
  if (!status) return html``;
  const updated = status.dataUpdatedAt
    ? html`Données mises à jour le <time datetime="${status.dataUpdatedAt.toISOString()}">${formatInstant(status.dataUpdatedAt, timezone)}</time>`
    : html`Données jamais mises à jour`;
  const warnings: SafeHtml[] = [];
  if (status.lastRunFailed && status.lastRun) {
    const when = status.lastRun.finishedAt ? ` le ${formatInstant(status.lastRun.finishedAt, timezone)}` : '';
    warnings.push(
      html`La dernière exécution du pipeline (${status.lastRun.runDate}) a échoué${when} : les données affichées sont celles de la dernière exécution réussie.`,
    );
  }
  if (status.stale) {
    warnings.push(html`Les données ont plus d'un jour : vérifiez que le pipeline quotidien tourne.`);
  }
  return html`<div class="freshness"><p id="freshness">${updated}</p>
${warnings.length > 0 ? html`<div class="banner" role="alert">${warnings.map((warning) => html`<p>${warning}</p>`)}</div>` : ''}
</div>`;
}

/** A page shown when the snapshot does not exist yet. */
export function noDataMessage(): SafeHtml {
  return html`<section class="empty"><h1>Aucune donnée publiée</h1>
<p>Le pipeline quotidien n'a encore publié aucune donnée. Lancez <code>placement demo --once</code> ou attendez la prochaine exécution.</p></section>`;
}
