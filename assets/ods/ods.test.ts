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

function attachment(
  attachmentId: number,
  name: string,
  leadId: number | null,
  createdAt: string,
  overrides: Record<string, string | number | null> = {},
) {
  return {
    attachment_id: attachmentId,
    nom_piece_jointe: name,
    res_model: 'crm.lead',
    lead_id: leadId,
    type_piece_jointe: 'File',
    type_piece_jointe_code: 'binary',
    url: null,
    mimetype: 'application/pdf',
    taille_octets: 1000,
    date_creation: utc(createdAt),
    date_modification: utc(createdAt),
    ...overrides,
  };
}

describe('ods_odoo_crm_ir_attachment', () => {
  it('links only web addresses typed as CV URLs', async () => {
    await given(warehouse, 'stg_odoo_ir_attachment', [
      attachment(60, 'CV - lien', 51, '2026-12-01 10:00:00', {
        type_piece_jointe: 'URL',
        type_piece_jointe_code: 'url',
        url: 'javascript:alert(document.cookie)',
      }),
      attachment(61, 'CV - lien', 52, '2026-12-01 10:00:00', {
        type_piece_jointe: 'URL',
        type_piece_jointe_code: 'url',
        url: 'HTTPS://cv.example/anne',
      }),
    ]);

    const rows = await runModel(warehouse, 'ods_odoo_crm_ir_attachment');

    expect(rows.map((row) => [row.attachment_id, row.lien_cv])).toEqual([
      [60, null],
      [61, 'HTTPS://cv.example/anne'],
    ]);
  });

  it('keeps the latest CV per lead', async () => {
    await given(warehouse, 'stg_odoo_ir_attachment', [
      attachment(10, 'CV - Léa Martin.pdf', 45, '2026-11-01 10:00:00'),
      attachment(11, 'cv_lea_martin_2026.pdf', 45, '2026-12-01 10:00:00'),
      // same creation second as 11 (one Odoo transaction): the highest id wins
      attachment(12, 'CV Martin.docx', 45, '2026-12-01 10:00:00'),
      attachment(13, 'Lettre de motivation - Léa Martin.pdf', 45, '2026-12-02 10:00:00'),
      attachment(20, 'CV - lien LinkedIn', 46, '2026-12-01 10:00:00', {
        type_piece_jointe: 'URL',
        type_piece_jointe_code: 'url',
        url: 'https://www.linkedin.example/in/paul',
      }),
      attachment(30, 'Curriculum Vitae.pdf', 47, '2026-12-01 10:00:00'),
      // a CV on a contact, not on a lead
      attachment(40, 'CV - Jean Dupont.pdf', 48, '2026-12-03 10:00:00', { res_model: 'res.partner' }),
      // "cv" inside a word is not a CV
      attachment(50, 'recvoir.pdf', 49, '2026-12-03 10:00:00'),
    ]);

    expect(await runModel(warehouse, 'ods_odoo_crm_ir_attachment')).toEqual([
      {
        lead_id: 45,
        attachment_id: 12,
        nom_piece_jointe: 'CV Martin.docx',
        type_piece_jointe_code: 'binary',
        lien_cv: 'https://odoo.example.test/web/content/12?download=true',
        date_creation: utc('2026-12-01 10:00:00'),
      },
      {
        lead_id: 46,
        attachment_id: 20,
        nom_piece_jointe: 'CV - lien LinkedIn',
        type_piece_jointe_code: 'url',
        lien_cv: 'https://www.linkedin.example/in/paul',
        date_creation: utc('2026-12-01 10:00:00'),
      },
      {
        lead_id: 47,
        attachment_id: 30,
        nom_piece_jointe: 'Curriculum Vitae.pdf',
        type_piece_jointe_code: 'binary',
        lien_cv: 'https://odoo.example.test/web/content/30?download=true',
        date_creation: utc('2026-12-01 10:00:00'),
      },
    ]);
  });
});

function question(questionId: number, title: string, isPage = false) {
  return {
    question_id: questionId,
    titre: title,
    type_question: 'Multiple choice: only one answer',
    type_question_code: 'simple_choice',
    est_page: isPage,
    sondage_id: 6,
    sondage: "Diagnostic d'entrée",
    ordre: questionId,
    date_modification: utc('2026-11-01 00:00:00'),
  };
}

describe('ods_odoo_crm_survey_question_filtered', () => {
  it('keeps the questions whose title matches a mapping pattern, with their attribute', async () => {
    await given(warehouse, 'stg_odoo_survey_question', [
      question(70, 'Vos aides', true),
      question(71, 'Résidez-vous dans un QPV (quartier prioritaire) ?'),
      question(72, 'Êtes-vous bénéficiaire du RSA ?'),
      question(73, 'Avez-vous une RQTH ?'),
      question(74, 'Êtes-vous inscrit à France Travail ?'),
      question(75, 'Nationalité'),
      question(76, 'Type de contrat souhaité'),
      question(77, 'MOBILITÉ géographique'),
      question(78, 'Date de naissance'),
      question(79, 'Niveau de motivation'),
      question(80, 'Inscrit à Pôle emploi depuis plus de 12 mois ?'),
    ]);

    const rows = await runModel(warehouse, 'ods_odoo_crm_survey_question_filtered');

    expect(rows.map((row) => [row.question_id, row.attribut])).toEqual([
      [71, 'qpv'],
      [72, 'rsa'],
      [73, 'rqth'],
      [74, 'france_travail'],
      [75, 'nationalite'],
      [76, 'contrat_alternance'],
      [77, 'mobilite'],
      [78, 'date_naissance'],
      [80, 'france_travail'],
    ]);
    expect(rows[0]).toEqual({
      question_id: 71,
      titre: 'Résidez-vous dans un QPV (quartier prioritaire) ?',
      attribut: 'qpv',
      type_question_code: 'simple_choice',
      sondage_id: 6,
      sondage: "Diagnostic d'entrée",
    });
  });
});

describe('ods_odoo_crm_survey_response_pivot', () => {
  function line(
    lineId: number,
    userInputId: number,
    questionId: number,
    answer: { type: string; reponse?: string; suggestionId?: number; skipped?: boolean },
  ) {
    return {
      ligne_reponse_id: lineId,
      reponse_sondage_id: userInputId,
      question_id: questionId,
      question: 'Question',
      type_reponse: answer.type,
      type_reponse_code: answer.type,
      est_ignoree: answer.skipped ?? false,
      reponse: answer.reponse ?? null,
      suggestion_id: answer.suggestionId ?? null,
      valeur_texte: null,
      valeur_nombre: null,
      valeur_date: null,
      valeur_datetime: null,
      date_creation: utc('2026-11-21 08:00:00'),
      date_modification: utc('2026-11-21 08:00:00'),
    };
  }

  it('pivots one row per response, joining the answers of a multiple choice question', async () => {
    await given(warehouse, 'ods_odoo_crm_survey_question_filtered', [
      {
        question_id: 71,
        titre: 'QPV ?',
        attribut: 'qpv',
        type_question_code: 'simple_choice',
        sondage_id: 6,
        sondage: 'D',
      },
      {
        question_id: 76,
        titre: 'Type de contrat souhaité',
        attribut: 'contrat_alternance',
        type_question_code: 'multiple_choice',
        sondage_id: 6,
        sondage: 'D',
      },
      {
        question_id: 78,
        titre: 'Date de naissance',
        attribut: 'date_naissance',
        type_question_code: 'date',
        sondage_id: 6,
        sondage: 'D',
      },
    ]);
    await given(warehouse, 'stg_odoo_survey_question_answer', [
      { suggestion_id: 150, valeur: 'Oui', question_id: 71, ordre: 1, date_modification: utc('2026-11-01 00:00:00') },
      { suggestion_id: 151, valeur: 'Non', question_id: 71, ordre: 2, date_modification: utc('2026-11-01 00:00:00') },
      {
        suggestion_id: 160,
        valeur: 'Contrat de professionnalisation',
        question_id: 76,
        ordre: 1,
        date_modification: utc('2026-11-01 00:00:00'),
      },
      {
        suggestion_id: 161,
        valeur: "Contrat d'apprentissage",
        question_id: 76,
        ordre: 2,
        date_modification: utc('2026-11-01 00:00:00'),
      },
    ]);
    await given(warehouse, 'stg_odoo_survey_user_input_line', [
      line(1, 14, 71, { type: 'suggestion', suggestionId: 150 }),
      line(2, 14, 76, { type: 'suggestion', suggestionId: 160 }),
      line(3, 14, 76, { type: 'suggestion', suggestionId: 161 }),
      // the same choice sent twice counts once
      line(4, 14, 76, { type: 'suggestion', suggestionId: 161 }),
      line(5, 14, 78, { type: 'date', reponse: '1998-03-14' }),
      // a question no pattern maps
      line(6, 14, 99, { type: 'char_box', reponse: 'Développeuse' }),
      line(7, 15, 71, { type: 'suggestion', suggestionId: 151 }),
      line(8, 15, 78, { type: 'date', skipped: true }),
      line(9, 16, 99, { type: 'char_box', reponse: 'Boulanger' }),
    ]);

    expect(await runModel(warehouse, 'ods_odoo_crm_survey_response_pivot')).toEqual([
      {
        reponse_sondage_id: 14,
        qpv: 'Oui',
        rsa: null,
        rqth: null,
        france_travail: null,
        nationalite: null,
        contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
        mobilite: null,
        date_naissance: '1998-03-14',
      },
      {
        reponse_sondage_id: 15,
        qpv: 'Non',
        rsa: null,
        rqth: null,
        france_travail: null,
        nationalite: null,
        contrat_alternance: null,
        mobilite: null,
        date_naissance: null,
      },
    ]);
  });
});
