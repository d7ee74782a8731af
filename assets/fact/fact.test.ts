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
    telephone: '06 12 34 56 78',
    email: 'lea.martin@example.org',
    region_candidat: 'Île-de-France',
    region_candidat_code: 'idf',
    ville_candidat: 'Oyonnax',
    code_postal: '01300',
    remarque_candidature: 'Disponible en janvier',
    remarque_candidature_html: '<p>Disponible en janvier</p>',
    formation: 'Développeur web',
    parcours: 'Formation',
    parcours_code: 'formation',
    region_formation: 'Lyon Part-Dieu',
    region_formation_id: 2,
    etape: stage,
    etape_id: stage ? 3 : null,
    reponse_sondage_id: surveyResponseId,
    est_actif: true,
    date_creation: utc('2026-11-20 08:15:00'),
    date_modification: utc('2026-12-03 17:42:10'),
  };
}

describe('fact_odoo_crm_opportunite', () => {
  it('joins CV, answers and CRM link', async () => {
    await given(warehouse, 'stg_odoo_crm_lead', [
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
    await given(warehouse, 'dim_odoo_crm_reponse_sondage', [
      {
        reponse_sondage_id: 14,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée",
        etat: 'Completed',
        email: 'autre.adresse@example.org',
        date_creation: utc('2026-11-21 08:00:00'),
        date_modification: utc('2026-11-21 08:30:00'),
        qpv: 'Oui',
        rsa: 'Non',
        rqth: null,
        france_travail: 'Oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
        mobilite: 'Régionale',
        date_naissance: '1998-03-14',
      },
    ]);

    const candidate = {
      nom: 'Martin',
      prenom: 'Léa',
      telephone: '06 12 34 56 78',
      email: 'lea.martin@example.org',
      region_candidat: 'Île-de-France',
      ville_candidat: 'Oyonnax',
      code_postal: '01300',
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
      rsa: null,
      rqth: null,
      france_travail: null,
      nationalite: null,
      contrat_alternance: null,
      mobilite: null,
      date_naissance: null,
    };
    expect(await runModel(warehouse, 'fact_odoo_crm_opportunite')).toEqual([
      {
        lead_id: 45,
        ...candidate,
        etape: "En recherche d'entreprise",
        est_en_recherche: true,
        qpv: 'Oui',
        rsa: 'Non',
        rqth: null,
        france_travail: 'Oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
        mobilite: 'Régionale',
        date_naissance: '1998-03-14',
        lien_cv: 'https://odoo.example.test/web/content/12?download=true',
        lien_fiche_crm: 'https://odoo.example.test/web#id=45&model=crm.lead&view_type=form',
      },
      {
        lead_id: 46,
        ...candidate,
        etape: 'Nouveau',
        est_en_recherche: false,
        ...noAnswer,
        lien_cv: null,
        lien_fiche_crm: 'https://odoo.example.test/web#id=46&model=crm.lead&view_type=form',
      },
      {
        lead_id: 47,
        ...candidate,
        etape: null,
        est_en_recherche: false,
        ...noAnswer,
        lien_cv: null,
        lien_fiche_crm: 'https://odoo.example.test/web#id=47&model=crm.lead&view_type=form',
      },
    ]);
  });

  it('keeps the product columns in the documented order', async () => {
    await given(warehouse, 'stg_odoo_crm_lead', [lead(45, null, null)]);
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
    await given(warehouse, 'dim_odoo_crm_reponse_sondage', [
      {
        reponse_sondage_id: 1,
        sondage_id: 6,
        sondage: 'D',
        etat: 'Completed',
        email: null,
        date_creation: utc('2026-11-21 08:00:00'),
        date_modification: utc('2026-11-21 08:30:00'),
        qpv: null,
        rsa: null,
        rqth: null,
        france_travail: null,
        nationalite: null,
        contrat_alternance: null,
        mobilite: null,
        date_naissance: null,
      },
    ]);

    const [row] = await runModel(warehouse, 'fact_odoo_crm_opportunite');

    expect(Object.keys(row)).toEqual([
      'lead_id',
      'nom',
      'prenom',
      'telephone',
      'email',
      'region_candidat',
      'ville_candidat',
      'code_postal',
      'remarque_candidature',
      'formation',
      'parcours',
      'region_formation',
      'etape',
      'est_en_recherche',
      'est_actif',
      'qpv',
      'rsa',
      'rqth',
      'france_travail',
      'nationalite',
      'contrat_alternance',
      'mobilite',
      'date_naissance',
      'lien_cv',
      'lien_fiche_crm',
      'date_creation',
      'date_modification',
    ]);
  });
});
