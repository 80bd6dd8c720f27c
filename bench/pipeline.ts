/**
 * `npm run bench:pipeline`: how fast CivicPost publishes N approved posts due at the same instant, next to
 * the rate of bare BullMQ no-op jobs on the same queue backend in the same run (the ceiling), the rate of
 * bare BullMQ jobs that do the least a publish job can do (one POST to the same fake, one INSERT: the
 * floor of any scheduler's work per post; bench/bare-worker.ts), and the peak memory of the worker and of
 * the api meanwhile.
 *
 * Needs DATABASE_URL (a PostgreSQL server whose user may CREATE DATABASE). With REDIS_URL too, it measures
 * both queue backends, Redis first, then PostgreSQL; without it, PostgreSQL only (BENCH_BACKENDS=redis,postgres
 * picks). Per backend: a database of its own and a queue prefix of its own; an api and a worker started as
 * a user starts them (`ROLE=api|worker node dist/main.js`); 50 Mastodon channels pointing at a local fake
 * Mastodon that answers in BENCH_PLATFORM_MS, so the real adapter and masto client run; N posts and their
 * targets seeded by SQL, due BENCH_LEAD_SECONDS later, which the scheduler queues ahead of time. Everything
 * (processes, database, Redis keys) is removed at the end, also after a failure or Ctrl-C.
 *
 * BENCH_POSTS (10,000), BENCH_CHANNELS (50), BENCH_PLATFORM_MS (5), BENCH_WORKERS (1 worker process), BENCH_CONCURRENCY
 * (20 per worker, CivicPost's default WORKER_CONCURRENCY), BENCH_LEAD_SECONDS (15 + 2 per 1,000 posts), BENCH_TIMEOUT_SECONDS (600),
 * BENCH_LOG_LEVEL (info, CivicPost's default). BENCH_PROFILE=<dir> writes a V8 CPU profile of each worker
 * there (node --cpu-prof; open it in Chrome DevTools, or summarise it with bench/profile-summary.mjs).
 */
import { backendsFromEnv, withFake } from './harness.js';
import { CHANNELS, CONCURRENCY, PLATFORM_MS, POSTS, WORKERS, runPipeline, type Result } from './pipeline-run.js';

const backends = backendsFromEnv('pipeline', ['postgres+redis', 'postgres']);
const results: Result[] = await withFake(
  PLATFORM_MS,
  backends.map((backend) => (fake) => runPipeline(backend, fake)),
);
console.log(
  `bench:pipeline: ${POSTS} posts on ${CHANNELS} Mastodon channels due at one instant; platform answers in ${PLATFORM_MS} ms; ` +
    `${WORKERS} worker process(es), concurrency ${CONCURRENCY} each; bare BullMQ: ${POSTS} no-op jobs, same backend and concurrency; rates from first to last completion`,
);
console.table(results.map(({ posts: _posts, ...r }) => r));
console.log(
  JSON.stringify({ bench: 'pipeline', posts: POSTS, channels: CHANNELS, platform_ms: PLATFORM_MS, concurrency: CONCURRENCY, results }),
);
process.exit(results.every((r) => r.not_published === 0 && r.sent_twice === 0) ? 0 : 1);
