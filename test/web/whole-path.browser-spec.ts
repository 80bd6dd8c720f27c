import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApi } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { png } from '#test/support/images.js';
import { elapse } from '#test/support/passes.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

/** Set SCREENSHOTS_DIR (e.g. docs/screenshots) to keep a picture of each main page along the way. */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR;

const ZONE = 'Europe/Bucharest';
const RO_TEXT = 'Spuneți-ne ce credeți despre noua rețea de autobuze: consultarea publică este deschisă până pe 15 decembrie.';
const EN_TEXT = 'Tell us what you think of the new bus network: the public consultation is open until 15 December.';

/**
 * "How it will be checked" (issue 7), in real Chromium, as a new user would: log in, create the
 * institution, add a sandbox channel, a campaign and an editor; write a campaign post in two
 * languages with an image and alt text, submit it; approve it as the editor; watch it publish at its
 * time; find it in the calendar, on the campaign page, in the sandbox feed and on the public
 * transparency page. Every page on the way passes axe and runs under the app's CSP without a violation.
 */
describeInBrowser(`the whole path through the staff pages (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await TestApi.start();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  async function shot(s: WebSession, name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await s.page.evaluate('window.scrollTo(0, 0)');
    await s.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it('from login to the public transparency page', async () => {
    const admin = await WebSession.open(browser, api.url);
    const page = admin.page;

    // The administrator logs in and creates the institution.
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Institutions' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Primăria Cluj-Napoca');
    await page.getByLabel('Short name for addresses').fill('cluj');
    await page.getByLabel('Time zone').fill(ZONE);
    await page.getByLabel('Official languages').fill('ro, en');
    await page.getByLabel('Publish the public transparency report').check();
    await page.getByRole('button', { name: 'Create the institution' }).click();
    await page.waitForURL(/\/app\/cluj/);
    await admin.expectAccessible();

    // A sandbox channel, verified.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
    await page.getByLabel('Platform').selectOption('sandbox');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Training feed');
    await page.getByRole('button', { name: 'Add the channel' }).click();
    await page.waitForURL(/\/channels/);
    await page
      .getByRole('button', { name: /Verify/ })
      .first()
      .click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('is verified');
    await admin.expectAccessible();

    // An editor for the communication office; the temporary password is shown once.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('E-mail').fill('elena@cluj.example');
    await page.getByLabel('Name', { exact: true }).first().fill('Elena Pop');
    await page.getByLabel('Role', { exact: true }).first().selectOption('editor');
    await page.getByRole('button', { name: 'Add member' }).click();
    const temporary = (await page.locator('code.password').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);

    // A campaign.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByLabel('Title').fill('Public consultation: the bus network');
    await page.getByLabel('Goal').fill('Hear from at least 2,000 residents before the council votes.');
    const today = DateTime.now().setZone(ZONE);
    await page.getByLabel('First day').fill(today.toISODate()!);
    await page.getByLabel('Last day').fill(today.plus({ days: 30 }).toISODate()!);
    await page.getByRole('button', { name: 'Create the campaign' }).click();
    await page.waitForLoadState('load');

    // The post: two languages, an image described in both, the sandbox channel, a time three minutes ahead.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Public consultation: the bus network' });
    await page.getByLabel(/Training feed/).check();
    await page.getByLabel('Text in Romanian').fill(RO_TEXT);
    await page.getByLabel('Text in English').fill(EN_TEXT);
    const file = join(tmpdir(), `bus-map-${Date.now()}.png`);
    writeFileSync(file, png(640, 360));
    await page.getByLabel('Image file').setInputFiles(file);
    await page.getByLabel('Description in Romanian').fill('Harta noii rețele de autobuze, cu cele 12 linii noi.');
    await page.getByLabel('Description in English').fill('Map of the new bus network, with its 12 new lines.');
    const at = DateTime.fromJSDate(api.clock.now(), { zone: ZONE }).plus({ minutes: 3 }).startOf('minute');
    await page.getByLabel('Publish on').fill(at.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForLoadState('load');
    await shot(admin, 'composer');
    await admin.expectAccessible();
    await page.getByRole('button', { name: 'Save and submit for review' }).click();
    await page.waitForURL(/\/posts\/[0-9a-f-]{36}/);
    expect(await page.getByRole('status').first().textContent()).toContain('submitted for review');
    const postUrl = new URL(page.url()).pathname;
    const postId = postUrl.split('/').pop()!;
    // The author may not approve their own post.
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    admin.expectClean();
    await page.getByRole('button', { name: 'Log out' }).click();

    // The editor logs in, chooses a password, finds the post in the review inbox and approves it.
    const editor = await WebSession.open(browser, api.url);
    await editor.login('elena@cluj.example', temporary);
    await editor.page.getByLabel('Current password').fill(temporary);
    await editor.page.getByLabel('New password', { exact: true }).fill('the buses of Cluj run on time');
    await editor.page.getByLabel('New password again').fill('the buses of Cluj run on time');
    await editor.page.getByRole('button', { name: 'Change password' }).click();
    await editor.page.waitForURL(/\/app\/cluj/);
    await shot(editor, 'home');
    await editor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review' }).click();
    await editor.expectAccessible();
    await editor.page
      .getByRole('link', { name: RO_TEXT.slice(0, 40), exact: false })
      .first()
      .click();
    await editor.page.waitForURL(new RegExp(postUrl));
    await shot(editor, 'review');
    await editor.expectAccessible();
    await editor.page.getByRole('button', { name: 'Approve' }).click();
    await editor.page.waitForLoadState('load');
    const approved = await api.admin.get(`/api/posts/${postId}`);
    expect(approved.body.status).toBe('approved');
    // Waiting for its time: `scheduled`, or already `queued` when the scheduler's window (120 s) has reached it
    // (the post is due 2-3 minutes after it was written, and the steps above can take a minute on a loaded machine).
    expect(['scheduled', 'queued']).toContain(approved.body.targets[0].status);

    // It goes out at its time, not before: the app's clock is moved on to that time (the worker's passes run, and the
    // queue's delayed job with them) instead of waiting the minutes out.
    await elapse(api, at.toMillis() - api.clock.now().getTime() + 1_000);
    const published = await poll(
      'the post published at its time',
      async () => (await api.admin.get(`/api/posts/${postId}`)).body.targets[0] as { status: string; publishedAt: string | null },
      (t) => t.status === 'published',
      60_000,
    );
    expect(Date.parse(published.publishedAt!)).toBeGreaterThanOrEqual(at.toMillis());
    await editor.goto(postUrl);
    expect(await editor.page.locator('main').textContent()).toContain('published');

    // The calendar shows it on its day.
    await editor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
    await expect(editor.page.locator('main').textContent()).resolves.toContain(RO_TEXT.slice(0, 30));
    await shot(editor, 'calendar');
    await editor.expectAccessible();

    // The campaign page shows its state per channel.
    await editor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await editor.page.getByRole('link', { name: 'Public consultation: the bus network' }).click();
    const campaignText = await editor.page.locator('main').textContent();
    expect(campaignText).toContain('Training feed');
    expect(campaignText).toContain('published');
    await shot(editor, 'campaign');
    await editor.expectAccessible();

    // The sandbox feed has it, labelled as training.
    await editor.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Channels' }).click();
    await editor.page
      .getByRole('link', { name: /sandbox feed/i })
      .first()
      .click();
    const feed = await editor.page.locator('main').textContent();
    expect(feed).toContain(RO_TEXT);
    expect(feed).toMatch(/sandbox/i);
    await shot(editor, 'sandbox');
    editor.expectClean();

    // And the public transparency page, with no login. A sandbox channel never published anything, so the
    // public report leaves it out and says so; its training preview counts it, labelled as training.
    const citizen = await WebSession.open(browser, api.url);
    expect(await citizen.goto('/transparency/cluj?lang=en')).toBe(200);
    expect(await citizen.page.locator('header').textContent()).toContain('1 publication on a sandbox (training) channel is left out');
    expect(await citizen.page.locator('.summary li').first().textContent()).toMatch(/^0\s/);
    await citizen.page.getByRole('link', { name: 'Show them, marked as training' }).click();
    expect(await citizen.page.getByRole('note').textContent()).toContain('Training preview.');
    expect(await citizen.page.locator('main').textContent()).toContain(RO_TEXT.slice(0, 40));
    expect(await citizen.page.locator('.summary li').first().textContent()).toMatch(/^1\s/);
    // Open data never counts training.
    const data = await api.client().get('/transparency/cluj/report.json');
    expect(data.body.totals.published).toBe(0);
    await shot(citizen, 'transparency');
    await citizen.expectAccessible();
    citizen.expectClean();
    await Promise.all([admin.close(), editor.close(), citizen.close()]);
  }, 900_000);
});
