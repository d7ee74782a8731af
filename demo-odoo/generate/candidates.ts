/**
 * Candidates: one crm.lead each (with its partner), drawn from the seed. A candidate may have
 * answered a registration survey (its `x_survey_user_input_id`), may share an email or phone with
 * an earlier one (duplicates), may be a test record, may be lost (archived).
 */
import { campaignCodes, firstNames, lastNames, trainingTitles } from './french-names.ts';
import { emailAddress, phoneNumber, remarkHtml } from './messy-values.ts';
import { drawCommune, regionKeys } from './places.ts';
import type { Random } from './prng.ts';
import { impactUnits, stageIds } from './reference-data.ts';
import { micros, microsPerDay, microsPerSecond } from './appender.ts';

export type SurveyChoice = { surveyId: number; state: 'done' | 'in_progress' | 'new' };

export type Candidate = {
  leadId: number;
  partnerId: number | null;
  firstName: string;
  lastName: string;
  leadName: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  zip: string | null;
  region: string | null;
  impactUnit: number | null;
  stageId: number;
  active: boolean;
  type: 'lead' | 'opportunity';
  priority: string;
  probability: number;
  parcours: string | null;
  description: string | null;
  entryDate: string | null;
  children: number | null;
  userId: number;
  createdAt: bigint;
  writtenAt: bigint;
  closedAt: bigint | null;
  birthDate: Date;
  survey: SurveyChoice | null;
  userInputId: number | null;
  /** When the registration form was submitted (microseconds), for candidates with a survey. */
  submittedAt: bigint | null;
};

/** Leads are created over fifteen months before the data's reference date. */
export const firstLeadAt = micros('2024-09-02 07:00:00');
export const referenceAt = micros('2025-12-01 06:00:00');

const stageWeights: [number, number][] = [
  [stageIds.new, 14],
  [stageIds.qualified, 14],
  [stageIds.searching, 36],
  [stageIds.interview, 10],
  [stageIds.placed, 14],
  [stageIds.lost, 6],
  [stageIds.deleted, 2],
];

const parcoursWeights: [string | null, number][] = [
  ['emploi', 30],
  ['formation', 35],
  ['alternance', 15],
  ['creation', 5],
  [null, 15],
];

/** Partner 1 is the company, 2 and 3 the users' partners; candidates' partners follow. */
const firstCandidatePartnerId = 10;

export function drawCandidates(random: Random, count: number): Candidate[] {
  const creationTimes = Array.from({ length: count }, () => firstLeadAt + BigInt(Math.floor(random.next() * Number(referenceAt - firstLeadAt - 3n * microsPerDay))));
  creationTimes.sort(compareBigints);

  const candidates: Candidate[] = [];
  let nextPartnerId = firstCandidatePartnerId;
  for (let index = 0; index < count; index++) {
    const candidate = drawCandidate(random, index + 1, creationTimes[index], candidates);
    if (random.chance(0.85)) candidate.partnerId = nextPartnerId++;
    candidates.push(candidate);
  }
  markTestRecords(candidates);
  return candidates;
}

function drawCandidate(random: Random, leadId: number, createdAt: bigint, earlier: Candidate[]): Candidate {
  const firstName = random.pick(firstNames);
  const rawLastName = random.pick(lastNames);
  const lastName = random.chance(0.08) ? rawLastName.toUpperCase() : rawLastName;
  const commune = drawCommune(random);
  const regionKey = regionKeys[commune.regionCode] ?? null;

  const stageId = random.weighted(stageWeights);
  const lost = stageId === stageIds.lost || random.chance(0.03);
  const writtenAt = random.chance(0.6) ? minBigint(createdAt + randomDuration(random, 90), referenceAt) : createdAt;

  const candidate: Candidate = {
    leadId,
    partnerId: null,
    firstName,
    lastName,
    leadName: random.chance(0.65) ? `${firstName} ${lastName} - ${random.pick(trainingTitles)}` : random.pick(campaignCodes),
    email: random.chance(0.94) ? emailAddress(random, firstName, rawLastName) : null,
    phone: random.chance(0.93) ? phoneNumber(random) : null,
    city: messyCity(random, commune.name, commune.postalCode),
    zip: random.chance(0.94) ? commune.postalCode : null,
    region: messyRegion(random, regionKey),
    impactUnit: null,
    stageId,
    active: !lost,
    type: random.chance(0.8) ? 'opportunity' : 'lead',
    priority: random.weighted([['0', 60], ['1', 25], ['2', 10], ['3', 5]]),
    probability: leadProbability(random, stageId, lost),
    parcours: random.weighted(parcoursWeights),
    description: remarkHtml(random),
    entryDate: random.chance(0.5) ? dateOnly(createdAt + randomDuration(random, 120)) : null,
    children: random.chance(0.4) ? random.int(1, 4) : null,
    userId: random.chance(0.85) ? 2 : 6,
    createdAt,
    writtenAt,
    closedAt: stageId === stageIds.placed ? writtenAt : null,
    birthDate: new Date(Date.UTC(random.int(1965, 2006), random.int(0, 11), random.int(1, 28))),
    survey: drawSurvey(random),
    userInputId: null,
    submittedAt: null,
  };
  candidate.impactUnit = drawImpactUnit(random, regionKey);

  // The same person applying twice, or two people typing one family address or phone.
  if (earlier.length > 10 && random.chance(0.04)) {
    const other = random.pick(earlier);
    if (random.chance(0.6)) candidate.email = other.email;
    else candidate.phone = other.phone;
  }
  return candidate;
}

function drawSurvey(random: Random): SurveyChoice | null {
  if (!random.chance(0.82)) return null;
  const surveyId = random.chance(0.2) ? 1 : 2;
  const state = random.weighted<SurveyChoice['state']>([['done', 90], ['in_progress', 6], ['new', 4]]);
  return { surveyId, state };
}

function drawImpactUnit(random: Random, regionKey: string | null): number | null {
  if (random.chance(0.1)) return null;
  const units = impactUnits.filter((unit) => unit.region === regionKey);
  return units.length > 0 ? random.pick(units).id : random.pick(impactUnits).id;
}

function messyCity(random: Random, name: string, postalCode: string): string | null {
  return random.weighted<string | null>([
    [name, 86],
    [name.toUpperCase(), 5],
    [postalCode, 3],
    [null, 4],
    [` ${name}`, 2],
  ]);
}

/** Region keys: mostly right, some empty, some on the legacy abbreviations GSO and SUD. */
function messyRegion(random: Random, regionKey: string | null): string | null {
  if (random.chance(0.08)) return null;
  if ((regionKey === 'naq' || regionKey === 'occ') && random.chance(0.15)) return 'gso';
  if ((regionKey === 'paca' || regionKey === 'occ') && random.chance(0.15)) return 'sud';
  return regionKey;
}

/** Test records left in the CRM by the teams; they carry no contact details. */
function markTestRecords(candidates: Candidate[]): void {
  const tests: [string, string, string][] = [
    ['Chloé', 'Marchetti', 'Chloé Marchetti - Test'],
    ['TEST', 'TEST', 'TEST TEST'],
  ];
  tests.forEach(([firstName, lastName, leadName], position) => {
    const candidate = candidates[Math.min(candidates.length - 1, 3 + position * 7)];
    if (!candidate) return;
    Object.assign(candidate, { firstName, lastName, leadName, email: null, phone: null, city: null, zip: null, survey: null });
  });
}

function randomDuration(random: Random, maxDays: number): bigint {
  return BigInt(Math.floor(random.next() * maxDays * 86_400)) * microsPerSecond + BigInt(random.int(0, 999_999));
}

function leadProbability(random: Random, stageId: number, lost: boolean): number {
  if (stageId === stageIds.placed) return 100;
  if (lost) return 0;
  return random.pick([5.92, 10, 20, 30, 50]);
}

export function compareBigints(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function dateOnly(epochMicros: bigint): string {
  return new Date(Number(epochMicros / 1000n)).toISOString().slice(0, 10);
}
