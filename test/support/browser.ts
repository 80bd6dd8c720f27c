import { describe } from '@jest/globals';
import { existsSync } from 'node:fs';

/** Debian's Chromium, driven by playwright-core (which brings no browser of its own). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * `describe` for tests in real Chromium. `npm test` on a machine without it (a fresh clone) skips
 * them and says so; under CI (CI=true, where .ci/run installs Chromium) they always run.
 */
const runs = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runs) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium to run them; CI always does)`);
export const describeInBrowser = runs ? describe : describe.skip;
