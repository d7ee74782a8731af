/**
 * Anonymous respondents of the entry survey, not linked to any lead: the bulk of the answer lines
 * at larger scales. Generated inside DuckDB (INSERT … SELECT over generate_series) with a seeded
 * integer hash, so five million lines take seconds, and the same seed gives the same rows.
 */
import type { DemoOdooStore } from '../store.ts';
import { freeComments, jobTitles } from './french-names.ts';
import { entrySurvey, pageOf } from './reference-data.ts';

/** Respondents imported together share one create_date, like one RPC `create` batch in Odoo. */
const respondentsPerBatch = 500;
const batchIntervalMicros = 3_600_000_000;

export type BulkAnswersPlan = {
  seed: number;
  count: number;
  firstUserInputId: number;
  firstLineId: number;
  /** Microseconds since the epoch of the first batch. */
  firstBatchAt: bigint;
};

/** Inserts the respondents and their lines; returns the number of lines created. */
export async function insertAnonymousAnswers(store: DemoOdooStore, plan: BulkAnswersPlan): Promise<number> {
  if (plan.count <= 0) return 0;
  await createHelpers(store);

  const common = [plan.seed >>> 0, plan.firstUserInputId, String(plan.firstBatchAt), respondentsPerBatch, batchIntervalMicros];
  await store.query(
    `INSERT INTO "survey_user_input" ("id", "survey_id", "partner_id", "email", "state", "create_date", "write_date", "create_uid", "write_uid")
     WITH params AS (SELECT ?::UBIGINT AS seed, ?::INTEGER AS first_input, ?::BIGINT AS first_at, ?::INTEGER AS batch, ?::BIGINT AS step)
     SELECT p.first_input + g, ?::INTEGER, NULL, NULL, 'done', demo_batch_at(p.seed, g, p.first_at, p.batch, p.step),
            demo_batch_at(p.seed, g, p.first_at, p.batch, p.step), 2, 2
     FROM params p, generate_series(0, ?::BIGINT - 1) r(g)`,
    [...common, entrySurvey.id, plan.count],
  );

  const before = await lineCount(store);
  await store.query(
    `INSERT INTO "survey_user_input_line" ("id", "user_input_id", "survey_id", "question_id", "page_id", "question_sequence",
        "skipped", "answer_type", "value_char_box", "value_numerical_box", "value_scale", "value_date", "value_datetime",
        "value_text_box", "suggested_answer_id", "create_date", "write_date", "create_uid", "write_uid")
     WITH params AS (SELECT ?::UBIGINT AS seed, ?::INTEGER AS first_input, ?::BIGINT AS first_at, ?::INTEGER AS batch, ?::BIGINT AS step,
                            ?::BIGINT AS first_line),
     draws AS (
       SELECT p.first_input + r.g AS input_id, s.*,
              demo_unit(p.seed, p.first_input + r.g, s.question_id * 4 + least(s.extra, 1)) AS u_keep,
              demo_unit(p.seed, p.first_input + r.g, s.question_id * 4 + 3) AS u_skip,
              demo_unit(p.seed, p.first_input + r.g, s.question_id * 4 + 2) AS u_value,
              demo_batch_at(p.seed, r.g, p.first_at, p.batch, p.step) AS stamp
       FROM params p, generate_series(0, ?::BIGINT - 1) r(g), "demo_slot" s
     ),
     -- A skipped multiple-choice question gives one skipped line and no extra choices.
     kept AS (SELECT *, u_skip < skip_rate AS is_skipped FROM draws
              WHERE u_keep < keep_rate AND NOT (extra > 0 AND u_skip < skip_rate))
     SELECT (SELECT first_line FROM params) + row_number() OVER (ORDER BY k.input_id, k.slot_order) - 1,
            k.input_id, ?::INTEGER, k.question_id, k.page_id, k.sequence, k.is_skipped,
            CASE WHEN k.is_skipped THEN NULL ELSE k.answer_type END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'job' THEN t.text END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'children' THEN floor(k.u_value * k.u_value * 4.0) END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'scale' THEN CAST(floor(k.u_value * 11) AS INTEGER) END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'birth_date' THEN DATE '1962-01-01' + CAST(floor(k.u_value * 15000) AS INTEGER) END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'availability' THEN k.stamp + to_days(CAST(floor(k.u_value * 120) AS INTEGER) + 7) END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'comments' THEN t.text END,
            CASE WHEN NOT k.is_skipped AND k.kind = 'choice'
                 THEN k.answer_first + CAST((floor(k.u_value * k.answer_count) + k.extra) % k.answer_count AS INTEGER) END,
            k.stamp, k.stamp, 2, 2
     FROM kept k
     LEFT JOIN "demo_text" t ON t.kind = k.kind AND t.idx = CAST(floor(k.u_value * k.text_count) AS INTEGER)`,
    [...common, plan.firstLineId, plan.count, entrySurvey.id],
  );
  const created = (await lineCount(store)) - before;
  await store.query('DROP TABLE "demo_slot"');
  await store.query('DROP TABLE "demo_text"');
  return created;
}

function textChoices(kind: string): readonly string[] {
  if (kind === 'job') return jobTitles;
  if (kind === 'comments') return freeComments;
  return [];
}

async function lineCount(store: DemoOdooStore): Promise<number> {
  const rows = await store.query('SELECT count(*) FROM "survey_user_input_line"');
  return Number(rows[0][0]);
}

/**
 * Creates the SQL helpers. `demo_unit(seed, a, b)` is a uniform double in [0, 1) from an integer
 * hash whose multiply-xorshift rounds stay under 2^64, so UBIGINT never overflows. `demo_batch_at`
 * is the shared timestamp of a respondent's import batch. Slots list one line per question, and
 * three for the multiple-choice contract question (the 2nd and 3rd kept for some respondents only).
 */
async function createHelpers(store: DemoOdooStore): Promise<void> {
  await store.query('CREATE OR REPLACE MACRO demo_mix(x) AS (xor(x, x >> 16) * 73244475 & 4294967295)');
  await store.query(
    `CREATE OR REPLACE MACRO demo_unit(seed, a, b) AS
       (demo_mix(demo_mix((a::UBIGINT * 2654435761 + b::UBIGINT * 2246822519 + seed::UBIGINT) & 4294967295)) / 4294967296.0)`,
  );
  await store.query(
    `CREATE OR REPLACE MACRO demo_batch_at(seed, g, first_at, batch, step) AS
       make_timestamp(first_at + (g // batch) * step + CAST(floor(demo_unit(seed, g // batch, 7) * 1000000) AS BIGINT))`,
  );

  await store.query(
    `CREATE OR REPLACE TABLE "demo_slot" (slot_order INTEGER, question_id INTEGER, page_id INTEGER, sequence INTEGER,
       kind VARCHAR, answer_type VARCHAR, answer_first INTEGER, answer_count INTEGER, extra INTEGER,
       keep_rate DOUBLE, skip_rate DOUBLE, text_count INTEGER)`,
  );
  let slotOrder = 0;
  for (const question of entrySurvey.questions) {
    if (question.kind === 'page') continue;
    const answers = question.answers ?? [];
    const kind = answers.length > 0 ? 'choice' : (question.role ?? question.kind);
    const answerType = answers.length > 0 ? 'suggestion' : question.kind;
    const textCount = textChoices(kind).length;
    const extras = question.kind === 'multiple_choice' ? [[0, 1], [1, 0.45], [2, 0.15]] : [[0, 1]];
    for (const [extra, keepRate] of extras) {
      const skipRate = kind === 'comments' ? 0.65 : 0.05;
      await store.query('INSERT INTO "demo_slot" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        slotOrder++,
        question.id,
        pageOf(entrySurvey, question),
        question.sequence,
        kind,
        answerType,
        answers[0]?.id ?? null,
        answers.length || null,
        extra,
        keepRate,
        skipRate,
        textCount,
      ]);
    }
  }

  await store.query('CREATE OR REPLACE TABLE "demo_text" (kind VARCHAR, idx INTEGER, text VARCHAR)');
  const texts: [string, readonly string[]][] = [['job', jobTitles], ['comments', freeComments]];
  for (const [kind, list] of texts) {
    for (const [index, text] of list.entries()) await store.query('INSERT INTO "demo_text" VALUES (?, ?, ?)', [kind, index, text]);
  }
}
