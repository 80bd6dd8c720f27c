import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

/** The calendar in real Chromium: days in the institution's zone, blackout windows, changing a post's time. */
describeInBrowser(`staff pages: calendar (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Seed;
  /** 00:30 in Bucharest on 10 December is 22:30 UTC on the 9th. */
  let nightPost: string;
  let draft: string;
  let privatePost: string;

  async function post(
    by: Client,
    text: string,
    scheduledAt: string,
    campaignId = seed.campaign.id,
    channelIds = [seed.channel.id],
  ): Promise<string> {
    const res = await by.post(`${seed.base}/posts`, {
      campaignId,
      channelIds,
      variants: [
        { language: 'ro', text },
        { language: 'hu', text: `${text} (hu)` },
      ],
      scheduledAt,
      timeZone: 'Europe/Bucharest',
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id;
  }

  async function approved(text: string, scheduledAt: string, campaignId?: string): Promise<string> {
    const id = await post(seed.members.author, text, scheduledAt, campaignId);
    expect((await seed.members.author.post(`/api/posts/${id}/submit`)).status).toBe(200);
    expect((await seed.members.editor2.post(`/api/posts/${id}/approve`)).status).toBe(200);
    return id;
  }

  async function as(s: WebSession, who: Client): Promise<void> {
    await s.context.addCookies([{ name: 'civicpost_session', value: who.token!, url: api.url }]);
  }

  const cell = (s: WebSession, date: string) => s.page.locator(`td[data-date="${date}"]`);

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'cal-town');
    browser = await launchBrowser();
    nightPost = await approved('Concert de iarnă în Piața Unirii', '2026-12-10T00:30');
    draft = await post(seed.members.author, 'Ciornă despre colectarea deșeurilor', '2026-12-15T09:00');
    privatePost = await post(seed.members.author, 'Anunț intern despre buget', '2026-12-16T11:00', seed.privateCampaign.id);
    const blackout = await api.admin.post(`${seed.base}/blackouts`, {
      startsAt: '2026-12-20T00:00',
      endsAt: '2026-12-21T06:00',
      reason: 'Election silence',
      channelIds: [],
    });
    expect(blackout.status).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('the month is a table, Monday first, each post on its day in the institution’s zone; blackouts are said in words', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    expect(await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01')).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Calendar');
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('December 2026');
    expect(await s.page.locator('table.calendar thead th[scope="col"]').allTextContents()).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    // 1 December 2026 is a Tuesday: the first row starts on Monday 30 November.
    expect(await s.page.locator('table.calendar tbody tr').first().locator('td').first().getAttribute('data-date')).toBe('2026-11-30');

    // The post at 00:30 Bucharest time (22:30 UTC the day before) is on the 10th, with its time, channel and state.
    const tenth = cell(s, '2026-12-10');
    expect(await tenth.textContent()).toContain('Concert de iarnă în Piața Unirii');
    expect(await tenth.locator('time[datetime="2026-12-09T22:30:00.000Z"]').textContent()).toMatch(/^12:30\sAM$/);
    expect(await tenth.textContent()).toContain('Mastodon');
    expect(await tenth.locator('.badge').allTextContents()).toEqual(['scheduled']);
    expect(await tenth.locator('a.post-link span').getAttribute('lang')).toBe('ro');
    expect(await cell(s, '2026-12-09').textContent()).not.toContain('Concert');
    expect(await cell(s, '2026-12-15').textContent()).toContain('Ciornă despre colectarea deșeurilor');
    expect(await cell(s, '2026-12-15').locator('.badge').allTextContents()).toEqual(['draft']);

    // The blackout covers the 20th and the morning of the 21st, in words, on both days and in the list below.
    expect(await cell(s, '2026-12-20').locator('.cal-blackout').textContent()).toMatch(/Blackout\s+Election silence\s+\(all channels\)/);
    expect(await cell(s, '2026-12-21').locator('.cal-blackout').count()).toBe(1);
    expect(await cell(s, '2026-12-22').locator('.cal-blackout').count()).toBe(0);
    expect(await s.page.locator('.cal-blackouts li').textContent()).toMatch(
      /Election silence: Dec 20, 2026, 12:00\sAM to Dec 21, 2026, 6:00\sAM · all channels/,
    );

    // Each day offers a new post on that day (the composer gets the date).
    expect(await cell(s, '2026-12-24').getByRole('link', { name: 'New post on Dec 24, 2026' }).getAttribute('href')).toBe(
      '/app/cal-town/posts/new?date=2026-12-24',
    );
    expect(await s.page.getByText('Times are in Eastern European Standard Time (Europe/Bucharest).').count()).toBe(1);
    await s.expectAccessible();

    // Next month, by its link.
    await s.page.getByRole('link', { name: 'Next month: January 2027 →' }).click();
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('January 2027');
    await s.page.getByRole('link', { name: '← Previous month: December 2026' }).click();
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('December 2026');
    s.expectClean();
    await s.close();
  });

  it('the week lists seven days with their posts by time; the filter form narrows by campaign and channel', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    await s.goto('/app/cal-town/calendar?view=week&date=2026-12-10');
    expect(await s.page.locator('main h2').first().textContent()).toBe('Week of Dec 7, 2026 to Dec 13, 2026');
    const days = s.page.locator('ol.cal-week > li');
    expect(await days.count()).toBe(7);
    expect(await days.locator('h3').allTextContents()).toEqual([
      'Monday, December 7, 2026',
      'Tuesday, December 8, 2026',
      'Wednesday, December 9, 2026',
      'Thursday, December 10, 2026',
      'Friday, December 11, 2026',
      'Saturday, December 12, 2026',
      'Sunday, December 13, 2026',
    ]);
    expect(await days.nth(3).textContent()).toContain('Concert de iarnă');
    expect(await days.nth(2).textContent()).toContain('No posts.');
    await s.expectAccessible();

    // Both campaigns' posts in December, then only the internal campaign's, through the GET form.
    await s.page.getByRole('link', { name: 'Month', exact: true }).click();
    expect(await s.page.locator('table.calendar').textContent()).toContain('Anunț intern despre buget');
    await s.page.getByLabel('Campaign').selectOption({ label: 'Internal campaign' });
    await s.page.getByRole('button', { name: 'Show' }).click();
    await s.page.waitForURL(/campaignId=/);
    const table = await s.page.locator('table.calendar').textContent();
    expect(table).toContain('Anunț intern despre buget');
    expect(table).not.toContain('Concert de iarnă');
    // The filter is kept when moving to the next month and back.
    await s.page.getByRole('link', { name: /^Next month/ }).click();
    expect(new URL(s.page.url()).searchParams.get('campaignId')).toBe(seed.privateCampaign.id);
    await s.page.getByRole('link', { name: 'Show everything' }).click();
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('January 2027');

    // By channel: nothing of December is on the sandbox.
    await s.goto(`/app/cal-town/calendar?view=month&date=2026-12-01&channelId=${seed.sandbox.id}`);
    expect(await s.page.locator('.cal-posts').count()).toBe(0);
    // A garbled filter or date shows everything, this month: never an error.
    expect(await s.goto('/app/cal-town/calendar?view=month&date=2026-13-45&channelId=nope')).toBe(200);
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('November 2026');
    s.expectClean();
    await s.close();
  });

  it('changes a post’s time with the keyboard; a time in a blackout window is refused next to the field and kept', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    const link = cell(s, '2026-12-10').getByRole('link', { name: 'Change time of “Concert de iarnă în Piața Unirii”' });
    await link.focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(/\/calendar\/posts\/.+\/time/);
    expect(await s.page.locator('h1').textContent()).toBe('Change the time of a post');
    expect(await s.page.getByLabel('Date and time').inputValue()).toBe('2026-12-10T00:30');
    expect(await s.page.getByLabel('Time zone').inputValue()).toBe('Europe/Bucharest');
    expect(await s.page.locator('#f-timeZone-hint').textContent()).toBe(
      'The institution’s time zone is Eastern European Standard Time (Europe/Bucharest).',
    );
    await s.expectAccessible();

    // Into the blackout window: 409, said in words next to the field, the typed time kept.
    await s.page.getByLabel('Date and time').fill('2026-12-20T10:00');
    await s.page.getByLabel('Date and time').focus();
    const [refused] = await Promise.all([s.page.waitForResponse((r) => r.request().method() === 'POST'), s.page.keyboard.press('Enter')]);
    expect(refused.status()).toBe(409);
    await s.page.waitForLoadState('load');
    expect((await s.page.locator('#f-scheduledAt-error').textContent())!.replace(/\s/g, ' ')).toBe(
      'This time falls in the blackout window “Election silence” (Dec 20, 2026, 12:00 AM to Dec 21, 2026, 6:00 AM). Choose another time.',
    );
    expect(await s.page.getByLabel('Date and time').inputValue()).toBe('2026-12-20T10:00');
    expect(await s.page.getByLabel('Date and time').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.evaluate('document.activeElement.className')).toBe('error-summary');
    await s.expectAccessible();

    // Another time: the post moves, and the calendar shows it on its new day.
    await s.page.getByLabel('Date and time').fill('2026-12-11T08:15');
    await s.page.getByRole('button', { name: 'Change time' }).focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(/\/calendar\?view=month&date=2026-12-11/);
    expect(await s.page.getByRole('status').first().textContent()).toContain('The post’s time is changed.');
    expect(await cell(s, '2026-12-11').textContent()).toContain('Concert de iarnă');
    expect(await cell(s, '2026-12-10').textContent()).not.toContain('Concert de iarnă');
    const moved = (await seed.members.editor.get(`/api/posts/${nightPost}`)).body;
    expect(moved.scheduledAt).toBe('2026-12-11T06:15:00.000Z');
    expect(moved.status).toBe('approved');
    expect(moved.targets.map((t: { status: string; scheduledAt: string }) => [t.status, t.scheduledAt])).toEqual([
      ['scheduled', '2026-12-11T06:15:00.000Z'],
    ]);

    // A draft's time is part of its content: changed by editing it, in another zone if asked.
    await s.goto(`/app/cal-town/calendar/posts/${draft}/time`);
    expect(await s.page.locator('.banner.warn').textContent()).toContain('This post is a draft');
    await s.page.getByLabel('Date and time').fill('2026-12-16T09:00');
    await s.page.getByLabel('Time zone').selectOption('UTC');
    await s.page.getByRole('button', { name: 'Change time' }).click();
    await s.page.waitForURL(/date=2026-12-16/);
    const edited = (await seed.members.editor.get(`/api/posts/${draft}`)).body;
    expect([edited.status, edited.scheduledAt, edited.timeZone]).toEqual(['draft', '2026-12-16T09:00:00.000Z', 'UTC']);
    expect(await cell(s, '2026-12-16').textContent()).toContain('Ciornă despre colectarea');

    // Nothing typed: said next to the field, in words.
    await s.goto(`/app/cal-town/calendar/posts/${draft}/time`);
    await s.page.getByLabel('Date and time').fill('');
    await s.page.getByRole('button', { name: 'Change time' }).click();
    expect(await s.page.locator('#f-scheduledAt-error').textContent()).toBe('Write a date and time, for example 2026-12-01 09:00');
    s.expectClean();
    await s.close();
  });

  it('with a mouse, a post dragged onto another day keeps its time of day; a day in a blackout window is refused and said', async () => {
    const market = await approved('Târgul de Crăciun se deschide', '2026-12-03T18:00');
    // Tall enough for the whole month: a drag does not scroll the page.
    const s = await WebSession.open(browser, api.url, { viewport: { width: 1280, height: 2000 } });
    await as(s, seed.members.editor);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    expect(await s.page.locator('.cal-drag-hint').isVisible()).toBe(true);
    const item = () => s.page.locator(`li[data-post="${market}"]`);
    await Promise.all([s.page.waitForURL(/date=2026-12-04/), item().dragTo(cell(s, '2026-12-04'))]);
    expect(await s.page.getByRole('status').first().textContent()).toContain('The post’s time is changed.');
    expect(await cell(s, '2026-12-04').textContent()).toContain('Târgul de Crăciun');
    expect((await seed.members.editor.get(`/api/posts/${market}`)).body.scheduledAt).toBe('2026-12-04T16:00:00.000Z');

    // Into the blackout: nothing moves, and the page says why.
    await item().dragTo(cell(s, '2026-12-20'));
    await s.page.locator('.cal-live', { hasText: 'not moved' }).waitFor();
    expect((await s.page.locator('.cal-live').textContent())!.replace(/\s/g, ' ')).toBe(
      'The post was not moved: This time falls in the blackout window “Election silence” (Dec 20, 2026, 12:00 AM to Dec 21, 2026, 6:00 AM). Choose another time.',
    );
    expect(await cell(s, '2026-12-04').textContent()).toContain('Târgul de Crăciun');
    expect((await seed.members.editor.get(`/api/posts/${market}`)).body.scheduledAt).toBe('2026-12-04T16:00:00.000Z');
    await s.expectAccessible();
    // The only problem the page met is the refusal itself.
    expect(s.problems).toEqual([expect.stringMatching(/^409 for POST .*\/calendar\/posts\/.+\/time$/)]);
    await s.close();
  });

  it('a viewer sees the calendar but no way to change a time; a forged change is refused with the 403 page', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.viewer);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    expect(await s.page.locator('table.calendar').textContent()).toContain('Concert de iarnă');
    expect(await s.page.getByRole('link', { name: /^Change time/ }).count()).toBe(0);
    expect(await s.page.getByRole('link', { name: /^\+ New post/ }).count()).toBe(0);
    await s.goto(`/app/cal-town/calendar/posts/${nightPost}/time`);
    expect(await s.page.getByText('You may not change the time of this post.').count()).toBe(1);
    expect(await s.page.locator('form.stack').count()).toBe(0);
    // With a valid CSRF token, so that it is the role that is refused.
    const forged = (await s.page
      .evaluate(`fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: document.querySelector('input[name=_csrf]').value, scheduledAt: '2026-12-12T10:00', timeZone: 'Europe/Bucharest' }) })
      .then(async r => [r.status, await r.text()])`)) as [number, string];
    expect(forged[0]).toBe(403);
    expect(forged[1]).toContain('Not allowed');
    expect((await seed.members.editor.get(`/api/posts/${nightPost}`)).body.scheduledAt).toBe('2026-12-11T06:15:00.000Z');
    await s.close();
  });

  it('a contributor sees only the posts of campaigns shared with their partner', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.contributor);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    const table = await s.page.locator('table.calendar').textContent();
    expect(table).toContain('Concert de iarnă');
    expect(table).not.toContain('Anunț intern');
    expect(await s.page.getByLabel('Campaign').locator('option').allTextContents()).toEqual(['All', 'Shared campaign']);
    expect(await s.goto(`/app/cal-town/calendar/posts/${privatePost}/time`)).toBe(404);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    await s.expectAccessible();
    await s.close();
  });

  it('speaks Romanian: month and weekday names, words of the page', async () => {
    const s = await WebSession.open(browser, api.url, { locale: 'ro-RO' });
    await as(s, seed.members.editor);
    await s.goto('/app/cal-town/calendar?view=month&date=2026-12-01');
    expect(await s.page.locator('html').getAttribute('lang')).toBe('ro');
    expect(await s.page.locator('table.calendar caption').textContent()).toBe('decembrie 2026');
    expect(await s.page.locator('table.calendar thead th').allTextContents()).toEqual([
      'luni',
      'marți',
      'miercuri',
      'joi',
      'vineri',
      'sâmbătă',
      'duminică',
    ]);
    expect(await s.page.getByRole('link', { name: /^Luna următoare: ianuarie 2027/ }).count()).toBe(1);
    expect(await cell(s, '2026-12-20').locator('.cal-blackout').textContent()).toMatch(
      /Restricție\s+Election silence\s+\(toate canalele\)/,
    );
    await s.expectAccessible();
    await s.close();
  });
});
