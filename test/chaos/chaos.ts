import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { Queue } from 'bullmq';
import pg from 'pg';
import { jobIds, QUEUES } from '#src/queue/queues.js';
import { MastodonFake } from '#test/fakes/mastodon.fake.js';
import type { FaultRule, Reply, RequestContext } from '#test/fakes/fake-server.js';
import { AppProcess } from '#test/support/app-process.js';
import { poll } from '#test/support/poll.js';
import { Client } from '#test/support/api.js';
import { PrivatePostgres, PrivateRedis } from '#test/support/servers.js';
import { campaignDatesAround } from '#test/support/clock.js';

/**
 * One chaos run (issue 9): CivicPost as an api and several workers on a PostgreSQL and a Redis of the run's
 * own, publishing approved posts to a fake Mastodon that keeps a ledger of every status it accepted, while
 * faults drawn at random hit it:
 *  - workers SIGKILLed at random moments (and replaced); the fake's random latency before and after it stores a
 *    post makes a kill land before a call, inside it, or after the platform accepted and before CivicPost recorded;
 *  - Redis flushed, and Redis killed and restarted empty;
 *  - PostgreSQL crashed (immediate stop) and restarted;
 *  - the platform answering 429, 5xx, hanging, accepting then failing, accepting then dropping the connection.
 * Afterwards the fake's ledger is compared with CivicPost's records. The run's random choices come from
 * `seed` (printed); the moments they land on depend on the machine, which is the point.
 */
export interface ChaosOptions {
  posts: number;
  channels: number;
  /** Worker processes running at once. */
  workers: number;
  /** Share of the posts due in the same second at the start; the rest are spread over `spreadMs`. */
  burstShare: number;
  spreadMs: number;
  /** Faults go on from 5 s before the first post is due until this long after it. */
  chaosMs: number;
  /** Redis flushes, Redis restarts and PostgreSQL restarts: each this many times. */
  infraFaults: number;
  seed: number;
  log: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  posts: number;
  statuses: Record<string, number>;
  /** Posts the fake holds more than once. */
  duplicates: string[];
  /** Targets not in a final state at the end (neither published, failed with a reason, nor unconfirmed for a person). */
  stuck: Array<{ text: string; status: string; events?: string[] }>;
  /** Ledger entries whose target CivicPost does not record as published with that id. */
  unrecorded: Array<{ text: string; id: string; status: string | undefined }>;
  /** Targets recorded as published whose id the fake does not hold. */
  phantom: Array<{ text: string; externalId: string | null }>;
  failedWithoutReason: string[];
  lateness: { p50: number; p95: number; p99: number; max: number };
  /** Lateness allowed: the time PostgreSQL or Redis were down, plus one minute. */
  allowedLatenessMs: number;
  late: Array<{ text: string; lateMs: number }>;
  /** The three latest publications, with their events: where the time went. */
  slowest: Array<{ text: string; lateMs: number; events: string[] }>;
  /** Processes that died without being killed by the run (they must reconnect by themselves). */
  unexpectedExits: string[];
  apiHealthy: boolean;
  /** What /metrics said: the largest civicpost_publication_overdue_seconds seen during the faults, and at the end. */
  metrics: { maxOverdueSeconds: number; final: Record<string, number> };
  kills: { idle: number; duringCall: number; afterAccept: number };
  faults: Record<string, number>;
  outages: Array<{ what: string; ms: number }>;
  runMs: number;
}

const ADMIN = { email: 'admin@chaos.example', password: 'correct horse battery staple' };

/** mulberry32: a small seeded generator, so that a run's choices can be repeated with CHAOS_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Mastodon whose hourly budget is never the limit: only the 429s the run injects rate-limit CivicPost. */
class ChaosMastodon extends MastodonFake {
  protected override commonHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': '1000000',
      'x-ratelimit-remaining': '999999',
      'x-ratelimit-reset': new Date(Date.now() + 300_000).toISOString(),
    };
  }
  protected override rateLimited(ctx: RequestContext): Reply {
    const reply = super.rateLimited(ctx);
    return { ...reply, headers: { ...reply.headers, 'x-ratelimit-reset': this.rateLimitResetAt.toISOString() } };
  }
}

/**
 * The chaos run lives in real time: its workers are child processes with their own clocks and queues' timers, and its
 * faults (kills, outages, platform faults) are drawn at moments of that time. So it sleeps, where other tests run passes.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const random = rng(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  o.log(
    `chaos: seed ${o.seed} (CHAOS_SEED=${o.seed} repeats the run's choices), ${o.posts} posts on ${o.channels} channels, ${o.workers} workers`,
  );

  const postgres = await PrivatePostgres.start();
  const redis = await PrivateRedis.start();
  const fake = new ChaosMastodon();
  await fake.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'civicpost-chaos-'));
  const processes: Array<{ name: string; app: AppProcess; killed: boolean }> = [];
  try {
    await query(postgres.url(), 'CREATE DATABASE civicpost');
    const databaseUrl = postgres.url('civicpost');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: '{chaos}',
      DATA_DIR: dataDir,
      CREDENTIALS_KEY: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      SCHEDULER_INTERVAL_MS: '1000',
      PLATFORM_TIMEOUT_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '20000',
    };
    const start = (role: 'api' | 'worker') => {
      const entry = { name: `${role} ${processes.length}`, app: new AppProcess({ ...env, ROLE: role }), killed: false };
      processes.push(entry);
      return entry;
    };

    // The institution and its channels through the API, as a person would; the posts by SQL, for speed.
    const api = start('api');
    const admin = new Client(await api.app.url());
    admin.token = (await admin.post('/api/auth/login', ADMIN)).body.token;
    const inst = (await admin.post('/api/institutions', { name: 'Chaos Town', slug: 'chaos-town', timeZone: 'UTC', languages: ['en'] }))
      .body;
    const base = `/api/institutions/${inst.id}`;
    const campaign = (await admin.post(`${base}/campaigns`, { title: 'Chaos', ...campaignDatesAround(new Date()) })).body;
    const { platform, settings, credentials } = fake.demoChannel();
    for (let i = 0; i < o.channels; i++) {
      const res = await admin.post(`${base}/channels`, { platform, displayName: `Chaos ${i}`, settings, credentials });
      if (res.status !== 201) throw new Error(`channel ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }

    const firstDue = Date.now() + 25_000;
    const burst = Math.round(o.posts * o.burstShare);
    const due = Array.from(
      { length: o.posts },
      (_, i) => new Date(i < burst ? firstDue : firstDue + ((i - burst) * o.spreadMs) / Math.max(1, o.posts - burst)),
    );
    await query(
      databaseUrl,
      `WITH ch AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM channels WHERE institution_id = $1),
            u AS (SELECT id FROM users ORDER BY created_at LIMIT 1),
            d AS (SELECT t.at, t.i - 1 AS i FROM unnest($3::timestamptz[]) WITH ORDINALITY AS t(at, i)),
            p AS (
              INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at)
              SELECT $1, $2, 'approved', jsonb_build_array(jsonb_build_object('language', 'en', 'text', 'Chaos post ' || d.i || ' of run ' || $5::text)),
                     d.at, 'UTC', u.id, u.id, now()
                FROM d CROSS JOIN u
              RETURNING id, scheduled_at)
       INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at)
       SELECT $1, p.id, ch.id, 'scheduled', 1, p.scheduled_at
         FROM (SELECT id, scheduled_at, row_number() OVER () - 1 AS n FROM p) p JOIN ch ON ch.n = p.n % $4`,
      [inst.id, campaign.id, due, o.channels, String(o.seed)],
    );
    const lastDue = Math.max(...due.map((d) => d.getTime()));
    o.log(
      `chaos: ${o.posts} approved posts due from ${new Date(firstDue).toISOString()} (${burst} in the first second) to ${new Date(lastDue).toISOString()}`,
    );

    let workers = Array.from({ length: o.workers }, () => start('worker'));
    fake.latency = (route) =>
      route.write ? { beforeMs: between(0, 120), afterMs: between(0, 120) } : { beforeMs: between(0, 30), afterMs: 0 };

    // The infrastructure faults at moments drawn in the chaos window; the rest in between, every 1-4 s.
    const chaosStart = firstDue - 5_000;
    const chaosEnd = firstDue + o.chaosMs;
    const infra: Array<{ at: number; what: 'redis flush' | 'redis restart' | 'postgres restart' }> = [];
    for (let k = 0; k < o.infraFaults; k++) {
      for (const what of ['redis flush', 'redis restart', 'postgres restart'] as const)
        infra.push({ at: chaosStart + random() * (chaosEnd - chaosStart), what });
    }
    infra.sort((a, b) => a.at - b.at);
    const kills = { idle: 0, duringCall: 0, afterAccept: 0 };
    const faults: Record<string, number> = {};
    const outages: Array<{ what: string; ms: number }> = [];
    const count = (what: string) => (faults[what] = (faults[what] ?? 0) + 1);
    // The api's /metrics, as Prometheus would scrape it (it may fail while PostgreSQL is down).
    const scrape = async (): Promise<Record<string, number>> => {
      const text = await fetch(`${admin.baseUrl}/metrics`).then(
        (r) => (r.ok ? r.text() : ''),
        () => '',
      );
      const values: Record<string, number> = {};
      for (const m of text.matchAll(/^(civicpost_(?:publication_overdue_seconds|publications|channels)(?:\{[^}]*\})?) (\S+)$/gm))
        values[m[1]!.replace(/,?app="civicpost"/, '').replace('{}', '')] = Number(m[2]);
      return values;
    };
    let maxOverdueSeconds = 0;
    // Real time (see sleep): the fault schedule runs on the processes' own clocks.
    while (Date.now() < chaosStart) await sleep(200);
    while (Date.now() < chaosEnd) {
      await sleep(between(1_000, 4_000));
      maxOverdueSeconds = Math.max(maxOverdueSeconds, (await scrape()).civicpost_publication_overdue_seconds ?? 0);
      if (infra.length && infra[0]!.at <= Date.now()) {
        const { what } = infra.shift()!;
        count(what);
        const downMs = Math.round(between(2_000, 8_000));
        if (what === 'redis flush') {
          await redis.flushAll();
          o.log(`chaos: Redis flushed`);
        } else if (what === 'redis restart') {
          await redis.kill();
          await sleep(downMs);
          await redis.start();
          outages.push({ what, ms: downMs });
          o.log(`chaos: Redis killed, restarted empty after ${downMs} ms`);
        } else {
          const t = Date.now();
          await postgres.crash();
          await sleep(downMs);
          await postgres.start();
          outages.push({ what, ms: Date.now() - t });
          o.log(`chaos: PostgreSQL crashed, back after ${Date.now() - t} ms`);
        }
        continue;
      }
      if (random() < 0.5) {
        const victim = pick(workers);
        if (fake.inFlight.after > 0) kills.afterAccept++;
        else if (fake.inFlight.before > 0) kills.duringCall++;
        else kills.idle++;
        victim.killed = true;
        victim.app.child.kill('SIGKILL');
        workers = [...workers.filter((w) => w !== victim), start('worker')];
        count('worker SIGKILL');
      } else {
        const fault = pick(['rate_limit', 'server_error', 'hang', 'accept_then_error', 'accept_then_drop'] as const);
        const rule: FaultRule = { fault, on: 'write', times: 1 + Math.floor(random() * 3) };
        if (fault === 'rate_limit') fake.rateLimitResetAt = new Date(Math.ceil((Date.now() + between(3_000, 10_000)) / 1000) * 1000);
        fake.fail(rule);
        count(`platform ${fault}`);
      }
    }
    fake.clearFaults();
    const outageMs = outages.reduce((s, x) => s + x.ms, 0);
    const allowedLatenessMs = outageMs + 60_000;
    o.log(`chaos: faults over (${JSON.stringify(faults)}); waiting for every target to settle`);

    // Settled: every target final; give up once the last post is later than allowed, plus a margin.
    const settleBy = Math.max(Date.now(), lastDue + allowedLatenessMs) + 60_000;
    type Row = {
      id: string;
      revision: number;
      attempts: number;
      text: string;
      status: string;
      scheduled_at: Date;
      published_at: Date | null;
      external_id: string | null;
      last_error: string | null;
      last_outcome: string | null;
    };
    let rows: Row[] = [];
    const final = (r: Row) =>
      r.status === 'published' || r.status === 'failed' || (r.status === 'unconfirmed' && r.last_outcome === 'person_asked');
    for (;;) {
      rows = await query<Row>(
        databaseUrl,
        `SELECT t.id, t.revision, t.attempts, p.variants->0->>'text' AS text, t.status, t.scheduled_at, t.published_at, t.external_id, t.last_error,
                (SELECT e.outcome FROM target_events e WHERE e.target_id = t.id ORDER BY e.at DESC, e.id DESC LIMIT 1) AS last_outcome
           FROM publication_targets t JOIN posts p ON p.id = t.post_id`,
      );
      if (rows.every(final) || Date.now() > settleBy) break; // past settleBy, the report names what is stuck
      await sleep(2_000); // real time: the worker processes settle the targets on their own
    }

    let apiHealthy = false;
    for (let i = 0; i < 30 && !apiHealthy; i++) {
      apiHealthy = await fetch(`${admin.baseUrl}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!apiHealthy) await sleep(1_000); // real time: the api process recovers from the outages on its own
    }
    // Where the time went: the events of the three latest publications and of a few stuck targets, with their jobs' states.
    const timeline = async (r: Row) => {
      const events = await query<{ at: Date; from_status: string | null; to_status: string; outcome: string }>(
        databaseUrl,
        'SELECT at, from_status, to_status, outcome FROM target_events WHERE target_id = $1 ORDER BY at, id',
        [r.id],
      );
      const t0 = r.scheduled_at.getTime();
      return events.map((e) => `${((e.at.getTime() - t0) / 1000).toFixed(1)} s ${e.from_status ?? ''} -> ${e.to_status}: ${e.outcome}`);
    };
    const slowest: ChaosReport['slowest'] = [];
    for (const r of rows
      .filter((x) => x.published_at)
      .sort((a, b) => b.published_at!.getTime() - b.scheduled_at.getTime() - (a.published_at!.getTime() - a.scheduled_at.getTime()))
      .slice(0, 3)) {
      slowest.push({ text: r.text, lateMs: r.published_at!.getTime() - r.scheduled_at.getTime(), events: await timeline(r) });
    }
    const stuck: ChaosReport['stuck'] = [];
    const publishQueue = new Queue(QUEUES.publish, { connection: { host: '127.0.0.1', port: redis.port }, prefix: '{chaos}' });
    const reconcileQueue = new Queue(QUEUES.reconcile, { connection: { host: '127.0.0.1', port: redis.port }, prefix: '{chaos}' });
    try {
      for (const r of rows.filter((x) => !final(x))) {
        const jobs: string[] =
          stuck.length < 5
            ? [
                `claiming job ${await publishQueue.getJobState(jobIds.publish(r.id, r.revision, r.attempts - 1))}`,
                `next job ${await publishQueue.getJobState(jobIds.publish(r.id, r.revision, r.attempts))}`,
                `reconcile job ${await reconcileQueue.getJobState(jobIds.reconcile(r.id, r.revision, r.attempts))}`,
              ]
            : [];
        stuck.push({ text: r.text, status: r.status, ...(jobs.length ? { events: [...(await timeline(r)), jobs.join(', ')] } : {}) });
      }
    } finally {
      await publishQueue.close();
      await reconcileQueue.close();
    }
    const unexpectedExits = processes
      .filter((p) => !p.killed && (p.app.child.exitCode !== null || p.app.child.signalCode !== null))
      .map((p) => `${p.name}: ${p.app.child.exitCode ?? p.app.child.signalCode}\n${p.app.stderr.slice(-2000)}`);

    const ledgerCount = new Map<string, number>();
    for (const e of fake.ledger) ledgerCount.set(e.text, (ledgerCount.get(e.text) ?? 0) + 1);
    const byText = new Map(rows.map((r) => [r.text, r]));
    const ledgerIds = new Set(fake.ledger.map((e) => e.id));
    const lateness = rows
      .filter((r) => r.published_at)
      .map((r) => r.published_at!.getTime() - r.scheduled_at.getTime())
      .sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return {
      seed: o.seed,
      posts: rows.length,
      statuses,
      duplicates: [...ledgerCount].filter(([, n]) => n > 1).map(([t, n]) => `${t} (${n} times)`),
      stuck,
      unrecorded: fake.ledger
        .filter((e) => byText.get(e.text)?.status !== 'published' || byText.get(e.text)?.external_id !== e.id)
        .map((e) => ({ text: e.text, id: e.id, status: byText.get(e.text)?.status })),
      phantom: rows
        .filter((r) => r.status === 'published' && !ledgerIds.has(r.external_id ?? ''))
        .map((r) => ({ text: r.text, externalId: r.external_id })),
      failedWithoutReason: rows.filter((r) => r.status === 'failed' && !r.last_error).map((r) => r.text),
      lateness: { p50: percentile(lateness, 50), p95: percentile(lateness, 95), p99: percentile(lateness, 99), max: lateness.at(-1) ?? 0 },
      allowedLatenessMs,
      late: rows
        .filter((r) => r.published_at && r.published_at.getTime() - r.scheduled_at.getTime() > allowedLatenessMs)
        .map((r) => ({ text: r.text, lateMs: r.published_at!.getTime() - r.scheduled_at.getTime() })),
      slowest,
      unexpectedExits,
      apiHealthy,
      metrics: { maxOverdueSeconds, final: await scrape() },
      kills,
      faults,
      outages,
      runMs: Date.now() - started,
    };
  } finally {
    await Promise.all(processes.map((p) => p.app.stop('SIGKILL')));
    await fake.stop();
    await redis.kill();
    await postgres.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One statement on a fresh connection, retried while PostgreSQL is away (the run crashes it). */
async function query<T = unknown>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return poll(
    `${sql.trim().split(/\s+/).slice(0, 4).join(' ')}... while PostgreSQL is away`,
    async () => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    () => true,
    60_000,
    {
      everyMs: 500,
      retryOn: (err) => /ECONNREFUSED|ECONNRESET|terminat|starting up|shutting down|Connection terminated/i.test((err as Error).message),
    },
  );
}

/** The report as a few lines for a person. */
export function describeReport(r: ChaosReport): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `chaos run, seed ${r.seed}: ${r.posts} targets in ${s(r.runMs)}; ${JSON.stringify(r.statuses)}`,
    `  faults: ${JSON.stringify(r.faults)}; kills: ${r.kills.idle} between calls, ${r.kills.duringCall} during a call, ${r.kills.afterAccept} after the platform accepted`,
    `  outages: ${r.outages.map((o) => `${o.what} ${s(o.ms)}`).join(', ') || 'none'}; lateness allowed ${s(r.allowedLatenessMs)}`,
    `  lateness p50 ${s(r.lateness.p50)}, p95 ${s(r.lateness.p95)}, p99 ${s(r.lateness.p99)}, max ${s(r.lateness.max)}`,
    `  duplicates ${r.duplicates.length}, stuck ${r.stuck.length}, unrecorded ${r.unrecorded.length}, phantom ${r.phantom.length}, failed without reason ${r.failedWithoutReason.length}, late ${r.late.length}, unexpected exits ${r.unexpectedExits.length}, api healthy ${r.apiHealthy}`,
    `  /metrics: overdue up to ${r.metrics.maxOverdueSeconds.toFixed(1)} s during the faults; at the end ${JSON.stringify(r.metrics.final)}`,
    ...r.slowest.flatMap((t) => [`  slowest: ${t.text}, ${s(t.lateMs)} late:`, ...t.events.map((e) => `    ${e}`)]),
    ...r.unexpectedExits.map((e) => `  exited unexpectedly: ${e}`),
    ...r.stuck.slice(0, 5).flatMap((t) => [`  stuck: ${t.text} (${t.status})`, ...(t.events ?? []).map((e) => `    ${e}`)]),
  ].join('\n');
}

/** What every chaos run must show: each post once or in a stated final state, none stuck or late, every process alive. */
export function expectSound(r: ChaosReport, posts: number): void {
  expect(r.posts).toBe(posts);
  expect(r.duplicates).toEqual([]);
  expect(r.stuck).toEqual([]);
  expect(r.unrecorded).toEqual([]);
  expect(r.phantom).toEqual([]);
  expect(r.failedWithoutReason).toEqual([]);
  expect(r.late).toEqual([]);
  expect(r.unexpectedExits).toEqual([]);
  expect(r.apiHealthy).toBe(true);
}
