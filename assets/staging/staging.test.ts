import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbWarehouse } from '../../warehouse/duckdb-warehouse.ts';
import { loadRawAssets, makeTempDir, openTestWarehouse, runModel, utc, writeExtractionRun } from '../test-helpers.ts';

const RUN_DATE = '2026-12-04';

let lakeDir: string;
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  lakeDir = makeTempDir();
  warehouse = await openTestWarehouse(lakeDir);
});

afterEach(async () => {
  await warehouse.close();
});

/** A crm.lead as Odoo returns it when nothing is filled in. */
function emptyLead(id: number): Record<string, unknown> {
  return {
    id,
    name: false,
    active: true,
    stage_id: false,
    create_date: '2026-12-01 09:00:00',
    write_date: '2026-12-01 09:00:00',
    contact_name: false,
    x_contact_firstname: false,
    phone: false,
    email_from: false,
    x_region: false,
    city: false,
    zip: false,
    description: false,
    x_parcours: false,
    x_impact_unit: false,
    x_survey_user_input_id: false,
  };
}

describe('stg_odoo_crm_lead', () => {
  it('types mapped fields, labels and NULLs', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      crm_lead: [
        [
          {
            ...emptyLead(45),
            name: 'Développeur web - Alternance',
            stage_id: [3, "En recherche d'entreprise"],
            create_date: '2026-11-20 08:15:00',
            write_date: '2026-12-03 17:42:10',
            contact_name: 'Martin',
            x_contact_firstname: 'Léa',
            phone: '06 12 34 56 78',
            email_from: 'lea.martin@example.org',
            x_region: 'idf',
            city: 'Oyonnax',
            zip: '01300',
            description:
              '<p>Disponible&nbsp;en <b>janvier</b> &amp; f&#233;vrier&#x2009;!</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
            x_parcours: 'formation',
            x_impact_unit: [2, 'Lyon Part-Dieu'],
            x_survey_user_input_id: [14, "Diagnostic d'entrée - Parcours d'insertion"],
          },
          { ...emptyLead(47), active: false },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    expect(await runModel(warehouse, 'stg_odoo_crm_lead')).toEqual([
      {
        lead_id: 45,
        nom: 'Martin',
        prenom: 'Léa',
        telephone: '06 12 34 56 78',
        email: 'lea.martin@example.org',
        region_candidat: 'Île-de-France',
        region_candidat_code: 'idf',
        ville_candidat: 'Oyonnax',
        code_postal: '01300',
        remarque_candidature: 'Disponible en janvier & février\u2009! <script>alert(1)</script>',
        remarque_candidature_html:
          '<p>Disponible&nbsp;en <b>janvier</b> &amp; f&#233;vrier&#x2009;!</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
        formation: 'Développeur web - Alternance',
        parcours: 'Formation',
        parcours_code: 'formation',
        region_formation: 'Lyon Part-Dieu',
        region_formation_id: 2,
        etape: "En recherche d'entreprise",
        etape_id: 3,
        reponse_sondage_id: 14,
        est_actif: true,
        date_creation: utc('2026-11-20 08:15:00'),
        date_modification: utc('2026-12-03 17:42:10'),
      },
      {
        lead_id: 47,
        nom: null,
        prenom: null,
        telephone: null,
        email: null,
        region_candidat: null,
        region_candidat_code: null,
        ville_candidat: null,
        code_postal: null,
        remarque_candidature: null,
        remarque_candidature_html: null,
        formation: null,
        parcours: null,
        parcours_code: null,
        region_formation: null,
        region_formation_id: null,
        etape: null,
        etape_id: null,
        reponse_sondage_id: null,
        est_actif: false,
        date_creation: utc('2026-12-01 09:00:00'),
        date_modification: utc('2026-12-01 09:00:00'),
      },
    ]);
  });

  it('keeps the latest write per lead', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      crm_lead: [
        [{ ...emptyLead(45), contact_name: 'Nouveau nom', write_date: '2026-12-03 10:00:00' }],
        [{ ...emptyLead(45), contact_name: 'Ancien nom', write_date: '2026-12-02 10:00:00' }],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    const rows = await runModel(warehouse, 'stg_odoo_crm_lead');

    expect(rows.map((row) => [row.lead_id, row.nom, row.date_modification])).toEqual([
      [45, 'Nouveau nom', utc('2026-12-03 10:00:00')],
    ]);
  });

  it('keeps an empty HTML remark apart from its raw value', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      crm_lead: [
        [
          { ...emptyLead(45), description: '<p><br></p>' },
          { ...emptyLead(46), description: '' },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    const rows = await runModel(warehouse, 'stg_odoo_crm_lead');

    expect(rows.map((row) => [row.remarque_candidature, row.remarque_candidature_html])).toEqual([
      [null, '<p><br></p>'],
      [null, ''],
    ]);
  });
});

describe('stg_odoo_crm_stage', () => {
  it('renames stages', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      crm_stage: [
        [
          { id: 1, name: 'Nouveau', sequence: 1, fold: false, write_date: '2026-11-01 00:00:00' },
          { id: 4, name: 'Perdu', sequence: 70, fold: true, write_date: '2026-11-02 00:00:00' },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    expect(await runModel(warehouse, 'stg_odoo_crm_stage')).toEqual([
      { etape_id: 1, nom: 'Nouveau', ordre: 1, est_repliee: false, date_modification: utc('2026-11-01 00:00:00') },
      { etape_id: 4, nom: 'Perdu', ordre: 70, est_repliee: true, date_modification: utc('2026-11-02 00:00:00') },
    ]);
  });
});

describe('stg_odoo_ir_attachment', () => {
  it('renames attachments, labels their type and treats res_id 0 as no record', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      ir_attachment: [
        [
          {
            id: 301,
            name: 'CV - Léa Martin.pdf',
            res_model: 'crm.lead',
            res_id: 45,
            mimetype: 'application/pdf',
            file_size: 48213,
            type: 'binary',
            url: false,
            create_date: '2026-12-01 10:00:00',
            write_date: '2026-12-01 10:00:00',
          },
          {
            id: 302,
            name: 'CV - lien LinkedIn',
            res_model: 'crm.lead',
            res_id: 0,
            mimetype: false,
            file_size: 0,
            type: 'url',
            url: 'https://www.linkedin.example/in/lea',
            create_date: '2026-12-02 10:00:00',
            write_date: '2026-12-02 10:00:00',
          },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    expect(await runModel(warehouse, 'stg_odoo_ir_attachment')).toEqual([
      {
        attachment_id: 301,
        nom_piece_jointe: 'CV - Léa Martin.pdf',
        res_model: 'crm.lead',
        lead_id: 45,
        type_piece_jointe: 'File',
        type_piece_jointe_code: 'binary',
        url: null,
        mimetype: 'application/pdf',
        taille_octets: 48213,
        date_creation: utc('2026-12-01 10:00:00'),
        date_modification: utc('2026-12-01 10:00:00'),
      },
      {
        attachment_id: 302,
        nom_piece_jointe: 'CV - lien LinkedIn',
        res_model: 'crm.lead',
        lead_id: null,
        type_piece_jointe: 'URL',
        type_piece_jointe_code: 'url',
        url: 'https://www.linkedin.example/in/lea',
        mimetype: null,
        taille_octets: 0,
        date_creation: utc('2026-12-02 10:00:00'),
        date_modification: utc('2026-12-02 10:00:00'),
      },
    ]);
  });
});

describe('survey staging models', () => {
  const survey = [6, "Diagnostic d'entrée - Parcours d'insertion"];

  it('renames questions and suggested answers', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      survey_question: [
        [
          {
            id: 70,
            title: 'Situation',
            question_type: false,
            is_page: true,
            survey_id: survey,
            sequence: 1,
            write_date: '2026-11-01 00:00:00',
          },
          {
            id: 71,
            title: 'Résidez-vous dans un QPV ?',
            question_type: 'simple_choice',
            is_page: false,
            survey_id: survey,
            sequence: 2,
            write_date: '2026-11-01 00:00:00',
          },
        ],
      ],
      survey_question_answer: [
        [
          {
            id: 150,
            value: 'Oui',
            question_id: [71, 'Résidez-vous dans un QPV ?'],
            sequence: 1,
            write_date: '2026-11-01 00:00:00',
          },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    expect(await runModel(warehouse, 'stg_odoo_survey_question')).toEqual([
      {
        question_id: 70,
        titre: 'Situation',
        type_question: null,
        type_question_code: null,
        est_page: true,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée - Parcours d'insertion",
        ordre: 1,
        date_modification: utc('2026-11-01 00:00:00'),
      },
      {
        question_id: 71,
        titre: 'Résidez-vous dans un QPV ?',
        type_question: 'Multiple choice: only one answer',
        type_question_code: 'simple_choice',
        est_page: false,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée - Parcours d'insertion",
        ordre: 2,
        date_modification: utc('2026-11-01 00:00:00'),
      },
    ]);
    expect(await runModel(warehouse, 'stg_odoo_survey_question_answer')).toEqual([
      { suggestion_id: 150, valeur: 'Oui', question_id: 71, ordre: 1, date_modification: utc('2026-11-01 00:00:00') },
    ]);
  });

  it('renames survey responses and labels their state', async () => {
    writeExtractionRun(lakeDir, RUN_DATE, {
      survey_user_input: [
        [
          {
            id: 14,
            survey_id: survey,
            partner_id: [52, 'Léa Martin'],
            email: 'lea.martin@example.org',
            state: 'done',
            create_date: '2026-11-21 08:00:00',
            write_date: '2026-11-21 08:30:00',
          },
          {
            id: 15,
            survey_id: survey,
            partner_id: false,
            email: false,
            state: 'new',
            create_date: '2026-11-22 08:00:00',
            write_date: '2026-11-22 08:00:00',
          },
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    expect(await runModel(warehouse, 'stg_odoo_survey_user_input')).toEqual([
      {
        reponse_sondage_id: 14,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée - Parcours d'insertion",
        partenaire_id: 52,
        partenaire: 'Léa Martin',
        email: 'lea.martin@example.org',
        etat: 'Completed',
        etat_code: 'done',
        date_creation: utc('2026-11-21 08:00:00'),
        date_modification: utc('2026-11-21 08:30:00'),
      },
      {
        reponse_sondage_id: 15,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée - Parcours d'insertion",
        partenaire_id: null,
        partenaire: null,
        email: null,
        etat: 'Not started yet',
        etat_code: 'new',
        date_creation: utc('2026-11-22 08:00:00'),
        date_modification: utc('2026-11-22 08:00:00'),
      },
    ]);
  });

  it('reads the answer of each type', async () => {
    const line = (id: number, answer: Record<string, unknown>) => ({
      id,
      user_input_id: [14, "Diagnostic d'entrée - Parcours d'insertion"],
      question_id: [71, 'Question'],
      answer_type: false,
      skipped: false,
      value_char_box: false,
      value_text_box: false,
      value_numerical_box: 0.0,
      value_date: false,
      value_datetime: false,
      suggested_answer_id: false,
      create_date: '2026-11-21 08:00:00',
      write_date: '2026-11-21 08:00:00',
      ...answer,
    });
    writeExtractionRun(lakeDir, RUN_DATE, {
      survey_user_input_line: [
        [
          line(1, {
            answer_type: 'suggestion',
            question_id: [71, 'Résidez-vous dans un QPV ?'],
            suggested_answer_id: [150, 'Résidez-vous dans un QPV ? : Oui'],
          }),
          line(2, { answer_type: 'char_box', value_char_box: 'Développeuse' }),
          line(3, { answer_type: 'text_box', value_text_box: 'Ligne 1\nLigne 2' }),
          line(4, { answer_type: 'numerical_box', value_numerical_box: 2.0 }),
          line(5, { answer_type: 'date', value_date: '1998-03-14' }),
          line(6, { answer_type: 'datetime', value_datetime: '2027-01-05 08:00:00' }),
          line(7, { skipped: true }),
        ],
      ],
    });
    await loadRawAssets(warehouse, lakeDir, RUN_DATE);

    const rows = await runModel(warehouse, 'stg_odoo_survey_user_input_line');

    const common = {
      reponse_sondage_id: 14,
      question_id: 71,
      question: 'Question',
      est_ignoree: false,
      suggestion_id: null,
      valeur_texte: null,
      valeur_nombre: null,
      valeur_date: null,
      valeur_datetime: null,
      date_creation: utc('2026-11-21 08:00:00'),
      date_modification: utc('2026-11-21 08:00:00'),
    };
    expect(rows).toEqual([
      {
        ...common,
        ligne_reponse_id: 1,
        question: 'Résidez-vous dans un QPV ?',
        type_reponse: 'Suggestion',
        type_reponse_code: 'suggestion',
        reponse: null,
        suggestion_id: 150,
      },
      {
        ...common,
        ligne_reponse_id: 2,
        type_reponse: 'Text',
        type_reponse_code: 'char_box',
        reponse: 'Développeuse',
        valeur_texte: 'Développeuse',
      },
      {
        ...common,
        ligne_reponse_id: 3,
        type_reponse: 'Free Text',
        type_reponse_code: 'text_box',
        reponse: 'Ligne 1\nLigne 2',
        valeur_texte: 'Ligne 1\nLigne 2',
      },
      {
        ...common,
        ligne_reponse_id: 4,
        type_reponse: 'Number',
        type_reponse_code: 'numerical_box',
        reponse: '2.0',
        valeur_nombre: 2,
      },
      {
        ...common,
        ligne_reponse_id: 5,
        type_reponse: 'Date',
        type_reponse_code: 'date',
        reponse: '1998-03-14',
        valeur_date: new Date('1998-03-14T00:00:00Z'),
      },
      {
        ...common,
        ligne_reponse_id: 6,
        type_reponse: 'Datetime',
        type_reponse_code: 'datetime',
        reponse: '2027-01-05 08:00:00',
        valeur_datetime: utc('2027-01-05 08:00:00'),
      },
      { ...common, ligne_reponse_id: 7, type_reponse: null, type_reponse_code: null, est_ignoree: true, reponse: null },
    ]);
  });
});
