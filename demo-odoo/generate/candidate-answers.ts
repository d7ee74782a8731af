/**
 * Registration answers of the candidates who have a survey: one survey.user_input each and its
 * survey.user_input.line rows, all stamped with the moment the form was submitted.
 */
import { microsPerSecond, type GeneratedRow } from './appender.ts';
import type { Candidate } from './candidates.ts';
import { freeComments, jobTitles } from './french-names.ts';
import { typedBirthDate } from './messy-values.ts';
import type { Random } from './prng.ts';
import { pageOf, surveys, type QuestionDefinition } from './reference-data.ts';

/**
 * Gives each surveyed candidate a user_input id, in lead order, and the moment the form was
 * submitted: shortly before the lead was created from it. Returns the next free id.
 */
export function assignUserInputs(random: Random, candidates: Candidate[], firstId: number): number {
  let nextId = firstId;
  for (const candidate of candidates) {
    if (!candidate.survey) continue;
    candidate.userInputId = nextId++;
    candidate.submittedAt = candidate.createdAt - BigInt(random.int(60, 7_200)) * microsPerSecond - BigInt(random.int(0, 999_999));
  }
  return nextId;
}

export function* candidateUserInputs(random: Random, candidates: Candidate[]): Generator<GeneratedRow> {
  for (const candidate of candidates) {
    if (!candidate.survey || candidate.userInputId === null || candidate.submittedAt === null) continue;
    const stamp = candidate.submittedAt;
    yield {
      id: candidate.userInputId,
      survey_id: candidate.survey.surveyId,
      partner_id: candidate.partnerId,
      email: candidate.email,
      state: candidate.survey.state,
      create_date: stamp,
      write_date: candidate.survey.state === 'done' ? stamp + BigInt(random.int(1, 900)) * microsPerSecond : stamp,
      create_uid: 2,
      write_uid: 2,
    };
  }
}

/** Lines of every surveyed candidate; ids from `firstLineId`. `counter.next` ends as the next free id. */
export function* candidateLines(
  random: Random,
  candidates: Candidate[],
  counter: { next: number },
): Generator<GeneratedRow> {
  for (const candidate of candidates) {
    if (!candidate.survey || candidate.userInputId === null || candidate.survey.state === 'new') continue;
    const survey = surveys.find((definition) => definition.id === candidate.survey?.surveyId);
    if (!survey || candidate.submittedAt === null) continue;
    const stamp = candidate.submittedAt;
    const questions = survey.questions.filter((question) => question.kind !== 'page');
    const answered = candidate.survey.state === 'in_progress' ? questions.slice(0, Math.ceil(questions.length / 2)) : questions;
    
    for (const question of answered) {
      for (const values of answerValues(random, question, candidate)) {
        yield {
          id: counter.next++,
          user_input_id: candidate.userInputId,
          survey_id: survey.id,
          question_id: question.id,
          page_id: pageOf(survey, question),
          question_sequence: question.sequence,
          skipped: false,
          create_date: stamp,
          write_date: stamp,
          create_uid: 2,
          write_uid: 2,
          ...values,
        };
      }
    }
  }
}

const skippedLine: GeneratedRow = { skipped: true, answer_type: null };

/** Draws the value columns of the lines for one question: several for a multiple choice. */
function answerValues(random: Random, question: QuestionDefinition, candidate: Candidate): GeneratedRow[] {
  const skipRate = question.role === 'comments' ? 0.65 : 0.05;
  if (random.chance(skipRate)) return [skippedLine];

  switch (question.kind) {
    case 'simple_choice':
      return [{ answer_type: 'suggestion', suggested_answer_id: pickAnswer(random, question).id }];
    case 'multiple_choice': {
      const answers = question.answers ?? [];
      const count = Math.min(answers.length, random.weighted([[1, 55], [2, 30], [3, 15]]));
      const start = random.int(0, answers.length - 1);
      return Array.from({ length: count }, (_, offset) => ({
        answer_type: 'suggestion',
        suggested_answer_id: answers[(start + offset) % answers.length].id,
      }));
    }
    case 'date':
      return [{ answer_type: 'date', value_date: candidate.birthDate.toISOString().slice(0, 10) }];
    case 'numerical_box':
      return [{ answer_type: 'numerical_box', value_numerical_box: candidate.children ?? 0 }];
    case 'char_box':
      if (question.role === 'birth_date') return [{ answer_type: 'char_box', value_char_box: typedBirthDate(random, candidate.birthDate) }];
      return [{ answer_type: 'char_box', value_char_box: random.pick(jobTitles) }];
    case 'datetime':
      return [{ answer_type: 'datetime', value_datetime: candidate.createdAt + BigInt(random.int(7, 120)) * 86_400n * microsPerSecond }];
    case 'scale':
      return [{ answer_type: 'scale', value_scale: random.int(3, 10) }];
    case 'text_box':
      return [{ answer_type: 'text_box', value_text_box: random.pick(freeComments) }];
    default:
      return [];
  }
}

/** Draws a suggested answer. Yes-like ones are rarer than no-like ones, except for France Travail and nationality. */
function pickAnswer(random: Random, question: QuestionDefinition): { id: number; value: string } {
  const answers = question.answers ?? [];
  const yesFirst = /France Travail|Pôle emploi|Nationalité/i.test(question.title);
  const firstWeight = yesFirst ? 70 : 20;
  const secondWeight = yesFirst ? 20 : 70;
  const weights = answers.map((_, index): [number, number] => {
    if (index === 0) return [index, firstWeight];
    if (index === 1) return [index, secondWeight];
    return [index, 10];
  });
  return answers[random.weighted(weights)];
}
