/**
 * Dashboard accounts, read from a YAML file:
 *
 *   users:
 *     - login: marie.dupont
 *       password_hash: scrypt$131072$8$1$…   # `placement dashboard hash-password`
 *       role: placement                      # admin | placement | lecture
 *       regions: ['UI Lyon Est', 'UI Grenoble'] # session regions this account sees, or '*'
 *       sensitive: true                      # may see and export QPV, RSA and RQTH
 *
 * In trusted-header mode the login is the email the proxy sends and `password_hash` may be left out.
 * The file is read again when it changes, so removing an account takes effect without a restart.
 */
import fs from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';

export const ROLES = ['admin', 'placement', 'lecture'] as const;
export type Role = (typeof ROLES)[number];

/** Who is looking at a page, and what they may see. */
export type Viewer = {
  login: string;
  role: Role;
  /** Session regions (region_formation) whose rows this viewer sees, or every region. */
  regions: '*' | string[];
  /** May see and export the sensitive columns (QPV, RSA, RQTH: RQTH is health data). */
  sensitive: boolean;
};

export type Account = Viewer & { passwordHash?: string };

const accountSchema = z.object({
  login: z.string().trim().min(1),
  password_hash: z.string().optional(),
  role: z.enum(ROLES),
  regions: z.union([z.literal('*'), z.array(z.string().trim().min(1))]),
  // Privacy by default: an account sees the sensitive columns only when it says so.
  sensitive: z.boolean().default(false),
});

const fileSchema = z.object({ users: z.array(accountSchema).default([]) });

/** Raised when the users file is malformed; the message names the file and the problem. */
export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

export function parseAccounts(text: string, source: string): Account[] {
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new UsersFileError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsersFileError(
      `${source}: ${issue.path.join('.')}: ${issue.message}. Each user needs login, role (${ROLES.join(', ')}) and regions ('*' or a list).`,
    );
  }
  const seen = new Set<string>();
  return parsed.data.users.map((user) => {
    const login = user.login.toLowerCase();
    if (seen.has(login)) throw new UsersFileError(`${source}: login ${user.login} appears twice; keep one entry`);
    seen.add(login);
    return { login, role: user.role, regions: user.regions, sensitive: user.sensitive, passwordHash: user.password_hash };
  });
}

/** Accounts of a YAML file, read again whenever the file's modification time changes. */
export class AccountStore {
  readonly file: string;
  #accounts: Account[] = [];
  #loadedMtime = -1;

  constructor(file: string) {
    this.file = file;
  }

  find(login: string): Account | undefined {
    return this.all().find((account) => account.login === login.trim().toLowerCase());
  }

  all(): Account[] {
    let mtime: number;
    try {
      mtime = fs.statSync(this.file).mtimeMs;
    } catch {
      return [];
    }
    if (mtime !== this.#loadedMtime) {
      this.#accounts = parseAccounts(fs.readFileSync(this.file, 'utf8'), this.file);
      this.#loadedMtime = mtime;
    }
    return this.#accounts;
  }
}

/** Adds or replaces `account` in the YAML file (created when missing); other entries are kept as they are. */
export function upsertAccount(file: string, account: Account): void {
  const existing = fs.existsSync(file) ? parseAccounts(fs.readFileSync(file, 'utf8'), file) : [];
  const others = existing.filter((candidate) => candidate.login !== account.login.toLowerCase());
  const users = [...others, { ...account, login: account.login.toLowerCase() }].map((user) => ({
    login: user.login,
    ...(user.passwordHash ? { password_hash: user.passwordHash } : {}),
    role: user.role,
    regions: user.regions,
    sensitive: user.sensitive,
  }));
  fs.writeFileSync(file, stringifyYaml({ users }), { mode: 0o600 });
}
