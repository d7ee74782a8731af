/**
 * Dashboard benchmark: synthesises a fact table (`--scale large` = 50,000 candidates in search),
 * publishes the serving snapshot, starts the real server on 127.0.0.1 and measures
 *   - the filtered list request (HTTP GET of the page: count, page of rows, options, counts, charts),
 *   - the CSV export of the unfiltered list,
 *   - the page load in headless Chromium (navigation to the load event), when Chromium is installed.
 *
 *   node bench/dashboard/bench.ts --scale large [--iterations 200]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../../dashboard/auth/passwords.ts';
import { upsertAccount } from '../../dashboard/auth/users.ts';
import { publishServingSnapshot } from '../../dashboard/serving/publish.ts';
import { CHROMIUM_PATH, launchChromium } from '../../dashboard/test-support/browser.ts';
import { signIn, startTestDashboard } from '../../dashboard/test-support/http.ts';
import { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';

const SCALES = { small: 500, medium: 5_000, large: 50_000 } as const;

const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'large' }, iterations: { type: 'string', default: '200' } },
});
const scale = values.scale as keyof typeof SCALES;
if (!(scale in SCALES)) throw new Error(`--scale ${values.scale}: use small, medium or large`);
const rows = SCALES[scale];
const iterations = Number(values.iterations);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-dashboard-bench-'));
const servingPath = path.join(dir, 'serving.duckdb');
const usersFile = path.join(dir, 'users.yaml');

// Candidate-like rows: 16 session regions, 13 candidate regions, 600 cities, 40 trainings, a CV
// for two thirds, remarks of up to 400 characters.
const FACT_SQL = `
  select i as lead_id,
    'Nom' || (i % 3000) as nom, 'Prénom' || (i % 700) as prenom, '06 ' || lpad(cast(i % 100000000 as varchar), 8, '0') as telephone,
    'candidat' || i || '@exemple.fr' as email,
    'Région ' || (i % 13) as region_candidat, 'Ville ' || (hash(i) % 600) as ville_candidat,
    case when i % 5 = 0 then repeat('Remarque longue sur la recherche. ', (i % 12) + 1) end as remarque_candidature,
    'Prénom' || (i % 700) || ' Nom' || (i % 3000) || ' - Formation ' || (hash(i * 7) % 40) as formation,
    case i % 4 when 0 then 'Reconversion' else 'Alternance' end as parcours,
    'UI ' || (hash(i * 3) % 16) as region_formation,
    true as est_en_recherche, true as est_actif,
    case when i % 6 = 0 then 'Oui' else 'Non' end as qpv, case when i % 9 = 0 then 'Oui' else 'Non' end as rsa,
    case when i % 11 = 0 then 'Oui' else 'Non' end as rqth,
    'Apprentissage' as contrat_alternance, 'Régionale' as mobilite,
    case when i % 3 <> 0 then 'http://odoo.bench/web/content/' || i end as lien_cv,
    'http://odoo.bench/web#id=' || i || '&model=crm.lead&view_type=form' as lien_fiche_crm,
    timestamp '2026-12-01 10:00:00' as date_modification
  from range(1, ${rows + 1}) as t(i)`;

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  return `${name.padEnd(34)} n=${String(sorted.length).padStart(4)}  p50 ${fmt(percentile(sorted, 0.5)).padStart(9)}  p95 ${fmt(percentile(sorted, 0.95)).padStart(9)}`;
}

const warehouse = await DuckDbWarehouse.open({ path: path.join(dir, 'warehouse.duckdb'), lakePath: (key) => key });
try {
  await warehouse.createTableAs('fact_odoo_crm_opportunite', FACT_SQL);
  const started = performance.now();
  await publishServingSnapshot({ warehouse, servingPath, runDate: '2026-12-04', runId: 'bench', workflowId: 'daily-2026-12-04' });
  process.stdout.write(`published ${rows} candidates in ${(performance.now() - started).toFixed(0)} ms\n`);
} finally {
  await warehouse.close();
}
upsertAccount(usersFile, {
  login: 'bench',
  role: 'admin',
  regions: '*',
  sensitive: true,
  passwordHash: await hashPassword('bench-password'),
});

const fixture = { dir, servingPath, usersFile, warehousePath: '', openWarehouse: () => Promise.reject(new Error('unused')), cleanup() {} };
const dashboard = await startTestDashboard(fixture, { PLACEMENT_LOG_LEVEL: 'warn' });
try {
  const cookies = await signIn(dashboard.url, 'bench', 'bench-password');
  const views = [
    '',
    'region_session=UI+3',
    'region_session=UI+3&region_session=UI+7&qpv=1',
    'region=R%C3%A9gion+4&ville=Ville+12&ville=Ville+99',
    'q=nom12',
    'formation=Formation+5&parcours=Alternance&tri=ville&ordre=desc',
    'page=40&taille=200',
  ];
  const get = async (query: string) => {
    const start = performance.now();
    const response = await fetch(`${dashboard.url}/?${query}`, { headers: { cookie: cookies } });
    await response.text();
    if (!response.ok) throw new Error(`GET /?${query} answered ${response.status}`);
    return performance.now() - start;
  };
  for (const view of views) await get(view); // warm-up

  const list: number[] = [];
  for (let index = 0; index < iterations; index += 1) list.push(await get(views[index % views.length]));

  const exports: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const start = performance.now();
    const response = await fetch(`${dashboard.url}/export.csv`, { headers: { cookie: cookies } });
    await response.arrayBuffer();
    exports.push(performance.now() - start);
  }

  const loads: number[] = [];
  if (fs.existsSync(CHROMIUM_PATH)) {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${dashboard.url}/connexion`);
      await page.fill('input[name=login]', 'bench');
      await page.fill('input[name=password]', 'bench-password');
      await Promise.all([page.waitForURL(`${dashboard.url}/`), page.click('form button[type=submit]')]);
      for (let index = 0; index < 20; index += 1) {
        const start = performance.now();
        await page.goto(`${dashboard.url}/?${views[index % views.length]}`, { waitUntil: 'load' });
        loads.push(performance.now() - start);
      }
    } finally {
      await browser.close();
    }
  }

  process.stdout.write(`\nscale ${scale}: ${rows} candidates, ${iterations} list requests\n`);
  process.stdout.write(`${summary('filtered list (HTTP, server side)', list)}\n`);
  process.stdout.write(`${summary(`CSV export (${rows} rows)`, exports)}\n`);
  process.stdout.write(
    loads.length > 0 ? `${summary('page load in Chromium', loads)}\n` : `page load: skipped, no Chromium at ${CHROMIUM_PATH}\n`,
  );
} finally {
  await dashboard.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
