/** The key signing session cookies: from the settings, or generated once and kept in the data folder. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const MIN_SECRET_LENGTH = 32;

export function resolveSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) {
    if (configured.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `DASHBOARD_SESSION_SECRET is ${configured.length} characters long; use at least ${MIN_SECRET_LENGTH} random characters (openssl rand -base64 48)`,
      );
    }
    return configured;
  }
  const file = path.join(dataDir, 'dashboard-session.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  // `wx` fails if another process created the file meanwhile; then that one's key wins.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}
