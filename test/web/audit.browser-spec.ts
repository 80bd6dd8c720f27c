import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TestApi, seedInstitution } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

// Each step is a real page load in Chromium with axe; on a busy machine a test takes more than the default 90 s.
jest.setTimeout(240_000);

/** The audit trail viewer: newest first, in words, filtered, paged, and the check of its hash chain. */
describeInBrowser(`staff pages: audit trail (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  let total: number;
  const AUDIT = '/app/aud-town/audit';

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'aud-town');
    // Someone who acts, then leaves: the trail still says who they were.
    const dana = await api.member(api.admin, seed.id, 'dana@aud-town.example', 'author');
    await api.admin.patch(`${seed.base}/members/${dana.memberId}`, { role: 'editor' });
    expect(
      (await dana.post(`${seed.base}/campaigns`, { title: 'Dana’s campaign', startsOn: '2026-12-01', endsOn: '2026-12-31' })).status,
    ).toBe(201);
    expect((await api.admin.delete(`${seed.base}/members/${dana.memberId}`)).status).toBe(204);
    const partner = (await api.admin.post(`${seed.base}/partners`, { name: 'Crucea Roșie' })).body;
    // Enough events for a second page.
    for (let i = 1; i <= 40; i++) await api.admin.patch(`${seed.base}/partners/${partner.id}`, { name: `Crucea Roșie ${i}` });
    expect((await api.admin.delete(`${seed.base}/partners/${partner.id}`)).status).toBe(204);
    total = (await api.admin.get(`${seed.base}/audit?limit=1`)).body.total;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  async function as(who: 'editor' | 'viewer' | 'author', locale?: string): Promise<WebSession> {
    const s = await WebSession.open(browser, api.url, locale ? { locale } : {});
    await s.context.addCookies([{ name: 'civicpost_session', value: seed.members[who].token!, url: api.url }]);
    return s;
  }

  const rows = (s: WebSession) => s.page.locator('table.audit-table tbody tr');

  it('lists the newest events first with who, when (in the institution’s zone), the action in words and its code; axe finds nothing', async () => {
    expect(total).toBeGreaterThan(50);
    const s = await as('editor');
    expect(await s.goto(AUDIT)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Audit trail');
    const caption = await s.page.locator('table.audit-table caption').textContent();
    expect(caption).toContain(`Events 1–50 of ${total}, newest first.`);
    expect(caption).toMatch(/Times in Eastern European (Standard|Summer) Time \(Europe\/Bucharest\)\.$/);
    expect(await rows(s).count()).toBe(50);
    const seqs = (await rows(s).locator('th').allTextContents()).map(Number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const newest = rows(s).first();
    expect(await newest.locator('td').nth(2).innerText()).toBe('removed a partner\npartner.removed');
    expect(await newest.locator('td').nth(1).innerText()).toBe('Administrator\nadmin@test.example');
    expect(await newest.locator('td').nth(4).textContent()).toBe('name: Crucea Roșie 40');
    const time = newest.locator('time');
    const at = new Date((await time.getAttribute('datetime'))!);
    // Written a moment ago by the app's clock (TEST_NOW, not the day the test runs).
    expect(api.clock.now().getTime() - at.getTime()).toBeLessThan(30 * 60_000);
    expect(api.clock.now().getTime() - at.getTime()).toBeGreaterThanOrEqual(0);
    expect(await time.textContent()).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/Bucharest' }).format(at),
    );

    // Nothing on the page changes the trail: no form is sent by POST but the page frame's own.
    expect(await s.page.locator('main form[method="post"]').count()).toBe(0);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('filters by action; a member who left is still named as actor and as the one removed', async () => {
    const s = await as('editor');
    await s.goto(AUDIT);
    await s.page.getByLabel('Action').selectOption({ label: 'created a campaign (campaign.created)' });
    await s.page.getByRole('button', { name: 'Show', exact: true }).click();
    await s.page.waitForLoadState('load');
    expect(new URL(s.page.url()).searchParams.get('action')).toBe('campaign.created');
    expect(await s.page.getByLabel('Action').inputValue()).toBe('campaign.created');
    expect(await rows(s).locator('td code:not(.id)').allTextContents()).toEqual([
      'campaign.created',
      'campaign.created',
      'campaign.created',
    ]);
    expect(await rows(s).first().locator('td').nth(1).innerText()).toBe('dana\ndana@aud-town.example');

    await s.page.getByLabel('Action').selectOption('member.removed');
    await s.page.getByRole('button', { name: 'Show', exact: true }).click();
    await s.page.waitForLoadState('load');
    expect(await rows(s).count()).toBe(1);
    expect(await rows(s).first().locator('td').nth(4).innerText()).toBe('role: editor\nuserId: dana <dana@aud-town.example>');
    expect(await rows(s).first().locator('td').nth(3).innerText()).toMatch(/^member\n[0-9a-f-]{36}$/);
    await s.expectAccessible();

    await s.page.getByRole('link', { name: 'Show all actions' }).click();
    await s.page.waitForLoadState('load');
    expect(await rows(s).count()).toBe(50);
    s.expectClean();
    await s.close();
  });

  it('pages through older events and back', async () => {
    const s = await as('viewer');
    await s.goto(AUDIT);
    const pages = s.page.getByRole('navigation', { name: 'Pages of the audit trail' });
    expect(await pages.textContent()).toContain('Page 1 of 2');
    expect(await pages.getByRole('link', { name: /Newer events/ }).count()).toBe(0);
    const lastOnFirst = Number(await rows(s).last().locator('th').textContent());
    await pages.getByRole('link', { name: /Older events/ }).click();
    await s.page.waitForLoadState('load');
    expect(new URL(s.page.url()).searchParams.get('page')).toBe('2');
    expect(await rows(s).count()).toBe(total - 50);
    expect(Number(await rows(s).first().locator('th').textContent())).toBeLessThan(lastOnFirst);
    expect(await s.page.locator('table.audit-table caption').textContent()).toContain(`Events 51–${total} of ${total}`);
    expect(await rows(s).last().locator('td').nth(2).innerText()).toBe('created the institution\ninstitution.created');
    await s.expectAccessible();
    await s.page
      .getByRole('navigation', { name: 'Pages of the audit trail' })
      .getByRole('link', { name: /Newer events/ })
      .click();
    await s.page.waitForLoadState('load');
    expect(await rows(s).count()).toBe(50);
    // A page past the end shows the last one.
    expect(await s.goto(`${AUDIT}?page=99`)).toBe(200);
    expect(await s.page.getByRole('navigation', { name: 'Pages of the audit trail' }).textContent()).toContain('Page 2 of 2');
    s.expectClean();
    await s.close();
  });

  it('authors may not read the trail: the 403 page', async () => {
    const s = await as('author');
    expect(await s.goto(AUDIT)).toBe(403);
    expect(await s.page.locator('h1').textContent()).toBe('Not allowed');
    await s.close();
  });

  it('speaks Romanian', async () => {
    const s = await as('viewer', 'ro-RO');
    await s.goto(`${AUDIT}?action=member.added`);
    expect(await s.page.locator('h1').textContent()).toBe('Jurnal de audit');
    expect(await rows(s).first().locator('td').nth(2).innerText()).toBe('a adăugat un membru\nmember.added');
    expect(await s.page.getByRole('button', { name: 'Verifică lanțul' }).count()).toBe(1);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('verifies the chain: intact, and after a row is rewritten in the database, broken at that event', async () => {
    const s = await as('editor');
    await s.goto(AUDIT);
    await s.page.getByRole('button', { name: 'Verify the chain' }).click();
    await s.page.waitForLoadState('load');
    expect(new URL(s.page.url()).searchParams.get('verify')).toBe('1');
    expect(await s.page.locator('.verify-result').getAttribute('role')).toBe('status');
    expect(await s.page.locator('.verify-result').textContent()).toContain(
      `The chain is intact: ${total} events of this institution checked; none was changed, removed or added afterwards.`,
    );
    await s.expectAccessible();

    // Someone with superuser access to the database switches the triggers off and rewrites history.
    const db = api.running.runtime.dataSource;
    const [victim]: Array<{ seq: string }> = await db.query(
      `SELECT seq FROM audit_events WHERE institution_id = $1 AND action = 'member.added' ORDER BY seq DESC LIMIT 1`,
      [seed.id],
    );
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`UPDATE audit_events SET data = jsonb_set(data, '{role}', '"admin"') WHERE seq = $1`, [victim!.seq]);
    });

    await s.goto(`${AUDIT}?action=member.added`);
    await s.page.getByRole('button', { name: 'Verify the chain' }).click();
    await s.page.waitForLoadState('load');
    // The filter is kept, so the broken event is on the page and marked.
    expect(new URL(s.page.url()).searchParams.get('action')).toBe('member.added');
    const result = s.page.getByRole('alert');
    expect(await result.textContent()).toContain(`The chain is broken at event no. ${victim!.seq}: added a member (member.added).`);
    expect(await result.textContent()).toContain('it was changed after it was recorded');
    expect(await result.textContent()).toContain('Tell the system administrator');
    const broken = s.page.locator(`#event-${victim!.seq}`);
    expect(await broken.locator('th').textContent()).toContain('The chain breaks here');
    expect(await broken.locator('td').nth(4).textContent()).toContain('role: admin');
    await result.getByRole('link', { name: 'The chain breaks here' }).click();
    expect(new URL(s.page.url()).hash).toBe(`#event-${victim!.seq}`);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
