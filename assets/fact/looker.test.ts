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

function opportunity(leadId: number, overrides: Record<string, string | number | boolean | null | Date> = {}) {
  return {
    lead_id: leadId,
    nom: 'Martin',
    prenom: 'Léa',
    telephone: '+33612345678',
    email: 'lea.martin@example.org',
    region_candidat: 'Auvergne-Rhône-Alpes',
    ville_candidat: 'Oyonnax',
    code_postal: '01100',
    remarque_candidature: 'Disponible en janvier',
    formation: 'Développeur web',
    parcours: 'Formation',
    region_formation: 'Lyon Part-Dieu',
    etape: "En recherche d'entreprise",
    est_en_recherche: true,
    est_actif: true,
    est_test: false,
    qpv: 'Oui',
    rsa: 'Non',
    rqth: 'Ne sait pas',
    france_travail: 'Oui',
    nationalite: 'Française',
    contrat_alternance: 'Apprentissage',
    mobilite: 'Région',
    age: 22,
    lien_cv: `https://odoo.example.test/web/content/${leadId}0?download=true`,
    lien_fiche_crm: `https://odoo.example.test/web#id=${leadId}&model=crm.lead&view_type=form`,
    date_creation: utc('2026-11-20 23:30:00'),
    date_modification: utc('2026-12-03 17:42:10'),
    ...overrides,
  };
}

describe('fact_looker_candidat_en_recherche', () => {
  it('keeps active, real applications in the search stage, with URLs and dates', async () => {
    await given(warehouse, 'fact_odoo_crm_opportunite', [
      opportunity(45, { lien_cv: null, prenom: null }),
      opportunity(46, { est_en_recherche: false, etape: 'Placé' }),
      opportunity(47, { est_actif: false }),
      opportunity(48, { est_test: true }),
      opportunity(49),
    ]);

    const rows = await runModel(warehouse, 'fact_looker_candidat_en_recherche');

    expect(rows.map((row) => row.lead_id)).toEqual([45, 49]);
    expect(rows[0]).toMatchObject({ candidat: 'Martin', lien_cv: null, a_un_cv: 'Non' });
    expect(rows[1]).toMatchObject({
      candidat: 'Léa Martin',
      a_un_cv: 'Oui',
      lien_cv: 'https://odoo.example.test/web/content/490?download=true',
      lien_fiche_crm: 'https://odoo.example.test/web#id=49&model=crm.lead&view_type=form',
    });
    expect((rows[1].date_candidature as Date).toISOString().slice(0, 10)).toBe('2026-11-20');
  });
});
