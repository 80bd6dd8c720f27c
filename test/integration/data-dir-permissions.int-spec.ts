import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startEmbeddedPostgres } from '#src/storage/embedded-postgres.js';

describe('embedded DATA_DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civicpost-perm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is closed to other users (only its owner may enter it) even when it existed open beforehand', async () => {
    chmodSync(dir, 0o777);
    const pg = await startEmbeddedPostgres(dir);
    await pg.stop();
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    // What is inside (the database files, written 0666 by PGlite) is out of reach through it.
    expect(readdirSync(dir)).toContain('pgdata');
  });
});
