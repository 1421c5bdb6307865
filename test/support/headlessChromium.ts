import { type Browser, chromium } from 'playwright-core';

/** Debian's `chromium` package; scripts/prepare.mjs installs it for `npm test`. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches the system's Chromium headless, with a fresh profile (Playwright makes one) and none
 * of its background traffic (updates, sync, safe browsing), so every request it makes is the page's.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
