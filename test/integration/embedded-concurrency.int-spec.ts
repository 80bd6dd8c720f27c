import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '#src/storage/embedded-postgres.js';

// Embedded storage needs nothing installed, so this runs in every mode.
describe('embedded PostgreSQL under concurrent clients', () => {
  let dir: string;
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'civicpost-concurrency-'));
    embedded = await startEmbeddedPostgres(dir);
    pool = new pg.Pool({ host: embedded.socketDir, port: embedded.port, user: 'postgres', database: 'postgres', max: 10 });
    await pool.query('CREATE TABLE race (id serial PRIMARY KEY, v int UNIQUE)');
  });
  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every client’s queries apart: transactions, parameterised queries and failures together', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        try {
          if (i % 3 === 0) {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              await client.query('INSERT INTO race (v) VALUES ($1)', [i % 50]);
              await client.query('COMMIT');
            } catch (err) {
              await client.query('ROLLBACK');
              throw err;
            } finally {
              client.release();
            }
            return 'inserted';
          }
          if (i % 10 === 7) await pool.query('SELECT 1 / $1::int', [0]);
          const { rows } = await pool.query<{ v: number }>('SELECT $1::int + 1 AS v', [i]);
          return rows[0]!.v === i + 1 ? 'read' : `wrong answer for ${i}`;
        } catch (err) {
          return (err as Error).message;
        }
      }),
    );
    const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
    // 100 inserts of 50 distinct values: 50 succeed, 50 hit the unique key. 200 reads, 20 of which divide by zero.
    expect(counts).toEqual({
      inserted: 50,
      'duplicate key value violates unique constraint "race_v_key"': 50,
      read: 180,
      'division by zero': 20,
    });
    // And the server still answers after all those failures.
    expect((await pool.query('SELECT count(*)::int AS n FROM race')).rows[0]).toEqual({ n: 50 });
  });
});
