/**
 * Masking of personal values in check samples and alerts: enough to recognise a value, never
 * enough to use it. Keys (record ids) are not personal and stay as they are.
 */
import type { MaskKind } from '../assets/checks.ts';

/** Longest unmasked sample value kept, in characters. */
const MAX_PLAIN_LENGTH = 40;

/** Returns `value` masked according to `kind`; NULL stays NULL. */
export function maskValue(value: string | null, kind: MaskKind): string | null {
  if (value === null) return null;
  switch (kind) {
    case 'email':
      return maskEmail(value);
    case 'phone':
      return maskPhone(value);
    case 'text':
      return maskText(value);
    case 'none':
      return value.length > MAX_PLAIN_LENGTH ? `${value.slice(0, MAX_PLAIN_LENGTH)}…` : value;
  }
}

/** `jean.dupont@exemple.fr` → `j***@e***.fr`; a value with no `@` → `j***`. */
export function maskEmail(value: string): string {
  const trimmed = value.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return maskText(trimmed);
  const local = trimmed.slice(0, at).trim();
  const domain = trimmed.slice(at + 1).trim();
  const dot = domain.lastIndexOf('.');
  const topLevel = dot > 0 ? domain.slice(dot) : '';
  return `${firstCharacter(local)}***@${firstCharacter(domain)}***${topLevel}`;
}

/**
 * Masks a phone number. A French number gives `+33 6** ** ** 78` (first national digit and last two
 * kept). Any other keeps its first two characters and last two digits, and fewer than 6 digits give `***`.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const national = /^(?:33|0033|0)?([1-9]\d{8})$/.exec(digits)?.[1];
  if (national) {
    return `+33 ${national[0]}** ** ** ${national.slice(-2)}`;
  }
  if (digits.length < 6) return '***';
  return `${value.trim().slice(0, 2)}*** ${digits.slice(-2)}`;
}

/** `Bordeaux` → `B***`. */
export function maskText(value: string): string {
  const trimmed = value.trim();
  return trimmed.length <= 1 ? '***' : `${firstCharacter(trimmed)}***`;
}

function firstCharacter(text: string): string {
  return [...text][0] ?? '';
}

/** Formats a sample entry: the key, and the masked value when there is one (`45: j***@e***.fr`). */
export function sampleEntry(key: string, value: string | null, kind: MaskKind): string {
  const masked = maskValue(value, kind);
  return masked === null ? key : `${key}: ${masked}`;
}
