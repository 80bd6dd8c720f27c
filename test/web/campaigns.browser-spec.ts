import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { ReportFixtures } from '#test/browser/report-fixtures.js';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

/** The campaigns pages in real Chromium: list and creation, a campaign's posts per channel, its engagement. */
describeInBrowser(`staff pages: campaigns (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Seed;
  let fx: ReportFixtures;
  let secondPartner: string;

  async function as(s: WebSession, who: Client): Promise<void> {
    await s.context.addCookies([{ name: 'civicpost_session', value: who.token!, url: api.url }]);
  }

  const daysAgo = (n: number, hour = 10) => {
    const d = new Date(api.clock.now().getTime() - n * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'camp-town');
    fx = new ReportFixtures(api, seed);
    browser = await launchBrowser();
    secondPartner = (await api.admin.post(`${seed.base}/partners`, { name: 'Asociația Vecinilor' })).body.id;
    await api.admin.patch(`${seed.base}/campaigns/${seed.campaign.id}`, {
      goal: 'Explain the new bus network to every district',
      hashtags: ['#BusNetwork'],
      targetAudiences: ['commuters'],
    });

    // Two posts of the shared campaign, published a few days ago: one on both channels (the sandbox copy failed), one on Mastodon only.
    const [onMastodon, onSandbox] = await fx.post(
      seed.campaign.id,
      [seed.channel.id, seed.sandbox.id],
      'Noile linii de autobuz din cartierul Mănăștur',
      {
        status: 'published',
        scheduledAt: daysAgo(3),
        publishedAt: daysAgo(3),
      },
    );
    await fx.sql(
      `UPDATE publication_targets SET status = 'failed', published_at = NULL, external_id = NULL, external_url = NULL, last_error = 'boom' WHERE id = $1`,
      [onSandbox!.targetId],
    );
    const [second] = await fx.post(seed.campaign.id, [seed.channel.id], 'Program nou pentru linia 35', {
      status: 'published',
      scheduledAt: daysAgo(2),
      publishedAt: daysAgo(2),
    });
    await fx.snapshots(onMastodon!.targetId, [[daysAgo(2, 12), 40, 7, 3, 1, 900, null]]);
    await fx.snapshots(second!.targetId, [[daysAgo(1, 12), 12, 2, 1, 0, 300, null]]);
    // A draft without a time, in the same campaign.
    await fx.post(seed.campaign.id, [seed.sandbox.id], 'Ciornă: întrebări frecvente');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('lists the campaigns; an editor creates one through the form, and an end before the start is refused next to the field, everything kept', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    expect(await s.goto('/app/camp-town/campaigns')).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Campaigns');
    const table = s.page.locator('table.campaigns');
    expect(await table.locator('caption').textContent()).toBe('Campaigns of Institution camp-town');
    expect(await table.locator('thead th').allTextContents()).toEqual(['Campaign', 'Dates', 'Goal', 'Partners']);
    const shared = table.locator('tr', { hasText: 'Shared campaign' });
    expect(await shared.locator('td').allTextContents()).toEqual([
      'Dec 1, 2026 to Jan 31, 2027',
      'Explain the new bus network to every district',
      'NGO of camp-town',
    ]);
    expect(await table.locator('tr', { hasText: 'Internal campaign' }).locator('td').last().textContent()).toBe('none');
    await s.expectAccessible();

    const form = s.page.locator('form.campaign-form');
    await form.getByLabel('Title').fill('Consultare publică: parcul central');
    await form.getByLabel('Goal').fill('500 de răspunsuri');
    await form.getByLabel('First day').fill('2027-03-10');
    await form.getByLabel('Last day').fill('2027-03-01');
    await form.getByLabel('Audiences').fill('families, older people');
    await form.getByLabel('Hashtags').fill('#ParculCentral Consultare');
    await form.getByLabel('Asociația Vecinilor').check();
    const [refused] = await Promise.all([
      s.page.waitForResponse((r) => r.request().method() === 'POST'),
      form.getByRole('button', { name: 'Create the campaign' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await s.page.waitForLoadState('load');
    expect(await s.page.locator('#new-endsOn-error').textContent()).toBe('The last day must not be before the first day');
    expect(await s.page.getByLabel('Last day').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.locator('.error-summary a').getAttribute('href')).toBe('#new-endsOn');
    expect(await s.page.getByLabel('Title').inputValue()).toBe('Consultare publică: parcul central');
    expect(await s.page.getByLabel('Goal').inputValue()).toBe('500 de răspunsuri');
    expect(await s.page.getByLabel('First day').inputValue()).toBe('2027-03-10');
    expect(await s.page.getByLabel('Audiences').inputValue()).toBe('families, older people');
    expect(await s.page.getByLabel('Hashtags').inputValue()).toBe('#ParculCentral Consultare');
    expect(await s.page.getByLabel('Asociația Vecinilor').isChecked()).toBe(true);
    expect(await s.page.getByLabel('NGO of camp-town').isChecked()).toBe(false);
    await s.expectAccessible();

    await s.page.getByLabel('Last day').fill('2027-04-30');
    await s.page.getByRole('button', { name: 'Create the campaign' }).click();
    await s.page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\?notice=/);
    expect(await s.page.getByRole('status').textContent()).toContain('The campaign is created.');
    expect(await s.page.locator('h1').textContent()).toBe('Consultare publică: parcul central');
    expect(await s.page.locator('.campaign-facts').textContent()).toMatch(
      /Mar 10, 2027 to Apr 30, 2027.*500 de răspunsuri.*families, older people.*#ParculCentral #Consultare.*Asociația Vecinilor/s,
    );
    expect(await s.page.getByText('This campaign has no post yet.').count()).toBe(1);
    const id = new URL(s.page.url()).pathname.split('/').pop()!;
    const saved = (await api.admin.get(`${seed.base}/campaigns/${id}`)).body;
    expect(saved).toMatchObject({
      title: 'Consultare publică: parcul central',
      startsOn: '2027-03-10',
      endsOn: '2027-04-30',
      targetAudiences: ['families', 'older people'],
      hashtags: ['#ParculCentral', '#Consultare'],
      partnerIds: [secondPartner],
    });
    s.expectClean();
    await s.close();
  });

  it('a campaign’s page: details, each post’s state per channel, engagement as charts and tables with the same figures', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    expect(await s.goto(`/app/camp-town/campaigns/${seed.campaign.id}`)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Shared campaign');
    expect(await s.page.getByRole('link', { name: 'New post in this campaign' }).getAttribute('href')).toBe(
      `/app/camp-town/posts/new?campaignId=${seed.campaign.id}`,
    );

    const posts = s.page.locator('table.campaign-posts');
    expect(await posts.locator('thead th').allTextContents()).toEqual(['Post', 'Mastodon', 'Sandbox']);
    const first = posts.locator('tbody tr', { hasText: 'Noile linii de autobuz' });
    expect(await first.locator('td').allTextContents()).toEqual(['published', 'failed']);
    expect(await first.locator('th a span').getAttribute('lang')).toBe('ro');
    expect((await posts.locator('tbody tr', { hasText: 'Program nou' }).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'published',
      '—not on this channel',
    ]);
    expect(await posts.locator('tbody tr', { hasText: 'Ciornă' }).locator('th .meta').textContent()).toMatch(/no time yet · draft/);

    // Engagement: the sums over the two publications (40+12 likes, 7+2 reposts, 3+1 replies, 1+0 quotes), in the chart and in its table.
    const figures = s.page.locator('table.engagement-figures tbody tr');
    const rows = await figures.evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]),
    );
    expect(rows).toEqual([
      ['Publications', '2'],
      ['Likes', '52'],
      ['Reposts', '9'],
      ['Replies', '4'],
      ['Quotes', '1'],
      ['Impressions', '1,200'],
      ['Clicks', 'not available'],
      ['Engagement (likes + reposts + replies + quotes)', '66'],
    ]);
    const kinds = s.page.locator('svg#eng-kinds, svg[aria-labelledby^="eng-kinds"]');
    expect(await kinds.getAttribute('role')).toBe('img');
    expect(await kinds.locator('title').textContent()).toBe('Interactions with the campaign’s publications');
    expect(await kinds.locator('rect.bar').count()).toBe(4);
    expect(await kinds.locator('text').allTextContents()).toEqual(
      expect.arrayContaining(['52', 'Likes', '9', 'Reposts', '4', 'Replies', '1', 'Quotes']),
    );
    const top = s.page.locator('table.engagement-top tbody tr');
    expect(await top.count()).toBe(2);
    expect(await top.first().locator('th').textContent()).toBe('Noile linii de autobuz din cartierul Mănăștur');
    expect((await top.first().locator('td').allTextContents()).slice(-5)).toEqual(['40', '7', '3', '1', '51']);
    expect(await s.page.locator('svg[aria-labelledby^="eng-top"] rect.bar').count()).toBe(2);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('an editor changes a campaign; a bad hashtag is refused next to the field and what was typed stays', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    await s.goto(`/app/camp-town/campaigns/${seed.privateCampaign.id}`);
    const form = s.page.locator('form.campaign-form');
    expect(await form.getByLabel('Title').inputValue()).toBe('Internal campaign');
    await form.getByLabel('Title').fill('Internal campaign, renamed');
    await form.getByLabel('Hashtags').fill('#ok #not-a-word');
    await form.getByRole('button', { name: 'Save the campaign' }).click();
    expect(await s.page.locator('#edit-hashtags-error').textContent()).toBe(
      'Write hashtags as words of letters, digits or _, separated by spaces',
    );
    expect(await s.page.getByLabel('Title').inputValue()).toBe('Internal campaign, renamed');
    expect(await s.page.locator('h1').textContent()).toBe('Internal campaign');
    await s.expectAccessible();
    await s.page.getByLabel('Hashtags').fill('#ok');
    await s.page.getByLabel('NGO of camp-town').check();
    await s.page.getByRole('button', { name: 'Save the campaign' }).click();
    await s.page.waitForURL(new RegExp(`/campaigns/${seed.privateCampaign.id}\\?notice=`));
    expect(await s.page.getByRole('status').textContent()).toContain('The campaign is saved.');
    expect(await s.page.locator('h1').textContent()).toBe('Internal campaign, renamed');
    const saved = (await api.admin.get(`${seed.base}/campaigns/${seed.privateCampaign.id}`)).body;
    expect([saved.title, saved.hashtags, saved.partnerIds]).toEqual(['Internal campaign, renamed', ['#ok'], [seed.partner.id]]);
    // Back as it was, for the tests after this one.
    await api.admin.patch(`${seed.base}/campaigns/${seed.privateCampaign.id}`, { title: 'Internal campaign', partnerIds: [] });
    s.expectClean();
    await s.close();
  });

  it('a viewer sees campaigns but no form and no engagement; a forged creation gets the 403 page; an author sees no engagement', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.viewer);
    await s.goto('/app/camp-town/campaigns');
    expect(await s.page.locator('table.campaigns').textContent()).toContain('Shared campaign');
    expect(await s.page.locator('form.campaign-form').count()).toBe(0);
    const forged = (await s.page
      .evaluate(`fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: document.querySelector('input[name=_csrf]').value, title: 'Forged', startsOn: '2027-01-01', endsOn: '2027-01-02' }) })
      .then(async r => [r.status, await r.text()])`)) as [number, string];
    expect(forged[0]).toBe(403);
    expect(forged[1]).toContain('Not allowed');
    expect((await api.admin.get(`${seed.base}/campaigns`)).body.items.map((c: { title: string }) => c.title)).not.toContain('Forged');
    await s.goto(`/app/camp-town/campaigns/${seed.campaign.id}`);
    expect(await s.page.locator('table.campaign-posts').count()).toBe(1);
    expect(await s.page.locator('#engagement-h').count()).toBe(0);
    expect(await s.page.locator('form.campaign-form').count()).toBe(0);
    expect(await s.page.getByRole('link', { name: 'New post in this campaign' }).count()).toBe(0);
    await s.expectAccessible();

    const author = await WebSession.open(browser, api.url);
    await as(author, seed.members.author);
    await author.goto(`/app/camp-town/campaigns/${seed.campaign.id}`);
    expect(await author.page.locator('#engagement-h').count()).toBe(0);
    expect(await author.page.locator('form.campaign-form').count()).toBe(1);
    await s.close();
    await author.close();
  });

  it('a contributor sees only the campaigns shared with their organisation', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.contributor);
    await s.goto('/app/camp-town/campaigns');
    const titles = await s.page.locator('table.campaigns tbody th').allTextContents();
    expect(titles).toContain('Shared campaign');
    expect(titles).not.toContain('Internal campaign');
    // No partner names (contributors may not see the partner list), no form.
    expect(await s.page.locator('table.campaigns thead th').allTextContents()).toEqual(['Campaign', 'Dates', 'Goal']);
    expect(await s.page.locator('form.campaign-form').count()).toBe(0);
    await s.expectAccessible();
    expect(await s.goto(`/app/camp-town/campaigns/${seed.privateCampaign.id}`)).toBe(404);
    expect(await s.goto(`/app/camp-town/campaigns/${seed.campaign.id}`)).toBe(200);
    // Channel names are not theirs to see: columns are numbered.
    expect(await s.page.locator('table.campaign-posts thead th').allTextContents()).toEqual(['Post', 'Channel 1', 'Channel 2']);
    await s.expectAccessible();
    await s.close();
  });

  it('speaks Romanian', async () => {
    const s = await WebSession.open(browser, api.url, { locale: 'ro-RO' });
    await as(s, seed.members.editor);
    await s.goto(`/app/camp-town/campaigns/${seed.campaign.id}`);
    expect(await s.page.locator('#about-h').textContent()).toBe('Despre campanie');
    expect(await s.page.locator('.campaign-facts dd').first().textContent()).toBe('1 dec. 2026 – 31 ian. 2027');
    expect(await s.page.locator('table.engagement-figures tbody tr').nth(1).textContent()).toMatch(/Aprecieri\s*52/);
    expect(await s.page.locator('table.campaign-posts tbody tr', { hasText: 'Noile linii' }).locator('td').allTextContents()).toEqual([
      'publicată',
      'eșuată',
    ]);
    await s.expectAccessible();
    await s.close();
  });
});
