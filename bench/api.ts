/**
 * `npm run bench:api`: requests per second and latency of the api's main reads (post list, calendar range,
 * engagement report) and of post creation, under load, while the worker publishes a steady stream of posts.
 *
 * Needs DATABASE_URL (a PostgreSQL server whose user may CREATE DATABASE). With REDIS_URL too, it measures
 * PostgreSQL + Redis first, then PostgreSQL alone (BENCH_BACKENDS=redis,postgres picks). The embedded mode is
 * left out: its database lives inside the CivicPost process, so the history below could only be seeded
 * through the API (three calls a post) and the engagement snapshots not at all.
 *
 * Per backend: an api and one worker started as a user starts them (`ROLE=api|worker node dist/main.js`),
 * BENCH_API_CHANNELS Mastodon channels on a local fake that answers in BENCH_PLATFORM_MS; a history seeded by
 * SQL: BENCH_API_POSTS posts from 120 days ago to 30 days ahead (the past ones published, two channels each,
 * with their transitions and BENCH_API_SNAPSHOTS engagement snapshots per publication, so the trigger-kept
 * rollups feed the engagement report; the future ones approved, in review or drafts). From a few seconds
 * before the first measurement to the end of the last, approved posts due BENCH_API_PUBLISH_RATE a second
 * are added, so the worker publishes while the api answers; each row says how many it published meanwhile,
 * and the run fails if any of them is not published, or is published twice.
 *
 * Each endpoint is measured twice, authenticated as the system administrator (bearer token):
 * - at a fixed rate, BENCH_API_RATE requests/s for reads (BENCH_API_CREATE_RATE for creation) during
 *   BENCH_API_SECONDS, at most BENCH_API_CONNECTIONS requests in flight. Requests leave evenly spaced (open
 *   loop) and each latency runs from the moment its request was due, so a slow api shows in the figures
 *   instead of slowing the load down. Not autocannon's overallRate: autocannon 9 lets every connection send
 *   its whole second's quota back to back when the second starts (50 connections at 500/s: a burst of 50
 *   every second, 10 deep on each connection), and its coordinated-omission correction takes 1/rate as the
 *   interval in milliseconds (1 ms); the figures would be those of a burst. BENCH_API_PACER=autocannon
 *   measures that way instead, to compare.
 * - at its maximum, with autocannon (BENCH_API_MAX_CONNECTIONS connections, no rate limit, BENCH_API_MAX_SECONDS).
 * Requests still unanswered BENCH_API_GRACE_SECONDS after a fixed-rate window are given up and counted.
 *
 * The load runs in a child process (this file again, with BENCH_API_LOAD=1), so the fake Mastodon and the
 * stream seeding in this process never delay a request or its timing; it still shares the machine's two
 * cores with the api, the worker, PostgreSQL and Redis, and its CPU share is reported beside theirs.
 * Exits 1 on any non-2xx answer, connection error, or post of the stream not published or published twice; a
 * request given up because the api was too slow is counted (timeouts, unanswered), not a failure.
 *
 * BENCH_API_POSTS (5,000), BENCH_API_CHANNELS (10), BENCH_API_SNAPSHOTS (8), BENCH_API_SECONDS (20),
 * BENCH_API_RATE (500), BENCH_API_CREATE_RATE (100), BENCH_API_CONNECTIONS (50), BENCH_API_MAX_SECONDS (10),
 * BENCH_API_MAX_CONNECTIONS (20), BENCH_API_WARMUP_SECONDS (3), BENCH_API_GRACE_SECONDS (10), BENCH_API_DRAIN_SECONDS (600:
 * at most this long after the measurements for the worker to publish what it has left, while it makes progress),
 * BENCH_API_PUBLISH_RATE (100 posts/s), BENCH_API_ENDPOINTS (list,calendar,engagement,create),
 * BENCH_API_PACER (even; autocannon), BENCH_PLATFORM_MS (5), BENCH_LOG_LEVEL (info, CivicPost's default:
 * the api logs every request, as it would in production). BENCH_API_PROFILE=<dir> runs the api and the worker
 * in one process (ROLE=all) and writes a V8 CPU profile of it there (summarise it with bench/profile-summary.mjs;
 * BENCH_API_PUBLISH_RATE=0 keeps the worker's work out of it).
 */
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  type AppProcess,
  backendsFromEnv,
  cpuSeconds,
  env,
  machineCpu,
  num,
  onCleanup,
  percentile,
  sleep,
  startCivicPost,
  withFake,
  type Backend,
  type Running,
} from './harness.js';
import type { MastodonFake } from './mastodon-fake.js';

// ---------------------------------------------------------------------------------------------------------
// The load generator (child process side)
// ---------------------------------------------------------------------------------------------------------

interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  /** JSON; `[<id>]` is replaced by a number unique to the request. */
  body?: string;
}

interface LoadSpec {
  /** even: paced open loop at `rate`; autocannon-rate: autocannon's overallRate; max: autocannon, no limit. */
  pacer: 'even' | 'autocannon-rate' | 'max';
  baseUrl: string;
  token: string;
  requests: LoadRequest[];
  rate: number;
  connections: number;
  seconds: number;
  graceSeconds: number;
}

interface LoadResult {
  sent: number;
  answered: number;
  /** Still unanswered when the generator gave up (fixed rate only). */
  unanswered: number;
  seconds: number;
  /** What the rate is computed over: the window, or until the last answer when the api fell behind. */
  spanSeconds: number;
  status: Record<string, number>;
  /** Connection errors (refused, reset, ...). */
  errors: number;
  /** Requests autocannon gave up on after 10 s (max only; the fixed rate counts them as unanswered). */
  timeouts: number;
  errorSamples: string[];
  latency: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  /** How late the generator sent its requests (even pacing only): its own delay, included in the latencies. */
  sendLagP99: number | null;
  meanBytes: number;
  cpuSeconds: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): this;
  on(event: 'reqError', listener: (err: Error) => void): this;
}
// autocannon ships no types (and @types/autocannon describes version 7); only what is used here.
const loadAutocannon = () => createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => AutocannonInstance;

async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let bytes = 0;
  // autocannon gives up on a request after 10 s ("request timed out"): the api too slow, not a broken connection.
  let timeouts = 0;
  const noteError = (err: Error) => {
    if (err.message === 'request timed out') timeouts++;
    else errors++;
    if (errorSamples.length < 5) errorSamples.push(err.message);
  };
  const noteResponse = (code: number, size: number, ms: number) => {
    latencies.push(ms);
    status[code] = (status[code] ?? 0) + 1;
    bytes += size;
  };
  const headers = { authorization: `Bearer ${spec.token}`, 'content-type': 'application/json' };
  let sent = 0;
  let unanswered = 0;
  let sendLagP99: number | null = null;
  let spanSeconds = 0;
  const started = performance.now();

  if (spec.pacer === 'even') {
    const url = new URL(spec.baseUrl);
    // At most `connections` requests in flight: beyond, they wait in the agent's queue, and that wait counts.
    const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
    const total = Math.round(spec.rate * spec.seconds);
    const lags: number[] = [];
    /** Due time of each request not answered yet, by index. */
    const pending = new Map<number, number>();
    let settled = 0;
    let givenUp = false;
    let allSettled!: () => void;
    const done = new Promise<void>((resolve) => (allSettled = resolve));
    const settle = (i: number) => {
      pending.delete(i);
      lastAnswer = performance.now();
      if (++settled === total) allSettled();
    };
    const send = (i: number, due: number) => {
      const r = spec.requests[i % spec.requests.length]!;
      const body = r.body?.replaceAll('[<id>]', String(i));
      lags.push(performance.now() - due);
      pending.set(i, due);
      sent++;
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          // Status line and headers too, as autocannon counts them (helmet's headers are a good part of a small answer).
          let size = 15 + res.rawHeaders.reduce((sum, h) => sum + h.length + 1, 0) + res.rawHeaders.length + 2;
          res.on('data', (chunk: Buffer) => (size += chunk.length));
          res.on('end', () => {
            if (givenUp) return;
            noteResponse(res.statusCode ?? 0, size, performance.now() - due);
            settle(i);
          });
        },
      );
      req.on('error', (err) => {
        if (givenUp) return;
        noteError(err);
        settle(i);
      });
      req.end(body);
    };
    // Request i is due at t0 + i/rate; a timer sends whatever has fallen due (Node timers tick at 1 ms at best).
    const t0 = performance.now() + 20;
    let lastAnswer = t0;
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (next < total && t0 + (next * 1000) / spec.rate <= now) {
          send(next, t0 + (next * 1000) / spec.rate);
          next++;
        }
        if (next < total) setTimeout(tick, 1);
        else resolve();
      };
      setTimeout(tick, 20);
    });
    await Promise.race([done, sleep(spec.graceSeconds * 1000)]);
    givenUp = true;
    unanswered = pending.size;
    agent.destroy();
    lags.sort((a, b) => a - b);
    sendLagP99 = +percentile(lags, 99).toFixed(2);
    // A request given up counts with the time it had waited (a lower bound), so that a saturated api shows in the percentiles.
    const gaveUpAt = performance.now();
    for (const due of pending.values()) latencies.push(gaveUpAt - due);
    // Sent over `seconds`; when the api falls behind, answers go on after that, and the rate is what it answered.
    spanSeconds = Math.max(spec.seconds, (lastAnswer - t0) / 1000);
  } else {
    const autocannon = loadAutocannon();
    const instance = autocannon({
      url: spec.baseUrl,
      connections: spec.connections,
      duration: spec.seconds,
      headers,
      idReplacement: true,
      requests: spec.requests.map((r) => ({ method: r.method, path: r.path, body: r.body })),
      ...(spec.pacer === 'autocannon-rate' ? { overallRate: spec.rate } : {}),
    });
    instance.on('response', (_client, code, size, ms) => noteResponse(code, size, ms));
    instance.on('reqError', noteError);
    // A timeout is an error to autocannon too, reported through reqError: counted there.
    spanSeconds = (await instance).duration;
    sent = latencies.length + errors + timeouts;
  }

  const seconds = (performance.now() - started) / 1000;
  const answered = latencies.length - unanswered;
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => +ms.toFixed(1);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    sent,
    answered,
    unanswered,
    seconds: +seconds.toFixed(2),
    spanSeconds: +spanSeconds.toFixed(2),
    status,
    errors,
    timeouts,
    errorSamples,
    latency: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      p999: round(percentile(latencies, 99.9)),
      max: round(latencies[latencies.length - 1] ?? NaN),
      mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    },
    sendLagP99,
    meanBytes: answered ? Math.round(bytes / answered) : 0,
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  };
}

/** Runs `spec` in a child process (this file, BENCH_API_LOAD=1) and returns its result. */
function loadInChild(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_API_LOAD: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = async () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  onCleanup(stop);
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    child.on('message', (m) => (result = m as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result && code === 0 ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`)),
    );
    child.send(spec);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The benchmark (parent side)
// ---------------------------------------------------------------------------------------------------------

const POSTS = num('BENCH_API_POSTS', 5_000);
const CHANNELS = Math.max(2, num('BENCH_API_CHANNELS', 10));
const SNAPSHOTS = num('BENCH_API_SNAPSHOTS', 8);
const SECONDS = num('BENCH_API_SECONDS', 20);
const READ_RATE = num('BENCH_API_RATE', 500);
const CREATE_RATE = num('BENCH_API_CREATE_RATE', 100);
const CONNECTIONS = num('BENCH_API_CONNECTIONS', 50);
const MAX_SECONDS = num('BENCH_API_MAX_SECONDS', 10);
const MAX_CONNECTIONS = num('BENCH_API_MAX_CONNECTIONS', 20);
const WARMUP_SECONDS = num('BENCH_API_WARMUP_SECONDS', 3);
const GRACE_SECONDS = num('BENCH_API_GRACE_SECONDS', 10);
const DRAIN_S = num('BENCH_API_DRAIN_SECONDS', 600);
const PUBLISH_RATE = num('BENCH_API_PUBLISH_RATE', 100);
const PLATFORM_MS = num('BENCH_PLATFORM_MS', 5);
const PACER = env.BENCH_API_PACER === 'autocannon' ? 'autocannon-rate' : 'even';
const PROFILE_DIR = env.BENCH_API_PROFILE;
const ENDPOINTS = (env.BENCH_API_ENDPOINTS ?? 'list,calendar,engagement,create')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
/** Issue 8's target for reads on PostgreSQL + Redis: p99 under 50 ms at 500 requests/s. */
const TARGET_P99_MS = 50;
/** How far ahead stream posts fall due: the scheduler (a pass a second here) queues them before their time. */
const STREAM_LEAD_S = 5;
const DAY = 86_400_000;

interface Endpoint {
  name: string;
  /** What the requests are, for the output. */
  what: string;
  requests: LoadRequest[];
  rate: number;
  read: boolean;
}

/** What each endpoint's requests are, for the output. */
const described = new Map<string, string>();

function endpoints(app: Running, campaignIds: string[]): Endpoint[] {
  const base = `/api/institutions/${app.institutionId}`;
  const now = new Date();
  const monthStart = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString();
  const day = (offset: number) => new Date(now.getTime() + offset * DAY).toISOString().slice(0, 10);
  const all: Endpoint[] = [
    {
      name: 'list',
      what: 'GET posts?limit=50&offset=0..450 (the first ten pages in turn)',
      requests: Array.from({ length: 10 }, (_, p) => ({ method: 'GET' as const, path: `${base}/posts?limit=50&offset=${p * 50}` })),
      rate: READ_RATE,
      read: true,
    },
    {
      // What the calendar page asks for a month: posts scheduled in [first day, first day of next month), 200 a page.
      name: 'calendar',
      what: 'GET posts?from=<month>&to=<next month>&limit=200 (the last three months and this one in turn)',
      requests: [-3, -2, -1, 0].map((m) => ({
        method: 'GET' as const,
        path: `${base}/posts?from=${encodeURIComponent(monthStart(m))}&to=${encodeURIComponent(monthStart(m + 1))}&limit=200`,
      })),
      rate: READ_RATE,
      read: true,
    },
    {
      name: 'engagement',
      what: 'GET reports/engagement: 30 days by day (the default), 90 days by week, by channel, by campaign in turn',
      requests: [
        `from=${day(-30)}&to=${day(1)}&groupBy=day`,
        `from=${day(-90)}&to=${day(1)}&groupBy=week`,
        `from=${day(-90)}&to=${day(1)}&groupBy=channel`,
        `from=${day(-90)}&to=${day(1)}&groupBy=campaign`,
      ].map((q) => ({ method: 'GET' as const, path: `${base}/reports/engagement?${q}` })),
      rate: READ_RATE,
      read: true,
    },
    {
      name: 'create',
      what: 'POST posts: a draft on two channels, one language, scheduled 10 days ahead',
      requests: app.channelIds.slice(0, 4).map((channelId, i) => ({
        method: 'POST' as const,
        path: `${base}/posts`,
        body: JSON.stringify({
          campaignId: campaignIds[i % campaignIds.length],
          channelIds: [channelId, app.channelIds[(i + 1) % app.channelIds.length]],
          variants: [{ language: 'en', text: 'Draft [<id>] from the load test: the library opens late on Thursdays in December.' }],
          scheduledAt: new Date(now.getTime() + 10 * DAY + i * 3_600_000).toISOString(),
          timeZone: 'UTC',
        }),
      })),
      rate: CREATE_RATE,
      read: false,
    },
  ];
  for (const e of all) described.set(e.name, e.what);
  for (const e of ENDPOINTS)
    if (!all.some((a) => a.name === e)) throw new Error(`BENCH_API_ENDPOINTS: ${e} is not one of ${all.map((a) => a.name).join(', ')}`);
  return all.filter((a) => ENDPOINTS.includes(a.name));
}

/**
 * A history by SQL: POSTS posts from 120 days ago to 30 days ahead, over the campaigns, two channels each.
 * The past 80 % were approved and published (their transitions as the worker records them, and SNAPSHOTS
 * engagement snapshots each, inserted in one statement so the rollup trigger runs once); the future ones are
 * approved (due in a day at the soonest, so nothing of this history publishes during the run), in review or drafts.
 */
async function seedHistory(app: Running, campaignIds: string[]): Promise<{ published: number; snapshots: number; seconds: number }> {
  const db = app.db!;
  const t0 = performance.now();
  const past = Math.round(POSTS * 0.8);
  await db.query(
    `WITH ch AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM channels WHERE institution_id = $1),
          ca AS (SELECT id, ord - 1 AS n FROM unnest($2::uuid[]) WITH ORDINALITY AS c(id, ord)),
          u AS (SELECT id FROM users LIMIT 1),
          g AS (SELECT g,
                       CASE WHEN g < $4::int THEN now() - interval '120 days' + g * (interval '120 days' - interval '1 hour') / $4::int
                            ELSE now() + interval '1 day' + (g - $4::int) * interval '29 days' / greatest($3::int - $4::int, 1) END AS at,
                       CASE WHEN g < $4::int THEN 'approved' WHEN g % 5 = 0 THEN 'draft' WHEN g % 5 = 1 THEN 'in_review' ELSE 'approved' END AS status
                  FROM generate_series(0, $3::int - 1) g),
          p AS (
            INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at, created_at)
            SELECT $1, ca.id, g.status,
                   jsonb_build_array(jsonb_build_object('language', 'en', 'text', 'Announcement ' || g.g || ': the town hall answers questions about the new bus network on Saturday, see the consultation page.')),
                   g.at, 'UTC', u.id, CASE WHEN g.status = 'approved' THEN u.id END, CASE WHEN g.status = 'approved' THEN least(g.at, now()) - interval '2 days' END,
                   least(g.at, now()) - interval '3 days'
              FROM g JOIN ca ON ca.n = g.g % $5::int CROSS JOIN u
            RETURNING id, status, scheduled_at, created_by),
          a AS (INSERT INTO post_authors (post_id, user_id) SELECT id, created_by FROM p),
          numbered AS (SELECT p.*, row_number() OVER (ORDER BY scheduled_at) - 1 AS n FROM p)
     INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at, external_id, published_at, attempts, queued_at, claimed_at)
     SELECT $1, numbered.id, ch.id,
            CASE WHEN numbered.scheduled_at < now() THEN 'published' WHEN numbered.status = 'approved' THEN 'scheduled' ELSE numbered.status END,
            1, numbered.scheduled_at,
            CASE WHEN numbered.scheduled_at < now() THEN 'ext-' || gen_random_uuid() END,
            CASE WHEN numbered.scheduled_at < now() THEN numbered.scheduled_at + interval '400 milliseconds' END,
            CASE WHEN numbered.scheduled_at < now() THEN 1 ELSE 0 END,
            CASE WHEN numbered.scheduled_at < now() THEN numbered.scheduled_at - interval '1 minute' END,
            CASE WHEN numbered.scheduled_at < now() THEN numbered.scheduled_at END
       FROM numbered JOIN ch ON ch.n = numbered.n % $6::int OR ch.n = (numbered.n + 1) % $6::int`,
    [app.institutionId, campaignIds, POSTS, past, campaignIds.length, CHANNELS],
  );
  await db.query(
    `INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome)
     SELECT t.id, t.institution_id, e.at, e.attempt, e.from_status, e.to_status, e.outcome
       FROM publication_targets t CROSS JOIN LATERAL (VALUES
              (t.queued_at, 0, 'scheduled', 'queued', 'due'),
              (t.claimed_at, 1, 'queued', 'publishing', 'claimed'),
              (t.published_at, 1, 'publishing', 'published', 'published')) AS e(at, attempt, from_status, to_status, outcome)
      WHERE t.institution_id = $1 AND t.status = 'published'
      ORDER BY t.published_at, e.at`,
    [app.institutionId],
  );
  // Collections every 6 hours after publication, counters growing, none in the future.
  const snapshots = await db.query(
    `INSERT INTO metric_snapshots (target_id, institution_id, collected_at, likes, reposts, replies, quotes, impressions, clicks)
     SELECT t.id, t.institution_id, t.published_at + (k + 1) * interval '6 hours',
            k * 3 + abs(hashtext(t.id::text)) % 7, k, k / 2, NULL, k * 40, k / 3
       FROM publication_targets t, generate_series(0, $2 - 1) k
      WHERE t.institution_id = $1 AND t.status = 'published' AND t.published_at + (k + 1) * interval '6 hours' < now()`,
    [app.institutionId, SNAPSHOTS],
  );
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM publication_targets WHERE institution_id = $1 AND status = 'published'`, [
    app.institutionId,
  ]);
  for (const table of [
    'posts',
    'post_authors',
    'publication_targets',
    'target_events',
    'metric_snapshots',
    'engagement_latest',
    'engagement_daily',
  ])
    await db.query(`VACUUM ANALYZE ${table}`);
  return { published: rows[0].n as number, snapshots: snapshots.rowCount ?? 0, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
}

/**
 * Approved posts in a campaign of their own, PUBLISH_RATE a second, each added STREAM_LEAD_S before it falls due
 * and spread over its second, one target each, round-robin over the channels: the worker's steady work.
 */
function startPublishStream(app: Running, campaignId: string): { stop(): Promise<void>; readonly added: number } {
  const db = app.db!;
  let added = 0;
  let running = true;
  let channel = 0;
  const loop = (async () => {
    for (let second = Math.ceil(Date.now() / 1000) + STREAM_LEAD_S; running; second++) {
      const count = Math.round(PUBLISH_RATE);
      if (count > 0) {
        const due = Array.from({ length: count }, (_, i) => new Date(second * 1000 + Math.floor((i * 1000) / count)));
        await db.query(
          `WITH ch AS (SELECT id, ord - 1 AS n FROM unnest($3::uuid[]) WITH ORDINALITY AS c(id, ord)),
                u AS (SELECT id FROM users LIMIT 1),
                d AS (SELECT t.at, t.i - 1 AS i FROM unnest($4::timestamptz[]) WITH ORDINALITY AS t(at, i)),
                p AS (
                  INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at)
                  SELECT $1, $2, 'approved', jsonb_build_array(jsonb_build_object('language', 'en', 'text', 'Stream post ' || ($5::int + d.i) || ': the pool is closed on Monday for cleaning.')),
                         d.at, 'UTC', u.id, u.id, now()
                    FROM d CROSS JOIN u
                  RETURNING id, scheduled_at)
           INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at)
           SELECT $1, p.id, ch.id, 'scheduled', 1, p.scheduled_at
             FROM (SELECT id, scheduled_at, row_number() OVER (ORDER BY scheduled_at) - 1 AS n FROM p) p JOIN ch ON ch.n = (p.n + $5::int) % $6::int`,
          [app.institutionId, campaignId, app.channelIds, due, channel, app.channelIds.length],
        );
        added += count;
        channel += count;
      }
      // The next second's posts go in when this second's are STREAM_LEAD_S away from falling due.
      const wait = (second + 1 - STREAM_LEAD_S) * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
    get added() {
      return added;
    },
  };
}

interface Row {
  backend: string;
  endpoint: string;
  load: string;
  target_rps: number | null;
  achieved_rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p99_9_ms: number;
  max_ms: number;
  ok_2xx: number;
  not_2xx: number;
  status_5xx: number;
  conn_errors: number;
  /** Given up by autocannon after 10 s (max rows). */
  timeouts: number;
  /** Given up BENCH_API_GRACE_SECONDS after the window (fixed-rate rows). */
  unanswered: number;
  /** Mean size of an answer, status line and headers included. */
  kb_per_answer: number;
  published_meanwhile: number;
  api_cpu_pct: number;
  /** null when the api and the worker are one process (BENCH_API_PROFILE): api_cpu_pct is both. */
  worker_cpu_pct: number | null;
  generator_cpu_pct: number;
  machine_busy_pct: number;
  send_lag_p99_ms: number | null;
  meets_target: boolean | null;
}

/**
 * Until the api has finished what an earlier measurement left it (requests given up by the generator are still
 * answered, to no one): under a fifth of a core for half a second, or 20 s at most.
 */
async function apiIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let before = cpuSeconds(pid); Date.now() < deadline;) {
    await sleep(500);
    const now = cpuSeconds(pid);
    if (now - before < 0.1) return;
    before = now;
  }
}

async function measure(app: Running, endpoint: Endpoint, pacer: LoadSpec['pacer'], warmup = false): Promise<Row | null> {
  const spec: LoadSpec = {
    pacer,
    baseUrl: app.apiUrl,
    token: app.token,
    requests: endpoint.requests,
    rate: endpoint.rate,
    connections: pacer === 'max' ? MAX_CONNECTIONS : CONNECTIONS,
    seconds: warmup ? WARMUP_SECONDS : pacer === 'max' ? MAX_SECONDS : SECONDS,
    graceSeconds: GRACE_SECONDS,
  };
  const api = app.api.pid;
  const worker = app.workers[0]!.pid;
  await apiIdle(api);
  if (!warmup)
    console.error(`${app.backend}: ${endpoint.name}, ${pacer === 'max' ? 'max' : `${endpoint.rate}/s`}, from ${new Date().toISOString()}`);
  const machineBefore = machineCpu();
  const apiBefore = cpuSeconds(api);
  const workerBefore = cpuSeconds(worker);
  const from = new Date();
  const result = await loadInChild(spec);
  const to = new Date();
  const wall = (to.getTime() - from.getTime()) / 1000;
  const machineAfter = machineCpu();
  if (!app.api.alive()) throw new Error(`the api exited:\n${app.api.tail()}`);
  if (warmup) return null;
  const published = Number(
    (
      await app.db!.query(
        `SELECT count(*) AS n FROM publication_targets WHERE institution_id = $1 AND published_at >= $2 AND published_at < $3`,
        [app.institutionId, from, to],
      )
    ).rows[0].n,
  );
  const count = (test: (code: number) => boolean) =>
    Object.entries(result.status).reduce((sum, [code, n]) => sum + (test(Number(code)) ? n : 0), 0);
  const ok = count((c) => c >= 200 && c < 300);
  const achieved = ok / result.spanSeconds;
  const pct = (seconds: number) => Math.round((100 * seconds) / wall);
  const row: Row = {
    backend: app.backend === 'postgres+redis' ? 'redis' : app.backend,
    endpoint: endpoint.name,
    load: pacer === 'max' ? `max, ${MAX_CONNECTIONS} conn` : `${endpoint.rate}/s${pacer === 'autocannon-rate' ? ' (autocannon)' : ''}`,
    target_rps: pacer === 'max' ? null : endpoint.rate,
    achieved_rps: Math.round(achieved),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
    p99_9_ms: result.latency.p999,
    max_ms: result.latency.max,
    ok_2xx: ok,
    not_2xx: count((c) => c < 200 || c >= 300),
    status_5xx: count((c) => c >= 500),
    conn_errors: result.errors,
    timeouts: result.timeouts,
    unanswered: result.unanswered,
    kb_per_answer: +(result.meanBytes / 1024).toFixed(1),
    published_meanwhile: published,
    api_cpu_pct: pct(cpuSeconds(api) - apiBefore),
    worker_cpu_pct: worker === api ? null : pct(cpuSeconds(worker) - workerBefore),
    generator_cpu_pct: pct(result.cpuSeconds),
    machine_busy_pct: Math.round((100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total)),
    send_lag_p99_ms: result.sendLagP99,
    meets_target:
      endpoint.read && pacer !== 'max'
        ? result.latency.p99 < TARGET_P99_MS && achieved >= 0.98 * endpoint.rate && result.unanswered === 0
        : null,
  };
  if (row.not_2xx || row.conn_errors || row.timeouts)
    console.error(
      `${row.backend} ${endpoint.name} ${row.load}: statuses ${JSON.stringify(result.status)}, errors ${JSON.stringify(result.errorSamples)}`,
    );
  return row;
}

interface BackendResult {
  backend: string;
  history: { posts: number; published_targets: number; snapshots: number; seed_s: number };
  /** overdue_at_end: posts already due but not yet published when the last measurement ended (the worker's lag). */
  stream: { added: number; published: number; not_published: number; sent_twice: number; overdue_at_end: number; drain_s: number };
  rows: Row[];
}

/**
 * The api's first error-level log lines (pino level 50 and up), to say why it answered 5xx: the harness keeps only
 * the tail of its output, and at LOG_LEVEL=info a line a request soon pushes them out.
 */
function collectErrors(proc: AppProcess): string[] {
  const lines: string[] = [];
  let partial = '';
  proc.child.stdout!.on('data', (d: string) => {
    if (lines.length >= 5) return;
    const text = partial + d;
    const cut = text.lastIndexOf('\n');
    partial = text.slice(cut + 1);
    for (const line of text.slice(0, cut + 1).split('\n'))
      if (/^\{"level":(5|6)\d,/.test(line) && lines.length < 5) lines.push(line.slice(0, 1500));
  });
  return lines;
}

async function run(backend: Backend, fake: MastodonFake): Promise<BackendResult> {
  const app = await startCivicPost(backend, {
    fakeUrl: fake.url,
    channels: CHANNELS,
    // The harness passes node arguments to worker processes only, or to the one ROLE=all process: that one, to profile the api.
    workers: PROFILE_DIR ? 0 : 1,
    env: { SCHEDULER_INTERVAL_MS: '1000' },
    workerNodeArgs: () =>
      PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=api-${backend}-${process.pid}.cpuprofile`] : [],
  });
  const db = app.db!;
  const apiErrors = collectErrors(app.api);
  const campaign = async (title: string) =>
    (
      await app.call(
        'POST',
        `/api/institutions/${app.institutionId}/campaigns`,
        { title, startsOn: new Date(Date.now() - 400 * DAY).toISOString().slice(0, 10), endsOn: '2030-12-31' },
        app.token,
      )
    ).id as string;
  const campaignIds = [app.campaignId];
  for (const title of ['Bus network consultation', 'Winter services', 'Participatory budget', 'Library hours', 'Road works'])
    campaignIds.push(await campaign(title));
  const streamCampaign = await campaign('Publishing stream');
  const history = await seedHistory(app, campaignIds);
  console.error(
    `${backend}: ${POSTS} posts seeded (${history.published} publications, ${history.snapshots} snapshots) in ${history.seconds} s`,
  );

  fake.reset();
  const streamStart = Date.now();
  const stream = startPublishStream(app, streamCampaign);
  const rows: Row[] = [];
  try {
    // Until the first stream posts fall due, warm the api up (JIT, connection pools) on every endpoint.
    for (const endpoint of endpoints(app, campaignIds)) await measure(app, endpoint, 'max', true);
    await sleep(streamStart + (STREAM_LEAD_S + 2) * 1000 - Date.now()); // the worker is publishing before the first measurement
    for (const endpoint of endpoints(app, campaignIds)) {
      rows.push((await measure(app, endpoint, PACER))!);
      rows.push((await measure(app, endpoint, 'max'))!);
    }
  } finally {
    await stream.stop();
  }
  if (rows.some((r) => r.status_5xx > 0)) console.error(`${backend}: the api's first errors:\n${apiErrors.join('\n') || '(none logged)'}`);

  // Every stream post must come out, once. The worker may have fallen behind: wait while it makes progress.
  const outcome = async () =>
    (
      await db.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE t.status = 'published')::int AS published,
                count(*) FILTER (WHERE t.status IN ('published', 'failed', 'held', 'unconfirmed', 'cancelled'))::int AS done,
                count(*) FILTER (WHERE t.scheduled_at <= now() AND t.status NOT IN ('published', 'failed', 'held', 'unconfirmed', 'cancelled'))::int AS overdue
           FROM publication_targets t JOIN posts p ON p.id = t.post_id WHERE p.campaign_id = $1`,
        [streamCampaign],
      )
    ).rows[0] as { total: number; published: number; done: number; overdue: number };
  let o = await outcome();
  const behindAtEnd = o.overdue;
  const drainStart = Date.now();
  for (
    let progressAt = Date.now(), done = o.done;
    o.done < o.total && Date.now() - progressAt < 60_000 && Date.now() - drainStart < DRAIN_S * 1000;
  ) {
    await sleep(500);
    o = await outcome();
    if (o.done > done) [progressAt, done] = [Date.now(), o.done];
  }
  if (o.published < o.total) {
    const why = await db.query(
      `SELECT t.status, t.last_error, count(*)::int AS n FROM publication_targets t JOIN posts p ON p.id = t.post_id WHERE p.campaign_id = $1 AND t.status <> 'published' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5`,
      [streamCampaign],
    );
    console.error(`${backend}: ${o.total - o.published} stream posts not published:`, JSON.stringify(why.rows));
  }
  return {
    backend: backend === 'postgres+redis' ? 'redis' : backend,
    history: { posts: POSTS, published_targets: history.published, snapshots: history.snapshots, seed_s: history.seconds },
    stream: {
      added: o.total,
      published: o.published,
      not_published: o.total - o.published,
      sent_twice: fake.repeated,
      overdue_at_end: behindAtEnd,
      drain_s: +((Date.now() - drainStart) / 1000).toFixed(1),
    },
    rows,
  };
}

if (env.BENCH_API_LOAD === '1') {
  // The child: one load, its result to the parent, then exit (the parent measures the next endpoint with a new one).
  const spec = await new Promise<LoadSpec>((resolve) => process.once('message', (m) => resolve(m as LoadSpec)));
  const result = await generateLoad(spec);
  await new Promise<void>((resolve, reject) => process.send!(result, (err: Error | null) => (err ? reject(err) : resolve())));
  process.exit(0);
} else {
  const backends = backendsFromEnv('api', ['postgres+redis', 'postgres']);
  const results: BackendResult[] = await withFake(
    PLATFORM_MS,
    backends.map((backend) => (fake: MastodonFake) => run(backend, fake)),
  );
  console.log(
    `bench:api: ${POSTS} posts over 150 days on ${CHANNELS} channels (${SNAPSHOTS} snapshots per publication); one api, one worker publishing ${PUBLISH_RATE} posts/s meanwhile; ` +
      `fixed rate: ${PACER === 'even' ? 'evenly spaced requests (open loop), latency from when each was due' : "autocannon's overallRate (bursts at each second)"}, ${SECONDS} s, at most ${CONNECTIONS} in flight; ` +
      `max: autocannon, ${MAX_CONNECTIONS} connections, ${MAX_SECONDS} s. The load generator is a child process on the same 2 cores as the api, worker, PostgreSQL and Redis (generator_cpu_pct is its share). ` +
      `Target (reads, PostgreSQL + Redis): p99 < ${TARGET_P99_MS} ms at ${READ_RATE} requests/s.`,
  );
  for (const name of ENDPOINTS) console.log(`  ${name}: ${described.get(name)}`);
  console.table(results.flatMap((r) => r.rows.map(({ target_rps: _t, send_lag_p99_ms: _l, ...row }) => row)));
  console.table(
    results.map((r) => ({
      backend: r.backend,
      ...r.history,
      stream_posts: r.stream.added,
      stream_published: r.stream.published,
      stream_not_published: r.stream.not_published,
      sent_twice: r.stream.sent_twice,
      stream_overdue_at_end: r.stream.overdue_at_end,
      drain_s: r.stream.drain_s,
    })),
  );
  console.log(
    JSON.stringify({
      bench: 'api',
      posts: POSTS,
      channels: CHANNELS,
      snapshots_per_publication: SNAPSHOTS,
      seconds: SECONDS,
      read_rate: READ_RATE,
      create_rate: CREATE_RATE,
      connections: CONNECTIONS,
      max_seconds: MAX_SECONDS,
      max_connections: MAX_CONNECTIONS,
      publish_rate: PUBLISH_RATE,
      platform_ms: PLATFORM_MS,
      pacer: PACER,
      target_p99_ms: TARGET_P99_MS,
      results,
    }),
  );
  const failed = results.some(
    (r) => r.stream.not_published > 0 || r.stream.sent_twice > 0 || r.rows.some((row) => row.not_2xx > 0 || row.conn_errors > 0),
  );
  process.exit(failed ? 1 : 0);
}
