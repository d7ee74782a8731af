import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../models.ts';
import { quoteIdentifier } from '../sql-fragment.ts';
import { DemoOdooStore } from '../store.ts';
import { ensureDemoData } from './index.ts';

/** Computes one digest per table over every column of every row, in id order. */
async function tableDigests(store: DemoOdooStore): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const model of models) {
    const rows = await store.query(
      `SELECT coalesce(md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY t."id")), 'empty') FROM ${quoteIdentifier(model.table)} t`,
    );
    digests[model.table] = String(rows[0][0]);
  }
  return digests;
}

async function generated(seed: number, scale: 'tiny' | 'small' = 'tiny', storePath?: string) {
  const store = await DemoOdooStore.open(storePath);
  const summary = await ensureDemoData(store, { scale, seed });
  return { store, summary };
}

describe('determinism', () => {
  it('same seed, same rows', async () => {
    const first = await generated(5);
    const again = await generated(5);
    const other = await generated(6);
    try {
      const digests = await tableDigests(first.store);
      expect(await tableDigests(again.store)).toEqual(digests);
      const otherDigests = await tableDigests(other.store);
      expect(otherDigests.crm_lead).not.toBe(digests.crm_lead);
      expect(otherDigests.survey_user_input_line).not.toBe(digests.survey_user_input_line);
      expect(otherDigests.ir_attachment).not.toBe(digests.ir_attachment);
      expect(otherDigests.crm_stage).toBe(digests.crm_stage);
    } finally {
      await Promise.all([first.store.close(), again.store.close(), other.store.close()]);
    }
  });

  it('reuses matching store file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'demo-odoo-'));
    const file = path.join(dir, 'nested', 'demo.duckdb');
    try {
      const created = await generated(3, 'tiny', file);
      const digests = await tableDigests(created.store);
      await created.store.close();
      expect(created.summary.reused).toBe(false);

      const reopened = await generated(3, 'tiny', file);
      expect(reopened.summary.reused).toBe(true);
      expect(await tableDigests(reopened.store)).toEqual(digests);
      await reopened.store.close();

      const reseeded = await generated(4, 'tiny', file);
      expect(reseeded.summary.reused).toBe(false);
      expect((await tableDigests(reseeded.store)).crm_lead).not.toBe(digests.crm_lead);
      await reseeded.store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the small scale', () => {
  let store: DemoOdooStore;

  beforeAll(async () => {
    const started = performance.now();
    ({ store } = await generated(1, 'small'));
    console.log(`small scale generated in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  });

  afterAll(async () => {
    await store?.close();
  });

  const scalar = async (sqlText: string, params: (string | number)[] = []) => Number((await store.query(sqlText, params))[0][0]);

  it('has about 500 leads and 20,000 answer lines', async () => {
    expect(await scalar('SELECT count(*) FROM crm_lead')).toBe(500);
    const lines = await scalar('SELECT count(*) FROM survey_user_input_line');
    expect(lines).toBeGreaterThan(15_000);
    expect(lines).toBeLessThan(26_000);
  });

  it('puts 30 to 40 percent of leads in the company-search stage', async () => {
    const share = await scalar(
      `SELECT avg(CASE WHEN s.name = ? THEN 1 ELSE 0 END) FROM crm_lead l LEFT JOIN crm_stage s ON s.id = l.stage_id`,
      ["En recherche d'entreprise"],
    );
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.4);
  });

  it('has the mess of real CRM data', async () => {
    expect(await scalar('SELECT count(*) FROM crm_lead WHERE stage_id NOT IN (SELECT id FROM crm_stage WHERE NOT _deleted)')).toBeGreaterThan(0);
    expect(await scalar('SELECT count(*) FROM crm_lead WHERE NOT active')).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM crm_lead WHERE name IN ('Chloé Marchetti - Test', 'TEST TEST')`)).toBe(2);
    expect(await scalar(`SELECT count(*) FROM crm_lead WHERE description LIKE '%<script>alert(1)</script>%'`)).toBeGreaterThan(0);
    expect(await scalar('SELECT count(*) FROM crm_lead WHERE length(description) > 300')).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM crm_lead WHERE email_from IS NOT NULL AND email_from NOT LIKE '%@%'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM crm_lead WHERE x_region IN ('gso', 'sud')`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM crm_lead WHERE regexp_matches(city, '^[0-9]{5}$')`)).toBeGreaterThan(0);
    expect(await scalar('SELECT count(*) FROM (SELECT email_from FROM crm_lead WHERE email_from IS NOT NULL GROUP BY 1 HAVING count(*) > 1)')).toBeGreaterThan(0);
    expect(await scalar('SELECT count(DISTINCT regexp_replace(phone, \'[0-9]\', \'9\', \'g\')) FROM crm_lead')).toBeGreaterThan(5);
    expect(await scalar('SELECT count(*) FROM crm_lead WHERE x_survey_user_input_id IS NULL')).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM crm_lead l WHERE NOT EXISTS (SELECT 1 FROM ir_attachment a WHERE a.res_model = 'crm.lead' AND a.res_id = l.id)`)).toBeGreaterThan(0);
  });

  it('has CVs named many ways, several per lead, ties and partner CVs', async () => {
    for (const pattern of ['CV - % %.pdf', 'cv\\_%\\_2025.pdf', 'CV %.docx', 'CV - lien LinkedIn']) {
      expect(await scalar(`SELECT count(*) FROM ir_attachment WHERE name LIKE ? ESCAPE '\\'`, [pattern]), pattern).toBeGreaterThan(0);
    }
    expect(await scalar(`SELECT count(*) FROM ir_attachment WHERE res_model = 'res.partner'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM ir_attachment WHERE name LIKE 'Lettre de motivation%'`)).toBeGreaterThan(0);
    const severalCvs = `SELECT count(*) FROM (SELECT res_id FROM ir_attachment WHERE res_model = 'crm.lead' AND name ILIKE '%cv%' GROUP BY res_id HAVING count(*) > 1)`;
    expect(await scalar(severalCvs)).toBeGreaterThan(0);
    const tiedCvs = `SELECT count(*) FROM (SELECT res_id, create_date FROM ir_attachment WHERE res_model = 'crm.lead' GROUP BY ALL HAVING count(*) > 1)`;
    expect(await scalar(tiedCvs)).toBeGreaterThan(0);
  });

  it('has Oui/Non next to Yes/No answers, and impossible typed birth dates', async () => {
    const answerCount = async (value: string) =>
      scalar('SELECT count(*) FROM survey_user_input_line l JOIN survey_question_answer a ON a.id = l.suggested_answer_id WHERE a.value = ?', [value]);
    for (const value of ['Oui', 'Non', 'Yes', 'No']) expect(await answerCount(value), value).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM survey_user_input_line WHERE answer_type = 'char_box' AND regexp_matches(value_char_box, '^\\d+/\\d+/\\d+/\\d+$|^31/02/')`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM survey_user_input_line WHERE skipped`)).toBeGreaterThan(0);
    const multiple = `SELECT count(*) FROM (SELECT user_input_id FROM survey_user_input_line l JOIN survey_question q ON q.id = l.question_id
                      WHERE q.question_type = 'multiple_choice' GROUP BY 1 HAVING count(*) BETWEEN 2 AND 3)`;
    expect(await scalar(multiple)).toBeGreaterThan(0);
  });

  it('stamps each respondent batch with one shared write_date', async () => {
    const distinct = await scalar('SELECT count(DISTINCT write_date) FROM survey_user_input_line');
    const lines = await scalar('SELECT count(*) FROM survey_user_input_line');
    expect(distinct).toBeLessThan(lines / 5);
  });
});
