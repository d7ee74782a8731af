import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckActivities } from '../activities/checks.ts';
import { createMaterializeActivities } from '../activities/materialize.ts';
import { LocalLake } from '../lake/local-lake.ts';
import type { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { exceedsThreshold, loadChecks, parseThreshold } from './checks.ts';
import { loadAssetGraph } from './graph.ts';
import { given, makeTempDir, openTestWarehouse, runModel, TEST_ODOO_URL, testMapping, utc } from './test-helpers.ts';

const silent = { info() {}, warn() {}, error() {} };

describe('loadChecks', () => {
  it('reads the generic and business checks of the project', () => {
    const checks = loadChecks(loadAssetGraph(testMapping()));
    const byName = new Map(checks.map((check) => [check.name, check]));

    expect(byName.get('ods_odoo_crm_lead__email_invalide')).toMatchObject({
      type: 'sql',
      asset: 'ods_odoo_crm_lead',
      severity: 'warn',
      threshold: { kind: 'count', value: 0 },
      mask: 'email',
    });
    expect(byName.get('raw_odoo_survey_user_input_line__valeur_hors_type')).toMatchObject({ severity: 'error' });
    expect(byName.get('raw_odoo_crm_lead__freshness_write_date')).toMatchObject({ type: 'freshness', maxAgeHours: 168 });
    expect(byName.get('fact_odoo_crm_opportunite__row_count_change')).toMatchObject({
      threshold: { kind: 'percent', value: 50 },
    });
    for (const check of checks) {
      expect(check.description, check.name).not.toBe('');
      expect(check.hint, check.name).not.toBe('');
    }
  });

  it('names the file and the entry of an invalid declaration', () => {
    const dir = makeTempDir('placement-checks-');
    fs.mkdirSync(path.join(dir, 'staging'));
    fs.writeFileSync(path.join(dir, 'staging/stg_a.sql'), 'select 1 as a');
    fs.writeFileSync(path.join(dir, 'staging/stg_a.yml'), 'checks:\n  - { type: not_null, column: a, severity: fatal }\n');
    const graph = loadAssetGraph(testMapping(), { modelsDir: dir });

    expect(() => loadChecks(graph, { modelsDir: dir })).toThrow(/stg_a\.yml at checks\[0\]\.severity/);
  });

  it('rejects a business check named after no asset', () => {
    const dir = makeTempDir('placement-checks-');
    fs.mkdirSync(path.join(dir, 'checks'));
    fs.writeFileSync(path.join(dir, 'checks/stg_missing__x.sql'), '-- severity: warn\nselect 1');

    expect(() => loadChecks(loadAssetGraph(testMapping(), { modelsDir: dir }), { modelsDir: dir })).toThrow(
      /stg_missing__x\.sql: name it <asset>__<predicate>\.sql/,
    );
  });

  it.each([
    ['0', 0, 10, false],
    ['0', 1, 10, true],
    ['3', 3, 10, false],
    ['5%', 1, 20, false],
    ['5%', 2, 20, true],
    ['5%', 1, 0, true],
  ])('threshold %s with %i failing of %i rows exceeded: %s', (threshold, failing, total, exceeded) => {
    expect(exceedsThreshold(parseThreshold(threshold), failing, total)).toBe(exceeded);
  });
});

describe('the business checks on values typed in the CRM', () => {
  let warehouse: DuckDbWarehouse;

  beforeAll(async () => {
    const lakeDir = makeTempDir();
    warehouse = await openTestWarehouse(lakeDir);
    const materialize = createMaterializeActivities({
      lake: new LocalLake(lakeDir),
      warehouse,
      mapping: testMapping(),
      odooUrl: TEST_ODOO_URL,
    });
    for (const seed of ['ref_region', 'ref_commune', 'ref_region_alias']) {
      await materialize.materializeAsset({ assetKey: seed, runDate: '2026-12-04' });
    }
  });

  afterAll(async () => {
    await warehouse.close();
  });

  function stagedLead(leadId: number, nom: string, prenom: string, contact: Record<string, string | number | null>) {
    return {
      lead_id: leadId,
      nom,
      prenom,
      telephone: null,
      email: null,
      region_candidat: null,
      region_candidat_code: null,
      ville_candidat: null,
      code_postal: null,
      remarque_candidature: null,
      remarque_candidature_html: null,
      formation: `${prenom} ${nom} - Développeur web`,
      parcours: 'Formation',
      parcours_code: 'formation',
      region_formation: 'Lyon Part-Dieu',
      region_formation_id: 2,
      etape: "En recherche d'entreprise",
      etape_id: 3,
      reponse_sondage_id: null,
      est_actif: true,
      date_creation: utc('2026-11-20 08:15:00'),
      date_modification: utc('2026-12-03 17:42:10'),
      ...contact,
    };
  }

  it('fails each lead check on its offending rows only, with masked samples', async () => {
    // One email shared by three people, as in the contacts sample; one person with two leads.
    await given(
      warehouse,
      'stg_odoo_crm_lead',
      [
        stagedLead(1, 'Sabatier', 'Jean', { email: 'sabatier@exemple.co', telephone: '06 39 98 10 01' }),
        stagedLead(2, 'Sabatier', 'Sophie', { email: 'sabatier@exemple.co', telephone: '0639981001' }),
        stagedLead(3, 'Sabatier', 'Patrice', { email: 'Sabatier@exemple.co ' }),
        stagedLead(4, 'Dupont', 'Jean', { email: 'jean.dupont@exemple.co', ville_candidat: '92110' }),
        stagedLead(5, 'Dupont', 'Jean', { email: 'jean.dupont@exemple.co', ville_candidat: 'Chanain' }),
        stagedLead(6, 'Billard', 'Alice', { email: 'alice.billardaux-air.fr', telephone: '12 34', region_candidat: 'Atlantide' }),
        stagedLead(7, 'Marchetti', 'Chloé', { formation: 'Chloé Marchetti - Test', etape_id: 7 }),
      ],
      { telephone: 'string', email: 'string', region_candidat: 'string', region_candidat_code: 'string', ville_candidat: 'string', code_postal: 'string', remarque_candidature: 'string', remarque_candidature_html: 'string', reponse_sondage_id: 'int64' },
    );
    await given(warehouse, 'stg_odoo_crm_stage', [
      { etape_id: 3, nom: "En recherche d'entreprise", ordre: 3, est_repliee: false, date_modification: utc('2024-06-03 08:00:00') },
    ]);
    await runModel(warehouse, 'ods_odoo_crm_lead');
    const checks = createCheckActivities({ warehouse, mapping: testMapping(), logger: silent });

    const result = await checks.runAssetChecks({ assetKey: 'ods_odoo_crm_lead', runDate: '2026-12-04', runId: 'fixture' });

    expect(result.blocking).toBe(false);
    const stored = await warehouse.query<{ check_name: string; status: string; failing_rows: number; sample_keys: string }>(
      `select check_name, status, failing_rows, sample_keys from placement_check_result order by check_name`,
    );
    expect(stored).toEqual([
      { check_name: 'ods_odoo_crm_lead__doublon_email', status: 'failed', failing_rows: 3, sample_keys: '["1: s***@e***.co","2: s***@e***.co","3: s***@e***.co"]' },
      { check_name: 'ods_odoo_crm_lead__doublon_telephone', status: 'failed', failing_rows: 2, sample_keys: '["1: +33 6** ** ** 01","2: +33 6** ** ** 01"]' },
      { check_name: 'ods_odoo_crm_lead__email_invalide', status: 'failed', failing_rows: 1, sample_keys: '["6: a***"]' },
      { check_name: 'ods_odoo_crm_lead__enregistrement_test', status: 'failed', failing_rows: 1, sample_keys: '["7: C***"]' },
      { check_name: 'ods_odoo_crm_lead__etape_supprimee', status: 'failed', failing_rows: 1, sample_keys: '["7: 7"]' },
      { check_name: 'ods_odoo_crm_lead__not_null_lead_id', status: 'passed', failing_rows: 0, sample_keys: '[]' },
      { check_name: 'ods_odoo_crm_lead__region_inconnue', status: 'failed', failing_rows: 1, sample_keys: '["6: Atlantide"]' },
      { check_name: 'ods_odoo_crm_lead__relationship_code_commune', status: 'passed', failing_rows: 0, sample_keys: '[]' },
      { check_name: 'ods_odoo_crm_lead__relationship_code_region', status: 'passed', failing_rows: 0, sample_keys: '[]' },
      { check_name: 'ods_odoo_crm_lead__telephone_invalide', status: 'failed', failing_rows: 1, sample_keys: '["6: ***"]' },
      { check_name: 'ods_odoo_crm_lead__unique_lead_id', status: 'passed', failing_rows: 0, sample_keys: '[]' },
      { check_name: 'ods_odoo_crm_lead__ville_code_postal', status: 'failed', failing_rows: 1, sample_keys: '["4: 9***"]' },
      { check_name: 'ods_odoo_crm_lead__ville_inconnue', status: 'failed', failing_rows: 1, sample_keys: '["5: C***"]' },
    ]);
  });

  it('fails the answer lines whose value column does not match their answer_type, as an error', async () => {
    const line = (id: number, answerType: string | false, values: Record<string, unknown>) => ({
      id,
      answer_type: JSON.stringify(answerType),
      skipped: answerType === false,
      value_char_box: JSON.stringify(values.value_char_box ?? false),
      value_text_box: JSON.stringify(values.value_text_box ?? false),
      value_date: JSON.stringify(values.value_date ?? false),
      value_datetime: JSON.stringify(values.value_datetime ?? false),
      suggested_answer_id: JSON.stringify(values.suggested_answer_id ?? false),
    });
    const json = { answer_type: 'json', value_char_box: 'json', value_text_box: 'json', value_date: 'json', value_datetime: 'json', suggested_answer_id: 'json' } as const;
    await given(
      warehouse,
      'raw_odoo_survey_user_input_line',
      [
        line(1, 'char_box', { value_char_box: '04/12/2004' }),
        line(2, 'date', { value_date: '2004-12-04' }),
        line(3, 'suggestion', { suggested_answer_id: [101, 'Résidez-vous dans un QPV ? : Oui'] }),
        line(4, false, {}),
        line(5, 'scale', {}),
        // broken: the date sits in the text column, the suggestion is missing, a skipped line holds text
        line(6, 'date', { value_char_box: '2004-12-04' }),
        line(7, 'suggestion', {}),
        line(8, false, { value_text_box: 'oui' }),
        line(9, 'char_box', { value_char_box: 'x', suggested_answer_id: [101, 'Q : Oui'] }),
      ],
      json,
    );
    const checks = createCheckActivities({ warehouse, mapping: testMapping(), logger: silent });

    const result = await checks.runAssetChecks({ assetKey: 'raw_odoo_survey_user_input_line', runDate: '2026-12-04' });

    expect(result.blocking).toBe(true);
    expect(result.results.find((outcome) => outcome.check.endsWith('__valeur_hors_type'))).toEqual({
      check: 'raw_odoo_survey_user_input_line__valeur_hors_type',
      severity: 'error',
      status: 'failed',
      failing: 4,
      total: 9,
    });
    const [stored] = await warehouse.query(
      `select sample_keys from placement_check_result where check_name = 'raw_odoo_survey_user_input_line__valeur_hors_type'`,
    );
    expect(stored.sample_keys).toBe('["6: date","7: suggestion","8: none","9: char_box"]');
  });
});
