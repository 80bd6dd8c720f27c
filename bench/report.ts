/**
 * `npm run bench:report`: how long the transparency report of one institution takes with a year of
 * posts and 1,000,000, then 10,000,000 engagement snapshots, next to a naive GROUP BY over the raw
 * snapshots in the same run, and whether their figures agree.
 *
 * Needs DATABASE_URL (a PostgreSQL server whose user may CREATE DATABASE): it creates a database of
 * its own, starts CivicPost (role api) on it, seeds through the API and SQL, measures, and drops
 * the database. BENCH_TARGETS (default 10,000 publications over 365 days), BENCH_SIZES (default
 * 1000000,10000000) and BENCH_RUNS (default 7) change the sizes.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startApp } from '#src/app.js';
import { loadConfig } from '#src/config/config.js';

const TARGETS = Number(process.env.BENCH_TARGETS ?? 10_000);
const SIZES = (process.env.BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHANNELS = 6; // one per real platform
const CAMPAIGNS = 24;
const base = process.env.DATABASE_URL;
if (!base) {
  console.error('bench:report needs DATABASE_URL (a PostgreSQL server; the user must be allowed to CREATE DATABASE)');
  process.exit(2);
}

const name = `civicpost_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const db = new pg.Client({ connectionString: url.toString() });

const password = 'bench password 0123456789';
const app = await startApp(
  loadConfig({
    DATABASE_URL: url.toString(),
    CREDENTIALS_KEY: randomBytes(32).toString('hex'),
    ROLE: 'api',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: 'bench@civicpost.example',
    ADMIN_PASSWORD: password,
    SEED_DEMO: 'false',
  }),
);
try {
  await db.connect();
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(app.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = (await api('POST', '/api/auth/login', { email: 'bench@civicpost.example', password })) as { token: string };
  const inst = await api(
    'POST',
    '/api/institutions',
    { name: 'Bench City Hall', slug: 'bench', timeZone: 'Europe/Bucharest', languages: ['ro'] },
    token,
  );
  const iid = inst.id as string;
  await api('PATCH', `/api/institutions/${iid}`, { transparencyEnabled: true }, token);
  // Real platforms (the public report leaves sandbox channels out: nothing there left CivicPost); never called here.
  const channels = [
    { platform: 'x', settings: {} },
    { platform: 'mastodon', settings: { instanceUrl: 'https://social.example' } },
    { platform: 'bluesky', settings: { serviceUrl: 'https://bsky.example' } },
    { platform: 'facebook', settings: { pageId: '1000001' } },
    { platform: 'linkedin', settings: { organizationUrn: 'urn:li:organization:1000001' } },
    { platform: 'telegram', settings: { chatId: '@bench_city' } },
  ];
  for (const ch of channels)
    await api(
      'POST',
      `/api/institutions/${iid}/channels`,
      { ...ch, displayName: `Bench on ${ch.platform}`, credentials: { accessToken: 'never-used' } },
      token,
    );
  for (let c = 0; c < CAMPAIGNS; c++) {
    await api(
      'POST',
      `/api/institutions/${iid}/campaigns`,
      {
        title: `Campaign ${c + 1}`,
        goal: `Goal ${c + 1}`,
        startsOn: '2025-01-01',
        endsOn: '2027-12-31',
        targetAudiences: [['youth', 'older people', 'rural residents'][c % 3]],
      },
      token,
    );
  }

  // A year of publications, spread over the channels and campaigns: posts and their targets by SQL.
  const t0 = performance.now();
  await db.query(
    `WITH ch AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM channels WHERE institution_id = $1),
          ca AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM campaigns WHERE institution_id = $1),
          u AS (SELECT id FROM users LIMIT 1),
          p AS (
            INSERT INTO posts (institution_id, campaign_id, status, variants, scheduled_at, time_zone, created_by, approved_by, approved_at)
            SELECT $1, ca.id, 'approved', jsonb_build_array(jsonb_build_object('language', 'ro', 'text', 'Anunțul ' || g)),
                   now() - interval '365 days' + (g * interval '365 days' / $2), 'Europe/Bucharest', u.id, u.id, now()
              FROM generate_series(0, $2 - 1) g JOIN ca ON ca.n = g % ${CAMPAIGNS} CROSS JOIN u
            RETURNING id, scheduled_at, (variants->0->>'text') AS text)
     INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at, external_id, published_at, attempts)
     SELECT $1, p.id, ch.id, 'published', 1, p.scheduled_at, 'ext-' || p.id, p.scheduled_at + (abs(hashtext(p.id::text)) % 5000) * interval '1 millisecond', 1
       FROM p JOIN ch ON ch.n = abs(hashtext(p.id::text)) % ${CHANNELS}`,
    [iid, TARGETS],
  );
  const seedMs = performance.now() - t0;

  // The whole year and a day either side, so that the report and the naive aggregate cover the same publications.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const period = `from=${day(-367)}&to=${day(2)}`;
  const results: Array<Record<string, number | string | boolean>> = [];
  let inserted = 0;
  for (const size of SIZES) {
    // Snapshots: every target gets (size / TARGETS) collections after its publication, counters growing.
    const per = Math.ceil((size - inserted) / TARGETS);
    const from = Math.floor(inserted / TARGETS);
    const tl = performance.now();
    const chunk = Math.max(1, Math.floor(500_000 / per));
    const ids = (await db.query(`SELECT id FROM publication_targets WHERE institution_id = $1 ORDER BY id`, [iid])).rows.map(
      (r) => r.id as string,
    );
    for (let i = 0; i < ids.length; i += chunk) {
      await db.query(
        `INSERT INTO metric_snapshots (target_id, institution_id, collected_at, likes, reposts, replies, quotes, impressions, clicks)
         SELECT t.id, t.institution_id, t.published_at + (k + 1) * interval '15 minutes',
                k * 3 + abs(hashtext(t.id::text)) % 7, k, k / 2, NULL, k * 40, k / 3
           FROM publication_targets t, generate_series($2::int, $3::int) k
          WHERE t.id = ANY($1::uuid[])`,
        [ids.slice(i, i + chunk), from, from + per - 1],
      );
    }
    inserted += per * ids.length;
    const loadMs = performance.now() - tl;
    await db.query('VACUUM ANALYZE metric_snapshots');
    await db.query('VACUUM ANALYZE engagement_latest');
    await db.query('VACUUM ANALYZE engagement_daily');

    const time = async (fn: () => Promise<unknown>) => {
      const ms: number[] = [];
      let last: unknown;
      for (let r = 0; r < RUNS; r++) {
        const s = performance.now();
        last = await fn();
        ms.push(performance.now() - s);
      }
      ms.sort((a, b) => a - b);
      return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]!, last };
    };
    const report = await time(async () => {
      const res = await fetch(`${app.url}/transparency/bench/report.json?${period}`);
      if (res.status !== 200) throw new Error(`report.json: ${res.status} ${await res.text()}`);
      return res.json();
    });
    const internal = await time(() => api('GET', `/api/institutions/${iid}/reports/engagement?${period}&groupBy=month`, undefined, token));
    // The naive way: the newest snapshot of every target straight from the raw table, then a GROUP BY.
    const naive = await time(
      async () =>
        (
          await db.query(
            `SELECT count(*)::int AS posts, sum(likes)::bigint AS likes, sum(reposts)::bigint AS reposts, sum(replies)::bigint AS replies, sum(impressions)::bigint AS impressions
             FROM (SELECT DISTINCT ON (target_id) target_id, likes, reposts, replies, impressions FROM metric_snapshots
                    WHERE institution_id = $1 ORDER BY target_id, collected_at DESC) latest`,
            [iid],
          )
        ).rows[0],
    );
    const totals = ((report.last as { totals?: Record<string, unknown> }).totals ?? {}) as Record<string, unknown>;
    const n = naive.last as Record<string, string | number>;
    const agree =
      Number(totals.published) === Number(n.posts) &&
      ['likes', 'reposts', 'replies', 'impressions'].every((k) => Number(totals[k]) === Number(n[k]));
    results.push({
      snapshots: inserted,
      publications: ids.length,
      load_s: +(loadMs / 1000).toFixed(1),
      report_json_median_ms: +report.median.toFixed(1),
      report_json_max_ms: +report.max.toFixed(1),
      engagement_api_median_ms: +internal.median.toFixed(1),
      naive_group_by_median_ms: +naive.median.toFixed(1),
      figures_agree: agree,
    });
    if (!agree) console.error('totals differ:', JSON.stringify({ report: totals, naive: n }));
  }
  console.log(
    `bench:report: ${TARGETS} publications over 365 days on ${CHANNELS} channels (seeded in ${(seedMs / 1000).toFixed(1)} s), ${RUNS} runs each, median and max`,
  );
  console.table(results);
  console.log(JSON.stringify({ bench: 'report', targets: TARGETS, runs: RUNS, results }));
} finally {
  await db.end().catch(() => undefined);
  await app.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
