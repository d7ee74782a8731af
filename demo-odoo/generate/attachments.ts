/**
 * ir.attachment rows: CVs named every which way (several per lead for some, some sharing one
 * create_date to exercise tie-breaks, a LinkedIn URL), cover letters, CVs attached to the partner
 * rather than the lead, and leads with no CV at all. Contents are tiny fake files.
 */
import { createHash } from 'node:crypto';
import { microsPerDay, microsPerSecond, type GeneratedRow } from './appender.ts';
import { compareBigints, type Candidate } from './candidates.ts';
import { withoutAccents } from './messy-values.ts';
import type { Random } from './prng.ts';

const mimetypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  jpg: 'image/jpeg',
};

type Draft = Omit<GeneratedRow, 'id'> & { create_date: bigint };

export function drawAttachments(random: Random, candidates: Candidate[], firstId: number): GeneratedRow[] {
  const drafts: Draft[] = [];
  for (const candidate of candidates) drafts.push(...candidateFiles(random, candidate));

  // Ids grow with creation time, as with a database sequence; equal times keep drawing order.
  const ordered = drafts.map((draft, index) => ({ draft, index }));
  ordered.sort((a, b) => compareBigints(a.draft.create_date, b.draft.create_date) || a.index - b.index);
  return ordered.map(({ draft }, position) => ({ id: firstId + position, ...draft }));
}

function candidateFiles(random: Random, candidate: Candidate): Draft[] {
  const files: Draft[] = [];
  const uploadedAt = candidate.createdAt + BigInt(random.int(0, 3 * 86_400)) * microsPerSecond + BigInt(random.int(0, 999_999));
  const onLead = { res_model: 'crm.lead', res_id: candidate.leadId, res_name: candidate.leadName };

  if (random.chance(0.68)) {
    files.push(cvFile(random, candidate, onLead, uploadedAt));
    if (random.chance(0.14)) {
      const laterAt = uploadedAt + BigInt(random.int(5, 60)) * microsPerDay + BigInt(random.int(0, 999_999));
      files.push(cvFile(random, candidate, onLead, laterAt));
    }
    if (random.chance(0.04)) files.push(cvFile(random, candidate, onLead, uploadedAt));
  }
  if (random.chance(0.28)) {
    files.push(binaryFile(`Lettre de motivation - ${candidate.firstName} ${candidate.lastName}.pdf`, 'pdf', candidate, onLead, uploadedAt));
  }
  if (random.chance(0.04)) files.push(binaryFile('Pièce identité recto verso.jpg', 'jpg', candidate, onLead, uploadedAt));
  if (candidate.partnerId !== null && random.chance(0.08)) {
    const onPartner = { res_model: 'res.partner', res_id: candidate.partnerId, res_name: `${candidate.firstName} ${candidate.lastName}` };
    files.push(binaryFile(`CV - ${candidate.firstName} ${candidate.lastName}.pdf`, 'pdf', candidate, onPartner, uploadedAt));
  }
  return files;
}

type Owner = { res_model: string; res_id: number; res_name: string };

function cvFile(random: Random, candidate: Candidate, owner: Owner, at: bigint): Draft {
  const { firstName, lastName } = candidate;
  const slug = (text: string) => withoutAccents(text).toLowerCase().replace(/[^a-z]+/g, '_');
  const variant = random.weighted<string>([
    ['standard', 55],
    ['slug', 15],
    ['docx', 12],
    ['curriculum', 6],
    ['linkedin', 8],
    ['upper', 4],
  ]);
  switch (variant) {
    case 'slug':
      return binaryFile(`cv_${slug(firstName)}_${slug(lastName)}_2025.pdf`, 'pdf', candidate, owner, at);
    case 'docx':
      return binaryFile(`CV ${lastName}.docx`, 'docx', candidate, owner, at);
    case 'curriculum':
      return binaryFile(`Curriculum vitae ${firstName} ${lastName}.pdf`, 'pdf', candidate, owner, at);
    case 'upper':
      return binaryFile(`MON CV ${lastName.toUpperCase()}.PDF`, 'pdf', candidate, owner, at);
    case 'linkedin':
      return {
        ...owner,
        name: 'CV - lien LinkedIn',
        type: 'url',
        url: `https://www.linkedin.com/in/${slug(firstName)}-${slug(lastName)}`.replaceAll('_', '-'),
        mimetype: 'text/plain',
        file_size: 0,
        public: false,
        create_date: at,
        write_date: at,
        create_uid: 2,
        write_uid: 2,
      };
    default:
      return binaryFile(`CV - ${firstName} ${lastName}.pdf`, 'pdf', candidate, owner, at);
  }
}

function binaryFile(name: string, kind: keyof typeof mimetypes, candidate: Candidate, owner: Owner, at: bigint): Draft {
  const content = Buffer.from(`%PDF-1.4\n% ${name} (${candidate.firstName} ${candidate.lastName})\n%%EOF\n`, 'utf8');
  return {
    ...owner,
    name,
    type: 'binary',
    datas: content.toString('base64'),
    file_size: content.length,
    checksum: createHash('sha1').update(content).digest('hex'),
    mimetype: mimetypes[kind],
    public: false,
    create_date: at,
    write_date: at,
    create_uid: 2,
    write_uid: 2,
  };
}
