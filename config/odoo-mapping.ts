/**
 * Loader for `config/odoo-mapping.yaml`: the company-specific names of Odoo fields and survey
 * questions behind each placement column.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigurationError } from './settings.ts';

/** Product columns read from crm.lead; the mapping must name an Odoo field for each. */
export const LEAD_COLUMNS = [
  'nom',
  'prenom',
  'telephone',
  'email',
  'region_candidat',
  'ville_candidat',
  'code_postal',
  'remarque_candidature',
  'formation',
  'parcours',
  'region_formation',
  'etape',
  'reponse_sondage',
] as const;
export type LeadColumn = (typeof LEAD_COLUMNS)[number];

/** Survey attributes pivoted into one column each. */
export const SURVEY_ATTRIBUTES = [
  'qpv',
  'rsa',
  'rqth',
  'france_travail',
  'nationalite',
  'contrat_alternance',
  'mobilite',
  'date_naissance',
] as const;
export type SurveyAttribute = (typeof SURVEY_ATTRIBUTES)[number];

const odooFieldName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be an Odoo field name such as x_region');

/** Constructs JavaScript accepts but RE2 (DuckDB, BigQuery) rejects: lookaround and backreferences. */
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]/;

const regexPattern = z
  .string()
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern, 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be a valid regular expression' },
  )
  .refine((pattern) => !NOT_RE2.test(pattern), {
    message: 'uses lookahead, lookbehind or a backreference, which RE2 (DuckDB, BigQuery) does not support',
  })
  .refine((pattern) => !matchesEmptyString(pattern), {
    message: 'matches the empty string, so it would match every question; make it match a word of the title',
  });

const mappingSchema = z.object({
  crm_lead: z.object({
    fields: z.object(Object.fromEntries(LEAD_COLUMNS.map((column) => [column, odooFieldName])) as Record<
      LeadColumn,
      typeof odooFieldName
    >),
    search_stage: z.string().min(1),
  }),
  survey: z.object({
    questions: z.object(Object.fromEntries(SURVEY_ATTRIBUTES.map((name) => [name, regexPattern])) as Record<
      SurveyAttribute,
      typeof regexPattern
    >),
  }),
  attachments: z.object({ cv_pattern: regexPattern }),
});

/** False for an invalid pattern too: the validity refinement reports that one. */
function matchesEmptyString(pattern: string): boolean {
  try {
    return new RegExp(pattern, 'i').test('');
  } catch {
    return false;
  }
}

export type OdooMapping = {
  leadFields: Record<LeadColumn, string>;
  searchStage: string;
  questionPatterns: Record<SurveyAttribute, string>;
  cvPattern: string;
};

/**
 * Reads and validates the mapping file.
 * @throws ConfigurationError naming the file, the key and what is expected there.
 */
export function loadOdooMapping(file: string): OdooMapping {
  if (!fs.existsSync(file)) {
    throw new ConfigurationError(`Odoo mapping file not found: ${file}. Set ODOO_MAPPING_FILE or restore config/odoo-mapping.yaml.`);
  }
  let document: unknown;
  try {
    document = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`invalid YAML in the Odoo mapping ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = mappingSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(`invalid Odoo mapping in ${file} at ${issue.path.join('.')}: ${issue.message}`);
  }
  const m = parsed.data;
  return {
    leadFields: m.crm_lead.fields,
    searchStage: m.crm_lead.search_stage,
    questionPatterns: m.survey.questions,
    cvPattern: m.attachments.cv_pattern,
  };
}
