/**
 * The demo account of the embedded setup: created on first use with a random password kept in the
 * data folder, so `placement demo` can print the same login every time.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.ts';
import { hashPassword } from './auth/passwords.ts';
import { AccountStore, upsertAccount } from './auth/users.ts';

export const DEMO_LOGIN = 'demo';

/** Returns the demo login and password, creating the account (admin, all regions, sensitive columns) when missing. */
export async function ensureDemoAccount(settings: Settings): Promise<{ login: string; password: string }> {
  const passwordFile = path.join(settings.dataDir, 'dashboard-demo-password');
  const account = new AccountStore(settings.dashboard.usersFile).find(DEMO_LOGIN);
  if (account && fs.existsSync(passwordFile)) {
    return { login: DEMO_LOGIN, password: fs.readFileSync(passwordFile, 'utf8').trim() };
  }
  const password = crypto.randomBytes(9).toString('base64url');
  fs.mkdirSync(settings.dataDir, { recursive: true });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  upsertAccount(settings.dashboard.usersFile, {
    login: DEMO_LOGIN,
    role: 'admin',
    regions: '*',
    sensitive: true,
    passwordHash: await hashPassword(password),
  });
  return { login: DEMO_LOGIN, password };
}
