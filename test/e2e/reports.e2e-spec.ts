import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { TestApi } from '#test/support/api.js';
import { currentMode } from '#test/support/test-storage.js';
import { ReportFixtures, type Publication } from '#test/browser/report-fixtures.js';

/** Internal analytics: figures equal an independent aggregate of the raw snapshots; only editors and admins see them. */
describe(`engagement reports (${currentMode()} storage)`, () => {
  let api: TestApi;
  let f: ReportFixtures;
  let base: string;
  let x: string;
  let youth: string;
  let plain: string;
  let p1: Publication[];
  let p2: Publication[];
  let withdrawn: Publication[];
  const PAST = { from: '2026-09-01', to: '2026-11-01' }; // ended before now: engagement as of its end (daily rollup)
  const RUNNING = { from: '2026-09-01', to: '2027-06-01' }; // still running: newest engagement

  beforeAll(async () => {
    api = await TestApi.start();
    f = await ReportFixtures.create(api, 'reports-a');
    base = f.seed.base;
    x = await f.channel('x', 'City on X');
    youth = await f.campaign('Youth card', { goal: 'Every student gets the card', targetAudiences: ['youth', 'students'] });
    plain = await f.campaign('Road works', {});
    const mastodon = f.seed.channel.id;
    // Mastodon publishes in Hungarian here, X in the institution's first language (ro).
    await api.admin.patch(`${base}/channels/${mastodon}`, { settings: { instanceUrl: 'https://social.example', language: 'hu' } });
    p1 = await f.post(youth, [mastodon, x], 'Youth card is here', {
      status: 'published',
      scheduledAt: '2026-09-10T07:00:00Z',
      publishedAt: '2026-09-10T07:00:30Z',
    });
    p2 = await f.post(plain, [x], 'Road closed on Main Street', {
      status: 'published',
      scheduledAt: '2026-10-31T21:30:00Z',
      publishedAt: '2026-10-31T22:30:00Z',
    }); // 1 Nov in Bucharest
    withdrawn = await f.post(plain, [x], 'Wrong date, withdrawn', {
      status: 'withdrawn',
      scheduledAt: '2026-10-05T08:00:00Z',
      publishedAt: '2026-10-05T08:02:00Z',
      withdrawnAt: '2026-10-05T10:00:00Z',
    });
    await f.post(youth, [x], 'Failed one', { status: 'failed', scheduledAt: '2026-10-06T08:00:00Z' });
    await f.post(youth, [x], 'Still a draft', { status: 'draft' });
    await f.post(youth, [x], 'Planned later', { status: 'scheduled', scheduledAt: '2026-10-20T08:00:00Z' });
    // Mastodon gives no impressions or clicks (null); X gives everything.
    await f.snapshots(p1[0]!.targetId, [
      ['2026-09-10T08:00:00Z', 1, 0, 0, 0, null, null],
      ['2026-09-20T08:00:00Z', 5, 2, 1, 0, null, null],
      ['2026-11-15T08:00:00Z', 9, 3, 1, 1, null, null],
    ]);
    await f.snapshots(p1[1]!.targetId, [
      ['2026-09-10T09:00:00Z', 3, 1, 0, 0, 100, 4],
      ['2026-10-31T23:30:00Z', 10, 2, 2, 1, 900, 20],
      ['2026-11-20T00:00:00Z', 12, 2, 3, 1, 1000, 25],
    ]);
    await f.snapshots(p2[0]!.targetId, [
      ['2026-10-31T23:00:00Z', 2, 0, 0, 0, 50, 1],
      ['2026-11-02T10:00:00Z', 4, 1, 0, 0, 80, 2],
    ]);
    await f.snapshots(withdrawn[0]!.targetId, [['2026-10-05T09:00:00Z', 7, 1, 1, 0, 300, 3]]);
  });
  afterAll(async () => api?.stop());

  const get = (path: string, client = api.admin) => client.get(`${base}/reports/${path}`);
  const bucharest = (d: string) => DateTime.fromISO(d, { zone: 'Europe/Bucharest' }).toUTC().toISO()!;

  it('totals equal the newest raw snapshot per publication, summed, for a period still running', async () => {
    const res = await get(`engagement?from=${RUNNING.from}&to=${RUNNING.to}&groupBy=channel`);
    expect(res.status).toBe(200);
    const direct = await f.directAggregate(bucharest(RUNNING.from), bucharest(RUNNING.to), '2100-01-01T00:00:00Z');
    expect(res.body.totals).toEqual(direct);
    expect(res.body.totals).toMatchObject({ posts: 4, likes: 9 + 12 + 4 + 7, impressions: 1000 + 80 + 300 });
    const mastodon = res.body.series.find((s: { key: string }) => s.key === f.seed.channel.id);
    expect(mastodon).toMatchObject({ label: 'Mastodon', posts: 1, likes: 9, impressions: null, clicks: null });
    expect(mastodon).toEqual({
      key: f.seed.channel.id,
      label: 'Mastodon',
      ...(await f.directAggregate(bucharest(RUNNING.from), bucharest(RUNNING.to), '2100-01-01T00:00:00Z', [f.seed.channel.id])),
    });
  });

  it('a period that ended is reported as of its end, equal to the raw snapshots collected before it', async () => {
    const res = await get(`engagement?from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z&groupBy=platform`);
    expect(res.status).toBe(200);
    const direct = await f.directAggregate('2026-09-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
    expect(res.body.totals).toEqual(direct);
    // p2 (22:30 UTC on 31 October) is in; its snapshot of 23:00 counts, the one of 2 November does not.
    expect(res.body.totals).toMatchObject({ posts: 4, likes: 5 + 10 + 2 + 7 });
    expect(res.body.series.map((s: { key: string; label: string; posts: number }) => [s.key, s.label, s.posts])).toEqual([
      ['x', 'X', 3],
      ['mastodon', 'Mastodon', 1],
    ]);
  });

  it('buckets by month and day in the institution time zone, empty ones as 0', async () => {
    const months = await get(`engagement?from=${PAST.from}&to=${PAST.to}&groupBy=month`);
    expect(months.body.series.map((s: { key: string; posts: number }) => [s.key, s.posts])).toEqual([
      ['2026-09', 2],
      ['2026-10', 1],
    ]);
    const nov = await get(`engagement?from=2026-11-01&to=2026-11-03&groupBy=day`);
    // 22:30 UTC on 31 October is 1 November in Bucharest.
    expect(nov.body.series.map((s: { key: string; posts: number; likes: number | null }) => [s.key, s.posts, s.likes])).toEqual([
      ['2026-11-01', 1, 4],
      ['2026-11-02', 0, 0],
    ]);
    const weeks = await get(`engagement?from=2026-09-07&to=2026-09-21&groupBy=week`);
    expect(weeks.body.series.map((s: { key: string; label: string; posts: number }) => [s.key, s.label, s.posts])).toEqual([
      ['2026-W37', 'Week of 2026-09-07', 2],
      ['2026-W38', 'Week of 2026-09-14', 0],
    ]);
  });

  it('counts a post under each audience of its campaign, by campaign, and by the language the channel published', async () => {
    const audiences = await get(`engagement?from=${RUNNING.from}&to=${RUNNING.to}&groupBy=audience`);
    expect(audiences.body.series.map((s: { key: string | null; label: string; posts: number }) => [s.key, s.label, s.posts])).toEqual([
      [null, 'No target audience', 2],
      ['students', 'students', 2],
      ['youth', 'youth', 2],
    ]);
    expect(audiences.body.totals.posts).toBe(4);
    const campaigns = await get(`engagement?from=${RUNNING.from}&to=${RUNNING.to}&groupBy=campaign`);
    expect(campaigns.body.series.map((s: { key: string; label: string; posts: number }) => [s.key, s.label, s.posts])).toEqual([
      [plain, 'Road works', 2],
      [youth, 'Youth card', 2],
    ]);
    const languages = await get(`engagement?from=${RUNNING.from}&to=${RUNNING.to}&groupBy=language`);
    expect(languages.body.series.map((s: { key: string; label: string; posts: number }) => [s.key, s.label, s.posts])).toEqual([
      ['ro', 'Romanian', 3],
      ['hu', 'Hungarian', 1],
    ]);
  });

  it('ranks top posts by a metric with their text, channel, campaign and link', async () => {
    const res = await get(`top-posts?from=${RUNNING.from}&to=${RUNNING.to}&metric=impressions&limit=2`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      targetId: p1[1]!.targetId,
      status: 'published',
      language: 'ro',
      excerpt: 'Youth card is here',
      url: expect.stringContaining('https://social.example/'),
      channel: { id: x, name: 'City on X', platform: 'x' },
      campaign: { id: youth, title: 'Youth card' },
      metrics: { likes: 12, reposts: 2, replies: 3, quotes: 1, impressions: 1000, clicks: 25, engagement: 18 },
    });
    expect(res.body.items[1]).toMatchObject({ targetId: withdrawn[0]!.targetId, status: 'withdrawn' });
    const hu = await get(`top-posts?from=${RUNNING.from}&to=${RUNNING.to}&metric=likes&limit=5`);
    expect(hu.body.items.find((i: { targetId: string }) => i.targetId === p1[0]!.targetId)).toMatchObject({
      language: 'hu',
      excerpt: 'Youth card is here (hu)',
      metrics: { impressions: null, engagement: 14 },
    });
  });

  it('summarises campaigns: planned, published, failed, engagement per published post', async () => {
    const res = await get(`campaigns?from=${RUNNING.from}&to=${RUNNING.to}`);
    expect(res.status).toBe(200);
    const byTitle = Object.fromEntries(res.body.items.map((c: { title: string }) => [c.title, c]));
    // Youth card: 2 published targets, 1 failed, 1 scheduled (the draft is not planned).
    expect(byTitle['Youth card']).toMatchObject({
      planned: 4,
      published: 2,
      failed: 1,
      engagement: { posts: 2, likes: 21, impressions: 1000, total: 14 + 18 },
      engagementPerPost: 16,
    });
    expect(byTitle['Road works']).toMatchObject({
      planned: 2,
      published: 2,
      failed: 0,
      engagement: { likes: 11, total: 5 + 9 },
      engagementPerPost: 7,
    });
  });

  it('measures punctuality: p50, p95 and max lateness, per channel too', async () => {
    const res = await get(`punctuality?from=${RUNNING.from}&to=${RUNNING.to}`);
    expect(res.status).toBe(200);
    const [direct] = await f.sql(
      `SELECT count(*)::int AS count, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95, max(s) AS max
         FROM (SELECT extract(epoch FROM published_at - scheduled_at)::float8 AS s FROM publication_targets WHERE institution_id = $1 AND status IN ('published', 'withdrawn')) l`,
      [f.seed.id],
    );
    expect(res.body.lateness).toEqual({ count: direct.count, p50Seconds: direct.p50, p95Seconds: direct.p95, maxSeconds: direct.max });
    expect(res.body.lateness).toMatchObject({ count: 4, maxSeconds: 3600 });
    expect(res.body.byChannel.find((c: { channel: { id: string } }) => c.channel.id === f.seed.channel.id)).toMatchObject({
      count: 1,
      p50Seconds: 30,
      maxSeconds: 30,
    });
  });

  it('answers 422 naming the field for bad dates, groupBy, metric and limit', async () => {
    for (const [path, field] of [
      ['engagement?from=yesterday', 'from'],
      ['engagement?to=2026-02-30', 'to'],
      ['engagement?from=2026-10-01&to=2026-09-01', 'to'],
      ['engagement?groupBy=hour', 'groupBy'],
      ['top-posts?metric=shares', 'metric'],
      ['top-posts?limit=0', 'limit'],
      ['punctuality?from=2026-09-01T10:00', 'from'],
    ] as const) {
      const res = await get(path);
      expect({ path, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ path, status: 422, field });
    }
  });

  it('defaults to the last 30 days', async () => {
    const res = await get('engagement');
    expect(res.status).toBe(200);
    expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBe(30 * 86_400_000);
    expect(res.body.series).toHaveLength(31);
  });

  it('lets editors and admins read reports; authors, contributors and viewers get 403', async () => {
    const m = f.seed.members;
    for (const [client, status] of [
      [m.editor, 200],
      [m.admin, 200],
      [m.author, 403],
      [m.contributor, 403],
      [m.viewer, 403],
    ] as const) {
      for (const path of ['engagement', 'top-posts', 'campaigns', 'punctuality'])
        expect({ path, status: (await get(path, client)).status }).toEqual({ path, status });
    }
  });
});
