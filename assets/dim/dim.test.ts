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
  it('gives every survey response its sending information and its pivoted answers, if any', async () => {
    await given(warehouse, 'stg_odoo_survey_user_input', [
      userInput(14, 'Completed', 'lea.martin@example.org'),
      userInput(15, 'Not started yet', null),
    ]);
    await given(warehouse, 'ods_odoo_crm_survey_response_pivot', [
      {
        reponse_sondage_id: 14,
        qpv: 'Oui',
        rsa: 'Non',
        rqth: null,
        france_travail: 'Oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage",
        mobilite: 'Régionale',
        date_naissance: '1998-03-14',
      },
    ]);

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
        rsa: 'Non',
        rqth: null,
        france_travail: 'Oui',
        nationalite: 'Française',
        contrat_alternance: "Contrat d'apprentissage",
        mobilite: 'Régionale',
        date_naissance: '1998-03-14',
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
