/**
 * `npm run bench:pipeline`: how fast CivicPost publishes N approved posts due at the same instant, next to
 * the rate of bare BullMQ no-op jobs on the same queue backend in the same run (the ceiling), and the peak
 * memory of the worker and of the api meanwhile.
 *
 * Needs DATABASE_URL (a PostgreSQL server whose user may CREATE DATABASE). With REDIS_URL too, it measures
 * both queue backends, Redis first, then PostgreSQL; without it, PostgreSQL only (BENCH_BACKENDS=redis,postgres
 * picks). Per backend: a database of its own and a queue prefix of its own; an api and a worker started as
 * a user starts them (`ROLE=api|worker node dist/main.js`); 50 Mastodon channels pointing at a local fake
 * Mastodon that answers in BENCH_PLATFORM_MS, so the real adapter and masto client run; N posts and their
 * targets seeded by SQL, due BENCH_LEAD_SECONDS later, which the scheduler queues ahead of time. Everything
 * (processes, database, Redis keys) is removed at the end, also after a failure or Ctrl-C.
 *
 * BENCH_POSTS (10,000), BENCH_CHANNELS (50), BENCH_PLATFORM_MS (5), BENCH_CONCURRENCY (20, CivicPost's
 * default WORKER_CONCURRENCY), BENCH_LEAD_SECONDS (15 + 2 per 1,000 posts), BENCH_TIMEOUT_SECONDS (600),
 * BENCH_LOG_LEVEL (info, CivicPost's default). BENCH_PROFILE=<dir> writes a V8 CPU profile of each worker
 * there (node --cpu-prof; open it in Chrome DevTools, or summarise it with bench/profile-summary.mjs).
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, createPostgresBackend, withBackend, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PUBLISH_JOB_OPTIONS, WORKER_OPTIONS } from '#src/queue/queues.js';
import { startMastodonFake, type MastodonFake } from './mastodon-fake.js';

type Backend = 'postgres+redis' | 'postgres';

const POSTS = Number(process.env.BENCH_POSTS ?? 10_000);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 50);
const PLATFORM_MS = Number(process.env.BENCH_PLATFORM_MS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const LEAD_S = Number(process.env.BENCH_LEAD_SECONDS ?? 15 + Math.ceil(POSTS / 1000) * 2);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 600);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const PROFILE_DIR = process.env.BENCH_PROFILE;
const base = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!base) {
  console.error('bench:pipeline needs DATABASE_URL (a PostgreSQL server; the user must be allowed to CREATE DATABASE), and REDIS_URL to measure the Redis backend too');
  process.exit(2);
}
const backends: Backend[] = (process.env.BENCH_BACKENDS ?? (redisUrl ? 'redis,postgres' : 'postgres')).split(',').map((b) => {
  const backend = b.trim() === 'redis' ? 'postgres+redis' : b.trim();
  if (backend !== 'postgres+redis' && backend !== 'postgres') throw new Error(`BENCH_BACKENDS: unknown backend ${b}`);
  if (backend === 'postgres+redis' && !redisUrl) throw new Error('BENCH_BACKENDS names redis: set REDIS_URL');
  return backend;
});

// Cleanup runs once, last registered first: at the end, after a failure, or on Ctrl-C.
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error('cleanup:', (err as Error).message));
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

/** A CivicPost process; keeps the tail of its output for the error message if it dies. */
class AppProcess {
  readonly child: ChildProcess;
  private out = '';
  constructor(env: Record<string, string>, nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, join(import.meta.dirname, '..', '..', 'dist', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: string) => (this.out = (this.out + d).slice(-20_000));
    this.child.stdout!.setEncoding('utf8').on('data', keep);
    this.child.stderr!.setEncoding('utf8').on('data', keep);
  }
  get pid(): number {
    return this.child.pid!;
  }
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.match(pattern);
      if (m) return m;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`CivicPost exited before printing ${pattern}:\n${this.out}`);
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
function memory(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU time of the whole machine (all cores), in clock ticks. */
function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  return { busy: total - idle, total };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** BullMQ's Redis connection options, as CivicPost builds them (src/queue/queue.module.ts). */
function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * The ceiling: POSTS no-op jobs added with addBulk (CivicPost's publish job options), then processed by
 * one Worker with CivicPost's worker options and concurrency, on the same backend. Jobs per second from
 * the first completion to the last, as the pipeline's rate is measured.
 */
async function bareBullmq(backend: Backend, databaseUrl: string, prefix: string): Promise<{ jobsPerSecond: number; addMs: number }> {
  const name = 'bench-noop';
  const jobs = Array.from({ length: POSTS }, (_, i) => ({ name: 'noop', data: { i }, opts: { ...PUBLISH_JOB_OPTIONS, jobId: `noop-${i}` } }));
  let first = 0;
  let last = 0;
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const onCompleted = () => {
    const now = performance.now();
    if (done === 0) first = now;
    last = now;
    if (++done === POSTS) resolveAll();
  };
  const processor = async (_job: Job) => {};
  const t0 = performance.now();
  // Add every job, then let one worker process them: the same steps on either backend.
  const run = async (queue: { addBulk(bulk: typeof jobs): Promise<unknown>; close(): Promise<void> }, startWorker: () => { on(event: 'completed', listener: () => void): unknown; close(): Promise<void> }) => {
    try {
      for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
      const addMs = performance.now() - t0;
      const worker = startWorker();
      worker.on('completed', onCompleted);
      await all;
      await worker.close();
      return { jobsPerSecond: (done - 1) / ((last - first) / 1000), addMs };
    } finally {
      await queue.close();
    }
  };
  if (backend === 'postgres+redis') {
    const connection = redisConnection(redisUrl!);
    return run(new Queue(name, { connection, prefix }), () => new Worker(name, processor, { connection, prefix, concurrency: CONCURRENCY, ...WORKER_OPTIONS }));
  }
  // CivicPost's PostgreSQL backend: its pool config (src/storage/storage.ts), on the same database.
  const { Queue: PgQueue, Worker: PgWorker } = withBackend(createPostgresBackend);
  const connection = { connectionString: databaseUrl, max: 8 };
  return run(new PgQueue(name, { connection, prefix }), () => new PgWorker(name, processor, { connection, prefix, concurrency: CONCURRENCY, ...WORKER_OPTIONS }));
}

interface Result {
  backend: Backend;
  posts: number;
  published: number;
  not_published: number;
  platform_calls: number;
  sent_twice: number;
  all_queued_s_before_due: number | null;
  pipeline_posts_per_s: number;
  bare_bullmq_jobs_per_s: number;
  ratio: number;
  first_published_ms_after_due: number;
  last_published_s_after_due: number;
  worker_peak_rss_mb: number;
  worker_rss_max_queueing_mb: number;
  worker_rss_max_publishing_mb: number;
  api_peak_rss_mb: number;
  worker_cpu_s: number;
  machine_cpu_busy_pct: number;
  db_transactions_per_post: number;
}

async function run(backend: Backend, fake: MastodonFake): Promise<Result> {
  const id = randomBytes(4).toString('hex');
  const dbName = `civicpost_bench_${id}`;
  const prefix = `{cpb-${id}}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  cleanups.push(() => adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  if (backend === 'postgres+redis') {
    cleanups.push(async () => {
      const redis = new Redis(redisUrl!);
      try {
        for (let cursor = '0'; ; ) {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length) await redis.unlink(...keys);
          cursor = next;
          if (cursor === '0') break;
        }
      } finally {
        redis.disconnect();
      }
    });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'civicpost-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

  const password = 'bench password 0123456789';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...(backend === 'postgres+redis' ? { REDIS_URL: redisUrl! } : {}),
    QUEUE_PREFIX: prefix,
    CREDENTIALS_KEY: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'bench@civicpost.example',
    ADMIN_PASSWORD: password,
    SEED_DEMO: 'false',
    // Queued a whole lead ahead, in passes a second apart (5,000 targets per pass).
    SCHEDULER_INTERVAL_MS: '1000',
    DUE_WINDOW_SECONDS: String(LEAD_S + 60),
    WORKER_CONCURRENCY: String(CONCURRENCY),
  };
  // The api first: it runs the migrations (under an advisory lock, so the worker could start together).
  const api = new AppProcess({ ...env, ROLE: 'api' });
  cleanups.push(() => api.stop());
  const apiUrl = (await api.waitFor(/API and its documentation: (http:\/\/\S+)\/api\/docs/))[1]!;
  const worker = new AppProcess({ ...env, ROLE: 'worker' }, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=worker-${backend}-${id}.cpuprofile`] : []);
  cleanups.push(() => worker.stop());
  await worker.waitFor(/CivicPost is running \(role worker/);

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(apiUrl + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = (await call('POST', '/api/auth/login', { email: env.ADMIN_EMAIL, password })) as { token: string };
  const iid = (await call('POST', '/api/institutions', { name: 'Bench City Hall', slug: 'bench', timeZone: 'UTC', languages: ['en'] }, token)).id as string;
  await call('POST', `/api/institutions/${iid}/campaigns`, { title: 'Bench', startsOn: '2026-01-01', endsOn: '2030-12-31' }, token);
  for (let c = 0; c < CHANNELS; c++) {
    await call('POST', `/api/institutions/${iid}/channels`, { platform: 'mastodon', displayName: `Bench Mastodon ${c + 1}`, settings: { instanceUrl: fake.url }, credentials: { accessToken: `bench-token-${c}` } }, token);
  }

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());

  // The ceiling first, while CivicPost's worker idles, on the same database and queue backend.
  const ceiling = await bareBullmq(backend, databaseUrl, prefix);

  // N approved posts due at one instant, one target each, round-robin over the channels: by SQL.
  fake.reset();
  const due = new Date(Math.ceil((Date.now() + LEAD_S * 1000) / 1000) * 1000);
  await db.query(
    `WITH ch AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM channels WHERE institution_id = $1),
          ca AS (SELECT id FROM campaigns WHERE institution_id = $1 LIMIT 1),
          u AS (SELECT id FROM users LIMIT 1),
          p AS (
            INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at)
            SELECT $1, ca.id, 'approved', jsonb_build_array(jsonb_build_object('language', 'en', 'text', 'Bench announcement number ' || g || ': the town hall is open on Saturday.')),
                   $3, 'UTC', u.id, u.id, now()
              FROM generate_series(0, $2 - 1) g CROSS JOIN ca CROSS JOIN u
            RETURNING id)
     INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at)
     SELECT $1, p.id, ch.id, 'scheduled', 1, $3
       FROM (SELECT id, row_number() OVER () - 1 AS n FROM p) p JOIN ch ON ch.n = p.n % $4`,
    [iid, POSTS, due, CHANNELS],
  );
  await db.query('ANALYZE posts');
  await db.query('ANALYZE publication_targets');

  // Until the instant: watch the scheduler queue them all.
  // VmRSS sampled as it goes, to tell which phase makes the peak (VmHWM says only how high it went).
  let rssQueueing = 0;
  let rssPublishing = 0;
  let allQueuedAt: number | null = null;
  while (Date.now() < due.getTime() - 300) {
    rssQueueing = Math.max(rssQueueing, memory(worker.pid).rssMb);
    if (allQueuedAt === null) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM publication_targets WHERE status <> 'scheduled'`);
      if (rows[0].n === POSTS) allQueuedAt = Date.now();
    }
    await sleep(250);
  }
  const xacts = async () => Number((await db.query(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0].n);
  const xactsBefore = await xacts();
  const machineBefore = machineCpu();
  const workerCpuBefore = cpuSeconds(worker.pid);

  // Until every target has an outcome (or the time is up).
  const deadline = Date.now() + TIMEOUT_S * 1000;
  for (;;) {
    rssPublishing = Math.max(rssPublishing, memory(worker.pid).rssMb);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM publication_targets WHERE status IN ('published', 'failed', 'held', 'unconfirmed', 'cancelled')`);
    if (rows[0].n === POSTS) break;
    if (!worker.alive()) throw new Error(`the worker exited:\n${worker.tail()}`);
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${POSTS} targets done within ${TIMEOUT_S} s`);
    await sleep(200);
  }
  const machineAfter = machineCpu();
  const workerCpu = cpuSeconds(worker.pid) - workerCpuBefore;
  const workerMem = memory(worker.pid);
  const apiMem = memory(api.pid);
  await sleep(1500); // statistics reach pg_stat_database within a second of a transaction
  const xactsAfter = await xacts();

  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'published')::int AS published,
            extract(epoch FROM min(published_at)) * 1000 AS first, extract(epoch FROM max(published_at)) * 1000 AS last
       FROM publication_targets WHERE institution_id = $1`,
    [iid],
  );
  const { published } = rows[0] as { published: number };
  const first = Number(rows[0].first);
  const last = Number(rows[0].last);
  const rate = (published - 1) / ((last - first) / 1000);
  if (published < POSTS) {
    const why = await db.query(`SELECT status, last_error, count(*)::int AS n FROM publication_targets GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5`);
    console.error(`${backend}: ${POSTS - published} targets not published:`, JSON.stringify(why.rows));
  }
  return {
    backend,
    posts: POSTS,
    published,
    not_published: POSTS - published,
    platform_calls: fake.created,
    sent_twice: fake.repeated,
    all_queued_s_before_due: allQueuedAt === null ? null : +((due.getTime() - allQueuedAt) / 1000).toFixed(1),
    pipeline_posts_per_s: Math.round(rate),
    bare_bullmq_jobs_per_s: Math.round(ceiling.jobsPerSecond),
    ratio: +(rate / ceiling.jobsPerSecond).toFixed(3),
    first_published_ms_after_due: Math.round(first - due.getTime()),
    last_published_s_after_due: +((last - due.getTime()) / 1000).toFixed(1),
    worker_peak_rss_mb: Math.round(workerMem.peakMb),
    worker_rss_max_queueing_mb: Math.round(rssQueueing),
    worker_rss_max_publishing_mb: Math.round(rssPublishing),
    api_peak_rss_mb: Math.round(apiMem.peakMb),
    worker_cpu_s: +workerCpu.toFixed(1),
    machine_cpu_busy_pct: Math.round((100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total)),
    db_transactions_per_post: +((xactsAfter - xactsBefore) / POSTS).toFixed(1),
  };
}

const results: Result[] = [];
// In this process, so it ends with it (Ctrl-C included); not a per-backend cleanup.
const fake = await startMastodonFake(PLATFORM_MS);
try {
  for (const backend of backends) {
    results.push(await run(backend, fake));
    await cleanup(); // this backend's processes, database and keys, before the next one starts
    cleaning = undefined;
  }
} finally {
  await cleanup();
  await fake.close();
}
console.log(
  `bench:pipeline: ${POSTS} posts on ${CHANNELS} Mastodon channels due at one instant; platform answers in ${PLATFORM_MS} ms; ` +
    `worker concurrency ${CONCURRENCY}; bare BullMQ: ${POSTS} no-op jobs, same backend and concurrency; rates from first to last completion`,
);
console.table(results.map(({ posts: _posts, ...r }) => r));
console.log(JSON.stringify({ bench: 'pipeline', posts: POSTS, channels: CHANNELS, platform_ms: PLATFORM_MS, concurrency: CONCURRENCY, results }));
process.exit(results.every((r) => r.not_published === 0 && r.sent_twice === 0) ? 0 : 1);
