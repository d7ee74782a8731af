/**
 * The dashboard's HTTP server (Hono on Node): sign-in, the three pages and the export, over the
 * serving snapshot. Pages are rendered on the server; a small ES module enhances the filters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Settings } from '../config/settings.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { UNUSABLE_HASH, verifyPassword } from './auth/passwords.ts';
import { LoginRateLimiter } from './auth/rate-limit.ts';
import { resolveSessionSecret } from './auth/secret.ts';
import {
  createSessionToken,
  CSRF_COOKIE,
  csrfToken,
  isValidCsrfToken,
  newCsrfSeed,
  readSessionToken,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
} from './auth/session.ts';
import { AccountStore, type Viewer } from './auth/users.ts';
import { candidateExport, candidatePage, chartSeries, filterOptions, headline } from './data/candidates.ts';
import { describeFilters, parseListView } from './data/filters.ts';
import { pipelineAssets } from './data/pipeline.ts';
import { latestCheckResults } from './data/quality.ts';
import { dataStatus, type DataStatus } from './data/status.ts';
import { exportColumns } from './export/columns.ts';
import { toCsv } from './export/csv.ts';
import { toXlsx } from './export/xlsx.ts';
import { ServingSnapshot, SnapshotMissingError } from './serving/snapshot.ts';
import { candidatesContent, PAGE_TITLE } from './web/candidates-page.ts';
import type { SafeHtml } from './web/html.ts';
import { allowedPages, layout, noDataMessage, type PageName } from './web/layout.ts';
import { loginPage } from './web/login-page.ts';
import { pipelineContent } from './web/pipeline-page.ts';
import { qualityContent } from './web/quality-page.ts';

export type DashboardOptions = {
  snapshot: ServingSnapshot;
  accounts: AccountStore;
  /** Key signing session cookies and CSRF tokens. */
  secret: string;
  /** Header set by an identity-aware proxy; when set, it is the only way in. */
  trustedHeader?: string;
  timezone: string;
  temporal: { uiUrl: string; namespace: string };
  logger: Logger;
  limiter?: LoginRateLimiter;
};

type Env = { Variables: { viewer: Viewer; csrfSeed: string } };

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const STATIC_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Everything the pages load comes from this server; inline scripts and styles are refused, so an
// injected `<script>` could not run even if escaping failed.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export function createDashboardApp(options: DashboardOptions): Hono<Env> {
  const { snapshot, accounts, secret, logger } = options;
  const limiter = options.limiter ?? new LoginRateLimiter();
  const staticFiles = loadStaticFiles();
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // Page URLs carry filters such as names: never send them to Odoo or elsewhere.
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.req.path.startsWith('/static/')) c.header('Cache-Control', 'no-store');
  });

  app.get('/healthz', (c) => c.text('ok'));

  app.get('/static/:file', (c) => {
    const file = staticFiles.get(c.req.param('file'));
    if (!file) return c.notFound();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'no-cache');
    return c.body(file.content);
  });

  // Every visitor gets a CSRF seed cookie before any form is shown.
  app.use('*', async (c, next) => {
    let seed = getCookie(c, CSRF_COOKIE);
    if (!seed || seed.length < 16) {
      seed = newCsrfSeed();
      setCookie(c, CSRF_COOKIE, seed, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
    }
    c.set('csrfSeed', seed);
    await next();
  });

  app.get('/connexion', (c) => {
    if (options.trustedHeader) return c.redirect('/');
    return c.html(
      loginPage({ csrfToken: csrfToken(secret, c.get('csrfSeed')), next: safeNext(c.req.query('suivant')) }).value,
    );
  });

  app.post('/connexion', async (c) => {
    if (options.trustedHeader) return c.text('Connexion gérée par le proxy d’identité.', 404);
    const form = await c.req.parseBody();
    const login = String(form.login ?? '').trim().toLowerCase().slice(0, 200);
    const password = String(form.password ?? '');
    const next = safeNext(String(form.next ?? '/'));
    const token = csrfToken(secret, c.get('csrfSeed'));
    if (!isValidCsrfToken(secret, getCookie(c, CSRF_COOKIE), String(form._csrf ?? ''))) {
      return c.html(loginPage({ csrfToken: token, next, login, error: 'Session expirée : réessayez.' }).value, 403);
    }

    const address = clientAddress(c);
    const waitMs = limiter.retryAfterMs(address, login);
    if (waitMs > 0) {
      logger.warn({ event: 'login_rate_limited', login, address }, 'login refused: too many failures');
      c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
      const minutes = Math.ceil(waitMs / 60_000);
      return c.html(
        loginPage({ csrfToken: token, next, login, error: `Trop d'essais : réessayez dans ${minutes} minute(s).` }).value,
        429,
      );
    }

    const account = accounts.find(login);
    // Unknown logins cost one hash too, so timing does not tell which logins exist.
    const valid = await verifyPassword(password, account?.passwordHash ?? UNUSABLE_HASH);
    if (!account || !account.passwordHash || !valid) {
      limiter.recordFailure(address, login);
      logger.warn({ event: 'login_failed', login, address }, 'login failed');
      return c.html(loginPage({ csrfToken: token, next, login, error: 'Identifiant ou mot de passe incorrect.' }).value, 401);
    }
    limiter.recordSuccess(address, login);
    setCookie(c, SESSION_COOKIE, createSessionToken(secret, account.login), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
      path: '/',
      maxAge: SESSION_TTL_SECONDS,
    });
    logger.info({ event: 'login', login: account.login, address }, 'signed in');
    return c.redirect(next, 303);
  });

  app.post('/deconnexion', async (c) => {
    const form = await c.req.parseBody();
    if (!isValidCsrfToken(secret, getCookie(c, CSRF_COOKIE), String(form._csrf ?? ''))) {
      return c.text('Jeton CSRF invalide.', 403);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/connexion', 303);
  });

  // Everything below needs a signed-in viewer.
  app.use('*', async (c, next) => {
    const viewer = identify(c, options);
    if (viewer === 'forbidden') {
      return c.text("Votre compte n'a pas accès au tableau de bord placement. Demandez un accès à l'administrateur.", 403);
    }
    if (!viewer) {
      if (c.req.header('X-Requested-With') === 'fetch') return c.text('Connexion requise.', 401);
      if (options.trustedHeader) return c.text('Connexion requise : passez par le proxy d’identité.', 401);
      const wanted = c.req.path + (new URL(c.req.url).search ?? '');
      return c.redirect(`/connexion?suivant=${encodeURIComponent(wanted)}`, 303);
    }
    c.set('viewer', viewer);
    await next();
  });

  const page = async (c: Context<Env>, name: PageName, title: string, build: () => Promise<SafeHtml>) => {
    const viewer = c.get('viewer');
    if (!allowedPages(viewer).includes(name)) return c.text("Cette page n'est pas ouverte à votre rôle.", 403);
    let status: DataStatus | undefined;
    let content: SafeHtml;
    try {
      status = await dataStatus(snapshot);
      content = await build();
    } catch (error) {
      if (!(error instanceof SnapshotMissingError)) throw error;
      content = noDataMessage();
    }
    const frame = {
      title,
      page: name,
      viewer,
      csrfToken: csrfToken(secret, c.get('csrfSeed')),
      status,
      timezone: options.timezone,
      canLogOut: !options.trustedHeader,
    };
    return c.html(layout(frame, content).value);
  };

  app.get('/', (c) =>
    page(c, 'candidats', PAGE_TITLE, async () => {
      const viewer = c.get('viewer');
      const view = parseListView(new URL(c.req.url).searchParams);
      const list = await candidatePage(snapshot, viewer, view);
      return candidatesContent({
        viewer,
        view,
        options: await filterOptions(snapshot, viewer, view),
        headline: await headline(snapshot, viewer, view),
        charts: await chartSeries(snapshot, viewer, view),
        ...list,
        canExport: canExport(viewer),
      });
    }),
  );

  app.get('/qualite', (c) =>
    page(c, 'qualite', 'Qualité des données', async () => qualityContent(await latestCheckResults(snapshot), options.timezone)),
  );

  app.get('/pipeline', (c) =>
    page(c, 'pipeline', 'Pipeline', async () =>
      pipelineContent(await pipelineAssets(snapshot), {
        timezone: options.timezone,
        temporalUiUrl: options.temporal.uiUrl,
        temporalNamespace: options.temporal.namespace,
      }),
    ),
  );

  const exportList = async (c: Context<Env>, format: 'csv' | 'xlsx') => {
    const viewer = c.get('viewer');
    if (!canExport(viewer)) return c.text("L'export n'est pas ouvert à votre rôle.", 403);

    const view = parseListView(new URL(c.req.url).searchParams);
    let rows;
    try {
      rows = await candidateExport(snapshot, viewer, view);
    } catch (error) {
      if (error instanceof SnapshotMissingError) return c.text('Aucune donnée publiée.', 404);
      throw error;
    }
    const columns = exportColumns(viewer.sensitive);
    // Who exported what and when; never the rows themselves.
    logger.info(
      {
        event: 'export',
        login: viewer.login,
        format,
        filters: describeFilters(view),
        rows: rows.length,
        sensitiveColumns: viewer.sensitive,
        at: new Date().toISOString(),
      },
      'candidate list exported',
    );
    const stamp = new Date().toISOString().slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="candidats-en-recherche-${stamp}.${format}"`);
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(toCsv(rows, columns));
    }
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return c.body(new Uint8Array(await toXlsx(rows, columns)));
  };
  app.get('/export.csv', (c) => exportList(c, 'csv'));
  app.get('/export.xlsx', (c) => exportList(c, 'xlsx'));

  app.onError((error, c) => {
    logger.error({ event: 'error', path: c.req.path, err: error }, 'dashboard request failed');
    return c.text('Erreur interne du tableau de bord. Le détail est dans le journal du serveur.', 500);
  });

  return app;
}

function canExport(viewer: Viewer): boolean {
  return viewer.role !== 'lecture';
}

/** The viewer from the proxy header or the session cookie; 'forbidden' for a known identity without an account. */
function identify(c: Context<Env>, options: DashboardOptions): Viewer | 'forbidden' | undefined {
  if (options.trustedHeader) {
    const value = c.req.header(options.trustedHeader);
    if (!value) return undefined;
    // Google IAP sends "accounts.google.com:user@example.org".
    const login = value.includes(':') ? value.slice(value.lastIndexOf(':') + 1) : value;
    return toViewer(options.accounts, login) ?? 'forbidden';
  }
  const login = readSessionToken(options.secret, getCookie(c, SESSION_COOKIE));
  return login ? toViewer(options.accounts, login) : undefined;
}

function toViewer(accounts: AccountStore, login: string): Viewer | undefined {
  const account = accounts.find(login);
  return account ? { login: account.login, role: account.role, regions: account.regions, sensitive: account.sensitive } : undefined;
}

/** Only paths on this site: an absolute or protocol-relative URL would redirect elsewhere after sign-in. */
function safeNext(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('X-Forwarded-Proto') === 'https';
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function loadStaticFiles(): Map<string, { content: string; type: string }> {
  const files = new Map<string, { content: string; type: string }>();
  for (const name of fs.readdirSync(STATIC_DIR)) {
    const type = STATIC_TYPES[path.extname(name)];
    if (type) files.set(name, { content: fs.readFileSync(path.join(STATIC_DIR, name), 'utf8'), type });
  }
  return files;
}

export type RunningDashboard = { url: string; close(): Promise<void> };

/** Starts the dashboard from the settings; `port` 0 picks a free port. */
export async function startDashboard(
  settings: Settings,
  overrides: { port?: number; host?: string; logger?: Logger } = {},
): Promise<RunningDashboard> {
  const logger = overrides.logger ?? createLogger(settings.logLevel, { name: 'placement-dashboard' });
  const snapshot = new ServingSnapshot(settings.dashboard.servingPath);
  const app = createDashboardApp({
    snapshot,
    accounts: new AccountStore(settings.dashboard.usersFile),
    secret: resolveSessionSecret(settings.dashboard.sessionSecret, settings.dataDir),
    trustedHeader: settings.dashboard.trustedHeader,
    timezone: settings.timezone,
    temporal: { uiUrl: settings.temporal.uiUrl, namespace: settings.temporal.namespace },
    logger,
  });
  const host = overrides.host ?? settings.dashboard.host;
  const port = overrides.port ?? settings.dashboard.port;

  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(started));
    started.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  logger.info({ event: 'dashboard_started', url, serving: settings.dashboard.servingPath }, 'dashboard listening');

  return {
    url,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep connections open; the server would otherwise wait for them to time out.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await snapshot.close();
    },
  };
}
