/**
 * The pipeline run that bench:pipeline and bench:memory share: CivicPost on one backend publishing N approved
 * posts due at one instant, with (optionally) the bare BullMQ ceiling measured first in the same run, and the
 * worker's and api's memory sampled meanwhile. Options: see bench/pipeline.ts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpuSeconds, env, machineCpu, memory, num, seedApprovedPosts, sleep, startCivicPost, type Backend } from './harness.js';
import { startMastodonFake, type MastodonFake } from './mastodon-fake.js';

export const POSTS = num('BENCH_POSTS', 10_000);
export const CHANNELS = num('BENCH_CHANNELS', 50);
export const PLATFORM_MS = num('BENCH_PLATFORM_MS', 5);
export const CONCURRENCY = num('BENCH_CONCURRENCY', 20);
export const WORKERS = num('BENCH_WORKERS', 1);
const LEAD_S = num('BENCH_LEAD_SECONDS', 15 + Math.ceil(POSTS / 1000) * 2);
const TIMEOUT_S = num('BENCH_TIMEOUT_SECONDS', 600);
const PROFILE_DIR = env.BENCH_PROFILE;

/**
 * Bare BullMQ jobs on the same backend, database and prefix, in a process of their own (as CivicPost's worker
 * is): `noop` is the ceiling, `minimal` the least a publish job can do (bench/bare-worker.ts).
 */
async function bareBullmq(
  kind: 'noop' | 'minimal',
  backend: Backend,
  databaseUrl: string,
  prefix: string,
  fakeUrl: string,
): Promise<{ jobsPerSecond: number }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-worker.js')], {
    env: {
      ...process.env,
      BARE_KIND: kind,
      BARE_BACKEND: backend,
      BARE_DATABASE_URL: databaseUrl,
      BARE_PREFIX: prefix,
      BARE_FAKE_URL: fakeUrl,
      BARE_JOBS: String(POSTS),
      BARE_CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bare BullMQ (${kind}) exited with ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as { jobsPerSecond: number };
}

export interface Result {
  backend: Backend;
  workers: number;
  posts: number;
  published: number;
  not_published: number;
  platform_calls: number;
  sent_twice: number;
  all_queued_s_before_due: number | null;
  pipeline_posts_per_s: number;
  bare_bullmq_jobs_per_s: number;
  ratio: number;
  minimal_jobs_per_s: number;
  ratio_to_minimal: number;
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

export async function runPipeline(
  backend: Backend,
  fake: MastodonFake,
  options: { ceiling: boolean } = { ceiling: true },
): Promise<Result> {
  const app = await startCivicPost(backend, {
    fakeUrl: fake.url,
    channels: CHANNELS,
    workers: WORKERS,
    // Queued a whole lead ahead, in passes a second apart.
    env: { SCHEDULER_INTERVAL_MS: '1000', DUE_WINDOW_SECONDS: String(LEAD_S + 60), WORKER_CONCURRENCY: String(CONCURRENCY) },
    workerNodeArgs: (w) =>
      PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=worker-${backend}-${w}-${process.pid}.cpuprofile`]
        : [],
  });
  const db = app.db!;
  const { workers, api } = app;
  const pids = () => workers.map((w) => w.pid);

  // The ceiling first, while CivicPost's workers idle, on the same database and queue backend.
  const ceiling = options.ceiling ? await bareBullmq('noop', backend, app.databaseUrl!, app.prefix, fake.url) : { jobsPerSecond: NaN };
  const minimal = options.ceiling ? await bareBullmq('minimal', backend, app.databaseUrl!, app.prefix, fake.url) : { jobsPerSecond: NaN };

  // N approved posts due at one instant, one target each, round-robin over the channels: by SQL.
  fake.reset();
  const due = new Date(Math.ceil((Date.now() + LEAD_S * 1000) / 1000) * 1000);
  await seedApprovedPosts(
    app,
    Array.from({ length: POSTS }, () => due),
  );

  // Until the instant: watch the scheduler queue them all.
  // VmRSS sampled as it goes, to tell which phase makes the peak (VmHWM says only how high it went).
  let rssQueueing = 0;
  let rssPublishing = 0;
  let allQueuedAt: number | null = null;
  while (Date.now() < due.getTime() - 300) {
    rssQueueing = Math.max(rssQueueing, ...pids().map((pid) => memory(pid).rssMb));
    if (allQueuedAt === null) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM publication_targets WHERE status <> 'scheduled'`);
      if (rows[0].n === POSTS) allQueuedAt = Date.now();
    }
    await sleep(250);
  }
  const xacts = async () =>
    Number((await db.query(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0].n);
  const xactsBefore = await xacts();
  const machineBefore = machineCpu();
  const workerCpuBefore = pids().map(cpuSeconds);

  // Until every target has an outcome (or the time is up).
  const deadline = Date.now() + TIMEOUT_S * 1000;
  for (;;) {
    rssPublishing = Math.max(rssPublishing, ...pids().map((pid) => memory(pid).rssMb));
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM publication_targets WHERE status IN ('published', 'failed', 'held', 'unconfirmed', 'cancelled')`,
    );
    if (rows[0].n === POSTS) break;
    for (const worker of workers) if (!worker.alive()) throw new Error(`a worker exited:\n${worker.tail()}`);
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${POSTS} targets done within ${TIMEOUT_S} s`);
    await sleep(200);
  }
  const machineAfter = machineCpu();
  const workerCpu = pids().reduce((sum, pid, i) => sum + cpuSeconds(pid) - workerCpuBefore[i]!, 0);
  const workerPeakMb = Math.max(...pids().map((pid) => memory(pid).peakMb));
  const apiMem = memory(api.pid);
  await sleep(1500); // statistics reach pg_stat_database within a second of a transaction
  const xactsAfter = await xacts();

  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'published')::int AS published,
            extract(epoch FROM min(published_at)) * 1000 AS first, extract(epoch FROM max(published_at)) * 1000 AS last
       FROM publication_targets WHERE institution_id = $1`,
    [app.institutionId],
  );
  const { published } = rows[0] as { published: number };
  const first = Number(rows[0].first);
  const last = Number(rows[0].last);
  const rate = (published - 1) / ((last - first) / 1000);
  if (published < POSTS) {
    const why = await db.query(
      `SELECT status, last_error, count(*)::int AS n FROM publication_targets GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5`,
    );
    console.error(`${backend}: ${POSTS - published} targets not published:`, JSON.stringify(why.rows));
  }
  return {
    backend,
    workers: workers.length,
    posts: POSTS,
    published,
    not_published: POSTS - published,
    platform_calls: fake.created,
    sent_twice: fake.repeated,
    all_queued_s_before_due: allQueuedAt === null ? null : +((due.getTime() - allQueuedAt) / 1000).toFixed(1),
    pipeline_posts_per_s: Math.round(rate),
    bare_bullmq_jobs_per_s: Math.round(ceiling.jobsPerSecond),
    ratio: +(rate / ceiling.jobsPerSecond).toFixed(3),
    minimal_jobs_per_s: Math.round(minimal.jobsPerSecond),
    ratio_to_minimal: +(rate / minimal.jobsPerSecond).toFixed(2),
    first_published_ms_after_due: Math.round(first - due.getTime()),
    last_published_s_after_due: +((last - due.getTime()) / 1000).toFixed(1),
    worker_peak_rss_mb: Math.round(workerPeakMb),
    worker_rss_max_queueing_mb: Math.round(rssQueueing),
    worker_rss_max_publishing_mb: Math.round(rssPublishing),
    api_peak_rss_mb: Math.round(apiMem.peakMb),
    worker_cpu_s: +workerCpu.toFixed(1),
    machine_cpu_busy_pct: Math.round((100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total)),
    db_transactions_per_post: +((xactsAfter - xactsBefore) / POSTS).toFixed(1),
  };
}
