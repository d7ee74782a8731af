/**
 * The Odoo models the demo serves, with the field names this company's database uses
 * (standard crm/survey fields plus Studio-style `x_` custom fields on crm.lead).
 */
import { magicFields, type FieldSpec, type ModelSpec } from './schema-types.ts';

/** x_region keys: the official regions, plus two legacy keys whose labels are mere abbreviations. */
export const regionSelection: [string, string][] = [
  ['idf', 'Île-de-France'],
  ['ara', 'Auvergne-Rhône-Alpes'],
  ['hdf', 'Hauts-de-France'],
  ['paca', "Provence-Alpes-Côte d'Azur"],
  ['occ', 'Occitanie'],
  ['naq', 'Nouvelle-Aquitaine'],
  ['bfc', 'Bourgogne-Franche-Comté'],
  ['bre', 'Bretagne'],
  ['cvl', 'Centre-Val de Loire'],
  ['ges', 'Grand Est'],
  ['nor', 'Normandie'],
  ['pdl', 'Pays de la Loire'],
  ['cor', 'Corse'],
  ['gso', 'GSO'],
  ['sud', 'SUD'],
];

export const parcoursSelection: [string, string][] = [
  ['emploi', "Retour à l'emploi"],
  ['formation', 'Formation qualifiante'],
  ['creation', "Création d'entreprise"],
  ['alternance', 'Alternance'],
];

const leadFields: FieldSpec[] = [
  { name: 'name', type: 'char', string: 'Opportunity', stringFr: 'Opportunité', required: true },
  { name: 'description', type: 'html', string: 'Notes', stringFr: 'Notes' },
  { name: 'active', type: 'boolean', string: 'Active', stringFr: 'Actif' },
  {
    name: 'type',
    type: 'selection',
    string: 'Type',
    stringFr: 'Type',
    required: true,
    selection: [['lead', 'Lead'], ['opportunity', 'Opportunity']],
    selectionFr: [['lead', 'Piste'], ['opportunity', 'Opportunité']],
  },
  {
    name: 'priority',
    type: 'selection',
    string: 'Priority',
    stringFr: 'Priorité',
    selection: [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Very High']],
    selectionFr: [['0', 'Basse'], ['1', 'Médium'], ['2', 'Haute'], ['3', 'Très élevé']],
  },
  { name: 'user_id', type: 'many2one', relation: 'res.users', string: 'Salesperson', stringFr: 'Vendeur' },
  { name: 'stage_id', type: 'many2one', relation: 'crm.stage', string: 'Stage', stringFr: 'Étape' },
  { name: 'probability', type: 'float', string: 'Probability', stringFr: 'Probabilité' },
  { name: 'expected_revenue', type: 'monetary', string: 'Expected Revenue', stringFr: 'Revenu espéré' },
  { name: 'date_closed', type: 'datetime', string: 'Closed Date', stringFr: 'Date de fermeture', readonly: true },
  { name: 'partner_id', type: 'many2one', relation: 'res.partner', string: 'Customer', stringFr: 'Client' },
  { name: 'contact_name', type: 'char', string: 'Contact Name', stringFr: 'Nom du contact' },
  { name: 'email_from', type: 'char', string: 'Email', stringFr: 'E-mail' },
  { name: 'phone', type: 'char', string: 'Phone', stringFr: 'Téléphone' },
  { name: 'zip', type: 'char', string: 'Zip', stringFr: 'Code postal' },
  { name: 'city', type: 'char', string: 'City', stringFr: 'Ville' },
  ...magicFields(),
  { name: 'x_region', type: 'selection', string: 'Région', manual: true, selection: regionSelection },
  { name: 'x_ville', type: 'char', string: 'Ville', manual: true },
  { name: 'x_impact_unit', type: 'many2one', relation: 'x_impact_unit', string: "Unité d'impact", manual: true },
  { name: 'x_parcours', type: 'selection', string: 'Parcours', manual: true, selection: parcoursSelection },
  { name: 'x_contact_firstname', type: 'char', string: 'Prénom du contact', manual: true },
  { name: 'x_date_entree', type: 'date', string: "Date d'entrée", manual: true },
  { name: 'x_nb_enfants', type: 'integer', string: "Nombre d'enfants", manual: true },
  {
    name: 'x_survey_user_input_id',
    type: 'many2one',
    relation: 'survey.user_input',
    string: "Réponses à l'inscription",
    manual: true,
  },
];

const answerTypeSelection: [string, string][] = [
  ['text_box', 'Free Text'],
  ['char_box', 'Text'],
  ['numerical_box', 'Number'],
  ['scale', 'Number'],
  ['date', 'Date'],
  ['datetime', 'Datetime'],
  ['suggestion', 'Suggestion'],
];

const questionTypeSelection: [string, string][] = [
  ['simple_choice', 'Multiple choice: only one answer'],
  ['multiple_choice', 'Multiple choice: multiple answers allowed'],
  ['text_box', 'Multiple Lines Text Box'],
  ['char_box', 'Single Line Text Box'],
  ['numerical_box', 'Numerical Value'],
  ['scale', 'Scale'],
  ['date', 'Date'],
  ['datetime', 'Datetime'],
  ['matrix', 'Matrix'],
];

// Display names are SQL over the row's alias; they follow what Odoo 18 computes, e.g. a
// respondent shows its survey's title and a suggested answer shows "Question ? : Answer".
const surveyTitleOf = (column: string) => `(SELECT s."title" FROM "survey_survey" s WHERE s."id" = ${column})`;
const questionTitleOf = (column: string) => `(SELECT q."title" FROM "survey_question" q WHERE q."id" = ${column})`;

export const models: ModelSpec[] = [
  {
    name: 'res.users',
    table: 'res_users',
    description: 'User (res.users)',
    order: 'name, id',
    displayName: (alias) => `${alias}."name"`,
    fields: [
      { name: 'name', type: 'char', string: 'Name', stringFr: 'Nom', required: true },
      { name: 'login', type: 'char', string: 'Login', stringFr: 'Identifiant', required: true },
      { name: 'active', type: 'boolean', string: 'Active', stringFr: 'Actif' },
      ...magicFields(),
    ],
    activeField: 'active',
  },
  {
    name: 'res.partner',
    table: 'res_partner',
    description: 'Contact (res.partner)',
    order: 'name, id desc',
    activeField: 'active',
    displayName: (alias) => `${alias}."name"`,
    fields: [
      { name: 'name', type: 'char', string: 'Name', stringFr: 'Nom' },
      { name: 'email', type: 'char', string: 'Email', stringFr: 'E-mail' },
      { name: 'phone', type: 'char', string: 'Phone', stringFr: 'Téléphone' },
      { name: 'active', type: 'boolean', string: 'Active', stringFr: 'Actif' },
      ...magicFields(),
    ],
  },
  {
    name: 'crm.stage',
    table: 'crm_stage',
    description: 'CRM Stages (crm.stage)',
    order: 'sequence, name, id',
    keepsDeletedRows: true,
    displayName: (alias) => `${alias}."name"`,
    fields: [
      { name: 'name', type: 'char', string: 'Stage Name', stringFr: "Nom de l'étape", required: true },
      { name: 'sequence', type: 'integer', string: 'Sequence', stringFr: 'Séquence' },
      { name: 'is_won', type: 'boolean', string: 'Is Won Stage?', stringFr: 'Est une étape gagnée ?' },
      { name: 'fold', type: 'boolean', string: 'Folded in Pipeline', stringFr: 'Replié dans le pipeline' },
      ...magicFields(),
    ],
  },
  {
    name: 'x_impact_unit',
    table: 'x_impact_unit',
    description: "Unité d'impact (x_impact_unit)",
    order: 'id',
    activeField: 'x_active',
    displayName: (alias) => `${alias}."x_name"`,
    fields: [
      { name: 'x_name', type: 'char', string: 'Nom', manual: true, required: true },
      { name: 'x_active', type: 'boolean', string: 'Actif', manual: true },
      ...magicFields(),
    ],
  },
  {
    name: 'crm.lead',
    table: 'crm_lead',
    description: 'Lead/Opportunity (crm.lead)',
    order: 'priority desc, id desc',
    activeField: 'active',
    displayName: (alias) => `${alias}."name"`,
    fields: leadFields,
  },
  {
    name: 'ir.attachment',
    table: 'ir_attachment',
    description: 'Attachment (ir.attachment)',
    order: 'id desc',
    displayName: (alias) => `${alias}."name"`,
    fields: [
      { name: 'name', type: 'char', string: 'Name', stringFr: 'Nom', required: true },
      { name: 'description', type: 'text', string: 'Description', stringFr: 'Description' },
      { name: 'res_name', type: 'char', string: 'Resource Name', stringFr: 'Nom de la ressource' },
      { name: 'res_model', type: 'char', string: 'Resource Model', stringFr: 'Modèle de ressource' },
      { name: 'res_field', type: 'char', string: 'Resource Field', stringFr: 'Champ de ressource' },
      { name: 'res_id', type: 'many2one_reference', string: 'Resource ID', stringFr: 'ID de la ressource' },
      {
        name: 'type',
        type: 'selection',
        string: 'Type',
        stringFr: 'Type',
        required: true,
        selection: [['url', 'URL'], ['binary', 'File']],
        selectionFr: [['url', 'URL'], ['binary', 'Fichier']],
      },
      { name: 'url', type: 'char', string: 'Url', stringFr: 'Url' },
      { name: 'public', type: 'boolean', string: 'Is public document', stringFr: 'Document public' },
      { name: 'raw', type: 'binary', string: 'File Content (raw)', stringFr: 'Contenu du fichier (brut)', computed: true },
      { name: 'datas', type: 'binary', string: 'File Content (base64)', stringFr: 'Contenu du fichier (base64)' },
      { name: 'file_size', type: 'integer', string: 'File Size', stringFr: 'Taille du fichier', readonly: true },
      { name: 'checksum', type: 'char', string: 'Checksum/SHA1', stringFr: 'Somme de contrôle/SHA1', readonly: true },
      { name: 'mimetype', type: 'char', string: 'Mime Type', stringFr: 'Type MIME' },
      ...magicFields(),
    ],
  },
  {
    name: 'survey.survey',
    table: 'survey_survey',
    description: 'Survey (survey.survey)',
    order: 'create_date desc, id desc',
    activeField: 'active',
    displayName: (alias) => `${alias}."title"`,
    fields: [
      { name: 'title', type: 'char', string: 'Survey Title', stringFr: "Titre de l'enquête", required: true },
      { name: 'active', type: 'boolean', string: 'Active', stringFr: 'Actif' },
      ...magicFields(),
    ],
  },
  {
    name: 'survey.question',
    table: 'survey_question',
    description: 'Survey Question (survey.question)',
    order: 'sequence, id',
    displayName: (alias) => `${alias}."title"`,
    fields: [
      { name: 'title', type: 'char', string: 'Title', stringFr: 'Titre', required: true },
      { name: 'survey_id', type: 'many2one', relation: 'survey.survey', string: 'Survey', stringFr: 'Enquête' },
      { name: 'page_id', type: 'many2one', relation: 'survey.question', string: 'Page', stringFr: 'Page' },
      { name: 'sequence', type: 'integer', string: 'Sequence', stringFr: 'Séquence' },
      { name: 'is_page', type: 'boolean', string: 'Is a page?', stringFr: 'Est une page ?' },
      {
        name: 'question_type',
        type: 'selection',
        string: 'Question Type',
        stringFr: 'Type de question',
        selection: questionTypeSelection,
      },
      {
        name: 'suggested_answer_ids',
        type: 'one2many',
        relation: 'survey.question.answer',
        inverseName: 'question_id',
        inverseOrder: 'sequence, id',
        string: 'Types of answers',
        stringFr: 'Types de réponses',
      },
      ...magicFields(),
    ],
  },
  {
    name: 'survey.question.answer',
    table: 'survey_question_answer',
    description: 'Survey Label (survey.question.answer)',
    order: 'question_id, sequence, id',
    displayName: (alias) => `${questionTitleOf(`${alias}."question_id"`)} || ' : ' || ${alias}."value"`,
    fields: [
      { name: 'question_id', type: 'many2one', relation: 'survey.question', string: 'Question', stringFr: 'Question' },
      { name: 'sequence', type: 'integer', string: 'Label Sequence order', stringFr: 'Séquence' },
      { name: 'value', type: 'char', string: 'Suggested value', stringFr: 'Valeur suggérée', required: true },
      ...magicFields(),
    ],
  },
  {
    name: 'survey.user_input',
    table: 'survey_user_input',
    description: 'Survey User Input (survey.user_input)',
    order: 'create_date desc, id desc',
    displayName: (alias) => surveyTitleOf(`${alias}."survey_id"`),
    fields: [
      { name: 'survey_id', type: 'many2one', relation: 'survey.survey', string: 'Survey', stringFr: 'Enquête', required: true },
      { name: 'partner_id', type: 'many2one', relation: 'res.partner', string: 'Contact', stringFr: 'Contact' },
      { name: 'email', type: 'char', string: 'Email', stringFr: 'E-mail' },
      {
        name: 'state',
        type: 'selection',
        string: 'Status',
        stringFr: 'Statut',
        selection: [['new', 'New'], ['in_progress', 'In Progress'], ['done', 'Completed']],
        selectionFr: [['new', 'Nouveau'], ['in_progress', 'En cours'], ['done', 'Terminé']],
      },
      ...magicFields(),
    ],
  },
  {
    name: 'survey.user_input.line',
    table: 'survey_user_input_line',
    description: 'Survey User Input Line (survey.user_input.line)',
    // Odoo orders by question_sequence, a related field it stores on the line.
    order: 'question_sequence, id',
    displayName: (alias) => questionTitleOf(`${alias}."question_id"`),
    fields: [
      { name: 'user_input_id', type: 'many2one', relation: 'survey.user_input', string: 'User Input', required: true },
      { name: 'survey_id', type: 'many2one', relation: 'survey.survey', string: 'Survey' },
      { name: 'question_id', type: 'many2one', relation: 'survey.question', string: 'Question', required: true },
      { name: 'page_id', type: 'many2one', relation: 'survey.question', string: 'Section' },
      { name: 'question_sequence', type: 'integer', string: 'Sequence' },
      { name: 'skipped', type: 'boolean', string: 'Skipped' },
      { name: 'answer_type', type: 'selection', string: 'Answer Type', selection: answerTypeSelection },
      { name: 'value_char_box', type: 'char', string: 'Text answer' },
      { name: 'value_numerical_box', type: 'float', string: 'Numerical answer' },
      { name: 'value_scale', type: 'integer', string: 'Scale value' },
      { name: 'value_date', type: 'date', string: 'Date answer' },
      { name: 'value_datetime', type: 'datetime', string: 'Datetime answer' },
      { name: 'value_text_box', type: 'text', string: 'Free Text answer' },
      { name: 'suggested_answer_id', type: 'many2one', relation: 'survey.question.answer', string: 'Suggested answer' },
      { name: 'matrix_row_id', type: 'many2one', relation: 'survey.question.answer', string: 'Row answer' },
      ...magicFields(),
    ],
  },
  {
    name: 'ir.config_parameter',
    table: 'ir_config_parameter',
    description: 'System Parameter (ir.config_parameter)',
    order: 'key, id',
    adminOnly: true,
    displayName: (alias) => `${alias}."key"`,
    fields: [
      { name: 'key', type: 'char', string: 'Key', stringFr: 'Clé', required: true },
      { name: 'value', type: 'text', string: 'Value', stringFr: 'Valeur', required: true },
      ...magicFields(),
    ],
  },
];

const modelsByName = new Map(models.map((model) => [model.name, model]));

export function findModel(name: string): ModelSpec | undefined {
  return modelsByName.get(name);
}

export function findField(model: ModelSpec, name: string): FieldSpec | undefined {
  return model.fields.find((field) => field.name === name);
}
