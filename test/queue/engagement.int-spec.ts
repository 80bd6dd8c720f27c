import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Clock } from '#src/common/clock.js';
import { EngagementRepository } from '#src/modules/engagement/engagement.repository.js';
import { EngagementService, METRICS_AUTH_PAUSE_MS } from '#src/modules/engagement/engagement.service.js';
import { simulatedEngagement } from '#src/platforms/sandbox/sandbox-engagement.js';
import type { Metrics } from '#src/platforms/platform-adapter.js';
import { QUEUES, type MetricsJob } from '#src/queue/queues.js';
import { Tx } from '#src/storage/tx.js';
import { TestApi, type Client } from '#test/support/api.js';
import { drainQueues, metricsPass, schedulerPass } from '#test/support/passes.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { MastodonFake } from '#test/fakes/mastodon.fake.js';
import { TelegramFake } from '#test/fakes/telegram.fake.js';
import { campaignDatesAround, testClock } from '#test/support/clock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const METRICS = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;

interface SnapshotRow extends Metrics {
  targetId: string;
  institutionId: string;
  collectedAt: string;
}

/**
 * Engagement collection through the real queue and storage: the cron's pass leases what is due and
 * enqueues batches per channel, the metrics job appends snapshots and sets each target's next
 * collection by its age, and the rollups kept by trigger equal an aggregate over the raw snapshots.
 */
describe(`engagement collection (${currentMode()} storage)`, () => {
  const mastodon = new MastodonFake({ mediaProcessing: 'sync' });
  const telegram = new TelegramFake();
  let api: TestApi;
  let base: string;
  let institutionId: string;
  let editor: Client;
  let campaignId: string;
  let engagement: EngagementService;
  let queue: Queue<MetricsJob>;
  let clock: Clock;
  let channelSeq = 0;

  beforeAll(async () => {
    await mastodon.start();
    await telegram.start();
    // The crons' own intervals are long: each test runs passes itself, at the times it chooses.
    api = await TestApi.start(
      {
        ...telegram.demoChannel().env,
        SCHEDULER_INTERVAL_MS: '3600000',
        DUE_WINDOW_SECONDS: '60',
        METRICS_INTERVAL_MS: '3600000',
        PLATFORM_TIMEOUT_MS: '3000',
      },
      // From the real time: a platform's rate-limit reset is a real instant, which the app compares with its clock.
      { clock: testClock(new Date()) },
    );
    const inst = await api.admin.post('/api/institutions', {
      name: 'Metricsburg',
      slug: 'metricsburg',
      timeZone: 'Europe/Bucharest',
      languages: ['en'],
    });
    institutionId = inst.body.id;
    base = `/api/institutions/${institutionId}`;
    editor = await api.member(api.admin, institutionId, 'editor@metricsburg.example', 'editor');
    campaignId = (await api.admin.post(`${base}/campaigns`, { title: 'Library week', ...campaignDatesAround(api.clock.now()) })).body.id;
    engagement = api.running.app.get(EngagementService);
    queue = api.running.app.get<Queue<MetricsJob>>(getQueueToken(QUEUES.metrics));
    clock = api.running.app.get(Clock);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await api?.stop();
    await mastodon.stop();
    await telegram.stop();
  });

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    api.running.runtime.dataSource.query(query, params) as Promise<T[]>;

  async function channel(platform: string, settings: Record<string, unknown> = {}, credentials?: Record<string, string>): Promise<string> {
    const res = await api.admin.post(`${base}/channels`, { platform, displayName: `${platform} ${++channelSeq}`, settings, credentials });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Approved posts on one channel, all due now; resolves when a scheduler pass and their jobs have published every one. */
  async function publishedPosts(
    channelId: string,
    texts: string[],
  ): Promise<Array<{ postId: string; targetId: string; externalId: string; publishedAt: Date; scheduledAt: Date }>> {
    const scheduledAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000); // whole seconds, as CivicPost stores them
    const approved = async (text: string): Promise<string> => {
      const post = await api.admin.post(`${base}/posts`, {
        campaignId,
        channelIds: [channelId],
        variants: [{ language: 'en', text }],
        scheduledAt: scheduledAt.toISOString(),
      });
      expect(post.status).toBe(201);
      expect((await api.admin.post(`/api/posts/${post.body.id}/submit`)).status).toBe(200);
      expect((await editor.post(`/api/posts/${post.body.id}/approve`)).status).toBe(200);
      return post.body.id;
    };
    const ids: string[] = [];
    for (let i = 0; i < texts.length; i += 10) ids.push(...(await Promise.all(texts.slice(i, i + 10).map(approved))));
    await schedulerPass(api);
    await drainQueues(api, { queues: [QUEUES.publish, QUEUES.reconcile] });
    const rows = await poll(
      'every post published',
      () =>
        sql<{ post_id: string; id: string; status: string; external_id: string; published_at: Date }>(
          `SELECT post_id, id, status, external_id, published_at FROM publication_targets WHERE post_id = ANY($1::uuid[])`,
          [ids],
        ),
      (rows) => rows.length === ids.length && rows.every((r) => r.status === 'published'),
      10_000,
      50,
    );
    return ids.map((postId) => {
      const r = rows.find((x) => x.post_id === postId)!;
      return { postId, targetId: r.id, externalId: r.external_id, publishedAt: r.published_at, scheduledAt };
    });
  }

  /** Waits until no metrics job is waiting, running or delayed. */
  async function drained(): Promise<void> {
    await drainQueues(api, { queues: [QUEUES.metrics], delayedToo: true });
  }

  /** Every part of CivicPost reads this time until the test ends (the processor too). */
  function fixClock(at: Date): void {
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(at.getTime()));
  }

  /** One cron pass at `at`, then the jobs it added run through the queue. */
  async function passAt(at: Date) {
    fixClock(at);
    const result = await metricsPass(api);
    await drained();
    return result;
  }

  async function nextAt(targetId: string): Promise<Date | null> {
    return (await sql<{ metrics_next_at: Date | null }>(`SELECT metrics_next_at FROM publication_targets WHERE id = $1`, [targetId]))[0]!
      .metrics_next_at;
  }

  async function snapshots(targetIds: string[]): Promise<SnapshotRow[]> {
    const rows = await sql<Record<string, unknown>>(
      `SELECT target_id, institution_id, collected_at, ${METRICS.join(', ')} FROM metric_snapshots WHERE target_id = ANY($1::uuid[]) ORDER BY target_id, collected_at`,
      [targetIds],
    );
    return rows.map(toRow);
  }

  function toRow(r: Record<string, unknown>): SnapshotRow {
    const n = (v: unknown) => (v === null ? null : Number(v)); // impressions is bigint: pg answers a string
    return {
      targetId: r.target_id as string,
      institutionId: r.institution_id as string,
      collectedAt: (r.collected_at as Date).toISOString(),
      likes: n(r.likes),
      reposts: n(r.reposts),
      replies: n(r.replies),
      quotes: n(r.quotes),
      impressions: n(r.impressions),
      clicks: n(r.clicks),
    };
  }

  async function makeDue(channelId: string): Promise<void> {
    await sql(`UPDATE publication_targets SET metrics_next_at = $2 WHERE channel_id = $1 AND status = 'published'`, [
      channelId,
      new Date(clock.now().getTime() - 1_000),
    ]);
  }

  it('collects a sandbox post on the cadence by its age, with a fixed clock, and stops after 30 days', async () => {
    const sandbox = await channel('sandbox');
    const [post] = await publishedPosts(sandbox, ['Library week starts on Monday']);
    const { targetId, externalId, publishedAt } = post!;
    const at = (ms: number) => new Date(publishedAt.getTime() + ms);
    // First collection 15 minutes after publication.
    expect(await nextAt(targetId)).toEqual(at(15 * MIN));

    // Nothing is due a second before.
    expect(await passAt(at(15 * MIN - 1_000))).toEqual({ targets: 0, jobs: 0 });
    expect(await snapshots([targetId])).toEqual([]);

    const [sandboxPost] = await sql<{ published_at: Date }>(`SELECT published_at FROM sandbox_posts WHERE id = $1`, [externalId]);
    const expectSnapshotAt = async (when: Date) => {
      const e = simulatedEngagement(externalId, sandboxPost!.published_at, when);
      // The sandbox gives no quotes and no clicks: null, never 0.
      expect((await snapshots([targetId])).at(-1)).toEqual({
        targetId,
        institutionId,
        collectedAt: when.toISOString(),
        likes: e.likes,
        reposts: e.reposts,
        replies: e.replies,
        quotes: null,
        impressions: e.views,
        clicks: null,
      });
    };

    expect(await passAt(at(15 * MIN))).toEqual({ targets: 1, jobs: 1 });
    await expectSnapshotAt(at(15 * MIN));
    expect(await nextAt(targetId)).toEqual(at(30 * MIN));

    // A pass that finds the job's targets leased adds nothing, however often it runs.
    fixClock(at(30 * MIN));
    expect(await metricsPass(api)).toEqual({ targets: 1, jobs: 1 });
    expect(await metricsPass(api)).toEqual({ targets: 0, jobs: 0 });
    await drained();
    await expectSnapshotAt(at(30 * MIN));
    expect(await nextAt(targetId)).toEqual(at(45 * MIN));

    // Late (the worker was away for a day): one collection, then back on the hourly grid.
    expect(await passAt(at(DAY + 20 * MIN))).toEqual({ targets: 1, jobs: 1 });
    await expectSnapshotAt(at(DAY + 20 * MIN));
    expect(await nextAt(targetId)).toEqual(at(DAY + HOUR));

    expect(await passAt(at(8 * DAY + 3 * HOUR))).toEqual({ targets: 1, jobs: 1 });
    expect(await nextAt(targetId)).toEqual(at(9 * DAY));

    expect(await passAt(at(30 * DAY))).toEqual({ targets: 1, jobs: 1 });
    await expectSnapshotAt(at(30 * DAY));
    expect(await nextAt(targetId)).toBeNull();
    expect(await passAt(at(45 * DAY))).toEqual({ targets: 0, jobs: 0 });
    expect(await snapshots([targetId])).toHaveLength(5);

    // The metrics jobs carry ids only, under deterministic ids without ':'.
    const jobs = (await queue.getJobs(['completed'])).filter((j) => j.data.channelId === sandbox);
    expect(jobs).toHaveLength(5);
    for (const job of jobs) {
      expect(job.data).toEqual({ institutionId, channelId: sandbox, targetIds: [targetId], leasedUntil: expect.any(String) });
      expect(job.id).toMatch(/^metrics-[0-9a-f-]+$/);
    }
    // A job run again (its result lost) finds its lease given up, and appends nothing.
    fixClock(at(46 * DAY));
    expect(await engagement.collect(jobs[0]!.data)).toEqual({ status: 'skipped', reason: 'no target is collected any more' });
    expect(await snapshots([targetId])).toHaveLength(5);
  });

  it('keeps the latest and daily rollups equal to an aggregate over the raw snapshots, out-of-order arrivals included', async () => {
    const sandbox = await channel('sandbox');
    const posts = await publishedPosts(sandbox, ['Opening hours change in summer', 'The reading room is open again']);
    const targetIds = posts.map((p) => p.targetId);
    const start = posts.reduce((t, p) => Math.max(t, p.publishedAt.getTime()), 0);
    // Collections spread over four UTC days, through the queue, whatever the time of day: +15 min, +30 h, +54 h and
    // +78 h are 24 h or more apart, so each falls on a later UTC day than the one before (53 h and 77 h, as this
    // was, fell on the same day as 30 h and 54 h when the run started between 18:00 and 19:00 UTC).
    for (const ms of [15 * MIN, 2 * HOUR, 30 * HOUR, 54 * HOUR, 78 * HOUR]) await passAt(new Date(start + ms));
    jest.restoreAllMocks();

    // Snapshots arriving late, older than ones already stored (a slow job), in one statement and alone.
    const repo = api.running.app.get(EngagementRepository);
    const tx = api.running.app.get(Tx);
    const stale = (targetId: string, collectedAt: Date, likes: number) => ({
      targetId,
      collectedAt,
      metrics: { likes, reposts: 1, replies: null, quotes: null, impressions: 7, clicks: null },
    });
    await tx.run(() =>
      repo.appendSnapshots(institutionId, [
        stale(targetIds[0]!, new Date(start + 30 * HOUR - MIN), 999_001),
        stale(targetIds[1]!, new Date(start + 2 * HOUR - MIN), 999_002),
        stale(targetIds[0]!, new Date(start + 10 * MIN), 999_003),
      ]),
    );
    await tx.run(() => repo.appendSnapshots(institutionId, [stale(targetIds[1]!, new Date(start + 78 * HOUR - 1_000), 999_004)]));
    // And one newer than every other, which must become the latest.
    await tx.run(() => repo.appendSnapshots(institutionId, [stale(targetIds[1]!, new Date(start + 79 * HOUR), 12)]));

    const raw = await snapshots(targetIds);
    expect(raw.length).toBe(2 * 5 + 5);
    // The aggregate, computed here from the raw rows: the newest snapshot per target, and per target and UTC day.
    const newest = (rows: SnapshotRow[]) => rows.reduce((a, b) => (b.collectedAt > a.collectedAt ? b : a));
    const group = (key: (r: SnapshotRow) => string) => {
      const groups = new Map<string, SnapshotRow[]>();
      for (const r of raw) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
      return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, rows]) => ({ key: k, row: newest(rows) }));
    };
    const expectedLatest = group((r) => r.targetId).map((g) => g.row);
    const expectedDaily = group((r) => `${r.targetId} ${r.collectedAt.slice(0, 10)}`).map((g) => ({ day: g.key.split(' ')[1], ...g.row }));

    const latest = (
      await sql(
        `SELECT target_id, institution_id, collected_at, ${METRICS.join(', ')} FROM engagement_latest WHERE target_id = ANY($1::uuid[]) ORDER BY target_id`,
        [targetIds],
      )
    ).map(toRow);
    const daily = (
      await sql(
        `SELECT target_id, day::text AS day, institution_id, collected_at, ${METRICS.join(', ')} FROM engagement_daily WHERE target_id = ANY($1::uuid[]) ORDER BY target_id, day`,
        [targetIds],
      )
    ).map((r) => ({ day: r.day as string, ...toRow(r) }));
    expect(latest).toEqual(expectedLatest);
    expect(daily).toEqual(expectedDaily);
    // The checks can fail: the late arrivals are in the raw data but in no rollup, and the newest one is the latest.
    expect(expectedDaily.length).toBeGreaterThanOrEqual(2 * 4);
    expect(latest.find((r) => r.targetId === targetIds[1])).toMatchObject({
      likes: 12,
      collectedAt: new Date(start + 79 * HOUR).toISOString(),
    });
    expect([...latest, ...daily].some((r) => r.likes !== null && r.likes > 999_000)).toBe(false);
  });

  it('stops collecting a post once it is withdrawn', async () => {
    const sandbox = await channel('sandbox');
    const [post] = await publishedPosts(sandbox, ['Wrong date, to be corrected']);
    expect(await nextAt(post!.targetId)).not.toBeNull();
    const res = await editor.post(`/api/posts/${post!.postId}/targets/${post!.targetId}/withdraw`, { reason: 'Wrong date' });
    expect(res.status).toBe(200);
    expect(await nextAt(post!.targetId)).toBeNull();
    await makeDue(sandbox); // only published targets are due: the withdrawn one stays out
    expect(await metricsPass(api)).toEqual({ targets: 0, jobs: 0 });
  });

  it("batches a channel's targets by the platform's ids per call, and a metrics rate limit pauses metrics only", async () => {
    const ch = await channel('mastodon', mastodon.demoChannel().settings, mastodon.demoChannel().credentials);
    const n = 41; // Mastodon takes 20 ids per call: 3 jobs
    const posts = await publishedPosts(
      ch,
      Array.from({ length: n }, (_, i) => `Event ${i + 1} of the library week`),
    );
    posts.forEach((p, i) => mastodon.setMetrics(p.externalId, { favourites: i, reblogs: 2 * i, replies: i % 3, quotes: 1 }));

    await makeDue(ch);
    const before = mastodon.requests.filter((r) => r.route === 'statuses').length;
    expect(await metricsPass(api)).toEqual({ targets: n, jobs: 3 });
    expect(await metricsPass(api)).toEqual({ targets: 0, jobs: 0 });
    await drained();
    expect(mastodon.requests.filter((r) => r.route === 'statuses').length - before).toBe(3);
    const jobs = (await queue.getJobs(['completed'])).filter((j) => j.data.channelId === ch);
    expect(jobs.map((j) => j.data.targetIds.length).sort((a, b) => a - b)).toEqual([1, 20, 20]);
    expect(new Set(jobs.flatMap((j) => j.data.targetIds))).toEqual(new Set(posts.map((p) => p.targetId)));

    const rows = await snapshots(posts.map((p) => p.targetId));
    expect(rows).toHaveLength(n);
    posts.forEach((p, i) => {
      // Mastodon gives no impressions and no clicks: null, never 0.
      expect(rows.find((r) => r.targetId === p.targetId)).toMatchObject({
        likes: i,
        reposts: 2 * i,
        replies: i % 3,
        quotes: 1,
        impressions: null,
        clicks: null,
      });
    });
    const nextTimes = await sql<{ metrics_next_at: Date; published_at: Date }>(
      `SELECT metrics_next_at, published_at FROM publication_targets WHERE channel_id = $1`,
      [ch],
    );
    for (const t of nextTimes) expect(t.metrics_next_at.getTime()).toBeGreaterThan(clock.now().getTime() - 60_000);

    // The platform rate-limits the metrics reads.
    mastodon.fail({ fault: 'rate_limit', on: 'statuses', times: 10 });
    await makeDue(ch);
    expect(await metricsPass(api)).toEqual({ targets: n, jobs: 3 });
    await drained();
    const [paused] = await sql<{ metrics_paused_until: Date; metrics_last_error: string; rate_limited_until: Date | null; status: string }>(
      `SELECT metrics_paused_until, metrics_last_error, rate_limited_until, status FROM channels WHERE id = $1`,
      [ch],
    );
    expect(Math.abs(paused!.metrics_paused_until.getTime() - mastodon.rateLimitResetAt.getTime())).toBeLessThan(1_000);
    expect(paused!.metrics_last_error).toMatch(/^rate_limit: /);
    expect(paused!.rate_limited_until).toBeNull(); // what publishing reads is untouched
    expect(paused!.status).toBe('active');
    expect(await snapshots(posts.map((p) => p.targetId))).toHaveLength(n);
    // While paused, the channel's due targets are left alone.
    await makeDue(ch);
    expect(await metricsPass(api)).toEqual({ targets: 0, jobs: 0 });

    // A post on the same channel still goes out on time.
    const [onTime] = await publishedPosts(ch, ['Published while metrics are paused']);
    expect(onTime!.publishedAt.getTime() - onTime!.scheduledAt.getTime()).toBeLessThan(5_000);
    expect(mastodon.ledger.filter((e) => e.text.startsWith('Published while metrics are paused'))).toHaveLength(1);
    mastodon.clearFaults();
  });

  it('pauses metrics for an hour when the platform refuses the token for reads, without marking the channel for reconnecting', async () => {
    const ch = await channel('mastodon', mastodon.demoChannel().settings, mastodon.demoChannel().credentials);
    const [post] = await publishedPosts(ch, ['Author talk on Thursday']);
    mastodon.fail({ fault: 'expired_token', on: 'statuses', times: 5 });
    await makeDue(ch);
    const now = clock.now().getTime();
    expect(await metricsPass(api)).toEqual({ targets: 1, jobs: 1 });
    await drained();
    const [row] = await sql<{ metrics_paused_until: Date; metrics_last_error: string; status: string }>(
      `SELECT metrics_paused_until, metrics_last_error, status FROM channels WHERE id = $1`,
      [ch],
    );
    expect(row!.status).toBe('active');
    expect(row!.metrics_last_error).toMatch(/^auth: /);
    expect(row!.metrics_paused_until.getTime()).toBeGreaterThanOrEqual(now + METRICS_AUTH_PAUSE_MS - 1_000);
    expect(row!.metrics_paused_until.getTime()).toBeLessThan(clock.now().getTime() + METRICS_AUTH_PAUSE_MS + 1_000);
    expect(await snapshots([post!.targetId])).toEqual([]);
    mastodon.clearFaults();
  });

  it('records a Telegram post as collected with every metric null: the Bot API gives bots no counts', async () => {
    const { settings, credentials } = telegram.demoChannel();
    const ch = await channel('telegram', settings, credentials);
    const [post] = await publishedPosts(ch, ['Library week: the programme']);
    await makeDue(ch);
    expect(await metricsPass(api)).toEqual({ targets: 1, jobs: 1 });
    await drained();
    const rows = await snapshots([post!.targetId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ likes: null, reposts: null, replies: null, quotes: null, impressions: null, clicks: null });
    expect(await nextAt(post!.targetId)).not.toBeNull();
  });
});
