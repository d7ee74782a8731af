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

function userInput(id: number, state: string, email: string | null) {
  return {
    reponse_sondage_id: id,
    sondage_id: 6,
    sondage: "Diagnostic d'entrée",
    partenaire_id: null,
    partenaire: null,
    email,
    etat: state,
    etat_code: state,
    date_creation: utc('2026-11-21 08:00:00'),
    date_modification: utc('2026-11-21 08:30:00'),
  };
}

describe('dim_odoo_crm_reponse_sondage', () => {
  it('gives every survey response its sending information and its normalised answers, if any', async () => {
    await given(warehouse, 'stg_odoo_survey_user_input', [
      userInput(14, 'Completed', 'lea.martin@example.org'),
      userInput(15, 'Not started yet', null),
    ]);
    await given(
      warehouse,
      'ods_odoo_crm_survey_response_normalised',
      [
        {
          reponse_sondage_id: 14,
          qpv: 'Oui',
          qpv_brut: 'Yes',
          rsa: 'Non',
          rsa_brut: 'Non',
          rqth: null,
          rqth_brut: null,
          france_travail: 'Oui',
          france_travail_brut: 'oui',
          nationalite: 'Française',
          contrat_alternance: "Contrat d'apprentissage",
          mobilite: 'Régionale',
          date_naissance: new Date('1998-03-14T00:00:00Z'),
          date_naissance_brut: '14/03/1998',
          age: 28,
          qpv_invalide: false,
          rsa_invalide: false,
          rqth_invalide: false,
          france_travail_invalide: false,
          date_naissance_invalide: false,
          age_invraisemblable: false,
        },
      ],
      { rqth: 'string', rqth_brut: 'string', date_naissance: 'date' },
    );

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
    expect(await runModel(warehouse, 'dim_odoo_crm_reponse_sondage')).toEqual([
      {
        reponse_sondage_id: 14,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée",
        etat: 'Completed',
        email: 'lea.martin@example.org',
        date_creation: utc('2026-11-21 08:00:00'),
        date_modification: utc('2026-11-21 08:30:00'),
        qpv: 'Oui',
        qpv_brut: 'Yes',
        rsa: 'Non',
        rsa_brut: 'Non',
        rqth: null,
        rqth_brut: null,
        france_travail: 'Oui',
        france_travail_brut: 'oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage",
        mobilite: 'Régionale',
        date_naissance: new Date('1998-03-14T00:00:00Z'),
        date_naissance_brut: '14/03/1998',
        age: 28,
      },
      {
        reponse_sondage_id: 15,
        sondage_id: 6,
        sondage: "Diagnostic d'entrée",
        etat: 'Not started yet',
        email: null,
        date_creation: utc('2026-11-21 08:00:00'),
        date_modification: utc('2026-11-21 08:30:00'),
        ...noAnswer,
      },
    ]);
  });
});
