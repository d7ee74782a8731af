/**
 * Contact values typed by hand, with the mess real CRM data has. Phone numbers come in every
 * format, emails lack `@` or carry spaces and capitals, and birth dates are written any way (some
 * impossible). Remarks contain HTML, entities, a script tag or several hundred characters.
 */
import type { Random } from './prng.ts';

export function withoutAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Draws a French mobile number (10 digits, starting 06 or 07) written in one of the usual ways. */
export function phoneNumber(random: Random): string {
  const digits = `0${random.pick(['6', '7'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
  const pairs = digits.match(/../g) ?? [];
  const national = digits.slice(1);
  return random.weighted<string>([
    [pairs.join(' '), 40],
    [digits, 15],
    [`+33${national}`, 12],
    [`+33 ${national[0]} ${pairs.slice(1).join(' ')}`, 8],
    [`0033 ${national[0]} ${pairs.slice(1).join(' ')}`, 4],
    [pairs.join('.'), 6],
    [`${national[0]}.${pairs.slice(1).join('.')}`, 3],
    [pairs.join('-'), 5],
    [national, 4],
    [`+33 (0)${national}`, 3],
  ]);
}

export function emailAddress(random: Random, firstName: string, lastName: string): string {
  const first = withoutAccents(firstName).toLowerCase().replace(/[^a-z]/g, '');
  const last = withoutAccents(lastName).toLowerCase().replace(/[^a-z]/g, '');
  const domain = random.weighted<string>([
    ['gmail.com', 40],
    ['hotmail.fr', 15],
    ['yahoo.fr', 8],
    ['orange.fr', 8],
    ['outlook.fr', 8],
    ['laposte.net', 5],
    ['exemple.fr', 16],
  ]);
  const local = random.weighted<string>([
    [`${first}.${last}`, 50],
    [`${first[0]}.${last}`, 15],
    [`${first}${last}${random.int(1, 99)}`, 15],
    [`${last}.${first}`, 10],
    [`${first}_${last}`, 10],
  ]);
  const clean = `${local}@${domain}`;
  return random.weighted<string>([
    [clean, 88],
    [`${local}${domain}`, 3],
    [` ${clean} `, 2],
    [clean.replace('@', ' @ '), 1],
    [clean.toUpperCase(), 2],
    [`${local[0].toUpperCase()}${local.slice(1)}@${domain}`, 4],
  ]);
}

/** Writes a birth date as typed in a free-text field: several formats, a few impossible or unparseable. */
export function typedBirthDate(random: Random, birth: Date): string {
  const day = String(birth.getUTCDate()).padStart(2, '0');
  const month = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const year = String(birth.getUTCFullYear());
  return random.weighted<string>([
    [`${day}/${month}/${year}`, 50],
    [`${day}.${month}.${year}`, 12],
    [`${day}-${month}-${year}`, 8],
    [`${year}-${month}-${day}`, 6],
    [`${day}/${month}/${year.slice(2)}`, 6],
    [`${day}/${month}/${month}/${year}`, 3],
    [`31/02/${year}`, 2],
    [`${day}${month}${year}`, 4],
    [`né(e) en ${year}`, 3],
    [`${Number(day)} ${frenchMonths[birth.getUTCMonth()]} ${year}`, 6],
  ]);
}

const frenchMonths = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

const shortRemarks = [
  'Orienté(e) par la Mission Locale.',
  'Candidature reçue via Indeed.',
  'A déjà une entreprise en vue.',
  'Relancé par téléphone, pas de réponse.',
  'Permis B en cours.',
  "Recherche une alternance en Île-de-France.",
  'Souhaite commencer en septembre.',
  'CV à mettre à jour.',
];

const longRemark =
  "Ancien responsable logistique pendant 20 ans dans une PME de transport, l'entreprise a fermé en 2023. " +
  "Il souhaite se reconvertir dans le numérique et a suivi plusieurs MOOC (OpenClassrooms, FUN). " +
  "Entretien téléphonique le 12/03 : très motivé, mobilité limitée car garde alternée des enfants une semaine sur deux. " +
  "À rappeler après le jury de sélection ; prévoir un point avec la conseillère France Travail avant l'entrée en formation.";

/** Draws the lead's `description` (an HTML field), or null when the team wrote nothing. */
export function remarkHtml(random: Random): string | null {
  return random.weighted<string | null>([
    [null, 45],
    [`<p>${random.pick(shortRemarks)}</p>`, 30],
    [`<p>${random.pick(shortRemarks)}<br>${random.pick(shortRemarks)}</p>`, 8],
    [`<p>${longRemark}</p>`, 6],
    ['<p>Dossier complet &amp; validé — entrée &lt;septembre&gt;</p>', 4],
    ['<p>Test formulaire<script>alert(1)</script></p>', 2],
    ['<p><b>Urgent</b> : rappeler avant vendredi</p><ul><li>CV</li><li>Lettre</li></ul>', 3],
    ['<p><br></p>', 2],
  ]);
}
