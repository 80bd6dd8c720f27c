/**
 * Bare BullMQ, in a process of its own, for bench:pipeline (not a benchmark to run alone): BARE_JOBS jobs
 * added with addBulk (CivicPost's publish job options), then processed by one Worker with CivicPost's worker
 * options and BARE_CONCURRENCY, on BARE_BACKEND ('postgres+redis': Redis at REDIS_URL; 'postgres': the
 * PostgreSQL backend on BARE_DATABASE_URL). Prints one JSON line: jobs per second from the first completion
 * to the last, as the pipeline's rate is measured.
 *
 * BARE_KIND=noop: jobs that do nothing (the ceiling of the queue).
 * BARE_KIND=minimal: the least a publish job can do: one POST to the fake Mastodon at BARE_FAKE_URL (node's
 * fetch, which masto uses too) and one durable INSERT into BARE_DATABASE_URL (autocommit).
 */
import { performance } from 'node:perf_hooks';
import { Queue, Worker, createPostgresBackend, withBackend, type Job } from 'bullmq';
import pg from 'pg';
import { PUBLISH_JOB_OPTIONS, WORKER_OPTIONS } from '#src/queue/queues.js';
import { redisConnectionOptions } from '#src/storage/redis.js';

const kind = process.env.BARE_KIND;
const backend = process.env.BARE_BACKEND;
const databaseUrl = process.env.BARE_DATABASE_URL!;
const prefix = process.env.BARE_PREFIX!;
const fakeUrl = process.env.BARE_FAKE_URL!;
const JOBS = Number(process.env.BARE_JOBS);
const CONCURRENCY = Number(process.env.BARE_CONCURRENCY);
if (
  (kind !== 'noop' && kind !== 'minimal') ||
  (backend !== 'postgres+redis' && backend !== 'postgres') ||
  !databaseUrl ||
  !prefix ||
  !(JOBS > 1)
) {
  console.error('bare-worker: run by bench:pipeline (BARE_KIND, BARE_BACKEND, BARE_DATABASE_URL, BARE_PREFIX, BARE_JOBS)');
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const table = `bench_minimal_${process.pid}`;
const processor =
  kind === 'noop'
    ? async (_job: Job) => {}
    : async (job: Job) => {
        const res = await fetch(`${fakeUrl}/api/v1/statuses`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer bench-minimal',
            'idempotency-key': `minimal-${job.data.i}`,
          },
          body: JSON.stringify({ status: `Minimal job ${job.data.i}`, visibility: 'public' }),
        });
        const status = (await res.json()) as { id: string };
        await pool.query(`INSERT INTO ${table} (i, external_id) VALUES ($1, $2)`, [job.data.i, status.id]);
      };

const name = `bench-${kind}`;
const jobs = Array.from({ length: JOBS }, (_, i) => ({ name, data: { i }, opts: { ...PUBLISH_JOB_OPTIONS, jobId: `${kind}-${i}` } }));
let first = 0;
let last = 0;
let done = 0;
let resolveAll!: () => void;
const all = new Promise<void>((resolve) => (resolveAll = resolve));
const onCompleted = () => {
  const now = performance.now();
  if (done === 0) first = now;
  last = now;
  if (++done === JOBS) resolveAll();
};
// Add every job, then let one worker process them: the same steps on either backend.
type BareQueue = { addBulk(bulk: typeof jobs): Promise<unknown>; close(): Promise<void> };
type BareWorker = { on(event: 'completed', listener: () => void): unknown; close(): Promise<void> };
const run = async (queue: BareQueue, startWorker: () => BareWorker) => {
  try {
    for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    const worker = startWorker();
    worker.on('completed', onCompleted);
    await all;
    await worker.close();
  } finally {
    await queue.close();
  }
};

if (kind === 'minimal')
  await pool.query(`CREATE TABLE ${table} (i integer PRIMARY KEY, external_id text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
try {
  if (backend === 'postgres+redis') {
    const connection = redisConnectionOptions(process.env.REDIS_URL!);
    await run(
      new Queue(name, { connection, prefix }),
      () => new Worker(name, processor, { connection, prefix, concurrency: CONCURRENCY, ...WORKER_OPTIONS }),
    );
  } else {
    // CivicPost's PostgreSQL backend: its pool config (src/storage/storage.ts), on the same database.
    const { Queue: PgQueue, Worker: PgWorker } = withBackend(createPostgresBackend);
    const connection = { connectionString: databaseUrl, max: 8 };
    await run(
      new PgQueue(name, { connection, prefix }),
      () => new PgWorker(name, processor, { connection, prefix, concurrency: CONCURRENCY, ...WORKER_OPTIONS }),
    );
  }
} finally {
  if (kind === 'minimal') await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
}
console.log(JSON.stringify({ kind, jobsPerSecond: (done - 1) / ((last - first) / 1000) }));
process.exit(0);
