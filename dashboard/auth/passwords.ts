/**
 * Password hashes for local accounts: scrypt (Node's crypto), stored as
 * `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>` so the cost can rise without breaking old hashes.
 */
import crypto from 'node:crypto';

export type ScryptCost = { N: number; r: number; p: number };

// OWASP's recommended scrypt cost (N = 2^17, r = 8, p = 1): about 128 MiB and up to a second.
const COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes, or Node refuses the parameters.
    const maxmem = 256 * cost.N * cost.r;
    crypto.scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes with the recommended cost; tests may pass a lower one (the hash records its cost). */
export async function hashPassword(password: string, cost: ScryptCost = COST): Promise<string> {
  if (password.length < 8) throw new Error('the password is too short: use at least 8 characters');
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; false for a malformed hash. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scrypt(password, salt, { N, r, p });
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** A hash that matches no password, verified for unknown logins so they take as long as known ones. */
export const UNUSABLE_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(SALT_LENGTH).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
