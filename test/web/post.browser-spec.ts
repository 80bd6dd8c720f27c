import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { png } from '#test/support/images.js';
import { poll } from '#test/support/poll.js';
import { waitingForPerson } from '#test/support/targets.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

/** The post page in real Chromium: a whole review round with the revision diff, scheduling, settling and withdrawing, comments, roles. */
describeInBrowser(`staff pages: the post page (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Seed;
  const slug = 'post-town';

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, slug);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  /** A browser session of a member (their API token is also a session cookie). */
  async function as(member: Client, locale?: string): Promise<WebSession> {
    const s = await WebSession.open(browser, api.url, { locale });
    await s.context.addCookies([{ name: 'civicpost_session', value: member.token!, url: api.url }]);
    return s;
  }

  async function draft(by: Client, body: Record<string, unknown> = {}): Promise<string> {
    const res = await by.post(`${seed.base}/posts`, {
      campaignId: seed.campaign.id,
      channelIds: [seed.sandbox.id],
      variants: [
        { language: 'ro', text: 'Consultare publică despre parcul central, joi la ora 18.' },
        { language: 'hu', text: 'Közmeghallgatás a központi parkról csütörtökön 18 órakor.' },
      ],
      scheduledAt: '2027-01-15T09:00',
      timeZone: 'Europe/Bucharest',
      ...body,
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id;
  }

  /** A POST of the page's own form fields (CSRF token included): what a forged form by this person would send. */
  async function forge(s: WebSession, path: string, fields: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const token = await s.page.locator('input[name="_csrf"]').first().inputValue();
    const r = await s.context.request.post(api.url + path, { form: { _csrf: token, ...fields }, maxRedirects: 0 });
    return { status: r.status(), text: await r.text() };
  }

  /** Presses a form's button and lands on the page again with `notice` (a refusal's summary would show in the failure). */
  async function press(s: WebSession, button: string, notice: string): Promise<void> {
    await s.page.getByRole('button', { name: button }).click();
    await s.page.waitForLoadState('load');
    const refused = await s.page.locator('.error-summary, .problems').allTextContents();
    expect({ refused, notice: await s.page.locator('.notice').allTextContents() }).toEqual({ refused: [], notice: [notice] });
  }

  const statusOf = (s: WebSession) => s.page.locator('.post-facts dd').first().locator('.badge').textContent();

  it('a whole review round: submit, reject with a reason, edit, resubmit, the diff since the version reviewed, approve; no self-approval', async () => {
    const { author, editor, editor2 } = seed.members;
    const upload = await author.upload(`${seed.base}/media`, png(64, 48), 'park.png', 'image/png');
    expect(upload.status).toBe(201);
    const postId = await draft(author, {
      variants: [
        { language: 'ro', text: 'Consultare publică despre parcul central, joi la ora 18.', thread: ['Detalii pe site-ul primăriei.'] },
        { language: 'hu', text: 'Közmeghallgatás a központi parkról csütörtökön 18 órakor.' },
      ],
      media: [{ mediaId: upload.body.id, altText: { ro: 'Harta parcului central', hu: 'A központi park térképe' } }],
      channelIds: [seed.channel.id],
    });
    const url = `/app/${slug}/posts/${postId}`;

    // The author sees the draft: texts side by side in their languages, the image with its alt texts, the channel.
    const a = await as(author);
    expect(await a.goto(url)).toBe(200);
    expect(await a.page.locator('h1').textContent()).toBe('Post in “Shared campaign”');
    expect(await statusOf(a)).toBe('draft');
    expect(await a.page.locator('.variants [lang="ro"]').first().textContent()).toBe(
      'Consultare publică despre parcul central, joi la ora 18.',
    );
    expect(await a.page.locator('.variants [lang="hu"]').first().textContent()).toBe(
      'Közmeghallgatás a központi parkról csütörtökön 18 órakor.',
    );
    expect(await a.page.locator('.thread [lang="ro"]').textContent()).toBe('Detalii pe site-ul primăriei.');
    expect(await a.page.locator('.post-facts').textContent()).toContain('(Europe/Bucharest)');
    const img = a.page.locator('.media-list img');
    expect(await img.getAttribute('alt')).toBe('Harta parcului central');
    expect(await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(64);
    expect(await a.page.locator('.media-list dd[lang="hu"]').textContent()).toBe('A központi park térképe');
    const row = a.page.getByRole('row', { name: /Mastodon/ });
    expect(await row.locator('.badge').textContent()).toBe('draft');
    expect(await a.page.getByRole('link', { name: 'Edit the post' }).getAttribute('href')).toBe(`${url}/edit`);
    await a.expectAccessible();

    await press(a, 'Submit for review', 'The post is submitted for review.');
    expect(await statusOf(a)).toBe('in review');
    // An author reviews nothing: no approve or reject form.
    expect(await a.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await a.page.getByRole('button', { name: 'Reject with this reason' }).count()).toBe(0);
    await a.expectAccessible();

    // editor2 sends it back; a reason is required, and a refused form keeps what was typed.
    const e2 = await as(editor2);
    await e2.goto(url);
    expect(await e2.page.locator('#diff-h').count()).toBe(0);
    await e2.page.getByLabel('Reason').fill('no');
    await e2.page.getByRole('button', { name: 'Reject with this reason' }).click();
    expect(await e2.page.locator('#f-reject-reason-error').textContent()).toBe('This is too short');
    expect(await e2.page.getByLabel('Reason').inputValue()).toBe('no');
    expect(await e2.page.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(await statusOf(e2)).toBe('in review');
    await e2.expectAccessible();
    await e2.page.getByLabel('Reason').fill('The Hungarian text lacks the address of the park.');
    await press(e2, 'Reject with this reason', 'The post is sent back to its authors with your reason.');
    expect(await statusOf(e2)).toBe('rejected');

    // The author reads the reason, edits through the API, submits again.
    await a.goto(url);
    expect(await a.page.locator('.banner.warn').textContent()).toContain('The Hungarian text lacks the address of the park.');
    await a.expectAccessible();
    const edit = await author.patch(`/api/posts/${postId}`, {
      variants: [
        { language: 'ro', text: 'Consultare publică despre parcul central, vineri la ora 18.', thread: ['Detalii pe site-ul primăriei.'] },
        { language: 'hu', text: 'Közmeghallgatás a központi parkról (Fő tér 1) pénteken 18 órakor.' },
      ],
      media: [{ mediaId: upload.body.id, altText: { ro: 'Harta parcului central cu aleile noi', hu: 'A központi park térképe' } }],
    });
    expect(edit.status).toBe(200);
    await a.goto(url);
    await press(a, 'Submit again for review', 'The post is submitted for review.');
    // Forged: the author approving their own post is refused.
    const forged = await forge(a, `${url}/approve`);
    expect(forged.status).toBe(403);
    expect((await author.get(`/api/posts/${postId}`)).body.status).toBe('in_review');

    // The editor sees what changed since the version editor2 rejected, then approves.
    const e = await as(editor);
    await e.goto(url);
    expect(await e.page.locator('#diff-h').textContent()).toBe('What changed since the version last reviewed');
    const diff = e.page.locator('.diff-section');
    expect(await diff.textContent()).toContain('The Hungarian text lacks the address of the park.');
    const roText = diff.locator('li', { has: e.page.getByRole('heading', { name: 'Text in Romanian (ro)' }) }).locator('.diff');
    expect(await roText.getAttribute('lang')).toBe('ro');
    expect(await roText.locator('del').textContent()).toBe('removed: joi');
    expect(await roText.locator('ins').textContent()).toBe('added: vineri');
    expect(await roText.locator('del .sr-only').getAttribute('lang')).toBe('en');
    const huText = diff.locator('li', { has: e.page.getByRole('heading', { name: 'Text in Hungarian (hu)' }) }).locator('.diff');
    expect(await huText.locator('ins').allTextContents()).toEqual(['added: (Fő tér 1) pénteken']);
    expect(await huText.locator('del').allTextContents()).toEqual(['removed: csütörtökön']);
    const alt = diff.locator('li', { has: e.page.getByRole('heading', { name: 'Alternative text of image 1 in Romanian (ro)' }) });
    expect(await alt.locator('ins').textContent()).toBe('added: cu aleile noi');
    // Unchanged things are not listed.
    expect(await diff.getByRole('heading', { name: /Thread part|Publication time|Channels/ }).count()).toBe(0);
    expect(await e.page.locator('.review-history li').allTextContents()).toEqual([
      expect.stringMatching(/^Submitted for review by author on /),
      expect.stringMatching(/^Rejected by editor2 on .*The Hungarian text lacks the address of the park\.$/),
      expect.stringMatching(/^Submitted for review by author on /),
    ]);
    await e.expectAccessible();
    await press(e, 'Approve', 'The post is approved.');
    expect(await statusOf(e)).toBe('approved');
    expect(await e.page.locator('.post-facts').textContent()).toMatch(/Approvedby editor on /);
    expect(
      await e.page
        .getByRole('row', { name: /Mastodon/ })
        .locator('.badge')
        .textContent(),
    ).toBe('scheduled');
    await e.page
      .getByRole('row', { name: /Mastodon/ })
      .locator('summary')
      .click();
    expect(
      await e.page
        .getByRole('row', { name: /Mastodon/ })
        .locator('.events')
        .textContent(),
    ).toContain('approved → scheduled');
    expect(await e.page.locator('#diff-h').count()).toBe(0);
    await e.expectAccessible();

    for (const s of [a, e, e2]) {
      s.expectClean();
      await s.close();
    }
  });

  it('an editor who wrote a post sees why they cannot approve it; a forged approve is refused with that reason', async () => {
    const postId = await draft(seed.members.editor, { variants: [{ language: 'ro', text: 'Doar în română.' }] });
    const url = `/app/${slug}/posts/${postId}`;
    const e = await as(seed.members.editor);
    await e.goto(url);
    // Submitting without the Hungarian text is refused, saying what is missing.
    const [refused] = await Promise.all([
      e.page.waitForResponse((r) => r.url().endsWith('/submit')),
      e.page.getByRole('button', { name: 'Submit for review' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await e.page.locator('.error-summary').textContent()).toContain('The post cannot be submitted yet.');
    expect(await e.page.locator('.problems').textContent()).toBe(
      'A text in Hungarian (hu) is required (an official language of the institution).',
    );
    await e.expectAccessible();
    await seed.members.editor.patch(`/api/posts/${postId}`, {
      variants: [
        { language: 'ro', text: 'Doar în română.' },
        { language: 'hu', text: 'Magyarul is.' },
      ],
    });
    expect((await seed.members.editor.post(`/api/posts/${postId}/submit`)).status).toBe(200);
    await e.goto(url);
    expect(await e.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await e.page.locator('#self-approval').textContent()).toBe(
      'You wrote or edited this post, so you cannot approve it: another editor or administrator must.',
    );
    await e.expectAccessible();
    const forged = await forge(e, `${url}/approve`);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain(
      'You wrote or edited this post, so you may not approve it. Another editor or administrator must approve it.',
    );
    expect((await seed.members.editor.get(`/api/posts/${postId}`)).body.status).toBe('in_review');
    e.expectClean();
    await e.close();
  });

  it('reschedules an approved post; a time inside a blackout window is refused next to the field and the typed values stay', async () => {
    const postId = await draft(seed.members.author);
    expect((await seed.members.author.post(`/api/posts/${postId}/submit`)).status).toBe(200);
    expect((await seed.members.editor.post(`/api/posts/${postId}/approve`)).status).toBe(200);
    const blackout = await api.admin.post(`${seed.base}/blackouts`, {
      startsAt: '2027-02-01T00:00:00+02:00',
      endsAt: '2027-02-02T00:00:00+02:00',
      reason: 'Day of mourning',
    });
    expect(blackout.status).toBe(201);

    const e = await as(seed.members.editor);
    await e.goto(`/app/${slug}/posts/${postId}`);
    expect(await e.page.getByLabel('Date and time').inputValue()).toBe('2027-01-15T09:00');
    expect(await e.page.getByLabel('Time zone').inputValue()).toBe('Europe/Bucharest');
    await e.page.getByLabel('Date and time').fill('2027-02-01T10:30');
    await e.page.getByRole('button', { name: 'Reschedule' }).click();
    expect(await e.page.locator('#f-schedule-scheduledAt-error').textContent()).toMatch(
      /^This time falls in the blackout window “Day of mourning” \(.*\)\. Choose another time\.$/,
    );
    expect(await e.page.getByLabel('Date and time').inputValue()).toBe('2027-02-01T10:30');
    expect(await e.page.locator('.error-summary').textContent()).toContain('Day of mourning');
    await e.expectAccessible();

    await e.page.getByLabel('Date and time').fill('2027-02-03T10:30');
    await e.page.getByLabel('Time zone').selectOption('Europe/Budapest');
    await e.page.getByRole('button', { name: 'Reschedule' }).click();
    await e.page.waitForURL(/notice=notice.postScheduled/);
    expect(await e.page.locator('.post-facts').textContent()).toMatch(/Feb 3, 2027, 10:30\sAM \(Europe\/Budapest\)/);
    expect(await e.page.getByLabel('Time zone').inputValue()).toBe('Europe/Budapest');
    e.expectClean();
    await e.close();
  });

  it('settles an unconfirmed publication, withdraws a published one (confirmed first), and cancels a post', async () => {
    // A sandbox that loses the answer to every publication and, like Telegram, cannot be asked afterwards:
    // the target ends `unconfirmed`, waiting for a person, the way it does in production.
    const channel = (
      await api.admin.post(`${seed.base}/channels`, {
        platform: 'sandbox',
        displayName: 'Sandbox that cannot be asked',
        settings: { sandbox: { fail: 'ambiguous', unconfirmable: true } },
      })
    ).body;
    const postId = await draft(seed.members.author, {
      channelIds: [channel.id],
      scheduledAt: new Date(api.clock.now().getTime() + 2_000).toISOString(),
      timeZone: 'UTC',
    });
    await seed.members.author.post(`/api/posts/${postId}/submit`);
    expect((await seed.members.editor.post(`/api/posts/${postId}/approve`)).status).toBe(200);
    await poll(
      'target waiting for a person',
      async () => (await seed.members.editor.get(`/api/posts/${postId}`)).body.targets[0],
      waitingForPerson,
      60_000,
      250,
    );
    const sql = (q: string, p: unknown[]) => api.running.runtime.dataSource.query(q, p);
    const url = `/app/${slug}/posts/${postId}`;

    const e = await as(seed.members.editor);
    await e.goto(url);
    const row = e.page.getByRole('row', { name: /Sandbox/ });
    expect(await row.locator('.badge').textContent()).toBe('unconfirmed');
    expect(await row.textContent()).toContain('sandbox: set to model a platform that cannot be asked');
    await e.page.getByRole('button', { name: 'Record the answer' }).click();
    expect(await e.page.locator('.field-error').first().textContent()).toBe('Choose whether it is published');
    await e.expectAccessible();
    await e.page.getByLabel('It is published').check();
    await e.page.getByLabel('Link to the publication (optional)').fill('https://sandbox.example/p/1');
    await e.page.getByRole('button', { name: 'Record the answer' }).click();
    await e.page.waitForURL(/notice=notice.postResolved/);
    expect(
      await e.page
        .getByRole('row', { name: /Sandbox/ })
        .locator('.badge')
        .textContent(),
    ).toBe('published');
    expect(await e.page.getByRole('link', { name: 'See it on Sandbox' }).getAttribute('href')).toBe('https://sandbox.example/p/1');
    await e.expectAccessible();

    // Withdrawing asks first; dismissing changes nothing.
    await sql(`UPDATE publication_targets SET external_id = gen_random_uuid()::text WHERE post_id = $1`, [postId]);
    await e.page.getByLabel('Reason for withdrawing').fill('Wrong day announced.');
    e.page.once('dialog', (d) => void d.dismiss());
    await e.page.getByRole('button', { name: 'Withdraw from Sandbox' }).click();
    expect(
      await e.page
        .getByRole('row', { name: /Sandbox/ })
        .locator('.badge')
        .textContent(),
    ).toBe('published');
    e.page.once('dialog', (d) => {
      expect(d.message()).toBe('Delete this post from Sandbox that cannot be asked? This cannot be undone.');
      void d.accept();
    });
    await e.page.getByRole('button', { name: 'Withdraw from Sandbox' }).click();
    await e.page.waitForURL(/notice=notice.postWithdrawn/);
    expect(
      await e.page
        .getByRole('row', { name: /Sandbox/ })
        .locator('.badge')
        .textContent(),
    ).toBe('withdrawn');

    // What went out is a record: nothing is left to cancel, and its text is not edited.
    expect(await e.page.getByRole('button', { name: 'Cancel the post' }).count()).toBe(0);
    expect(await e.page.getByRole('link', { name: 'Edit the post' }).count()).toBe(0);

    // A post that has not gone out is cancelled.
    const other = await draft(seed.members.author, { channelIds: [channel.id] });
    await e.goto(`/app/${slug}/posts/${other}`);
    e.page.once('dialog', (d) => void d.accept());
    await e.page.getByRole('button', { name: 'Cancel the post' }).click();
    await e.page.waitForURL(/notice=notice.postCancelled/);
    expect(await statusOf(e)).toBe('cancelled');
    expect(await e.page.getByRole('button', { name: 'Cancel the post' }).count()).toBe(0);
    expect(await e.page.getByRole('link', { name: 'Edit the post' }).count()).toBe(0);
    await e.expectAccessible();
    e.expectClean();
    await e.close();
  });

  it('sends a failed publication again from its row; in Romanian its history has no English', async () => {
    const channel = (
      await api.admin.post(`${seed.base}/channels`, {
        platform: 'sandbox',
        displayName: 'Sandbox that refuses',
        settings: { sandbox: { fail: 'invalid' } },
      })
    ).body;
    const postId = await draft(seed.members.author, {
      channelIds: [channel.id],
      scheduledAt: new Date(api.clock.now().getTime() + 2_000).toISOString(),
      timeZone: 'UTC',
    });
    await seed.members.author.post(`/api/posts/${postId}/submit`);
    expect((await seed.members.editor.post(`/api/posts/${postId}/approve`)).status).toBe(200);
    await poll(
      'target failed',
      async () => (await seed.members.editor.get(`/api/posts/${postId}`)).body.targets[0],
      (t: { status: string }) => t.status === 'failed',
      60_000,
      250,
    );
    const s = await as(seed.members.editor, 'ro-RO');
    await s.goto(`/app/${slug}/posts/${postId}`);
    const row = s.page.getByRole('row', { name: /Sandbox that refuses/ });
    expect(await row.locator('.badge').textContent()).toBe('eșuată');
    await row.locator('summary').click();
    const history = (await row.locator('ol.events').textContent())!;
    expect(history).toContain('platforma a refuzat postarea');
    expect(history).toContain('preluată pentru publicare');
    // No outcome in English: the words the English page would show are absent.
    for (const english of ['refused the post', 'taken for publishing', 'due soon', 'approved with its time', 'added to the post'])
      expect(history).not.toContain(english);
    await s.expectAccessible();

    // The cause fixed (the channel stops refusing), an editor sends it again.
    await api.admin.patch(`${seed.base}/channels/${channel.id}`, { settings: {} });
    await s.page.getByRole('button', { name: 'Trimiteți din nou pe Sandbox that refuses' }).click();
    await s.page.waitForURL(/notice=notice.postRetried/);
    expect(
      await s.page
        .getByRole('row', { name: /Sandbox that refuses/ })
        .locator('.badge')
        .textContent(),
    ).toBe('programată');
    await poll(
      'target published',
      async () => (await seed.members.editor.get(`/api/posts/${postId}`)).body.targets[0],
      (t: { status: string }) => t.status === 'published',
      60_000,
      250,
    );
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('comments: added through the form, an empty one refused next to the field; a viewer reads them, sees no form, and a forged approve is 403', async () => {
    const postId = await draft(seed.members.author);
    await seed.members.author.post(`/api/posts/${postId}/submit`);
    const url = `/app/${slug}/posts/${postId}`;

    const a = await as(seed.members.author);
    await a.goto(url);
    expect(await a.page.getByRole('heading', { name: 'Comments (0)' }).count()).toBe(1);
    await a.page.getByLabel('Your comment').fill('   ');
    await a.page.getByRole('button', { name: 'Add comment' }).click();
    expect(await a.page.locator('#f-comment-body-error').textContent()).toBe('This is too short');
    await a.expectAccessible();
    await a.page.getByLabel('Your comment').fill('Is 18:00 right? <b>The hall</b> closes at 20.');
    await a.page.getByRole('button', { name: 'Add comment' }).click();
    await a.page.waitForURL(/notice=notice.postCommented/);
    expect(await a.page.locator('.comments li').textContent()).toContain('You');
    expect(await a.page.locator('.comments .post-text').textContent()).toBe('Is 18:00 right? <b>The hall</b> closes at 20.');

    const v = await as(seed.members.viewer);
    await v.goto(url);
    expect(await v.page.getByRole('heading', { name: 'Comments (1)' }).count()).toBe(1);
    expect(await v.page.locator('.comments li').textContent()).toContain('author');
    expect(await v.page.locator('#actions-h + p').textContent()).toBe('Your role lets you read this post, not change it.');
    expect(await v.page.locator('main form').count()).toBe(0);
    await v.expectAccessible();
    const forged = await forge(v, `${url}/approve`);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Your role does not allow this.');
    expect((await seed.members.viewer.get(`/api/posts/${postId}`)).body.status).toBe('in_review');
    // A post of another address is not found; nor is a bad id a 500.
    expect(await v.goto(`/app/${slug}/posts/00000000-0000-4000-8000-000000000000`)).toBe(404);
    expect(await v.goto(`/app/${slug}/posts/not-a-uuid`)).toBe(400);
    for (const s of [a, v]) {
      s.expectClean();
      await s.close();
    }
  });

  it('speaks Romanian', async () => {
    const postId = await draft(seed.members.author);
    await seed.members.author.post(`/api/posts/${postId}/submit`);
    const s = await as(seed.members.editor, 'ro-RO');
    await s.goto(`/app/${slug}/posts/${postId}`);
    expect(await s.page.locator('html').getAttribute('lang')).toBe('ro');
    expect(await s.page.locator('h1').textContent()).toBe('Postare în „Shared campaign”');
    expect(await s.page.locator('#actions-h').textContent()).toBe('Ce puteți face');
    expect(await statusOf(s)).toBe('în revizuire');
    expect(await s.page.getByRole('button', { name: 'Aprobați' }).count()).toBe(1);
    expect(await s.page.getByRole('heading', { name: 'Română (ro)' }).count()).toBe(1);
    await s.page.getByRole('button', { name: 'Respingeți cu acest motiv' }).click();
    expect(await s.page.locator('#f-reject-reason-error').textContent()).not.toBe('');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
