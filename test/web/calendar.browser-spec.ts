import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

const ZONE = 'Europe/Bucharest';

/** The words a page in `locale` uses for an instant, spaces made plain (ICU puts a narrow one before AM). */
function words(at: DateTime, options: Intl.DateTimeFormatOptions, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: ZONE }).format(at.toJSDate()).replace(/\s/g, ' ');
}
const monthName = (at: DateTime, locale?: string) => words(at.set({ day: 15, hour: 12 }), { month: 'long', year: 'numeric' }, locale);
const zoneName = (at: DateTime) =>
  new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'long' })
    .formatToParts(at.toJSDate())
    .find((p) => p.type === 'timeZoneName')!.value;

/** The calendar in real Chromium: days in the institution's zone, blackout windows, changing a post's time. */
describeInBrowser(`staff pages: calendar (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Seed;
  /**
   * The calendar shows the month after the clock's (any month: the test follows the clock), so that
   * every post is in the future and the week shown is not this one; "today" is checked on its own.
   * The days used (3 to 24) are never those of a DST change in Bucharest (the last Sunday of March or October).
   */
  let today: DateTime;
  let month: DateTime;
  const day = (n: number) => month.set({ day: n });
  const date = (n: number) => day(n).toISODate()!;
  /** The wall-clock time `hm` on day `n` in Bucharest, as the API takes it. */
  const at = (n: number, hm: string) => `${date(n)}T${hm}`;
  /** The same instant in UTC, as the API answers it. */
  const utc = (n: number, hm: string) => DateTime.fromISO(at(n, hm), { zone: ZONE }).toJSDate().toISOString();
  /** The blackout from the 20th at midnight to the 21st at 06:00, in the page's words. */
  const blackoutWords = () =>
    `${words(day(20), { dateStyle: 'medium', timeStyle: 'short' })} to ${words(day(21).set({ hour: 6 }), { dateStyle: 'medium', timeStyle: 'short' })}`;
  /** 00:30 in Bucharest on the 10th is the evening of the 9th in UTC. */
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
    today = DateTime.fromJSDate(api.clock.now(), { zone: ZONE }).startOf('day');
    month = today.plus({ months: 1 }).startOf('month');
    seed = await seedInstitution(api, 'cal-town');
    browser = await launchBrowser();
    nightPost = await approved('Concert de iarnă în Piața Unirii', at(10, '00:30'));
    draft = await post(seed.members.author, 'Ciornă despre colectarea deșeurilor', at(15, '09:00'));
    privatePost = await post(seed.members.author, 'Anunț intern despre buget', at(16, '11:00'), seed.privateCampaign.id);
    const blackout = await api.admin.post(`${seed.base}/blackouts`, {
      startsAt: at(20, '00:00'),
      endsAt: at(21, '06:00'),
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
    expect(await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Calendar');
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(month));
    expect(await s.page.locator('table.calendar thead th[scope="col"]').allTextContents()).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    // The first row starts on the Monday on or before the 1st (30 November for December 2026, a Tuesday).
    expect(await s.page.locator('table.calendar tbody tr').first().locator('td').first().getAttribute('data-date')).toBe(
      day(1).startOf('week').toISODate(),
    );

    // The post at 00:30 Bucharest time (the evening before in UTC) is on the 10th, with its time, channel and state.
    expect(utc(10, '00:30')).toMatch(new RegExp(`^${date(9)}T2[12]:30`));
    const tenth = cell(s, date(10));
    expect(await tenth.textContent()).toContain('Concert de iarnă în Piața Unirii');
    expect(await tenth.locator(`time[datetime="${utc(10, '00:30')}"]`).textContent()).toMatch(/^12:30\sAM$/);
    expect(await tenth.textContent()).toContain('Mastodon');
    expect(await tenth.locator('.badge').allTextContents()).toEqual(['scheduled']);
    expect(await tenth.locator('a.post-link span').getAttribute('lang')).toBe('ro');
    expect(await cell(s, date(9)).textContent()).not.toContain('Concert');
    expect(await cell(s, date(15)).textContent()).toContain('Ciornă despre colectarea deșeurilor');
    expect(await cell(s, date(15)).locator('.badge').allTextContents()).toEqual(['draft']);

    // The blackout covers the 20th and the morning of the 21st, in words, on both days and in the list below.
    expect(await cell(s, date(20)).locator('.cal-blackout').textContent()).toMatch(/Blackout\s+Election silence\s+\(all channels\)/);
    expect(await cell(s, date(21)).locator('.cal-blackout').count()).toBe(1);
    expect(await cell(s, date(22)).locator('.cal-blackout').count()).toBe(0);
    // "Election silence: Dec 20, 2026, 12:00 AM to Dec 21, 2026, 6:00 AM · all channels" for December 2026.
    expect((await s.page.locator('.cal-blackouts li').textContent())!.replace(/\s/g, ' ')).toBe(
      `Election silence: ${blackoutWords()} · all channels`,
    );

    // Each day offers a new post on that day (the composer gets the date).
    expect(
      await cell(s, date(24))
        .getByRole('link', { name: `New post on ${words(day(24), { dateStyle: 'medium' })}` })
        .getAttribute('href'),
    ).toBe(`/app/cal-town/posts/new?date=${date(24)}`);
    expect(await s.page.getByText(`Times are in ${zoneName(month)} (Europe/Bucharest).`).count()).toBe(1);
    await s.expectAccessible();

    // Next month, by its link.
    const next = month.plus({ months: 1 });
    await s.page.getByRole('link', { name: `Next month: ${monthName(next)} →` }).click();
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(next));
    await s.page.getByRole('link', { name: `← Previous month: ${monthName(month)}` }).click();
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(month));
    s.expectClean();
    await s.close();
  });

  it('the week lists seven days with their posts by time; the filter form narrows by campaign and channel', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    // The week of the 10th ("Week of Dec 7, 2026 to Dec 13, 2026" for December 2026), Monday first.
    await s.goto(`/app/cal-town/calendar?view=week&date=${date(10)}`);
    const monday = day(10).startOf('week');
    const week = [0, 1, 2, 3, 4, 5, 6].map((n) => monday.plus({ days: n }));
    expect((await s.page.locator('main h2').first().textContent())!.replace(/\s/g, ' ')).toBe(
      `Week of ${words(week[0]!, { dateStyle: 'medium' })} to ${words(week[6]!, { dateStyle: 'medium' })}`,
    );
    const days = s.page.locator('ol.cal-week > li');
    expect(await days.count()).toBe(7);
    // "Monday, December 7, 2026" ... "Sunday, December 13, 2026"
    expect(await days.locator('h3').allTextContents()).toEqual(week.map((d) => words(d, { dateStyle: 'full' })));
    expect(week.map((d) => d.weekdayLong)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(await days.nth(day(10).weekday - 1).textContent()).toContain('Concert de iarnă');
    const empty = week.findIndex((d) => ![10, 15, 16].includes(d.day));
    expect(await days.nth(empty).textContent()).toContain('No posts.');
    expect(await s.page.locator('.cal-today').count()).toBe(0);
    await s.expectAccessible();

    // Both campaigns' posts in the month, then only the internal campaign's, through the GET form.
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
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(month.plus({ months: 1 })));

    // By channel: nothing of the month is on the sandbox.
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}&channelId=${seed.sandbox.id}`);
    expect(await s.page.locator('.cal-posts').count()).toBe(0);
    // A garbled filter or date shows everything, this month (the clock's): never an error.
    expect(await s.goto('/app/cal-town/calendar?view=month&date=2026-13-45&channelId=nope')).toBe(200);
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(today));

    // This week, from the clock: today is marked, and only today.
    await s.goto('/app/cal-town/calendar?view=week');
    expect(await s.page.locator(`ol.cal-week > li[data-date="${today.toISODate()}"] h3`).textContent()).toBe(
      `${words(today, { dateStyle: 'full' })} today`,
    );
    expect(await s.page.locator('.cal-today').count()).toBe(1);
    expect(await s.page.locator('ol.cal-week > li.today').getAttribute('data-date')).toBe(today.toISODate());
    s.expectClean();
    await s.close();
  });

  it('changes a post’s time with the keyboard; a time in a blackout window is refused next to the field and kept', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.editor);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    const link = cell(s, date(10)).getByRole('link', { name: 'Change time of “Concert de iarnă în Piața Unirii”' });
    await link.focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(/\/calendar\/posts\/.+\/time/);
    expect(await s.page.locator('h1').textContent()).toBe('Change the time of a post');
    expect(await s.page.getByLabel('Date and time').inputValue()).toBe(at(10, '00:30'));
    expect(await s.page.getByLabel('Time zone').inputValue()).toBe('Europe/Bucharest');
    expect(await s.page.locator('#f-timeZone-hint').textContent()).toBe(
      `The institution’s time zone is ${zoneName(day(10))} (Europe/Bucharest).`,
    );
    await s.expectAccessible();

    // Into the blackout window: 409, said in words next to the field, the typed time kept.
    await s.page.getByLabel('Date and time').fill(at(20, '10:00'));
    await s.page.getByLabel('Date and time').focus();
    const [refused] = await Promise.all([s.page.waitForResponse((r) => r.request().method() === 'POST'), s.page.keyboard.press('Enter')]);
    expect(refused.status()).toBe(409);
    await s.page.waitForLoadState('load');
    expect((await s.page.locator('#f-scheduledAt-error').textContent())!.replace(/\s/g, ' ')).toBe(
      `This time falls in the blackout window “Election silence” (${blackoutWords()}). Choose another time.`,
    );
    expect(await s.page.getByLabel('Date and time').inputValue()).toBe(at(20, '10:00'));
    expect(await s.page.getByLabel('Date and time').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.evaluate('document.activeElement.className')).toBe('error-summary');
    await s.expectAccessible();

    // Another time: the post moves, and the calendar shows it on its new day.
    await s.page.getByLabel('Date and time').fill(at(11, '08:15'));
    await s.page.getByRole('button', { name: 'Change time' }).focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(new RegExp(`/calendar\\?view=month&date=${date(11)}`));
    expect(await s.page.getByRole('status').first().textContent()).toContain('The post’s time is changed.');
    expect(await cell(s, date(11)).textContent()).toContain('Concert de iarnă');
    expect(await cell(s, date(10)).textContent()).not.toContain('Concert de iarnă');
    const moved = (await seed.members.editor.get(`/api/posts/${nightPost}`)).body;
    expect(moved.scheduledAt).toBe(utc(11, '08:15'));
    expect(moved.status).toBe('approved');
    expect(moved.targets.map((t: { status: string; scheduledAt: string }) => [t.status, t.scheduledAt])).toEqual([
      ['scheduled', utc(11, '08:15')],
    ]);

    // A draft's time is part of its content: changed by editing it, in another zone if asked.
    await s.goto(`/app/cal-town/calendar/posts/${draft}/time`);
    expect(await s.page.locator('.banner.warn').textContent()).toContain('This post is a draft');
    await s.page.getByLabel('Date and time').fill(at(16, '09:00'));
    await s.page.getByLabel('Time zone').selectOption('UTC');
    await s.page.getByRole('button', { name: 'Change time' }).click();
    await s.page.waitForURL(new RegExp(`date=${date(16)}`));
    const edited = (await seed.members.editor.get(`/api/posts/${draft}`)).body;
    expect([edited.status, edited.scheduledAt, edited.timeZone]).toEqual(['draft', `${date(16)}T09:00:00.000Z`, 'UTC']);
    expect(await cell(s, date(16)).textContent()).toContain('Ciornă despre colectarea');

    // Nothing typed: said next to the field, in words.
    await s.goto(`/app/cal-town/calendar/posts/${draft}/time`);
    await s.page.getByLabel('Date and time').fill('');
    await s.page.getByRole('button', { name: 'Change time' }).click();
    expect(await s.page.locator('#f-scheduledAt-error').textContent()).toBe('Write a date and time, for example 2026-12-01 09:00');
    s.expectClean();
    await s.close();
  });

  it('with a mouse, a post dragged onto another day keeps its time of day; a day in a blackout window is refused and said', async () => {
    const market = await approved('Târgul de Crăciun se deschide', at(3, '18:00'));
    // Tall enough for the whole month: a drag does not scroll the page.
    const s = await WebSession.open(browser, api.url, { viewport: { width: 1280, height: 2000 } });
    await as(s, seed.members.editor);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    expect(await s.page.locator('.cal-drag-hint').isVisible()).toBe(true);
    const item = () => s.page.locator(`li[data-post="${market}"]`);
    await Promise.all([s.page.waitForURL(new RegExp(`date=${date(4)}`)), item().dragTo(cell(s, date(4)))]);
    expect(await s.page.getByRole('status').first().textContent()).toContain('The post’s time is changed.');
    expect(await cell(s, date(4)).textContent()).toContain('Târgul de Crăciun');
    expect((await seed.members.editor.get(`/api/posts/${market}`)).body.scheduledAt).toBe(utc(4, '18:00'));

    // Into the blackout: nothing moves, and the page says why.
    await item().dragTo(cell(s, date(20)));
    await s.page.locator('.cal-live', { hasText: 'not moved' }).waitFor();
    expect((await s.page.locator('.cal-live').textContent())!.replace(/\s/g, ' ')).toBe(
      `The post was not moved: This time falls in the blackout window “Election silence” (${blackoutWords()}). Choose another time.`,
    );
    expect(await cell(s, date(4)).textContent()).toContain('Târgul de Crăciun');
    expect((await seed.members.editor.get(`/api/posts/${market}`)).body.scheduledAt).toBe(utc(4, '18:00'));
    await s.expectAccessible();
    // The only problem the page met is the refusal itself.
    expect(s.problems).toEqual([expect.stringMatching(/^409 for POST .*\/calendar\/posts\/.+\/time$/)]);
    await s.close();
  });

  it('a viewer sees the calendar but no way to change a time; a forged change is refused with the 403 page', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.viewer);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    expect(await s.page.locator('table.calendar').textContent()).toContain('Concert de iarnă');
    expect(await s.page.getByRole('link', { name: /^Change time/ }).count()).toBe(0);
    expect(await s.page.getByRole('link', { name: /^\+ New post/ }).count()).toBe(0);
    await s.goto(`/app/cal-town/calendar/posts/${nightPost}/time`);
    expect(await s.page.getByText('You may not change the time of this post.').count()).toBe(1);
    expect(await s.page.locator('form.stack').count()).toBe(0);
    // With a valid CSRF token, so that it is the role that is refused.
    const forged = (await s.page
      .evaluate(`fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: document.querySelector('input[name=_csrf]').value, scheduledAt: '${at(12, '10:00')}', timeZone: 'Europe/Bucharest' }) })
      .then(async r => [r.status, await r.text()])`)) as [number, string];
    expect(forged[0]).toBe(403);
    expect(forged[1]).toContain('Not allowed');
    expect((await seed.members.editor.get(`/api/posts/${nightPost}`)).body.scheduledAt).toBe(utc(11, '08:15'));
    await s.close();
  });

  it('a contributor sees only the posts of campaigns shared with their partner', async () => {
    const s = await WebSession.open(browser, api.url);
    await as(s, seed.members.contributor);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    const table = await s.page.locator('table.calendar').textContent();
    expect(table).toContain('Concert de iarnă');
    expect(table).not.toContain('Anunț intern');
    expect(await s.page.getByLabel('Campaign').locator('option').allTextContents()).toEqual(['All', 'Shared campaign']);
    expect(await s.goto(`/app/cal-town/calendar/posts/${privatePost}/time`)).toBe(404);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    await s.expectAccessible();
    await s.close();
  });

  it('speaks Romanian: month and weekday names, words of the page', async () => {
    const s = await WebSession.open(browser, api.url, { locale: 'ro-RO' });
    await as(s, seed.members.editor);
    await s.goto(`/app/cal-town/calendar?view=month&date=${date(1)}`);
    expect(await s.page.locator('html').getAttribute('lang')).toBe('ro');
    expect(await s.page.locator('table.calendar caption').textContent()).toBe(monthName(month, 'ro-RO'));
    expect(await s.page.locator('table.calendar thead th').allTextContents()).toEqual([
      'luni',
      'marți',
      'miercuri',
      'joi',
      'vineri',
      'sâmbătă',
      'duminică',
    ]);
    expect(
      await s.page.getByRole('link', { name: new RegExp(`^Luna următoare: ${monthName(month.plus({ months: 1 }), 'ro-RO')}`) }).count(),
    ).toBe(1);
    expect(await cell(s, date(20)).locator('.cal-blackout').textContent()).toMatch(/Restricție\s+Election silence\s+\(toate canalele\)/);
    await s.expectAccessible();
    await s.close();
  });
});
