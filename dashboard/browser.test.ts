/**
 * End to end in a real browser: headless Chromium against the real server over 127.0.0.1, rows
 * checked against the warehouse the snapshot was published from. Writes the screenshots of
 * docs/screenshots/ (1440×900) as it goes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { browserTestsDisabled, launchChromium } from './test-support/browser.ts';
import { createDashboardFixture, LONG_REMARK, PASSWORD, SCRIPT_REMARK, type DashboardFixture } from './test-support/fixture.ts';
import { startTestDashboard, type TestDashboard } from './test-support/http.ts';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

if (browserTestsDisabled) console.warn('PLACEMENT_BROWSER_TESTS=off: the dashboard browser tests are skipped');

describe.skipIf(browserTestsDisabled)('dashboard in Chromium', () => {
  let fixture: DashboardFixture;
  let dashboard: TestDashboard;
  let warehouse: DuckDbWarehouse;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    fixture = await createDashboardFixture();
    dashboard = await startTestDashboard(fixture);
    warehouse = await fixture.openWarehouse();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await warehouse?.close();
    await dashboard?.close();
    fixture?.cleanup();
  });

  /** Lead ids of the rows in search that match `condition` in the warehouse's fact table. */
  const expectedIds = async (condition: string, params: Record<string, unknown> = {}) => {
    const rows = await warehouse.query<{ lead_id: number }>(
      `select lead_id from fact_odoo_crm_opportunite where est_en_recherche and est_actif and (${condition}) order by lead_id`,
      params,
    );
    return rows.map((row) => Number(row.lead_id));
  };

  const shownIds = async () => {
    const ids = await page.locator('#candidates tbody tr[data-lead-id]').evaluateAll((rows) =>
      rows.map((row) => Number(row.getAttribute('data-lead-id'))),
    );
    return ids.sort((a, b) => a - b);
  };

  /** Runs `action` and waits until the page's URL (updated after the table) satisfies `done`. */
  const andWait = async (action: () => Promise<void>, done: (url: URL) => boolean) => {
    await action();
    await page.waitForURL(done);
    await page.locator('#results:not([aria-busy])').waitFor();
  };

  const pick = async (filter: string, label: string) => {
    await page.click(`.filter[data-filter="${filter}"] .ms-button`);
    await page.fill(`#ms-${filter} .ms-search`, label.slice(0, 4));
    await andWait(
      () => page.locator(`#ms-${filter} .ms-list label`, { hasText: label }).first().locator('input').check(),
      (url) => url.searchParams.getAll(filter).length > 0,
    );
    await page.keyboard.press('Escape');
  };

  const clear = async (filter: string) => {
    await page.click(`.filter[data-filter="${filter}"] .ms-button`);
    await andWait(() => page.click(`#ms-${filter} .ms-actions button:has-text("Tout effacer")`), (url) => !url.searchParams.has(filter));
    await page.keyboard.press('Escape');
  };

  it('refuses the pages without a session and signs in', async () => {
    const response = await page.goto(`${dashboard.url}/pipeline`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(response?.status()).toBe(200);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'connexion.png') });

    await page.fill('input[name=login]', 'admin');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/pipeline');
    await page.goto(`${dashboard.url}/`);
    await expect.poll(shownIds).toEqual(await expectedIds('true'));
    expect(await page.textContent('#freshness')).toMatch(/^Données mises à jour le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
  });

  it('applies each filter, and rows match the warehouse', async () => {
    await pick('region_session', 'UI Toulouse');
    expect(await shownIds()).toEqual(await expectedIds(`region_formation = 'UI Toulouse'`));
    await clear('region_session');

    await pick('parcours', 'Reconversion');
    expect(await shownIds()).toEqual(await expectedIds(`parcours = 'Reconversion'`));
    await clear('parcours');

    await pick('formation', 'Data Analyst');
    expect(await shownIds()).toEqual(await expectedIds(`formation like '% - Data Analyst'`));
    await clear('formation');

    // A region narrows the cities offered.
    await pick('region', 'Île-de-France');
    expect(await shownIds()).toEqual(await expectedIds(`region_candidat = 'Île-de-France'`));
    await page.click('.filter[data-filter="ville"] .ms-button');
    const cities = await page.locator('#ms-ville .ms-list label span:first-of-type').allTextContents();
    expect(cities.sort()).toEqual(['Créteil', 'Ivry-sur-Seine', 'Paris']);
    await page.keyboard.press('Escape');
    await pick('ville', 'Créteil');
    expect(await shownIds()).toEqual(await expectedIds(`ville_candidat = 'Créteil'`));
    await clear('ville');
    await clear('region');

    await andWait(() => page.fill('input[name=q]', 'elodie'), (url) => url.searchParams.get('q') === 'elodie');
    expect(await shownIds()).toEqual(await expectedIds(`prenom = 'Élodie'`));
    await andWait(() => page.fill('input[name=q]', ''), (url) => !url.searchParams.has('q'));

    for (const [toggle, column] of [
      ['qpv', 'qpv'],
      ['rsa', 'rsa'],
      ['rqth', 'rqth'],
    ]) {
      await andWait(() => page.check(`input[name=${toggle}]`), (url) => url.searchParams.get(toggle) === '1');
      expect(await shownIds(), toggle).toEqual(await expectedIds(`${column} in ('Oui', 'Yes')`));
      await andWait(() => page.uncheck(`input[name=${toggle}]`), (url) => !url.searchParams.has(toggle));
    }
  });

  it('keeps combined filters in the URL, so a bookmarked view shows the same rows', async () => {
    await pick('region_session', 'UI Lyon Est');
    await andWait(() => page.check('input[name=qpv]'), (url) => url.searchParams.get('qpv') === '1');
    const bookmarked = page.url();
    const expected = await expectedIds(`region_formation = 'UI Lyon Est' and qpv in ('Oui', 'Yes')`);
    expect(await shownIds()).toEqual(expected);

    await page.goto(`${dashboard.url}/`);
    await page.goto(bookmarked);
    expect(await shownIds()).toEqual(expected);
    expect(await page.textContent('#result-count')).toContain(`${expected.length} candidat`);
    await page.goto(`${dashboard.url}/`);
  });

  it('sorts by a column', async () => {
    await andWait(() => page.click('a.sort[data-sort="nom"]'), (url) => url.searchParams.get('ordre') === 'desc');
    const names = await page.locator('#candidates tbody tr td:nth-child(4)').allTextContents();
    const expected = await warehouse.query<{ nom: string }>(
      `select nom from fact_odoo_crm_opportunite where est_en_recherche and est_actif
       order by lower(strip_accents(nom)) desc, lead_id`,
    );
    expect(names).toEqual(expected.map((row) => row.nom));
    await page.goto(`${dashboard.url}/`);
  });

  it('shows a long remark whole on hover and on keyboard focus, and a script remark as text', async () => {
    const remark = page.locator('tr[data-lead-id="2"] .remark.long');
    const tooltip = remark.locator('[role=tooltip]');
    expect(await tooltip.isVisible()).toBe(false);
    expect((await remark.innerText()).length).toBeLessThan(LONG_REMARK.length);

    await remark.hover();
    await tooltip.waitFor({ state: 'visible' });
    expect(await tooltip.textContent()).toBe(LONG_REMARK);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'candidats-remarque.png') });

    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });
    await remark.focus();
    await tooltip.waitFor({ state: 'visible' });
    await remark.blur();

    expect(await page.locator('tr[data-lead-id="1"] .remark').textContent()).toBe(SCRIPT_REMARK);
    expect(await page.locator('#candidates script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('exports exactly the filtered rows as CSV bytes', async () => {
    await pick('region_session', 'UI Paris Sud');
    const download = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]).then(([event]) => event);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -1);
    const expected = await expectedIds(`region_formation = 'UI Paris Sud'`);
    expect(body).toHaveLength(expected.length);
    const exportedIds = body.map((line) => Number(/web#id=(\d+)&/.exec(line)![1])).sort((a, b) => a - b);
    expect(exportedIds).toEqual(expected);
    expect(bytes.subarray(3).toString('utf8')).toContain(`"'=HYPERLINK(`);
    await page.goto(`${dashboard.url}/`);
  });

  it('renders every page at 1440×900 without console errors', async () => {
    await page.goto(`${dashboard.url}/`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'candidats.png') });
    await page.click('.filter[data-filter="region_session"] .ms-button');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'candidats-filtre.png') });
    await page.keyboard.press('Escape');

    await page.goto(`${dashboard.url}/qualite`);
    expect(await page.locator('#checks tbody tr').count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'qualite.png') });

    await page.goto(`${dashboard.url}/pipeline`);
    expect(await page.locator('#asset-graph g.asset').count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pipeline.png') });

    expect(consoleErrors).toEqual([]);
  });
});
