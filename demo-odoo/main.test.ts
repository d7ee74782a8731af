import { describe, expect, it } from 'vitest';
import { runDemoOdooCommand } from './main.ts';
import { methodCall, parseTypedResponse, plain, postXml, type TypedValue } from './test-helpers.ts';

describe('runDemoOdooCommand', () => {
  it('prints where the server listens, serves until stopped, then closes', async () => {
    const lines: string[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let running: Promise<void> = Promise.resolve();
    const listening = new Promise<string>((resolve) => {
      const print = (line: string) => {
        lines.push(line);
        const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (url) resolve(url[1]);
      };
      running = runDemoOdooCommand({ port: 0, scale: 'tiny', seed: 2 }, { print, stopped });
    });

    const url = await listening;
    const version = await postXml(`${url}/xmlrpc/2/common`, methodCall('version', []));
    expect(plain(parseTypedResponse(version.text).value as TypedValue)).toMatchObject({ server_version: '18.0' });
    expect(lines.join('\n')).toMatch(/db: demo {2}user: admin/);

    stop();
    await running;
    expect(lines.at(-1)).toBe('Demo Odoo stopped.');
    await expect(fetch(`${url}/xmlrpc/2/common`, { method: 'POST', body: '' })).rejects.toThrow();
  });
});
