/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core. The flags
 * stop Chromium's own connections to Google services, so a test run talks to 127.0.0.1 only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `PLACEMENT_BROWSER_TESTS=off` skips the browser tests on purpose; anything else requires Chromium. */
export const browserTestsDisabled = process.env.PLACEMENT_BROWSER_TESTS === 'off';

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium, or scripts/bootstrap.sh as root), ` +
        'set CHROMIUM_PATH, or set PLACEMENT_BROWSER_TESTS=off to skip the browser tests on purpose',
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
