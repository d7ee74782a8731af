/**
 * The ODS normalisation models over the values hand-typed CRM data really holds: every kind of bad
 * value has a row, with the exact normalised value or flag expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaterializeActivities } from '../../activities/materialize.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import type { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';
import { given, makeTempDir, openTestWarehouse, runModel, TEST_ODOO_URL, testMapping, utc } from '../test-helpers.ts';

let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  const lakeDir = makeTempDir();
  warehouse = await openTestWarehouse(lakeDir);
  const activities = createMaterializeActivities({
    lake: new LocalLake(lakeDir),
    warehouse,
    mapping: testMapping(),
    odooUrl: TEST_ODOO_URL,
  });
  for (const seed of ['ref_region', 'ref_commune', 'ref_region_alias']) {
    await activities.materializeAsset({ assetKey: seed, runDate: '2026-12-04' });
  }
});

afterAll(async () => {
  await warehouse.close();
});

type TypedContact = {
  nom?: string | null;
  prenom?: string | null;
  formation?: string | null;
  telephone?: string | null;
  email?: string | null;
  region?: string | null;
  ville?: string | null;
  code_postal?: string | null;
  etape_id?: number;
};

function stagedLead(leadId: number, typed: TypedContact) {
  return {
    lead_id: leadId,
    nom: typed.nom ?? 'Martin',
    prenom: typed.prenom ?? 'Léa',
    telephone: typed.telephone ?? null,
    email: typed.email ?? null,
    region_candidat: typed.region ?? null,
    region_candidat_code: null,
    ville_candidat: typed.ville ?? null,
    code_postal: typed.code_postal ?? null,
    remarque_candidature: null,
    remarque_candidature_html: null,
    formation: typed.formation ?? 'Développeur web',
    parcours: 'Formation',
    parcours_code: 'formation',
    region_formation: 'Lyon Part-Dieu',
    region_formation_id: 2,
    etape: "En recherche d'entreprise",
    etape_id: typed.etape_id ?? 3,
    reponse_sondage_id: null,
    est_actif: true,
    date_creation: utc('2026-11-20 08:15:00'),
    date_modification: utc('2026-12-03 17:42:10'),
  };
}

const noFlag = {
  telephone_invalide: false,
  email_invalide: false,
  ville_est_code_postal: false,
  ville_inconnue: false,
  region_inconnue: false,
  etape_supprimee: false,
  est_test: false,
};

describe('ods_odoo_crm_lead', () => {
  it('normalises phones, emails, cities and regions, and flags what it cannot normalise', async () => {
    // Rows 1-10 are the spreadsheet-era dashboard sample; the others add the remaining kinds of bad value.
    const typed: TypedContact[] = [
      { prenom: 'Chloé', nom: 'Marchetti', formation: 'Chloé Marchetti - Test' },
      { region: 'Hauts-de-France', ville: "La Chapelle d'Armentières" },
      { email: 'k.nadir@exemple.fr', telephone: '06 39 98 10 01', region: 'Auvergne-Rhône-Alpes', ville: 'Chanain' },
      { email: 'agathe.bonnefoy@exemple.fr', telephone: '+33639981002', region: 'Nouvelle-Aquitaine', ville: 'Anglet' },
      { email: 'a.pasteur@exemple.fr', telephone: '0639981003', region: 'Auvergne-Rhône-Alpes', ville: 'HEYRIEUX' },
      { email: 'alice.billardaux-air.fr', telephone: '06.39.98.10.04' },
      { email: 'aminata.sy@exemple.fr', telephone: '0033 6 39 98 10 05', region: 'GSO', ville: 'Bordeaux' },
      { email: 'anais.ciesla@exemple.fr', telephone: '06 39 98 10 06', region: 'Hauts-de-France', ville: 'Lille' },
      { email: 'anais.dieu@exemple.fr', telephone: '639981007', region: 'Occitanie', ville: 'Toulouse' },
      { email: 'y.lahmar@exemple.all.com', telephone: '06 39 98 10 08', region: 'SUD', ville: '92110' },
      { email: ' LEA@EXEMPLE.FR ', telephone: '+33 (0)6 12 34 56 78', region: 'auvergne rhone alpes', ville: 'ST ETIENNE' },
      { email: 'lea @ exemple.fr', telephone: '12 34', region: 'Atlantide', ville: 'Oyonnax', code_postal: '1100' },
      { telephone: '+44 20 7946 0958', region: 'GSO', ville: 'Lille', etape_id: 7 },
      { nom: 'TEST', prenom: 'TEST', formation: 'TEST TEST', telephone: '0044 20 7946 0958', ville: 'Oyonnax' },
      { nom: 'Testard', formation: 'Contestation', ville: '99999' },
    ];
    await given(
      warehouse,
      'stg_odoo_crm_lead',
      typed.map((contact, index) => stagedLead(index + 1, contact)),
      { telephone: 'string', email: 'string', region_candidat: 'string', region_candidat_code: 'string', ville_candidat: 'string', code_postal: 'string', remarque_candidature: 'string', remarque_candidature_html: 'string', reponse_sondage_id: 'int64' },
    );

    await given(warehouse, 'stg_odoo_crm_stage', [
      { etape_id: 3, nom: "En recherche d'entreprise", ordre: 3, est_repliee: false, date_modification: utc('2024-06-03 08:00:00') },
    ]);

    const rows = await runModel(warehouse, 'ods_odoo_crm_lead');
    const normalised = rows.map((row) => ({
      lead_id: row.lead_id,
      telephone: row.telephone,
      email: row.email,
      ville_candidat: row.ville_candidat,
      code_commune: row.code_commune,
      code_postal: row.code_postal,
      region_candidat: row.region_candidat,
      code_region: row.code_region,
      telephone_invalide: row.telephone_invalide,
      email_invalide: row.email_invalide,
      ville_est_code_postal: row.ville_est_code_postal,
      ville_inconnue: row.ville_inconnue,
      region_inconnue: row.region_inconnue,
      etape_supprimee: row.etape_supprimee,
      est_test: row.est_test,
    }));

    const nothing = {
      telephone: null,
      email: null,
      ville_candidat: null,
      code_commune: null,
      code_postal: null,
      region_candidat: null,
      code_region: null,
    };
    const hdf = { region_candidat: 'Hauts-de-France', code_region: '32' };
    const ara = { region_candidat: 'Auvergne-Rhône-Alpes', code_region: '84' };
    expect(normalised).toEqual([
      { lead_id: 1, ...nothing, ...noFlag, est_test: true },
      { lead_id: 2, ...nothing, ville_candidat: "La Chapelle-d'Armentières", code_commune: '59143', ...hdf, ...noFlag },
      { lead_id: 3, ...nothing, telephone: '+33639981001', email: 'k.nadir@exemple.fr', ...ara, ...noFlag, ville_inconnue: true },
      {
        lead_id: 4,
        telephone: '+33639981002',
        email: 'agathe.bonnefoy@exemple.fr',
        ville_candidat: 'Anglet',
        code_commune: '64024',
        code_postal: null,
        region_candidat: 'Nouvelle-Aquitaine',
        code_region: '75',
        ...noFlag,
      },
      {
        lead_id: 5,
        ...nothing,
        telephone: '+33639981003',
        email: 'a.pasteur@exemple.fr',
        ville_candidat: 'Heyrieux',
        code_commune: '38189',
        ...ara,
        ...noFlag,
      },
      { lead_id: 6, ...nothing, telephone: '+33639981004', ...noFlag, email_invalide: true },
      {
        lead_id: 7,
        telephone: '+33639981005',
        email: 'aminata.sy@exemple.fr',
        ville_candidat: 'Bordeaux',
        code_commune: '33063',
        code_postal: null,
        // GSO spans two regions: the city settles it
        region_candidat: 'Nouvelle-Aquitaine',
        code_region: '75',
        ...noFlag,
      },
      {
        lead_id: 8,
        ...nothing,
        telephone: '+33639981006',
        email: 'anais.ciesla@exemple.fr',
        ville_candidat: 'Lille',
        code_commune: '59350',
        ...hdf,
        ...noFlag,
      },
      {
        lead_id: 9,
        ...nothing,
        telephone: '+33639981007',
        email: 'anais.dieu@exemple.fr',
        ville_candidat: 'Toulouse',
        code_commune: '31555',
        region_candidat: 'Occitanie',
        code_region: '76',
        ...noFlag,
      },
      {
        lead_id: 10,
        telephone: '+33639981008',
        email: 'y.lahmar@exemple.all.com',
        ville_candidat: 'Clichy',
        code_commune: '92024',
        code_postal: '92110',
        // the typed region wins over the city's (Île-de-France); SUD is an alias of 93
        region_candidat: "Provence-Alpes-Côte d'Azur",
        code_region: '93',
        ...noFlag,
        ville_est_code_postal: true,
      },
      {
        lead_id: 11,
        ...nothing,
        telephone: '+33612345678',
        email: 'lea@exemple.fr',
        ville_candidat: 'Saint-Étienne',
        code_commune: '42218',
        ...ara,
        ...noFlag,
      },
      {
        lead_id: 12,
        ...nothing,
        ville_candidat: 'Oyonnax',
        code_commune: '01283',
        code_postal: '01100',
        ...noFlag,
        telephone_invalide: true,
        email_invalide: true,
        region_inconnue: true,
      },
      {
        lead_id: 13,
        ...nothing,
        telephone: '+442079460958',
        ville_candidat: 'Lille',
        code_commune: '59350',
        // GSO does not cover Hauts-de-France: unresolved, flagged
        ...noFlag,
        region_inconnue: true,
        etape_supprimee: true,
      },
      {
        lead_id: 14,
        ...nothing,
        telephone: '+442079460958',
        ville_candidat: 'Oyonnax',
        code_commune: '01283',
        // no region typed: the city's region
        ...ara,
        ...noFlag,
        est_test: true,
      },
      { lead_id: 15, ...nothing, ...noFlag, ville_est_code_postal: true, ville_inconnue: true, code_postal: '99999' },
    ]);
  });

  it('keeps the typed values beside the normalised ones', async () => {
    const [row] = await runModel(warehouse, 'ods_odoo_crm_lead');

    expect(row).toMatchObject({ lead_id: 1, telephone_brut: null, email_brut: null, formation: 'Chloé Marchetti - Test' });
    const rows = await warehouse.query(
      'select telephone_brut, email_brut, ville_candidat_brut, code_postal_brut, region_candidat_brut from ods_odoo_crm_lead where lead_id = 12',
    );
    expect(rows).toEqual([
      {
        telephone_brut: '12 34',
        email_brut: 'lea @ exemple.fr',
        ville_candidat_brut: 'Oyonnax',
        code_postal_brut: '1100',
        region_candidat_brut: 'Atlantide',
      },
    ]);
  });
});

describe('ods_odoo_crm_survey_response_normalised', () => {
  /** One respondent per case: [answer to QPV, answer to date of birth], answered on 2026-11-21. */
  const answers: [string | null, string | null][] = [
    ['Oui', '03/07/2004'],
    ['Yes', '04/12/07/2004'],
    ['oui', '08.07.2000'],
    ['OUI', '04.12.1998'],
    ['true', '04/12/2004'],
    ['1', '2004-12-04'],
    ['No', '04-12-2004'],
    ['non', '04/12/04'],
    ['NON', '04122004'],
    ['false', '4 décembre 2004'],
    ['0', '1er mars 2000'],
    ['Ne sait pas', '31/02/2004'],
    ['Peut-être', 'né(e) en 1990'],
    ['Oui, Non', '12/05/2020'],
    [null, '1900-01-01'],
    ['Non', '12/05/55'],
    ['Non', null],
  ];

  it('normalises Oui/Non spellings and French birth dates, flagging the rest', async () => {
    await given(
      warehouse,
      'ods_odoo_crm_survey_response_pivot',
      answers.map(([qpv, birthDate], index) => ({
        reponse_sondage_id: index + 1,
        qpv,
        rsa: 'Non',
        rqth: null,
        france_travail: 'Y',
        nationalite: 'Française',
        contrat_alternance: null,
        mobilite: null,
        date_naissance: birthDate,
      })),
      { qpv: 'string', rqth: 'string', contrat_alternance: 'string', mobilite: 'string', date_naissance: 'string' },
    );
    await given(
      warehouse,
      'stg_odoo_survey_user_input',
      answers.map((_, index) => ({ reponse_sondage_id: index + 1, date_creation: utc('2026-11-21 08:00:00') })),
    );

    const rows = await runModel(warehouse, 'ods_odoo_crm_survey_response_normalised');
    const normalised = rows.map((row) => [
      row.qpv,
      row.qpv_invalide,
      (row.date_naissance as Date | null)?.toISOString().slice(0, 10) ?? null,
      row.age,
      row.date_naissance_invalide,
      row.age_invraisemblable,
    ]);

    expect(normalised).toEqual([
      ['Oui', false, '2004-07-03', 22, false, false],
      ['Oui', false, null, null, true, false],
      ['Oui', false, '2000-07-08', 26, false, false],
      ['Oui', false, '1998-12-04', 27, false, false],
      ['Oui', false, '2004-12-04', 21, false, false],
      ['Oui', false, '2004-12-04', 21, false, false],
      ['Non', false, '2004-12-04', 21, false, false],
      ['Non', false, '2004-12-04', 21, false, false],
      ['Non', false, '2004-12-04', 21, false, false],
      ['Non', false, '2004-12-04', 21, false, false],
      ['Non', false, '2000-03-01', 26, false, false],
      ['Ne sait pas', false, null, null, true, false],
      [null, true, null, null, true, false],
      [null, true, '2020-05-12', 6, false, true],
      [null, false, '1900-01-01', 126, false, true],
      ['Non', false, '1955-05-12', 71, false, true],
      ['Non', false, null, null, false, false],
    ]);
    expect(rows.map((row) => [row.rsa, row.rqth, row.france_travail, row.france_travail_invalide])).toEqual(
      answers.map(() => ['Non', null, 'Oui', false]),
    );
  });

  it('keeps the answers as given beside the normalised ones', async () => {
    const rows = await warehouse.query(
      `select qpv_brut, date_naissance_brut from ods_odoo_crm_survey_response_normalised order by reponse_sondage_id`,
    );

    expect(rows.map((row) => [row.qpv_brut, row.date_naissance_brut])).toEqual(answers);
  });
});
