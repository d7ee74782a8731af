/**
 * Fixed reference records: users, CRM stages, impact units, the two registration surveys with
 * their questions and suggested answers. Ids are fixed so every scale and seed shares them.
 */

export const users = [
  { id: 1, name: 'OdooBot', login: '__system__', active: false },
  { id: 2, name: 'Mitchell Admin', login: 'admin', active: true },
  { id: 6, name: 'Marc Demo', login: 'demo', active: true },
];

/** Stage 7 was deleted from crm.stage while some leads still point to it. */
export const stages = [
  { id: 1, name: 'Nouveau', sequence: 1, is_won: false, fold: false, deleted: false },
  { id: 2, name: 'Qualifié', sequence: 2, is_won: false, fold: false, deleted: false },
  { id: 3, name: "En recherche d'entreprise", sequence: 3, is_won: false, fold: false, deleted: false },
  { id: 4, name: 'Entretien planifié', sequence: 4, is_won: false, fold: false, deleted: false },
  { id: 5, name: 'Placé', sequence: 5, is_won: true, fold: false, deleted: false },
  { id: 6, name: 'Perdu', sequence: 6, is_won: false, fold: true, deleted: false },
  { id: 7, name: 'À relancer', sequence: 7, is_won: false, fold: false, deleted: true },
];

export const stageIds = { new: 1, qualified: 2, searching: 3, interview: 4, placed: 5, lost: 6, deleted: 7 };

/** Impact units per x_region key; the Corsica unit is archived (x_active false). */
export const impactUnits = [
  { id: 1, name: 'UI Paris Nord', region: 'idf', active: true },
  { id: 2, name: 'UI Lyon Est', region: 'ara', active: true },
  { id: 3, name: 'UI Lille Métropole', region: 'hdf', active: true },
  { id: 4, name: 'UI Marseille', region: 'paca', active: true },
  { id: 5, name: 'UI Paris Sud', region: 'idf', active: true },
  { id: 6, name: 'UI Toulouse', region: 'occ', active: true },
  { id: 7, name: 'UI Bordeaux', region: 'naq', active: true },
  { id: 8, name: 'UI Nantes', region: 'pdl', active: true },
  { id: 9, name: 'UI Rennes', region: 'bre', active: true },
  { id: 10, name: 'UI Strasbourg', region: 'ges', active: true },
  { id: 11, name: 'UI Dijon', region: 'bfc', active: true },
  { id: 12, name: 'UI Rouen', region: 'nor', active: true },
  { id: 13, name: 'UI Orléans', region: 'cvl', active: true },
  { id: 14, name: 'UI Ajaccio', region: 'cor', active: false },
  { id: 15, name: 'UI Grenoble', region: 'ara', active: true },
];

export type QuestionKind =
  | 'page'
  | 'simple_choice'
  | 'multiple_choice'
  | 'date'
  | 'numerical_box'
  | 'char_box'
  | 'datetime'
  | 'scale'
  | 'text_box';

export type QuestionDefinition = {
  id: number;
  title: string;
  kind: QuestionKind;
  sequence: number;
  answers?: { id: number; value: string }[];
  /** Meaning of the question for the generator (birth date, contract, …). */
  role?: 'birth_date' | 'contract' | 'children' | 'job' | 'availability' | 'motivation' | 'comments';
};

export type SurveyDefinition = { id: number; title: string; createdOn: string; questions: QuestionDefinition[] };

function choices(firstId: number, values: string[]): { id: number; value: string }[] {
  return values.map((value, index) => ({ id: firstId + index, value }));
}

const yesNoUnsure = ['Oui', 'Non', 'Ne sait pas'];

/** The current entry survey, as in the company's Odoo. */
export const entrySurvey: SurveyDefinition = {
  id: 2,
  title: "Diagnostic d'entrée - Parcours d'insertion",
  createdOn: '2024-06-03 08:12:44.120000',
  questions: [
    { id: 20, title: 'Situation administrative', kind: 'page', sequence: 1 },
    { id: 21, title: 'Résidez-vous dans un QPV ?', kind: 'simple_choice', sequence: 2, answers: choices(101, yesNoUnsure) },
    { id: 22, title: 'Êtes-vous bénéficiaire du RSA ?', kind: 'simple_choice', sequence: 3, answers: choices(104, yesNoUnsure) },
    { id: 23, title: 'Avez-vous une RQTH ?', kind: 'simple_choice', sequence: 4, answers: choices(107, yesNoUnsure) },
    { id: 24, title: 'Êtes-vous inscrit(e) à France Travail ?', kind: 'simple_choice', sequence: 5, answers: choices(110, yesNoUnsure) },
    {
      id: 25,
      title: 'Nationalité',
      kind: 'simple_choice',
      sequence: 6,
      answers: choices(113, ['Française', 'Union européenne', 'Hors Union européenne']),
    },
    { id: 26, title: 'Projet professionnel', kind: 'page', sequence: 7 },
    {
      id: 27,
      title: 'Mobilité géographique',
      kind: 'simple_choice',
      sequence: 8,
      answers: choices(116, ['Locale (moins de 30 km)', 'Départementale', 'Régionale', 'Nationale']),
    },
    {
      id: 28,
      title: 'Type de contrat souhaité',
      kind: 'multiple_choice',
      sequence: 9,
      role: 'contract',
      answers: choices(120, ["Contrat d'apprentissage", 'Contrat de professionnalisation', 'CDI', 'CDD', 'Intérim']),
    },
    { id: 29, title: 'Date de naissance', kind: 'date', sequence: 10, role: 'birth_date' },
    { id: 30, title: "Nombre d'enfants à charge", kind: 'numerical_box', sequence: 11, role: 'children' },
    { id: 31, title: 'Métier recherché', kind: 'char_box', sequence: 12, role: 'job' },
    { id: 32, title: 'Disponible à partir du', kind: 'datetime', sequence: 13, role: 'availability' },
    { id: 33, title: 'Niveau de motivation (0 à 10)', kind: 'scale', sequence: 14, role: 'motivation' },
    { id: 34, title: 'Commentaires libres', kind: 'text_box', sequence: 15, role: 'comments' },
  ],
};

/** The survey used before 2024: English Yes/No answers and a free-text birth date. */
export const legacySurvey: SurveyDefinition = {
  id: 1,
  title: 'Inscription candidats 2023',
  createdOn: '2023-01-09 10:02:11.480000',
  questions: [
    { id: 1, title: 'Habitez-vous en quartier prioritaire (QPV) ?', kind: 'simple_choice', sequence: 1, answers: choices(1, ['Yes', 'No']) },
    { id: 2, title: 'Bénéficiaire du RSA ?', kind: 'simple_choice', sequence: 2, answers: choices(3, ['Yes', 'No']) },
    { id: 3, title: 'Reconnaissance RQTH ?', kind: 'simple_choice', sequence: 3, answers: choices(5, ['Yes', 'No']) },
    { id: 4, title: 'Inscrit(e) à Pôle emploi ?', kind: 'simple_choice', sequence: 4, answers: choices(7, ['Yes', 'No']) },
    { id: 5, title: 'Nationalité', kind: 'simple_choice', sequence: 5, answers: choices(9, ['Française', 'Étrangère']) },
    {
      id: 6,
      title: 'Type de contrat recherché',
      kind: 'multiple_choice',
      sequence: 6,
      role: 'contract',
      answers: choices(11, ['Apprentissage', 'Professionnalisation']),
    },
    { id: 7, title: 'Mobilité', kind: 'simple_choice', sequence: 7, answers: choices(13, ['Locale', 'Régionale', 'Nationale']) },
    { id: 8, title: 'Date de naissance (JJ/MM/AAAA)', kind: 'char_box', sequence: 8, role: 'birth_date' },
  ],
};

export const surveys = [legacySurvey, entrySurvey];

/** The page a question belongs to: the last page before it in sequence order. */
export function pageOf(survey: SurveyDefinition, question: QuestionDefinition): number | null {
  let page: number | null = null;
  for (const candidate of survey.questions) {
    if (candidate.sequence > question.sequence) break;
    if (candidate.kind === 'page') page = candidate.id;
  }
  return question.kind === 'page' ? null : page;
}
