import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { MastodonFake } from '#test/fakes/mastodon.fake.js';
import { TestApi, seedInstitution } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

// Many browser steps with axe on a machine shared by other test runs: generous time, no timing assertions.
jest.setTimeout(360_000);

const SLUG = 'channel-town';

/** Channels (list, add, verify, reconnect, disable) and the sandbox feed, in real Chromium. */
describeInBrowser(`staff pages: channels and the sandbox feed (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  const mastodon = new MastodonFake({ mediaProcessing: 'sync' });

  beforeAll(async () => {
    await mastodon.start();
    api = await TestApi.start({ SCHEDULER_INTERVAL_MS: '200', DUE_WINDOW_SECONDS: '60' });
    seed = await seedInstitution(api, SLUG);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await mastodon.stop();
  });

  async function as(member: { token?: string }, locale?: string): Promise<WebSession> {
    const s = await WebSession.open(browser, api.url, locale ? { locale } : {});
    await s.context.addCookies([{ name: 'civicpost_session', value: member.token!, url: api.url }]);
    return s;
  }

  const row = (page: Page, name: string) =>
    page.locator('table.channels tbody tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

  /** Everything the browser was sent must be free of every secret typed or stored in this test. */
  async function expectNoSecrets(s: WebSession, secrets: string[]): Promise<void> {
    const markup = await s.page.content();
    for (const secret of secrets) expect(markup).not.toContain(secret);
  }

  it('lists the channels with their status in words and limits; an admin adds a sandbox channel through the form and verifies it', async () => {
    const s = await as(api.admin);
    expect(await s.goto(`/app/${SLUG}/channels`)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Channels');
    const mastodonRow = row(s.page, 'Mastodon');
    expect(await mastodonRow.locator('td').nth(0).textContent()).toBe('Mastodon');
    expect(await mastodonRow.locator('td').nth(1).textContent()).toContain('Not verified yet');
    expect(await mastodonRow.locator('td').nth(2).textContent()).toBe('connected');
    expect(await mastodonRow.locator('td').nth(3).textContent()).toContain('500 characters per post');
    await s.expectAccessible();

    // Step one: the platform (a GET form, no script needed); step two: its fields.
    await s.page.getByLabel('Platform').selectOption('sandbox');
    await s.page.getByRole('button', { name: 'Continue' }).click();
    await s.page.waitForURL(/\/channels\/new\?platform=sandbox/);
    expect(await s.page.locator('h1').textContent()).toBe('Add a channel: Sandbox (training)');
    expect(await s.page.getByText('nothing leaves CivicPost').count()).toBe(1);
    await s.expectAccessible();
    await s.page.getByLabel('Name', { exact: true }).fill('Training feed');
    await s.page.getByLabel('Posts at most').fill('5');
    await s.page.getByLabel('Every (minutes)').fill('60');
    await s.page.getByRole('button', { name: 'Add the channel' }).click();
    await s.page.waitForURL(/\/channels\?notice=notice.channelsAdded/);
    expect(await s.page.getByRole('status').textContent()).toContain('The channel is added.');
    const training = row(s.page, 'Training feed');
    expect(await training.locator('td').nth(1).textContent()).toContain('Not verified yet');
    expect(await training.locator('td').nth(3).textContent()).toContain('CivicPost sends at most 5 posts every hour');

    await training.getByRole('button', { name: 'Verify Training feed' }).click();
    await s.page.waitForURL(/verified=/);
    expect(await s.page.getByRole('status').textContent()).toBe('“Training feed” is verified: it posts as sandbox.');
    const verified = row(s.page, 'Training feed');
    expect(await verified.locator('td').nth(1).getByRole('link', { name: 'sandbox' }).getAttribute('href')).toMatch(
      new RegExp(`^/app/${SLUG}/sandbox/[0-9a-f-]{36}$`),
    );
    await s.expectAccessible();
    await expectNoSecrets(s, [`secret-token-${SLUG}`]);
    s.expectClean();
    await s.close();
  });

  it('adds a Mastodon channel: refused without the server address (everything kept but the secret), refused credentials ask for reconnecting with the reason, and reconnecting verifies', async () => {
    const s = await as(api.admin);
    await s.goto(`/app/${SLUG}/channels/new?platform=mastodon`);
    await s.page.getByLabel('Name', { exact: true }).fill('City on Mastodon');
    await s.page.getByLabel('Account (optional)').fill('@city@social.example');
    await s.page.getByLabel('Access token').fill('wrong-token-4242');
    expect(await s.page.getByLabel('Access token').getAttribute('type')).toBe('password');
    const [refused] = await Promise.all([
      s.page.waitForResponse((r) => r.request().method() === 'POST'),
      s.page.getByRole('button', { name: 'Add the channel' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await s.page.waitForLoadState('load');
    expect(await s.page.locator('#f-settings-instanceUrl-error').textContent()).toBe('Fill this in');
    expect(await s.page.getByLabel('Address of the Mastodon server').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.locator('.error-summary a').allTextContents()).toEqual(['Fill this in']);
    expect(await s.page.getByLabel('Name', { exact: true }).inputValue()).toBe('City on Mastodon');
    expect(await s.page.getByLabel('Account (optional)').inputValue()).toBe('@city@social.example');
    // The secret is not sent back: the person is told to type it again.
    expect(await s.page.getByLabel('Access token').inputValue()).toBe('');
    expect(await s.page.getByText('they are never sent back to the browser').count()).toBe(1);
    await expectNoSecrets(s, ['wrong-token-4242']);
    await s.expectAccessible();

    // Not an address: the API's refusal, said in the person's language next to the field.
    await s.page.getByLabel('Address of the Mastodon server').fill('social.example');
    await s.page.getByLabel('Access token').fill('wrong-token-4242');
    await s.page.getByRole('button', { name: 'Add the channel' }).click();
    expect(await s.page.locator('#f-settings-instanceUrl-error').textContent()).toBe(
      'Write the address of the Mastodon server, starting with https://',
    );
    expect(await s.page.getByLabel('Address of the Mastodon server').inputValue()).toBe('social.example');
    expect(await s.page.getByLabel('Name', { exact: true }).inputValue()).toBe('City on Mastodon');
    await expectNoSecrets(s, ['wrong-token-4242']);
    await s.expectAccessible();

    await s.page.getByLabel('Address of the Mastodon server').fill(mastodon.url);
    await s.page.getByLabel('Access token').fill('wrong-token-4242');
    await s.page.getByRole('button', { name: 'Add the channel' }).click();
    await s.page.waitForURL(/notice=notice.channelsAdded/);
    await expectNoSecrets(s, ['wrong-token-4242']);

    // The platform refuses the token: the page says so, and the channel waits for reconnection, highlighted, with the reason.
    const [verify] = await Promise.all([
      s.page.waitForResponse((r) => r.request().method() === 'POST'),
      row(s.page, 'City on Mastodon').getByRole('button', { name: 'Verify City on Mastodon' }).click(),
    ]);
    expect(verify.status()).toBe(422);
    await s.page.waitForLoadState('load');
    const alert = s.page.locator('.error-summary');
    expect(await alert.locator('h2').textContent()).toBe('Verifying “City on Mastodon” did not succeed');
    expect(await alert.textContent()).toContain('The platform refused the credentials.');
    const waiting = row(s.page, 'City on Mastodon');
    expect(await waiting.getAttribute('class')).toBe('attention');
    expect(await waiting.locator('.badge').textContent()).toBe('needs reconnecting');
    expect(await waiting.locator('.reconnect-reason').textContent()).toMatch(/^The platform refused the credentials on .+: “?.+/);
    expect(await waiting.locator('.reconnect-reason q').textContent()).not.toBe('');
    expect(await s.page.locator('.banner.warn').textContent()).toContain('1 channel needs reconnecting');
    await s.expectAccessible();
    await expectNoSecrets(s, ['wrong-token-4242']);

    await waiting.getByRole('link', { name: 'Reconnect City on Mastodon' }).click();
    await s.page.waitForURL(/\/reconnect$/);
    expect(await s.page.locator('h1').textContent()).toBe('Reconnect “City on Mastodon”');
    expect(await s.page.getByLabel('Address of the Mastodon server').inputValue()).toBe(mastodon.url);
    expect(await s.page.locator('.reconnect-reason').textContent()).toContain('The platform refused the credentials on');
    await s.expectAccessible();
    // Without the new token: refused next to the field.
    await s.page.getByRole('button', { name: 'Save and verify' }).click();
    expect(await s.page.locator('#f-credentials-accessToken-error').textContent()).toBe('Fill this in');
    await s.page.getByLabel('Access token').fill(mastodon.accessToken);
    await s.page.getByRole('button', { name: 'Save and verify' }).click();
    await s.page.waitForURL(/\/channels\?verified=/);
    expect(await s.page.getByRole('status').textContent()).toBe('“City on Mastodon” is verified: it posts as @townhall@social.example.');
    const connected = row(s.page, 'City on Mastodon');
    expect(await connected.locator('.badge').textContent()).toBe('connected');
    expect(await connected.getAttribute('class')).toBeNull();
    expect(await connected.locator('td').nth(1).textContent()).toContain('Town Hall');
    await s.expectAccessible();
    await expectNoSecrets(s, ['wrong-token-4242', mastodon.accessToken, `secret-token-${SLUG}`]);
    s.expectClean();
    await s.close();
  });

  it('disables a channel after asking, and enables it again', async () => {
    const s = await as(api.admin);
    await s.goto(`/app/${SLUG}/channels`);
    let asked = '';
    s.page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await row(s.page, 'Mastodon').getByRole('button', { name: 'Disable Mastodon' }).click();
    await s.page.waitForURL(/notice=notice.channelsDisabled/);
    expect(asked).toBe('Disable the channel “Mastodon”? Nothing is published on it until it is enabled again.');
    expect(await row(s.page, 'Mastodon').locator('.badge').textContent()).toBe('disabled');
    expect((await api.admin.get(`${seed.base}/channels/${seed.channel.id}`)).body.status).toBe('disabled');
    await s.expectAccessible();
    await row(s.page, 'Mastodon').getByRole('button', { name: 'Enable Mastodon' }).click();
    await s.page.waitForURL(/notice=notice.channelsEnabled/);
    expect(await row(s.page, 'Mastodon').locator('.badge').textContent()).toBe('connected');
    s.expectClean();
    await s.close();
  });

  it('a viewer sees the channels read-only; a forged POST by the viewer gets the 403 page and changes nothing', async () => {
    const s = await as(seed.members.viewer);
    expect(await s.goto(`/app/${SLUG}/channels`)).toBe(200);
    expect(await s.page.getByText('Administrators add, verify and reconnect channels.').count()).toBe(1);
    expect(await s.page.getByRole('heading', { name: 'Add a channel' }).count()).toBe(0);
    expect(await s.page.locator('table.channels form').count()).toBe(0);
    expect(await s.page.getByRole('link', { name: /Reconnect/ }).count()).toBe(0);
    await s.expectAccessible();
    expect(await s.goto(`/app/${SLUG}/channels/new?platform=sandbox`)).toBe(403);

    // With a valid CSRF token of the viewer's own page: only the role stops it.
    await s.goto(`/app/${SLUG}/channels`);
    const forge = async (path: string, body: string) =>
      (await s.page.evaluate(`(async () => {
        const token = document.querySelector('input[name="_csrf"]').value;
        const r = await fetch(${JSON.stringify(path)}, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: ${JSON.stringify(body)} + '&_csrf=' + encodeURIComponent(token) });
        return { status: r.status, text: await r.text() };
      })()`)) as { status: number; text: string };
    const create = await forge(`/app/${SLUG}/channels`, 'platform=sandbox&displayName=Forged');
    expect(create.status).toBe(403);
    expect(create.text).toContain('Not allowed');
    expect((await forge(`/app/${SLUG}/channels/${seed.channel.id}/status`, 'status=disabled')).status).toBe(403);
    expect((await forge(`/app/${SLUG}/channels/${seed.channel.id}/verify`, 'x=1')).status).toBe(403);
    const channels = (await api.admin.get(`${seed.base}/channels`)).body.items as Array<{
      displayName: string;
      id: string;
      status: string;
    }>;
    expect(channels.map((c) => c.displayName)).not.toContain('Forged');
    expect(channels.find((c) => c.id === seed.channel.id)!.status).toBe('active');
    s.problems.splice(0); // the forged requests' 403s are logged by the browser
    await s.close();
  });

  it('shows a sandbox publication in the feed inside the pages, labelled as training, and the stored address leads there', async () => {
    // Written by the admin, approved by an editor, then scheduled a few seconds ahead: the in-process worker publishes it.
    const post = await api.admin.post(`${seed.base}/posts`, {
      campaignId: seed.campaign.id,
      channelIds: [seed.sandbox.id],
      variants: [
        { language: 'ro', text: 'Parcul din cartier se redeschide sâmbătă <b>la ora 10</b> & vă așteptăm!' },
        { language: 'hu', text: 'A környékbeli park szombaton újra megnyílik.' },
      ],
    });
    expect(post).toMatchObject({ status: 201 });
    expect(await api.admin.post(`/api/posts/${post.body.id}/submit`)).toMatchObject({ status: 200 });
    expect(await seed.members.editor.post(`/api/posts/${post.body.id}/approve`)).toMatchObject({ status: 200 });
    const at = new Date(Math.ceil((api.clock.now().getTime() + 3_000) / 1000) * 1000);
    expect(await seed.members.editor.post(`/api/posts/${post.body.id}/schedule`, { scheduledAt: at.toISOString() })).toMatchObject({
      status: 200,
    });
    const target = await poll(
      'the sandbox post published',
      async () =>
        (await api.admin.get(`/api/posts/${post.body.id}`)).body.targets[0] as {
          status: string;
          externalUrl: string | null;
          externalId: string | null;
        },
      (t) => t.status === 'published',
      30_000,
      100,
    );
    expect(target.status).toBe('published');
    expect(target.externalUrl).toBe(`/sandbox/${seed.sandbox.id}#${target.externalId}`);

    const s = await as(seed.members.author);
    // The publication's own address (as stored) redirects into the pages, keeping the post's anchor.
    expect(await s.goto(target.externalUrl!)).toBe(200);
    expect(s.page.url()).toBe(`${api.url}/app/${SLUG}/sandbox/${seed.sandbox.id}#${target.externalId}`);
    expect(await s.page.locator('h1').textContent()).toBe('Sandbox feed: Sandbox');
    expect(await s.page.locator('.sandbox-banner').textContent()).toBe(
      'SANDBOX: training only. Nothing on this page was published on any platform; engagement is simulated.',
    );
    const entry = s.page.locator(`article[id="${target.externalId}"]`);
    expect(await entry.locator('.sandbox-text').textContent()).toBe(
      'Parcul din cartier se redeschide sâmbătă <b>la ora 10</b> & vă așteptăm!',
    );
    expect(await entry.locator('.sandbox-text').getAttribute('lang')).toBe('ro');
    expect(await entry.locator('.engagement').textContent()).toMatch(
      /^Simulated: \d[\d,]* views?, \d+ likes?, \d+ reposts?, \d+ repl(y|ies)$/,
    );
    expect(await s.page.locator('#feed-h').textContent()).toBe('1 post published');
    await s.expectAccessible();

    // And from the channels page.
    await s.goto(`/app/${SLUG}/channels`);
    await s.page.getByRole('link', { name: 'Open the sandbox feed of Sandbox' }).click();
    await s.page.waitForURL(new RegExp(`/app/${SLUG}/sandbox/${seed.sandbox.id}$`));
    // A channel that is not a sandbox has no feed; someone of another institution gets 404 at either address.
    expect(await s.goto(`/app/${SLUG}/sandbox/${seed.channel.id}`)).toBe(404);
    const other = await api.admin.post('/api/institutions', {
      name: 'Elsewhere',
      slug: 'elsewhere-ch',
      timeZone: 'UTC',
      languages: ['en'],
    });
    const outsider = await api.member(api.admin, other.body.id, 'outsider@elsewhere-ch.example', 'admin');
    const o = await as(outsider);
    expect(await o.goto(`/sandbox/${seed.sandbox.id}`)).toBe(404);
    expect(await o.goto(`/app/${SLUG}/sandbox/${seed.sandbox.id}`)).toBe(404);
    s.expectClean();
    await s.close();
    await o.close();
  });

  it('speaks Romanian', async () => {
    const s = await as(api.admin, 'ro-RO');
    await s.goto(`/app/${SLUG}/channels`);
    expect(await s.page.locator('h1').textContent()).toBe('Canale');
    expect(await s.page.locator('table.channels caption').textContent()).toMatch(/^Canalele instituției \(\d+ canale\)$/);
    expect(await row(s.page, 'Mastodon').locator('.badge').textContent()).toBe('conectat');
    await s.expectAccessible();
    await s.goto(`/app/${SLUG}/channels/new?platform=mastodon`);
    expect(await s.page.locator('h1').textContent()).toBe('Adăugați un canal: Mastodon');
    await s.page.getByRole('button', { name: 'Adăugați canalul' }).click();
    expect(await s.page.locator('#f-settings-instanceUrl-error').textContent()).toBe('Completați acest câmp');
    expect(await s.page.locator('#f-credentials-accessToken-error').textContent()).toBe('Completați acest câmp');
    expect(await s.page.locator('#f-displayName-error').textContent()).toBe('Completați acest câmp');
    await s.expectAccessible();
    await s.goto(`/app/${SLUG}/sandbox/${seed.sandbox.id}`);
    expect(await s.page.locator('.sandbox-banner').textContent()).toContain('SANDBOX: doar pentru exersare.');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
