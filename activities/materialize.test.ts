import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  makeTempDir,
  openTestWarehouse,
  TEST_ODOO_URL,
  testMapping,
  utc,
  writeExtractionRun,
} from '../assets/test-helpers.ts';
import { LocalLake } from '../lake/local-lake.ts';
import type { DuckDbWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { createMaterializeActivities, MATERIALIZATION_TABLE } from './materialize.ts';

const RUN_DATE = '2026-12-04';
const survey = [6, "Diagnostic d'entrée - Parcours d'insertion"];

let lakeDir: string;
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  lakeDir = makeTempDir();
  warehouse = await openTestWarehouse(lakeDir);
});

afterEach(async () => {
  await warehouse.close();
});

function activities(modelsDir?: string) {
  return createMaterializeActivities({
    lake: new LocalLake(lakeDir),
    warehouse,
    mapping: testMapping(),
    odooUrl: `${TEST_ODOO_URL}/`,
    modelsDir,
  });
}

/** One candidate with a CV and a completed survey, one without either, as Odoo returns them. */
function writeTwoCandidates(): void {
  const lead = {
    name: 'Développeur web - Alternance',
    active: true,
    create_date: '2026-11-20 08:15:00',
    write_date: '2026-12-03 17:42:10',
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
  const line = {
    skipped: false,
    value_char_box: false,
    value_text_box: false,
    value_numerical_box: 0.0,
    value_date: false,
    value_datetime: false,
  };
  const at = { create_date: '2026-11-21 08:00:00', write_date: '2026-11-21 08:00:00' };
  writeExtractionRun(lakeDir, RUN_DATE, {
    crm_lead: [
      [
        {
          ...lead,
          id: 45,
          contact_name: 'Martin',
          stage_id: [3, "En recherche d'entreprise"],
          x_region: 'idf',
          zip: '01300',
          x_survey_user_input_id: [14, survey[1]],
        },
        { ...lead, id: 46, contact_name: 'Durand', stage_id: [1, 'Nouveau'] },
      ],
    ],
    crm_stage: [
      [{ id: 3, name: "En recherche d'entreprise", sequence: 3, fold: false, write_date: '2026-11-01 00:00:00' }],
    ],
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
          ...at,
        },
        {
          id: 302,
          name: 'CV - Paul Durand.pdf',
          res_model: 'res.partner',
          res_id: 46,
          mimetype: 'application/pdf',
          file_size: 1000,
          type: 'binary',
          url: false,
          ...at,
        },
      ],
    ],
    survey_question: [
      [
        {
          id: 71,
          title: 'Résidez-vous dans un QPV ?',
          question_type: 'simple_choice',
          is_page: false,
          survey_id: survey,
          sequence: 2,
          write_date: '2026-11-01 00:00:00',
        },
        {
          id: 76,
          title: 'Type de contrat souhaité',
          question_type: 'multiple_choice',
          is_page: false,
          survey_id: survey,
          sequence: 3,
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
        {
          id: 160,
          value: 'Contrat de professionnalisation',
          question_id: [76, 'Type de contrat souhaité'],
          sequence: 1,
          write_date: '2026-11-01 00:00:00',
        },
        {
          id: 161,
          value: "Contrat d'apprentissage",
          question_id: [76, 'Type de contrat souhaité'],
          sequence: 2,
          write_date: '2026-11-01 00:00:00',
        },
      ],
    ],
    survey_user_input: [[{ id: 14, survey_id: survey, partner_id: false, email: false, state: 'done', ...at }]],
    survey_user_input_line: [
      [
        {
          ...line,
          ...at,
          id: 1,
          user_input_id: [14, survey[1]],
          question_id: [71, 'QPV'],
          answer_type: 'suggestion',
          suggested_answer_id: [150, 'Résidez-vous dans un QPV ? : Oui'],
        },
        {
          ...line,
          ...at,
          id: 2,
          user_input_id: [14, survey[1]],
          question_id: [76, 'Contrat'],
          answer_type: 'suggestion',
          suggested_answer_id: [160, 'Type de contrat souhaité : Contrat de professionnalisation'],
        },
        {
          ...line,
          ...at,
          id: 3,
          user_input_id: [14, survey[1]],
          question_id: [76, 'Contrat'],
          answer_type: 'suggestion',
          suggested_answer_id: [161, "Type de contrat souhaité : Contrat d'apprentissage"],
        },
      ],
    ],
  });
}

async function materializeAll(runId = 'run-1') {
  const materialize = activities();
  const results = [];
  for (const asset of await materialize.planAssets()) {
    results.push(await materialize.materializeAsset({ assetKey: asset.key, runDate: RUN_DATE, runId }));
  }
  return results;
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('planAssets', () => {
  it('lists every asset with its upstreams, each after its upstreams', async () => {
    const plan = await activities().planAssets();

    const position = new Map(plan.map((asset, index) => [asset.key, index]));
    for (const asset of plan) {
      for (const upstream of asset.upstream)
        expect(position.get(upstream)!, `${upstream} before ${asset.key}`).toBeLessThan(position.get(asset.key)!);
    }
    expect(plan.find((asset) => asset.key === 'raw_odoo_crm_lead')).toEqual({
      key: 'raw_odoo_crm_lead',
      layer: 'raw',
      upstream: [],
      source: 'crm_lead',
    });
    expect(plan.find((asset) => asset.key === 'fact_odoo_crm_opportunite')).toEqual({
      key: 'fact_odoo_crm_opportunite',
      layer: 'fact',
      upstream: ['ods_odoo_crm_lead', 'ods_odoo_crm_ir_attachment', 'dim_odoo_crm_reponse_sondage'],
    });
  });
});

describe('materializeAsset', () => {
  it('builds every asset down to the fact', async () => {
    writeTwoCandidates();

    const results = await materializeAll();

    expect(results.find((result) => result.asset === 'raw_odoo_crm_lead')).toMatchObject({ layer: 'raw', rows: 2 });
    expect(results.find((result) => result.asset === 'fact_odoo_crm_opportunite')).toMatchObject({
      layer: 'fact',
      rows: 2,
    });
    const facts = await warehouse.query(
      'select lead_id, region_candidat, code_postal, etape, est_en_recherche, qpv, contrat_alternance, lien_cv, lien_fiche_crm from fact_odoo_crm_opportunite order by lead_id',
    );
    expect(facts).toEqual([
      {
        lead_id: 45,
        region_candidat: 'Île-de-France',
        code_postal: '01300',
        etape: "En recherche d'entreprise",
        est_en_recherche: true,
        qpv: 'Oui',
        contrat_alternance: "Contrat d'apprentissage, Contrat de professionnalisation",
        lien_cv: 'https://odoo.example.test/web/content/301?download=true',
        lien_fiche_crm: 'https://odoo.example.test/web#id=45&model=crm.lead&view_type=form',
      },
      {
        lead_id: 46,
        region_candidat: null,
        code_postal: null,
        etape: 'Nouveau',
        est_en_recherche: false,
        qpv: null,
        contrat_alternance: null,
        lien_cv: null,
        lien_fiche_crm: 'https://odoo.example.test/web#id=46&model=crm.lead&view_type=form',
      },
    ]);
  });

  it('logs every materialisation with its run date, row count and run id', async () => {
    writeTwoCandidates();
    const before = new Date();

    await materializeAll('run-1');
    await activities().materializeAsset({ assetKey: 'raw_odoo_crm_lead', runDate: RUN_DATE });

    const log = await warehouse.query<Record<string, unknown>>(
      `select * from ${MATERIALIZATION_TABLE} where asset = 'raw_odoo_crm_lead' order by materialized_at`,
    );
    expect(log.map(({ materialized_at: _at, ...row }) => row)).toEqual([
      { run_date: utc('2026-12-04 00:00:00'), asset: 'raw_odoo_crm_lead', layer: 'raw', rows: 2, run_id: 'run-1' },
      { run_date: utc('2026-12-04 00:00:00'), asset: 'raw_odoo_crm_lead', layer: 'raw', rows: 2, run_id: null },
    ]);
    const materializedAt = log[0].materialized_at as Date;
    expect(materializedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(materializedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('loads the selection labels of every source from the manifests', async () => {
    writeTwoCandidates();

    await activities().materializeAsset({ assetKey: 'raw_odoo_selection_label', runDate: RUN_DATE });

    const labels = await warehouse.query(
      "select model, field, key, label from raw_odoo_selection_label where field in ('x_region', 'state') order by model, key",
    );
    expect(labels).toEqual([
      { model: 'crm.lead', field: 'x_region', key: 'ara', label: 'Auvergne-Rhône-Alpes' },
      { model: 'crm.lead', field: 'x_region', key: 'idf', label: 'Île-de-France' },
      { model: 'survey.user_input', field: 'state', key: 'done', label: 'Completed' },
      { model: 'survey.user_input', field: 'state', key: 'in_progress', label: 'In Progress' },
      { model: 'survey.user_input', field: 'state', key: 'new', label: 'Not started yet' },
    ]);
  });

  it('documents exactly the columns each model produces', async () => {
    writeTwoCandidates();
    await materializeAll();

    const models = (await activities().planAssets()).filter((asset) => asset.layer !== 'raw');
    for (const model of models) {
      const ymlFile = path.join(import.meta.dirname, '..', 'assets', model.layer, `${model.key}.yml`);
      const documented = (parseYaml(fs.readFileSync(ymlFile, 'utf8')) as { columns: { name: string }[] }).columns;
      const actual = await warehouse.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = '${model.key}' order by ordinal_position`,
      );
      expect(
        documented.map((column) => column.name),
        ymlFile,
      ).toEqual(actual.map((column) => column.column_name));
    }
  });

  it('rejects a date without extraction', async () => {
    const failure = await failureOf(
      activities().materializeAsset({ assetKey: 'raw_odoo_crm_lead', runDate: '2026-12-05' }),
    );

    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      'extraction manifest not found: raw/odoo/crm_lead/run_date=2026-12-05/_manifest.json. ' +
        'Run the extraction of crm_lead for 2026-12-05 first.',
    );
  });

  it('rejects a broken SQL model', async () => {
    writeTwoCandidates();
    const modelsDir = makeTempDir('placement-models-');
    fs.mkdirSync(path.join(modelsDir, 'staging'));
    const sqlFile = path.join(modelsDir, 'staging', 'stg_broken.sql');
    fs.writeFileSync(sqlFile, "select no_such_column from {{ source('crm_lead') }}");
    const materialize = activities(modelsDir);
    await materialize.materializeAsset({ assetKey: 'raw_odoo_crm_lead', runDate: RUN_DATE });

    const failure = await failureOf(materialize.materializeAsset({ assetKey: 'stg_broken', runDate: RUN_DATE }));

    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(`failed to materialise stg_broken from ${sqlFile}`);
    expect(failure.message).toContain('no_such_column');
  });

  it('rejects an unknown asset and a malformed run date without retry', async () => {
    const unknown = await failureOf(activities().materializeAsset({ assetKey: 'fact_nothing', runDate: RUN_DATE }));
    const badDate = await failureOf(
      activities().materializeAsset({ assetKey: 'raw_odoo_crm_lead', runDate: '04/12/2026' }),
    );

    expect(unknown.nonRetryable).toBe(true);
    expect(unknown.message).toContain('unknown asset "fact_nothing"');
    expect(badDate.nonRetryable).toBe(true);
    expect(badDate.message).toContain('invalid run date "04/12/2026"');
  });
});
