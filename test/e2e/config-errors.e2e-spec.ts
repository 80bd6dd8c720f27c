import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '#test/support/app-process.js';

const VALID_DB = 'postgres://civicpost:pw@127.0.0.1:5432/civicpost';
const VALID_KEY = 'a'.repeat(64);

/** [what is wrong, environment, the variable the line must name, what the line must say] */
const cases: Array<[string, Record<string, string>, string, RegExp]> = [
  ['PORT not a number', { PORT: 'eighty' }, 'PORT', /must be a whole number/],
  ['PORT out of range', { PORT: '70000' }, 'PORT', /from 0 to 65535/],
  ['DATABASE_URL not a URL', { DATABASE_URL: 'localhost:5432/civicpost' }, 'DATABASE_URL', /postgres:\/\//],
  ['DATABASE_URL of another database', { DATABASE_URL: 'mysql://u:p@db/civicpost' }, 'DATABASE_URL', /must start with postgres:\/\//],
  [
    'REDIS_URL not redis',
    { DATABASE_URL: VALID_DB, CREDENTIALS_KEY: VALID_KEY, REDIS_URL: 'http://127.0.0.1:6379' },
    'REDIS_URL',
    /redis:\/\//,
  ],
  ['REDIS_URL without DATABASE_URL', { REDIS_URL: 'redis://127.0.0.1:6379' }, 'REDIS_URL', /DATABASE_URL is not/],
  ['CREDENTIALS_KEY too short', { CREDENTIALS_KEY: 'c2hvcnQ=' }, 'CREDENTIALS_KEY', /32 bytes/],
  ['CREDENTIALS_KEY not hex or base64', { CREDENTIALS_KEY: 'not a key!' }, 'CREDENTIALS_KEY', /64 hex digits/],
  ['CREDENTIALS_KEY missing with DATABASE_URL', { DATABASE_URL: VALID_DB }, 'CREDENTIALS_KEY', /is required when DATABASE_URL is set/],
  ['ROLE unknown', { ROLE: 'scheduler' }, 'ROLE', /must be one of api, worker, all/],
  ['SEED_DEMO not a boolean', { SEED_DEMO: 'maybe' }, 'SEED_DEMO', /true or false/],
];

describe('bad configuration', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'civicpost-config-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(cases)('%s: exits 1 with one line naming the variable', async (_what, bad, variable, says) => {
    const app = new AppProcess({ PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...bad });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    const lines = app.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^CivicPost cannot start: ${variable} `));
    expect(lines[0]).toMatch(says);
    expect(app.stdout).toBe('');
  });

  it('never prints the password of a malformed DATABASE_URL', async () => {
    const app = new AppProcess({
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres//admin:Sup3rSecret@db/civicpost',
    });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.stderr).toMatch(/^CivicPost cannot start: DATABASE_URL /);
    expect(app.stderr).not.toContain('Sup3rSecret');
  });
});
