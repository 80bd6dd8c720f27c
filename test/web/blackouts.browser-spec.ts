import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

// Many browser steps with axe on a machine shared by other test runs: generous time, no timing assertions.
jest.setTimeout(360_000);

const SLUG = 'blackout-town';

/** Blackout windows and the kill switch, in real Chromium. */
describeInBrowser(`staff pages: blackouts and the kill switch (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;

  beforeAll(async () => {
    api = await TestApi.start({ SCHEDULER_INTERVAL_MS: '200', DUE_WINDOW_SECONDS: '60' });
    seed = await seedInstitution(api, SLUG);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  async function as(member: { token?: string }, locale?: string): Promise<WebSession> {
    const s = await WebSession.open(browser, api.url, locale ? { locale } : {});
    await s.context.addCookies([{ name: 'civicpost_session', value: member.token!, url: api.url }]);
    return s;
  }

  /** An approved post on the sandbox channel (written by the admin, approved by an editor), scheduled at `scheduledAt`. */
  async function approvedPost(text: string, scheduledAt: string, timeZone?: string): Promise<string> {
    const post = await api.admin.post(`${seed.base}/posts`, {
      campaignId: seed.campaign.id,
      channelIds: [seed.sandbox.id],
      variants: [
        { language: 'ro', text },
        { language: 'hu', text },
      ],
    });
    expect(post).toMatchObject({ status: 201 });
    expect(await api.admin.post(`/api/posts/${post.body.id}/submit`)).toMatchObject({ status: 200 });
    expect(await seed.members.editor.post(`/api/posts/${post.body.id}/approve`)).toMatchObject({ status: 200 });
    expect(await seed.members.editor.post(`/api/posts/${post.body.id}/schedule`, { scheduledAt, timeZone })).toMatchObject({ status: 200 });
    return post.body.id;
  }

  async function targetStatus(client: Client, postId: string, want: string): Promise<string> {
    return poll(
      `target of ${postId} ${want}`,
      async () => (await client.get(`/api/posts/${postId}`)).body.targets[0].status as string,
      (status) => status === want,
      40_000,
      100,
    );
  }

  /** Accepts the next confirmation the page asks for, and returns its question. */
  function acceptNextDialog(page: Page): { message: string } {
    const seen = { message: '' };
    page.once('dialog', (d) => {
      seen.message = d.message();
      void d.accept();
    });
    return seen;
  }

  /** A time as the pages write it: the institution's zone, the page's language. */
  const shown = (iso: string, locale = 'en') =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Bucharest' }).format(new Date(iso));

  const windowRow = (page: Page, reason: string) =>
    page.locator('table.blackouts tbody tr').filter({ has: page.getByRole('rowheader', { name: reason, exact: true }) });

  it('an admin adds a window through the form (end before start refused next to the field, everything kept), it holds the post inside it, and deleting asks first', async () => {
    const postId = await approvedPost('Concert în piața centrală', '2026-12-20T10:00', 'Europe/Bucharest');
    const s = await as(api.admin);
    expect(await s.goto(`/app/${SLUG}/blackouts`)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Blackouts and the kill switch');
    expect(await s.page.getByText('There is no blackout window.').count()).toBe(1);
    const zoneHint = s.page.locator('#f-startsAt-hint');
    expect(await zoneHint.textContent()).toMatch(/^Date and time in Europe\/Bucharest \(Eastern European .+\)\.$/);
    await s.expectAccessible();

    await s.page.getByLabel('Reason', { exact: true }).fill('Election silence (Law 208/2015, art. 89)');
    await s.page.getByLabel('Starts').fill('2026-12-20T07:00');
    await s.page.getByLabel('Ends').fill('2026-12-19T21:00');
    const [refused] = await Promise.all([
      s.page.waitForResponse((r) => r.request().method() === 'POST'),
      s.page.getByRole('button', { name: 'Add the window' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await s.page.waitForLoadState('load');
    expect(await s.page.locator('#f-endsAt-error').textContent()).toBe('The end must be after the start');
    expect(await s.page.getByLabel('Ends').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.getByLabel('Reason', { exact: true }).inputValue()).toBe('Election silence (Law 208/2015, art. 89)');
    expect(await s.page.getByLabel('Starts').inputValue()).toBe('2026-12-20T07:00');
    expect(await s.page.getByLabel('Ends').inputValue()).toBe('2026-12-19T21:00');
    expect(await s.page.evaluate('document.activeElement.className')).toBe('error-summary');
    await s.expectAccessible();

    // "Only some channels" with none ticked is asked about rather than taken for all of them.
    await s.page.getByLabel('Ends').fill('2026-12-21T21:00');
    await s.page.getByLabel('Only the channels ticked below').check();
    await s.page.getByRole('button', { name: 'Add the window' }).click();
    expect(await s.page.locator('#channels-error').textContent()).toBe('Tick at least one channel, or choose all channels');
    expect(await s.page.getByLabel('Only the channels ticked below').isChecked()).toBe(true);
    expect(await s.page.getByLabel('Ends').inputValue()).toBe('2026-12-21T21:00');
    await s.expectAccessible();

    await s.page.getByRole('checkbox', { name: /^Sandbox/ }).check();
    await s.page.getByRole('button', { name: 'Add the window' }).click();
    await s.page.waitForURL(/\/blackouts\?created=1/);
    expect(await s.page.getByRole('status').textContent()).toBe('The blackout window is added. 1 scheduled post inside it is held.');
    const row = windowRow(s.page, 'Election silence (Law 208/2015, art. 89)');
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual([shown('2026-12-20T07:00:00+02:00'), shown('2026-12-21T21:00:00+02:00'), 'Sandbox', '1', 'upcoming']);
    expect(await targetStatus(api.admin, postId, 'held')).toBe('held');
    await s.expectAccessible();

    const dialog = acceptNextDialog(s.page);
    await row.getByRole('button', { name: 'Delete Election silence (Law 208/2015, art. 89)' }).click();
    await s.page.waitForURL(/notice=notice.blackoutsDeleted/);
    expect(dialog.message).toBe('Delete the blackout window “Election silence (Law 208/2015, art. 89)”? The post it holds stays held.');
    expect(await s.page.getByRole('status').textContent()).toBe('The blackout window is deleted. Posts it held stay held.');
    expect(await s.page.getByText('There is no blackout window.').count()).toBe(1);
    expect((await api.admin.get(`${seed.base}/blackouts`)).body.total).toBe(0);
    s.expectClean();
    await s.close();
  });

  it('the kill switch: a reason is required, the banner shows on every page while suspended, and resuming says how many held posts were released', async () => {
    const s = await as(api.admin);
    await s.goto(`/app/${SLUG}/blackouts`);
    // Without a reason: refused next to the field (the confirmation is asked first).
    acceptNextDialog(s.page);
    await s.page.getByRole('button', { name: 'Suspend all publishing' }).click();
    await s.page.waitForLoadState('load');
    expect(await s.page.locator('#f-suspend-reason-error').textContent()).toBe('Fill this in');
    await s.expectAccessible();

    await s.page.getByLabel('Reason for suspending').fill('National mourning declared');
    const asked = acceptNextDialog(s.page);
    await s.page.getByRole('button', { name: 'Suspend all publishing' }).click();
    await s.page.waitForURL(/notice=notice.blackoutsSuspended/);
    expect(asked.message).toBe('Suspend all publishing of the institution now, on every channel?');
    expect(await s.page.getByRole('status').textContent()).toBe('All publishing is suspended.');
    expect(await s.page.locator('.kill-switch').textContent()).toContain('Publishing is suspended since');
    await s.expectAccessible();

    // Every page of the institution says so, to everyone.
    const pages = await s.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    const author = await as(seed.members.author);
    // A separate tab for the tour: pages of other areas are checked for the banner only (their own tests check the rest).
    const tour = await as(api.admin);
    const mine = [
      `/app/${SLUG}`,
      `/app/${SLUG}/channels`,
      `/app/${SLUG}/channels/new?platform=sandbox`,
      `/app/${SLUG}/sandbox/${seed.sandbox.id}`,
      `/app/${SLUG}/blackouts`,
    ];
    const seen: string[] = [];
    for (const [who, path] of [
      ...[...new Set([...pages, ...mine])].map((p) => [tour, p] as const),
      [author, `/app/${SLUG}`] as const,
      [author, `/app/${SLUG}/channels`] as const,
    ]) {
      // Pages of other areas still being built may not answer yet; every page that does shows the banner.
      if ((await who.goto(path)) !== 200) continue;
      const banner = who.page.locator('.banner.danger[role="alert"]');
      expect({ path, banner: await banner.textContent() }).toEqual({ path, banner: expect.stringContaining('Publishing is suspended.') });
      expect(await banner.textContent()).toContain('National mourning declared');
      seen.push(path);
    }
    expect(seen).toEqual(expect.arrayContaining(mine));

    // A post that comes due meanwhile is held, and released on resume.
    const soon = new Date(Math.ceil((api.clock.now().getTime() + 3_000) / 1000) * 1000).toISOString();
    const postId = await approvedPost('Anunț amânat', soon);
    expect(await targetStatus(api.admin, postId, 'held')).toBe('held');

    await s.goto(`/app/${SLUG}/blackouts`);
    const resume = acceptNextDialog(s.page);
    await s.page.getByRole('button', { name: 'Resume publishing' }).click();
    await s.page.waitForURL(/released=1/);
    expect(resume.message).toBe('Resume publishing? Held posts whose time has passed go out at once.');
    expect(await s.page.getByRole('status').textContent()).toBe('Publishing is resumed. 1 held post was released.');
    expect(await s.page.locator('.banner.danger').count()).toBe(0);
    expect(await s.page.getByRole('button', { name: 'Suspend all publishing' }).count()).toBe(1);
    await s.expectAccessible();
    expect(await targetStatus(api.admin, postId, 'published')).toBe('published');
    s.expectClean();
    author.expectClean();
    await s.close();
    await author.close();
    await tour.close();
  });

  it('a viewer sees the windows read-only; forged POSTs by the viewer get the 403 page and change nothing', async () => {
    expect(
      await api.admin.post(`${seed.base}/blackouts`, {
        reason: 'Day of mourning',
        startsAt: '2027-01-10T00:00',
        endsAt: '2027-01-11T00:00',
      }),
    ).toMatchObject({ status: 201 });
    const s = await as(seed.members.viewer);
    expect(await s.goto(`/app/${SLUG}/blackouts`)).toBe(200);
    const cells = await windowRow(s.page, 'Day of mourning').locator('td').allTextContents();
    expect(cells).toEqual([shown('2027-01-10T00:00:00+02:00'), shown('2027-01-11T00:00:00+02:00'), 'All channels', '0', 'upcoming']);
    expect(await s.page.getByRole('heading', { name: 'Add a blackout window' }).count()).toBe(0);
    expect(await s.page.getByRole('heading', { name: /Kill switch/ }).count()).toBe(0);
    expect(await s.page.locator('main form').count()).toBe(0);
    await s.expectAccessible();

    const id = (await api.admin.get(`${seed.base}/blackouts`)).body.items[0].id as string;
    const forge = async (path: string, body: string) =>
      (await s.page.evaluate(`(async () => {
        const token = document.querySelector('input[name="_csrf"]').value;
        const r = await fetch(${JSON.stringify(path)}, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: ${JSON.stringify(body)} + '&_csrf=' + encodeURIComponent(token) });
        return { status: r.status, text: await r.text() };
      })()`)) as { status: number; text: string };
    const suspend = await forge(`/app/${SLUG}/blackouts/suspend`, 'reason=Forged%20by%20a%20viewer');
    expect(suspend.status).toBe(403);
    expect(suspend.text).toContain('Not allowed');
    expect(
      (await forge(`/app/${SLUG}/blackouts`, 'reason=Forged&startsAt=2027-02-01T00:00&endsAt=2027-02-02T00:00&scope=all')).status,
    ).toBe(403);
    expect((await forge(`/app/${SLUG}/blackouts/${id}/delete`, 'x=1')).status).toBe(403);
    expect((await api.admin.get(`${seed.base}/blackouts`)).body.total).toBe(1);
    expect((await api.admin.get(`/api/institutions/${seed.id}`)).body.suspendedAt).toBeNull();
    s.problems.splice(0); // the forged requests' 403s are logged by the browser
    await s.close();
  });

  it('speaks Romanian', async () => {
    const s = await as(api.admin, 'ro-RO');
    await s.goto(`/app/${SLUG}/blackouts`);
    expect(await s.page.locator('h1').textContent()).toBe('Perioade de restricție și oprirea de urgență');
    expect(await s.page.locator('table.blackouts caption').textContent()).toMatch(
      /^Perioade de restricție, cele mai noi primele; orele sunt în Europe\/Bucharest \(.+\)$/,
    );
    expect(await s.page.getByRole('heading', { name: 'Oprire de urgență: opriți toate publicările' }).count()).toBe(1);
    await s.page.getByRole('button', { name: 'Adăugați perioada' }).click();
    expect(await s.page.locator('#f-reason-error').textContent()).toBe('Completați acest câmp');
    expect(await s.page.locator('#f-startsAt-error').textContent()).toBe('Completați acest câmp');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
