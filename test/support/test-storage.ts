import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * `npm test` runs in the storage mode its environment names, as the app would:
 * nothing set = embedded; DATABASE_URL = PostgreSQL; both = PostgreSQL + Redis.
 */
export type TestMode = 'embedded' | 'postgres' | 'postgres+redis';

export function currentMode(): TestMode {
  if (!process.env.DATABASE_URL) return 'embedded';
  return process.env.REDIS_URL ? 'postgres+redis' : 'postgres';
}

export interface TestStorage {
  mode: TestMode;
  /** Environment for an app process using this storage (and nothing of the parent's). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Fresh, isolated storage for one test: a new database, DATA_DIR and queue prefix. */
export async function provisionStorage(mode: TestMode = currentMode()): Promise<TestStorage> {
  const id = randomBytes(5).toString('hex');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: `{cpt-${id}}`,
    SHUTDOWN_TIMEOUT_MS: '20000',
  };
  const cleanups: Array<() => Promise<void>> = [];
  // Every mode has a DATA_DIR of its own: embedded storage lives there, and uploaded media in every mode.
  const dir = mkdtempSync(join(tmpdir(), 'civicpost-test-'));
  env.DATA_DIR = dir;
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  if (mode !== 'embedded') {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error(`test mode ${mode} needs DATABASE_URL`);
    const name = `civicpost_t_${id}`;
    await adminQuery(base, `CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    env.CREDENTIALS_KEY = randomBytes(32).toString('hex');
    cleanups.push(() => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    if (mode === 'postgres+redis') {
      const redisUrl = process.env.REDIS_URL;
      if (!redisUrl) throw new Error('test mode postgres+redis needs REDIS_URL');
      env.REDIS_URL = redisUrl;
      cleanups.push(() => deleteRedisKeys(redisUrl, env.QUEUE_PREFIX!));
    }
  }
  return {
    mode,
    env,
    async cleanup() {
      for (const c of cleanups.reverse()) await c();
    },
  };
}

/** Runs one statement as the server's admin (CREATE/DROP DATABASE and the like). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
