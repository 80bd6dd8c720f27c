/**
 * What the benchmarks share: CivicPost started as a user starts it (`node dist/main.js` with ROLE=api,
 * worker or all), on a database and queue prefix of its own per run, with an institution and Mastodon
 * channels pointing at a local fake; seeding approved posts; reading /proc for memory and CPU; and a
 * cleanup that removes every process, database and Redis key at the end, after a failure, or on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startMastodonFake, type MastodonFake } from './mastodon-fake.js';

/** The three storage modes: embedded (PGlite in DATA_DIR, one process), PostgreSQL (queue in it too), PostgreSQL + Redis. */
export type Backend = 'embedded' | 'postgres' | 'postgres+redis';

export const env = process.env;
export const num = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not ${raw}`);
  return n;
};

/**
 * The backends to measure: BENCH_BACKENDS (comma-separated: embedded, postgres, redis), else every one the
 * environment allows among `allowed` (postgres needs DATABASE_URL, redis REDIS_URL too).
 */
export function backendsFromEnv(bench: string, allowed: Backend[]): Backend[] {
  const named = env.BENCH_BACKENDS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const wanted: Backend[] = named
    ? named.map((b) => {
        const backend = b === 'redis' ? 'postgres+redis' : (b as Backend);
        if (!allowed.includes(backend)) throw new Error(`BENCH_BACKENDS: ${b} is not one of ${allowed.map(label).join(', ')}`);
        return backend;
      })
    : allowed.filter(
        (b) => b === 'embedded' || (b === 'postgres' && env.DATABASE_URL) || (b === 'postgres+redis' && env.DATABASE_URL && env.REDIS_URL),
      );
  for (const b of wanted) {
    if (b !== 'embedded' && !env.DATABASE_URL)
      throw new Error(`bench:${bench} on ${label(b)} needs DATABASE_URL (a PostgreSQL server whose user may CREATE DATABASE)`);
    if (b === 'postgres+redis' && !env.REDIS_URL) throw new Error(`bench:${bench} on PostgreSQL + Redis needs REDIS_URL`);
  }
  if (wanted.length === 0) throw new Error(`bench:${bench}: no backend to measure (set DATABASE_URL, and REDIS_URL, or BENCH_BACKENDS)`);
  return wanted;
}

export function label(b: Backend): string {
  return b === 'postgres+redis' ? 'redis' : b;
}

// Cleanup runs once, last registered first: at the end, after a failure, or on Ctrl-C.
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
export function onCleanup(work: () => Promise<unknown>): void {
  cleanups.push(work);
}
export function cleanup(): Promise<void> {
  const running = (cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error('cleanup:', (err as Error).message));
  })());
  return running.finally(() => {
    if (cleanups.length === 0) cleaning = undefined;
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

/**
 * A CivicPost process; keeps the last megabyte of its output, for waitFor and the error message if it
 * dies. (Not less: the structured log arrives after the welcome text that waitFor looks for, and the
 * start-up log alone is over 20 kB.)
 */
export class AppProcess {
  readonly child: ChildProcess;
  private out = '';
  constructor(env: Record<string, string>, nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, join(import.meta.dirname, '..', '..', 'dist', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: string) => (this.out = (this.out + d).slice(-1_000_000));
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
  }
  get pid(): number {
    return this.child.pid!;
  }
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.match(pattern);
      if (m) return m;
      if (!this.alive()) throw new Error(`CivicPost exited before printing ${pattern}:\n${this.out}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.out}`);
      await sleep(50);
    }
  }
  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  tail(): string {
    return this.out.slice(-4000);
  }
  async stop(): Promise<void> {
    if (!this.alive()) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Peak and current resident set (MB) of a process, from /proc/<pid>/status. */
export function memory(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU time of the whole machine (all cores), in clock ticks. */
export function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  return { busy: total - idle, total };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Percentile (nearest rank) of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface StartOptions {
  /** The fake Mastodon's base URL. */
  fakeUrl: string;
  channels: number;
  /** Worker processes (ROLE=worker) beside the api; 0 = one process with ROLE=all (always so in embedded mode). */
  workers: number;
  /** More environment for every CivicPost process (SCHEDULER_INTERVAL_MS, WORKER_CONCURRENCY, ...). */
  env?: Record<string, string>;
  /** Node arguments per worker, by index (a CPU profile, say). */
  workerNodeArgs?: (index: number) => string[];
}

export interface Running {
  backend: Backend;
  apiUrl: string;
  /** The system administrator's bearer token. */
  token: string;
  institutionId: string;
  campaignId: string;
  channelIds: string[];
  /** The process serving the API (ROLE=api, or ROLE=all). */
  api: AppProcess;
  /** The processes publishing (ROLE=worker; or the one ROLE=all process). */
  workers: AppProcess[];
  /** A connection to CivicPost's own database (not in embedded mode). */
  db?: pg.Client;
  databaseUrl?: string;
  prefix: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>>;
}

/** Starts CivicPost on `backend` and sets up one institution, a campaign and `channels` Mastodon channels. */
export async function startCivicPost(backend: Backend, options: StartOptions): Promise<Running> {
  const id = randomBytes(4).toString('hex');
  const prefix = `{cpb-${id}}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'civicpost-bench-'));
  onCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (backend !== 'embedded') {
    const dbName = `civicpost_bench_${id}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    onCleanup(() => adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  if (backend === 'postgres+redis') onCleanup(() => deleteRedisKeys(prefix));

  const password = 'bench password 0123456789';
  const common: Record<string, string> = {
    PATH: env.PATH ?? '',
    HOME: env.HOME ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'info',
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(backend === 'postgres+redis' ? { REDIS_URL: env.REDIS_URL! } : {}),
    QUEUE_PREFIX: prefix,
    CREDENTIALS_KEY: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'bench@civicpost.example',
    ADMIN_PASSWORD: password,
    SEED_DEMO: 'false',
    // Node options for every CivicPost process (a heap limit, say): BENCH_NODE_OPTIONS.
    ...(env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: env.BENCH_NODE_OPTIONS } : {}),
    ...options.env,
  };
  const workerCount = backend === 'embedded' ? 0 : options.workers;
  // The api first: it runs the migrations (under an advisory lock, so workers could start together).
  const api = new AppProcess(
    { ...common, ROLE: workerCount === 0 ? 'all' : 'api' },
    workerCount === 0 ? (options.workerNodeArgs?.(0) ?? []) : [],
  );
  onCleanup(() => api.stop());
  const apiUrl = (await api.waitFor(/API and its documentation: (http:\/\/\S+)\/api\/docs/))[1]!;
  const workers: AppProcess[] = [];
  for (let w = 0; w < workerCount; w++) {
    const worker = new AppProcess({ ...common, ROLE: 'worker' }, options.workerNodeArgs?.(w) ?? []);
    onCleanup(() => worker.stop());
    workers.push(worker);
  }
  for (const worker of workers) await worker.waitFor(/CivicPost is running \(role worker/);

  const call = async (method: string, path: string, body?: unknown, bearer?: string) => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = (await call('POST', '/api/auth/login', { email: common.ADMIN_EMAIL, password })) as { token: string };
  const institutionId = (
    await call('POST', '/api/institutions', { name: 'Bench City Hall', slug: 'bench', timeZone: 'UTC', languages: ['en'] }, token)
  ).id as string;
  const campaignId = (
    await call(
      'POST',
      `/api/institutions/${institutionId}/campaigns`,
      { title: 'Bench', startsOn: '2026-01-01', endsOn: '2030-12-31' },
      token,
    )
  ).id as string;
  const channelIds: string[] = [];
  for (let c = 0; c < options.channels; c++) {
    const channel = await call(
      'POST',
      `/api/institutions/${institutionId}/channels`,
      {
        platform: 'mastodon',
        displayName: `Bench Mastodon ${c + 1}`,
        settings: { instanceUrl: options.fakeUrl },
        credentials: { accessToken: `bench-token-${c}` },
      },
      token,
    );
    channelIds.push(channel.id as string);
  }
  let db: pg.Client | undefined;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    onCleanup(() => client.end());
    db = client;
  }
  return {
    backend,
    apiUrl,
    token,
    institutionId,
    campaignId,
    channelIds,
    api,
    workers: workerCount === 0 ? [api] : workers,
    db,
    databaseUrl,
    prefix,
    call,
  };
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(env.REDIS_URL!);
  try {
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Approved posts, one target each, round-robin over the channels, post i due at `due[i]`. By SQL on PostgreSQL
 * (fast, for large N); through the API in embedded mode (an editor approves, as no one approves their own post).
 */
export async function seedApprovedPosts(app: Running, due: Date[]): Promise<void> {
  const text = (i: number) => `Bench announcement number ${i}: the town hall is open on Saturday.`;
  if (app.db) {
    await app.db.query(
      `WITH ch AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM channels WHERE institution_id = $1),
            u AS (SELECT id FROM users LIMIT 1),
            d AS (SELECT t.at, t.i - 1 AS i FROM unnest($3::timestamptz[]) WITH ORDINALITY AS t(at, i)),
            p AS (
              INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at)
              SELECT $1, $2, 'approved', jsonb_build_array(jsonb_build_object('language', 'en', 'text', 'Bench announcement number ' || d.i || ': the town hall is open on Saturday.')),
                     d.at, 'UTC', u.id, u.id, now()
                FROM d CROSS JOIN u
              RETURNING id, scheduled_at)
       INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at)
       SELECT $1, p.id, ch.id, 'scheduled', 1, p.scheduled_at
         FROM (SELECT id, scheduled_at, row_number() OVER () - 1 AS n FROM p) p JOIN ch ON ch.n = p.n % $4`,
      [app.institutionId, app.campaignId, due, app.channelIds.length],
    );
    await app.db.query('ANALYZE posts');
    await app.db.query('ANALYZE publication_targets');
    return;
  }
  const added = await app.call(
    'POST',
    `/api/institutions/${app.institutionId}/members`,
    { email: 'editor@civicpost.example', role: 'editor', displayName: 'Bench editor' },
    app.token,
  );
  const editor = (await app.call('POST', '/api/auth/login', { email: 'editor@civicpost.example', password: added.temporaryPassword }))
    .token as string;
  for (let i = 0; i < due.length; i++) {
    const post = await app.call(
      'POST',
      `/api/institutions/${app.institutionId}/posts`,
      {
        campaignId: app.campaignId,
        channelIds: [app.channelIds[i % app.channelIds.length]],
        variants: [{ language: 'en', text: text(i) }],
        scheduledAt: due[i]!.toISOString(),
        timeZone: 'UTC',
      },
      app.token,
    );
    await app.call('POST', `/api/posts/${post.id}/submit`, undefined, app.token);
    await app.call('POST', `/api/posts/${post.id}/approve`, undefined, editor);
  }
}

/** Scheduled and published times (ms) of every target, by SQL or, in embedded mode, through the posts API. */
export async function targetTimes(app: Running): Promise<Array<{ status: string; scheduledAt: number; publishedAt: number | null }>> {
  if (app.db) {
    const { rows } = await app.db.query(
      `SELECT status, extract(epoch FROM scheduled_at) * 1000 AS s, extract(epoch FROM published_at) * 1000 AS p FROM publication_targets WHERE institution_id = $1`,
      [app.institutionId],
    );
    return rows.map((r: { status: string; s: string; p: string | null }) => ({
      status: r.status,
      scheduledAt: Number(r.s),
      publishedAt: r.p === null ? null : Number(r.p),
    }));
  }
  const out: Array<{ status: string; scheduledAt: number; publishedAt: number | null }> = [];
  for (let offset = 0; ; offset += 200) {
    const res = await app.call('GET', `/api/institutions/${app.institutionId}/posts?limit=200&offset=${offset}`, undefined, app.token);
    const items = res.items as Array<{ targets: Array<{ status: string; scheduledAt: string; publishedAt: string | null }> }>;
    for (const p of items)
      for (const t of p.targets)
        out.push({
          status: t.status,
          scheduledAt: Date.parse(t.scheduledAt),
          publishedAt: t.publishedAt ? Date.parse(t.publishedAt) : null,
        });
    if (items.length < 200) return out;
  }
}

/**
 * Runs `each` in turn with one fake Mastodon (answering in `platformMs`) for the whole benchmark, cleaning up
 * each run's processes, database and keys before the next starts, and everything at the end or on a failure.
 */
export async function withFake<T>(platformMs: number, runs: Array<(fake: MastodonFake) => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  const fake = await startMastodonFake(platformMs);
  try {
    for (const each of runs) {
      results.push(await each(fake));
      await cleanup();
    }
  } finally {
    await cleanup();
    await fake.close();
  }
  return results;
}
