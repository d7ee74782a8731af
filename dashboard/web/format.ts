/** French formatting of numbers and instants for the pages. */

export function formatCount(value: number): string {
  return new Intl.NumberFormat('fr-FR').format(value);
}

/** « 04/12/2026 à 21:33 » in `timezone`. */
export function formatInstant(instant: Date, timezone: string): string {
  const date = new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  return `${date.format(instant)} à ${time.format(instant)}`;
}

/** The warehouse stores UTC wall-clock timestamps; DuckDB hands them over as Date or text. */
export function toInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && value !== '') {
    const instant = new Date(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
    return Number.isNaN(instant.getTime()) ? undefined : instant;
  }
  return undefined;
}

/** Plural in French for counts: « 1 candidat », « 2 candidats », « 0 candidat ». */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count > 1 ? pluralForm : singular}`;
}
