/** Starts the real dashboard server on the fixture and signs in over HTTP, for the server tests. */
import path from 'node:path';
import { loadSettings } from '../../config/settings.ts';
import { createLogger } from '../../logging/logger.ts';
import { startDashboard, type RunningDashboard } from '../server.ts';
import { PASSWORD, type DashboardFixture } from './fixture.ts';

export type TestDashboard = RunningDashboard & { logFile: string };

export async function startTestDashboard(fixture: DashboardFixture, env: Record<string, string> = {}): Promise<TestDashboard> {
  const settings = loadSettings({
    PLACEMENT_DATA_DIR: fixture.dir,
    DASHBOARD_USERS_FILE: fixture.usersFile,
    DASHBOARD_SERVING_PATH: fixture.servingPath,
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    ...env,
  });
  const logFile = path.join(fixture.dir, `dashboard-${Date.now()}.log`);
  const logger = createLogger('info', { file: logFile });
  const dashboard = await startDashboard(settings, { port: 0, host: '127.0.0.1', logger });
  return {
    ...dashboard,
    logFile,
    close: async () => {
      await dashboard.close();
      logger.flush();
    },
  };
}

/** Cookies of a response as one `Cookie` header value, merged over `previous`. */
export function mergeCookies(previous: string, response: Response): string {
  const jar = new Map(
    previous
      .split('; ')
      .filter((pair) => pair !== '')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]),
  );
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    if (/max-age=0/i.test(header) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

export function csrfFrom(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1];
}

/** Signs in as `login`; returns the cookies of the session. */
export async function signIn(baseUrl: string, login: string, password = PASSWORD): Promise<string> {
  const form = await fetch(`${baseUrl}/connexion`);
  let cookies = mergeCookies('', form);
  const response = await fetch(`${baseUrl}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfFrom(await form.text()), login, password, next: '/' }),
  });
  if (response.status !== 303) throw new Error(`sign-in as ${login} answered ${response.status}`);
  cookies = mergeCookies(cookies, response);
  return cookies;
}
