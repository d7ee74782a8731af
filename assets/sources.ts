/**
 * Raw sources: which Odoo models are extracted, with which fields, into which raw table.
 *
 * Field lists are explicit because Odoo returns every field (binary contents included) when none
 * is given. crm.lead also gets the fields named in the Odoo mapping, so a company's custom field
 * names never appear in code.
 */
import type { OdooMapping } from '../config/odoo-mapping.ts';
import type { Domain } from '../odoo/types.ts';

export type SourceName =
  | 'crm_lead'
  | 'crm_stage'
  | 'ir_attachment'
  | 'survey_question'
  | 'survey_question_answer'
  | 'survey_user_input'
  | 'survey_user_input_line';

/**
 * How a source is extracted each day:
 * - `snapshot`: every record, every day; the raw table holds that day's snapshot.
 * - `incremental`: records created or changed since the previous extraction (a `write_date`
 *   window paged by id); the raw table is the union of the baseline and every increment, and
 *   staging keeps the latest version of each id. The baseline is either a full extraction on the
 *   first run (`full`) or the resumable backfill workflow (`backfill`), for tables too large to
 *   read in one activity.
 */
export type ExtractionMode = { kind: 'snapshot' } | { kind: 'incremental'; baseline: 'full' | 'backfill' };

export type SourceDefinition = {
  name: SourceName;
  mode: ExtractionMode;
  model: string;
  /** Raw warehouse table loaded from this source's lake files. */
  rawTable: string;
  fields: string[];
  domain: Domain;
  /** Odoo context for every read; `active_test: false` includes archived records. */
  context: Record<string, unknown>;
};

const baseSources: SourceDefinition[] = [
  {
    name: 'crm_lead',
    mode: { kind: 'snapshot' },
    model: 'crm.lead',
    rawTable: 'raw_odoo_crm_lead',
    fields: ['id', 'name', 'active', 'stage_id', 'create_date', 'write_date'],
    domain: [],
    // Odoo archives lost leads; the warehouse keeps them and flags them.
    context: { active_test: false },
  },
  {
    name: 'crm_stage',
    mode: { kind: 'snapshot' },
    model: 'crm.stage',
    rawTable: 'raw_odoo_crm_stage',
    fields: ['id', 'name', 'sequence', 'fold', 'write_date'],
    domain: [],
    context: {},
  },
  {
    name: 'ir_attachment',
    mode: { kind: 'incremental', baseline: 'full' },
    model: 'ir.attachment',
    rawTable: 'raw_odoo_ir_attachment',
    // Never `datas` or `raw`: they carry the file contents.
    fields: ['id', 'name', 'res_model', 'res_id', 'mimetype', 'file_size', 'type', 'url', 'create_date', 'write_date'],
    domain: [['res_model', '=', 'crm.lead']],
    context: {},
  },
  {
    name: 'survey_question',
    mode: { kind: 'snapshot' },
    model: 'survey.question',
    rawTable: 'raw_odoo_survey_question',
    fields: ['id', 'title', 'question_type', 'is_page', 'survey_id', 'sequence', 'write_date'],
    domain: [],
    context: {},
  },
  {
    name: 'survey_question_answer',
    mode: { kind: 'snapshot' },
    model: 'survey.question.answer',
    rawTable: 'raw_odoo_survey_question_answer',
    fields: ['id', 'value', 'question_id', 'sequence', 'write_date'],
    domain: [],
    context: {},
  },
  {
    name: 'survey_user_input',
    mode: { kind: 'snapshot' },
    model: 'survey.user_input',
    rawTable: 'raw_odoo_survey_user_input',
    fields: ['id', 'survey_id', 'partner_id', 'email', 'state', 'create_date', 'write_date'],
    domain: [],
    context: {},
  },
  {
    name: 'survey_user_input_line',
    mode: { kind: 'incremental', baseline: 'backfill' },
    model: 'survey.user_input.line',
    rawTable: 'raw_odoo_survey_user_input_line',
    fields: [
      'id',
      'user_input_id',
      'question_id',
      'answer_type',
      'skipped',
      'value_char_box',
      'value_text_box',
      'value_numerical_box',
      'value_date',
      'value_datetime',
      'suggested_answer_id',
      'create_date',
      'write_date',
    ],
    domain: [],
    context: {},
  },
];

/** Returns every source, with the mapping's crm.lead fields added to crm_lead. */
export function sourceDefinitions(mapping: OdooMapping): SourceDefinition[] {
  return baseSources.map((source) => {
    if (source.name !== 'crm_lead') return source;
    const fields = [...new Set([...source.fields, ...Object.values(mapping.leadFields)])];
    return { ...source, fields };
  });
}

/** Sources whose baseline is the backfill workflow. */
export function backfillSources(mapping: OdooMapping): SourceDefinition[] {
  return sourceDefinitions(mapping).filter(
    (source) => source.mode.kind === 'incremental' && source.mode.baseline === 'backfill',
  );
}

export function findSource(mapping: OdooMapping, name: string): SourceDefinition {
  const source = sourceDefinitions(mapping).find((candidate) => candidate.name === name);
  if (!source) {
    const known = baseSources.map((candidate) => candidate.name).join(', ');
    throw new Error(`unknown source "${name}"; known sources: ${known}`);
  }
  return source;
}
