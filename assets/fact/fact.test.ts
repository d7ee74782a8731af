import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';
import { given, makeTempDir, openTestWarehouse, runModel, utc } from '../test-helpers.ts';

let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  warehouse = await openTestWarehouse(makeTempDir());
});

afterEach(async () => {
  await warehouse.close();
});

function lead(leadId: number, stage: string | null, surveyResponseId: number | null) {
  return {
    lead_id: leadId,
    nom: 'Martin',
    prenom: 'Léa',
    telephone: '+33612345678',
    telephone_brut: '06 12 34 56 78',
    email: 'lea.martin@example.org',
    email_brut: ' Lea.Martin@example.org',
    ville_candidat: 'Oyonnax',
    ville_candidat_brut: 'OYONNAX',
    code_commune: '01283',
    code_postal: '01100',
    code_postal_brut: '1100',
    region_candidat: 'Auvergne-Rhône-Alpes',
    region_candidat_brut: 'ARA',
    code_region: '84',
    remarque_candidature: 'Disponible en janvier',
    formation: 'Développeur web',
    parcours: 'Formation',
    region_formation: 'Lyon Part-Dieu',
    region_formation_id: 2,
    etape: stage,
    etape_id: stage ? 3 : null,
    reponse_sondage_id: surveyResponseId,
    telephone_invalide: false,
    email_invalide: false,
    ville_est_code_postal: false,
    ville_inconnue: false,
    region_inconnue: false,
    etape_supprimee: false,
    est_test: leadId === 47,
    est_actif: true,
    date_creation: utc('2026-11-20 08:15:00'),
    date_modification: utc('2026-12-03 17:42:10'),
  };
}

/** A survey response as dim_odoo_crm_reponse_sondage gives it. */
function surveyResponse(id: number, answers: Record<string, string | number | Date | null> = {}) {
  return {
    reponse_sondage_id: id,
    sondage_id: 6,
    sondage: "Diagnostic d'entrée",
    etat: 'Completed',
    email: 'autre.adresse@example.org',
    date_creation: utc('2026-11-21 08:00:00'),
    date_modification: utc('2026-11-21 08:30:00'),
    qpv: null,
    qpv_brut: null,
    rsa: null,
    rsa_brut: null,
    rqth: null,
    rqth_brut: null,
    france_travail: null,
    france_travail_brut: null,
    nationalite: null,
    contrat_alternance: null,
    mobilite: null,
    date_naissance: null,
    date_naissance_brut: null,
    age: null,
    ...answers,
  };
}

const surveyTypes = {
  qpv: 'string',
  qpv_brut: 'string',
  rsa: 'string',
  rsa_brut: 'string',
  rqth: 'string',
  rqth_brut: 'string',
  france_travail: 'string',
  france_travail_brut: 'string',
  nationalite: 'string',
  contrat_alternance: 'string',
  mobilite: 'string',
  date_naissance: 'date',
  date_naissance_brut: 'string',
  age: 'int64',
} as const;

describe('fact_odoo_crm_opportunite', () => {
  it('joins CV, answers and CRM link', async () => {
    await given(warehouse, 'ods_odoo_crm_lead', [
      lead(45, "En recherche d'entreprise", 14),
      lead(46, 'Nouveau', null),
      lead(47, null, 99),
    ]);
    await given(warehouse, 'ods_odoo_crm_ir_attachment', [
      {
        lead_id: 45,
        attachment_id: 12,
        nom_piece_jointe: 'CV Martin.docx',
        type_piece_jointe_code: 'binary',
        lien_cv: 'https://odoo.example.test/web/content/12?download=true',
        date_creation: utc('2026-12-01 10:00:00'),
      },
    ]);
    await given(
      warehouse,
      'dim_odoo_crm_reponse_sondage',
      [
        surveyResponse(14, {
          qpv: 'Oui',
          qpv_brut: 'Yes',
          rsa: 'Non',
          rsa_brut: 'non',
          france_travail: 'Oui',
          france_travail_brut: 'Oui',
          nationalite: 'Française',
          contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
          mobilite: 'Régionale',
          date_naissance: new Date('1998-03-14T00:00:00Z'),
          date_naissance_brut: '14.03.1998',
          age: 28,
        }),
      ],
      surveyTypes,
    );

    const candidate = {
      nom: 'Martin',
      prenom: 'Léa',
      telephone: '+33612345678',
      telephone_brut: '06 12 34 56 78',
      email: 'lea.martin@example.org',
      email_brut: ' Lea.Martin@example.org',
      region_candidat: 'Auvergne-Rhône-Alpes',
      region_candidat_brut: 'ARA',
      ville_candidat: 'Oyonnax',
      ville_candidat_brut: 'OYONNAX',
      code_postal: '01100',
      remarque_candidature: 'Disponible en janvier',
      formation: 'Développeur web',
      parcours: 'Formation',
      region_formation: 'Lyon Part-Dieu',
      est_actif: true,
      date_creation: utc('2026-11-20 08:15:00'),
      date_modification: utc('2026-12-03 17:42:10'),
    };
    const noAnswer = {
      qpv: null,
      qpv_brut: null,
      rsa: null,
      rsa_brut: null,
      rqth: null,
      rqth_brut: null,
      france_travail: null,
      france_travail_brut: null,
      nationalite: null,
      contrat_alternance: null,
      mobilite: null,
      date_naissance: null,
      date_naissance_brut: null,
      age: null,
    };
    expect(await runModel(warehouse, 'fact_odoo_crm_opportunite')).toEqual([
      {
        lead_id: 45,
        ...candidate,
        etape: "En recherche d'entreprise",
        est_en_recherche: true,
        est_test: false,
        qpv: 'Oui',
        qpv_brut: 'Yes',
        rsa: 'Non',
        rsa_brut: 'non',
        rqth: null,
        rqth_brut: null,
        france_travail: 'Oui',
        france_travail_brut: 'Oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
        mobilite: 'Régionale',
        date_naissance: new Date('1998-03-14T00:00:00Z'),
        date_naissance_brut: '14.03.1998',
        age: 28,
        lien_cv: 'https://odoo.example.test/web/content/12?download=true',
        lien_fiche_crm: 'https://odoo.example.test/web#id=45&model=crm.lead&view_type=form',
      },
      {
        lead_id: 46,
        ...candidate,
        etape: 'Nouveau',
        est_en_recherche: false,
        est_test: false,
        ...noAnswer,
        lien_cv: null,
        lien_fiche_crm: 'https://odoo.example.test/web#id=46&model=crm.lead&view_type=form',
      },
      {
        lead_id: 47,
        ...candidate,
        etape: null,
        est_en_recherche: false,
        est_test: true,
        ...noAnswer,
        lien_cv: null,
        lien_fiche_crm: 'https://odoo.example.test/web#id=47&model=crm.lead&view_type=form',
      },
    ]);
  });

  it('keeps the product columns in the documented order', async () => {
    await given(warehouse, 'ods_odoo_crm_lead', [lead(45, null, null)]);
    await given(warehouse, 'ods_odoo_crm_ir_attachment', [
      {
        lead_id: 1,
        attachment_id: 1,
        nom_piece_jointe: 'CV',
        type_piece_jointe_code: 'binary',
        lien_cv: 'x',
        date_creation: utc('2026-12-01 10:00:00'),
      },
    ]);
    await given(warehouse, 'dim_odoo_crm_reponse_sondage', [surveyResponse(1)], surveyTypes);

    const [row] = await runModel(warehouse, 'fact_odoo_crm_opportunite');

    expect(Object.keys(row)).toEqual([
      'lead_id',
      'nom',
      'prenom',
      'telephone',
      'telephone_brut',
      'email',
      'email_brut',
      'region_candidat',
      'region_candidat_brut',
      'ville_candidat',
      'ville_candidat_brut',
      'code_postal',
      'remarque_candidature',
      'formation',
      'parcours',
      'region_formation',
      'etape',
      'est_en_recherche',
      'est_actif',
      'est_test',
      'qpv',
      'qpv_brut',
      'rsa',
      'rsa_brut',
      'rqth',
      'rqth_brut',
      'france_travail',
      'france_travail_brut',
      'nationalite',
      'contrat_alternance',
      'mobilite',
      'date_naissance',
      'date_naissance_brut',
      'age',
      'lien_cv',
      'lien_fiche_crm',
      'date_creation',
      'date_modification',
    ]);
  });
});
