import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { TestApi } from '#test/support/api.js';
import { currentMode } from '#test/support/test-storage.js';
import { pdfText } from '#test/browser/pdf-text.js';
import { ReportFixtures } from '#test/browser/report-fixtures.js';

/** The public report shows only what an institution published, escaped, as page, JSON, CSV and PDF. */
describe(`public transparency report (${currentMode()} storage)`, () => {
  let api: TestApi;
  let a: ReportFixtures;
  let bBase: string;
  const PERIOD = '?from=2026-01-01&to=2027-01-01';
  const SECRETS = [
    'Secret draft text',
    'Rejected text',
    'Failed text',
    'Scheduled text',
    'A comment inside A',
    'Sandbox only text',
    'Text of B',
    'Institution trans-b',
    'contributor@trans-a',
    'editor@trans-a',
    'Withdrawn text',
    'Internal campaign',
    'Only drafts campaign',
  ];

  beforeAll(async () => {
    api = await TestApi.start();
    a = await ReportFixtures.create(api, 'trans-a', { transparency: true });
    const b = await ReportFixtures.create(api, 'trans-b', { transparency: true });
    bBase = b.seed.base;
    const x = await a.channel('x', 'City on X');
    const tg = await a.channel('telegram', 'City on Telegram', { chatId: '@city' });
    const campaign = await a.campaign('Clean river', {
      goal: 'Fewer plastic bottles in the river',
      targetAudiences: ['families'],
      partnerIds: [a.seed.partner.id],
    });
    const drafts = await a.campaign('Only drafts campaign', { goal: 'Never published' });
    const [pub] = await a.post(campaign, [x], 'Join the clean-up <script>alert(1)</script> & bring gloves', {
      status: 'published',
      scheduledAt: '2026-06-06T07:00:00Z',
      publishedAt: '2026-06-06T07:01:00Z',
    });
    const [tgPub] = await a.post(campaign, [tg], 'Clean-up on Telegram', {
      status: 'published',
      scheduledAt: '2026-07-01T07:00:00Z',
      publishedAt: '2026-07-01T07:00:05Z',
    });
    await a.post(campaign, [x], 'Withdrawn text', {
      status: 'withdrawn',
      scheduledAt: '2026-06-10T07:00:00Z',
      publishedAt: '2026-06-10T07:00:10Z',
      withdrawnAt: '2026-06-10T09:00:00Z',
    });
    const [draft] = await a.post(drafts, [x], 'Secret draft text', { status: 'draft' });
    await a.post(campaign, [x], 'Rejected text', { status: 'rejected' });
    await a.post(campaign, [x], 'Failed text', { status: 'failed', scheduledAt: '2026-06-07T07:00:00Z' });
    await a.post(campaign, [x], 'Scheduled text', { status: 'scheduled', scheduledAt: '2026-12-20T07:00:00Z' });
    await a.post(a.seed.privateCampaign.id, [a.seed.sandbox.id], 'Sandbox only text', {
      status: 'published',
      scheduledAt: '2026-06-08T07:00:00Z',
      publishedAt: '2026-06-08T07:00:01Z',
    });
    expect((await a.seed.members.editor.post(`/api/posts/${draft!.postId}/comments`, { body: 'A comment inside A' })).status).toBeLessThan(
      300,
    );
    const bCampaign = await b.campaign('B campaign');
    const bx = await b.channel('x', 'B on X');
    await b.post(bCampaign, [bx], 'Text of B', {
      status: 'published',
      scheduledAt: '2026-06-06T07:00:00Z',
      publishedAt: '2026-06-06T07:00:00Z',
    });
    await a.snapshots(pub!.targetId, [
      ['2026-06-06T08:00:00Z', 3, 1, 0, 0, 100, 2],
      ['2026-06-07T08:00:00Z', 8, 2, 1, 0, 400, 5],
    ]);
    await a.snapshots(tgPub!.targetId, [['2026-07-01T08:00:00Z', null, null, null, null, null, null]]);
  });
  afterAll(async () => api?.stop());

  const get = (path: string) => api.client().get(path);

  it('serves the JSON report: versioned, licensed, published publications only, figures from the snapshots', async () => {
    const res = await get(`/transparency/trans-a/report.json${PERIOD}`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({
      schemaVersion: '1.0',
      licence: 'CC-BY-4.0',
      institution: { name: 'Institution trans-a', slug: 'trans-a', timeZone: 'Europe/Bucharest' },
      period: { firstDay: '2026-01-01', lastDay: '2026-12-31' },
    });
    expect(r.totals).toMatchObject({ published: 3, withdrawn: 1, likes: 8, impressions: 400, quotes: 0 });
    expect(r.publicationsByMonthAndChannel).toEqual([
      {
        month: '2026-06',
        channel: 'City on X',
        platform: 'x',
        published: 2,
        withdrawn: 1,
        likes: 8,
        reposts: 2,
        replies: 1,
        quotes: 0,
        impressions: 400,
        clicks: 5,
      },
      {
        month: '2026-07',
        channel: 'City on Telegram',
        platform: 'telegram',
        published: 1,
        withdrawn: 0,
        likes: null,
        reposts: null,
        replies: null,
        quotes: null,
        impressions: null,
        clicks: null,
      },
    ]);
    expect(r.campaigns).toEqual([
      expect.objectContaining({
        title: 'Clean river',
        goal: 'Fewer plastic bottles in the river',
        partners: ['NGO of trans-a'],
        published: 3,
      }),
    ]);
    expect(r.topPublications[0]).toMatchObject({
      text: 'Join the clean-up <script>alert(1)</script> & bring gloves',
      engagement: 11,
      channel: 'City on X',
    });
    expect(r.withdrawn).toEqual([
      {
        publishedAt: '2026-06-10T07:00:10.000Z',
        withdrawnAt: '2026-06-10T09:00:00.000Z',
        channel: 'City on X',
        platform: 'x',
        campaign: 'Clean river',
      },
    ]);
    expect(r.punctuality).toMatchObject({ count: 3, maxSeconds: 60 });
    expect(r.methodology.platforms).toEqual([
      expect.objectContaining({ platform: 'telegram', provides: [] }),
      expect.objectContaining({ platform: 'x', provides: ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] }),
    ]);
    expect(r.methodology).toMatchObject({
      collectionCadence:
        'every 15 minutes until 1 day after publication, every hour until 7 days after publication, every day until 30 days after publication, then no more',
      newestCollectionAt: '2026-07-01T08:00:00.000Z',
    });
    for (const s of SECRETS) expect(JSON.stringify(r)).not.toContain(s);
  });

  it('renders the page with post text escaped, under a CSP without scripts', async () => {
    const res = await api.client().request('GET', `/transparency/trans-a${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-[^']+'/);
    const page = res.body as string;
    // fetch() asks for any language (Accept-Language: *): the page speaks the institution's first official language.
    expect(page).toContain('<html lang="ro">');
    expect(res.headers.get('content-language')).toBe('ro');
    expect(page).toContain('Join the clean-up &lt;script&gt;alert(1)&lt;/script&gt; &amp; bring gloves');
    expect(page).not.toContain('<script');
    expect(page).toContain('<svg class="chart"');
    expect(page).toContain('Fewer plastic bottles in the river');
    expect(page).toContain('NGO of trans-a');
    for (const s of SECRETS) expect(page).not.toContain(s);
  });

  it('serves a CSV a standard parser reads, with the documented columns', async () => {
    const res = await get(`/transparency/trans-a/report.csv${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(res.body as string, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([
      'schema_version',
      'institution',
      'month',
      'channel',
      'platform',
      'published',
      'withdrawn',
      'likes',
      'reposts',
      'replies',
      'quotes',
      'impressions',
      'clicks',
    ]);
    expect(rows).toEqual([
      {
        schema_version: '1.0',
        institution: 'trans-a',
        month: '2026-06',
        channel: 'City on X',
        platform: 'x',
        published: '2',
        withdrawn: '1',
        likes: '8',
        reposts: '2',
        replies: '1',
        quotes: '0',
        impressions: '400',
        clicks: '5',
      },
      {
        schema_version: '1.0',
        institution: 'trans-a',
        month: '2026-07',
        channel: 'City on Telegram',
        platform: 'telegram',
        published: '1',
        withdrawn: '0',
        likes: '',
        reposts: '',
        replies: '',
        quotes: '',
        impressions: '',
        clicks: '',
      },
    ]);
    for (const s of SECRETS) expect(res.body).not.toContain(s);
  });

  it('serves a PDF of the same report', async () => {
    const res = await fetch(`${api.url}/transparency/trans-a/report.pdf${PERIOD}&lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const s of [
      'Transparency report: Institution trans-a',
      'Clean river',
      'Fewer plastic bottles in the river',
      'NGO of trans-a',
      'Join the clean-up <script>alert(1)</script> & bring gloves',
    ])
      expect(text).toContain(s);
    for (const s of SECRETS) expect(text).not.toContain(s);
    // In the reader's language when asked for (the page's PDF link carries it).
    const uk = await pdfText(Buffer.from(await (await fetch(`${api.url}/transparency/trans-a/report.pdf${PERIOD}&lang=uk`)).arrayBuffer()));
    for (const s of [
      'Звіт про прозорість: Institution trans-a',
      'Відкликані публікації',
      'червень 2026 р.',
      'Join the clean-up <script>alert(1)</script> & bring gloves',
    ])
      expect(uk).toContain(s);
  });

  it('is not found for institutions without a public report, unknown slugs and bad periods name the field', async () => {
    expect((await get('/transparency/trans-b')).status).toBe(200);
    expect((await api.admin.patch(bBase, { transparencyEnabled: false })).status).toBe(200);
    for (const path of [
      '/transparency/trans-b',
      '/transparency/trans-b/report.json',
      '/transparency/nobody/report.csv',
      '/transparency/Bad..Slug/report.pdf',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const bad = await get('/transparency/trans-a/report.json?from=2026-13-01');
    expect({ status: bad.status, field: bad.body.details?.[0]?.field }).toEqual({ status: 422, field: 'from' });
  });

  it('defaults to the last 12 months', async () => {
    const res = await get('/transparency/trans-a/report.json');
    expect(res.status).toBe(200);
    const months = (new Date(res.body.period.to).getTime() - new Date(res.body.period.from).getTime()) / 86_400_000;
    expect(months).toBeGreaterThan(334);
    expect(months).toBeLessThanOrEqual(366);
  });
});
