/**
 * Headless Chromium for the status-page tests, driven by playwright-core: Debian's /usr/bin/chromium
 * (installed by scripts/ensure-chromium.sh before `npm test`), a fresh profile folder per launch,
 * nothing contacted but the page under test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags: headless, no sandbox (root), no GPU, and no traffic of the browser's own. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A running browser with its profile folder; close() removes both. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir. */
export async function launchChromium(viewport = { width: 1100, height: 720 }): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (npm test does) or apt-get install chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport, timeout: 30_000 });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
