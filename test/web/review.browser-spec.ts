import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TestApi, seedInstitution, type Client } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

/** The review inbox in real Chromium: what waits for me, mine waiting for others, mine sent back with the reason. */
describeInBrowser(`staff pages: the review inbox (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  const slug = 'review-town';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, slug);
    browser = await launchBrowser();
    const { author, editor, editor2, contributor } = seed.members;
    const post = async (by: Client, ro: string) => {
      const res = await by.post(`${seed.base}/posts`, {
        campaignId: seed.campaign.id,
        channelIds: [seed.sandbox.id],
        variants: [
          { language: 'ro', text: ro },
          { language: 'hu', text: `${ro} (magyarul)` },
        ],
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body.id as string;
    };
    // The author's post in review; the editor's own post in review; the author's post sent back; a draft.
    ids.authorInReview = await post(author, 'Târgul de Crăciun se deschide vineri.');
    ids.editorInReview = await post(editor, 'Programul de iarnă al bibliotecii.');
    ids.authorRejected = await post(author, 'Concurs de desene pentru copii.');
    ids.contributorDraft = await post(contributor, 'Voluntari pentru curățenia parcului.');
    for (const [id, by] of [
      [ids.authorInReview, author],
      [ids.editorInReview, editor],
      [ids.authorRejected, author],
    ] as const) {
      const res = await by.post(`/api/posts/${id}/submit`);
      if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    }
    const rejected = await editor2.post(`/api/posts/${ids.authorRejected}/reject`, { reason: 'Say which age groups may take part.' });
    if (rejected.status !== 200) throw new Error(JSON.stringify(rejected.body));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  async function as(member: Client, locale?: string): Promise<WebSession> {
    const s = await WebSession.open(browser, api.url, { locale });
    await s.context.addCookies([{ name: 'civicpost_session', value: member.token!, url: api.url }]);
    return s;
  }

  const items = (s: WebSession, heading: string) =>
    s.page.locator('section', { has: s.page.getByRole('heading', { name: heading }) }).locator('.post-link');

  it('an editor sees what waits for their review, and their own post waiting for another reviewer; the link leads to the post', async () => {
    const s = await as(seed.members.editor);
    expect(await s.goto(`/app/${slug}/review`)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Review inbox');
    expect(await s.page.getByRole('link', { name: 'Review', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await items(s, 'Waiting for your review (1)').allTextContents()).toEqual(['Târgul de Crăciun se deschide vineri.']);
    expect(await items(s, 'Yours, waiting for another reviewer (1)').allTextContents()).toEqual(['Programul de iarnă al bibliotecii.']);
    expect(await s.page.getByText('You wrote or edited these, so another editor or administrator must approve them.').count()).toBe(1);
    expect(await items(s, 'Sent back to you (0)').count()).toBe(0);
    expect(await s.page.locator('main').textContent()).toContain('Sandbox');
    await s.expectAccessible();

    await s.page.getByRole('link', { name: 'Târgul de Crăciun se deschide vineri.' }).click();
    await s.page.waitForURL(new RegExp(`/posts/${ids.authorInReview}$`));
    expect(await s.page.getByRole('button', { name: 'Approve' }).count()).toBe(1);
    s.expectClean();
    await s.close();
  });

  it('an author sees their post in review and the one sent back, with the reason; nothing to review themselves', async () => {
    const s = await as(seed.members.author);
    await s.goto(`/app/${slug}/review`);
    expect(await s.page.locator('#for-me-h + p').textContent()).toBe('Editors and administrators review posts; your role does not.');
    expect(await items(s, 'Yours, waiting for another reviewer (1)').allTextContents()).toEqual(['Târgul de Crăciun se deschide vineri.']);
    const back = s.page.locator('section', { has: s.page.getByRole('heading', { name: 'Sent back to you (1)' }) });
    expect(await back.locator('.post-link').textContent()).toBe('Concurs de desene pentru copii.');
    expect(await back.locator('.reason-line').textContent()).toBe('Reason: Say which age groups may take part.');
    expect(await back.locator('.badge').textContent()).toBe('rejected');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('a contributor (who may not list channels) and a viewer see the page; an editor2 sees both posts in review', async () => {
    const c = await as(seed.members.contributor);
    expect(await c.goto(`/app/${slug}/review`)).toBe(200);
    expect(await c.page.locator('#mine-h + p').textContent()).toBe('None of your posts is waiting for review.');
    await c.expectAccessible();
    const e2 = await as(seed.members.editor2);
    await e2.goto(`/app/${slug}/review`);
    expect((await items(e2, 'Waiting for your review (2)').allTextContents()).sort()).toEqual([
      'Programul de iarnă al bibliotecii.',
      'Târgul de Crăciun se deschide vineri.',
    ]);
    const v = await as(seed.members.viewer);
    await v.goto(`/app/${slug}/review`);
    expect(await v.page.locator('#for-me-h + p').textContent()).toBe('Editors and administrators review posts; your role does not.');
    for (const s of [c, e2, v]) {
      s.expectClean();
      await s.close();
    }
  });

  it('speaks Romanian', async () => {
    const s = await as(seed.members.author, 'ro-RO');
    await s.goto(`/app/${slug}/review`);
    expect(await s.page.locator('h1').textContent()).toBe('Postări de revizuit');
    expect(await s.page.locator('#back-h').textContent()).toBe('Trimise înapoi la dumneavoastră (1)');
    expect(await s.page.locator('.reason-line strong').textContent()).toBe('Motiv:');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
