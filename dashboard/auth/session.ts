/**
 * Signed session tokens for the session cookie: `<payload base64url>.<HMAC-SHA256 base64url>`.
 * The cookie holds only the login and the expiry; the account's rights are read from the users
 * file on every request, so a changed role or a removed account applies at once.
 */
import crypto from 'node:crypto';

export const SESSION_COOKIE = 'placement_session';
export const CSRF_COOKIE = 'placement_csrf';
/** A working day: the session ends at night even if the tab stays open. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

type SessionPayload = { login: string; expiresAt: number };

function sign(secret: string, data: string): string {
  return crypto.createHmac('sha256', secret).update(data).digest('base64url');
}

function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function createSessionToken(secret: string, login: string, now = Date.now()): string {
  const payload: SessionPayload = { login, expiresAt: now + SESSION_TTL_SECONDS * 1000 };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(secret, `session:${data}`)}`;
}

/** The login of a valid, unexpired token; undefined otherwise. */
export function readSessionToken(secret: string, token: string | undefined, now = Date.now()): string | undefined {
  if (!token) return undefined;
  const [data, signature, extra] = token.split('.');
  if (!data || !signature || extra !== undefined || !safeEqual(signature, sign(secret, `session:${data}`))) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as SessionPayload;
    if (typeof payload.login !== 'string' || typeof payload.expiresAt !== 'number' || payload.expiresAt <= now) {
      return undefined;
    }
    return payload.login;
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection by signed double submit: the browser holds a random value in an HttpOnly,
 * SameSite=Strict cookie, and every form carries its HMAC. A page from another origin can neither
 * read the cookie nor compute the HMAC.
 */
export function newCsrfSeed(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function csrfToken(secret: string, seed: string): string {
  return sign(secret, `csrf:${seed}`);
}

export function isValidCsrfToken(secret: string, seed: string | undefined, token: string | undefined): boolean {
  if (!seed || !token) return false;
  return safeEqual(token, csrfToken(secret, seed));
}
