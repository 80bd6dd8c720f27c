import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApi, seedInstitution } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

// Each step is a real page load in Chromium with axe; on a busy machine a test takes more than the default 90 s.
jest.setTimeout(240_000);

/** Members and partners: administrators add, change and remove them through the forms; everyone else reads. */
describeInBrowser(`staff pages: members and partners (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  const MEMBERS = '/app/mem-town/members';

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'mem-town');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  /** The admin in a browser that accepts every "are you sure?" and remembers what it asked. */
  async function asAdmin(locale?: string): Promise<{ s: WebSession; asked: string[] }> {
    const s = await WebSession.open(browser, api.url, locale ? { locale } : {});
    const asked: string[] = [];
    s.page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    return { s, asked };
  }

  const row = (s: WebSession, text: string) => s.page.locator('table.members-table tbody tr', { hasText: text });
  const addForm = (s: WebSession) => s.page.getByRole('form', { name: 'Add a member' });

  async function submit(s: WebSession, click: () => Promise<void>): Promise<{ status: number; headers: Record<string, string> }> {
    const [answer] = await Promise.all([
      s.page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
      click(),
    ]);
    await s.page.waitForLoadState('load');
    return { status: answer.status(), headers: answer.headers() };
  }

  it('lists the members with their roles in words and the contributor’s partner; axe finds nothing', async () => {
    const { s } = await asAdmin();
    expect(await s.goto(MEMBERS)).toBe(200);
    expect(await s.page.locator('h1').textContent()).toBe('Members and partners');
    expect(await s.page.locator('table.members-table caption').textContent()).toBe('6 members of Institution mem-town');
    expect(await row(s, 'editor@mem-town.example').locator('td').nth(1).textContent()).toBe('editor');
    expect(await row(s, 'contributor@mem-town.example').locator('td').nth(2).textContent()).toBe('NGO of mem-town');
    expect(await row(s, 'viewer@mem-town.example').locator('td').nth(1).textContent()).toBe('viewer');
    expect(await row(s, ADMIN_EMAIL).locator('th').textContent()).toContain('(you)');
    expect(await s.page.locator('table.partners-table tbody tr').first().locator('th').textContent()).toBe('NGO of mem-town');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('adds a contributor: without a partner it is refused next to the field, keeping what was typed; the temporary password is shown once, on the answer only', async () => {
    const { s } = await asAdmin();
    await s.goto(MEMBERS);
    const form = addForm(s);
    await form.getByLabel('E-mail').fill('Ioana.Volunteer@ngo.example');
    await form.getByLabel('Name').fill('Ioana Voluntara');
    await form.getByLabel('Role').selectOption({ label: 'contributor' });
    const refused = await submit(s, () => form.getByRole('button', { name: 'Add member' }).click());
    expect(refused.status).toBe(422);
    expect(await s.page.locator('#f-partnerId-error').textContent()).toBe('A contributor belongs to a partner: choose one');
    expect(await addForm(s).getByLabel('Partner (NGO)').getAttribute('aria-invalid')).toBe('true');
    expect(await addForm(s).getByLabel('E-mail').inputValue()).toBe('Ioana.Volunteer@ngo.example');
    expect(await addForm(s).getByLabel('Name').inputValue()).toBe('Ioana Voluntara');
    expect(await addForm(s).getByLabel('Role').inputValue()).toBe('contributor');
    expect(await s.page.evaluate('document.activeElement.className')).toBe('error-summary');
    await s.expectAccessible();

    await addForm(s).getByLabel('Partner (NGO)').selectOption({ label: 'NGO of mem-town' });
    const added = await submit(s, () => addForm(s).getByRole('button', { name: 'Add member' }).click());
    expect(added.status).toBe(200);
    expect(added.headers['cache-control']).toBe('no-store');
    expect(await s.page.locator('h1').textContent()).toBe('Member added');
    const password = (await s.page.locator('code.password').textContent())!;
    expect(password).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
    expect(s.page.url()).not.toContain(password);
    expect(new URL(s.page.url()).pathname).toBe(MEMBERS);
    expect(await s.page.locator('main').textContent()).toContain(
      'Ioana Voluntara (ioana.volunteer@ngo.example) is now a member of Institution mem-town, as contributor.',
    );
    expect(await s.page.locator('main').textContent()).toContain('in person or by phone, not by e-mail or chat');
    await s.expectAccessible();

    // Once: the list does not show it again.
    await s.page.getByRole('link', { name: 'Back to members and partners' }).first().click();
    await s.page.waitForLoadState('load');
    expect(await s.page.content()).not.toContain(password);
    expect(await row(s, 'ioana.volunteer@ngo.example').locator('td').nth(1).textContent()).toBe('contributor');
    expect(await row(s, 'ioana.volunteer@ngo.example').locator('td').nth(2).textContent()).toBe('NGO of mem-town');
    s.expectClean();
    await s.close();
  });

  it('adds an author whose temporary password works for the first login, which asks for a password of their own', async () => {
    const { s } = await asAdmin();
    await s.goto(MEMBERS);
    await addForm(s).getByLabel('E-mail').fill('new.author@mem-town.example');
    await addForm(s).getByLabel('Name').fill('Nou Autor');
    await addForm(s).getByLabel('Role').selectOption('author');
    await submit(s, () => addForm(s).getByRole('button', { name: 'Add member' }).click());
    const password = (await s.page.locator('code.password').textContent())!;

    const newcomer = await WebSession.open(browser, api.url);
    await newcomer.login('new.author@mem-town.example', password);
    expect(new URL(newcomer.page.url()).pathname).toBe('/account/password');
    expect(await newcomer.page.locator('.banner.warn').textContent()).toContain('temporary password');
    newcomer.expectClean();
    await newcomer.close();

    // Someone who already has an account keeps it: no password to hand over.
    await s.goto(MEMBERS);
    const other = await api.admin.post('/api/institutions', {
      name: 'Neighbour',
      slug: 'mem-neighbour',
      timeZone: 'Europe/Bucharest',
      languages: ['ro'],
    });
    expect(other.status).toBe(201);
    await api.admin.post(`/api/institutions/${other.body.id}/members`, { email: 'shared@mem-town.example', role: 'viewer' });
    await addForm(s).getByLabel('E-mail').fill('shared@mem-town.example');
    await addForm(s).getByLabel('Role').selectOption('viewer');
    await submit(s, () => addForm(s).getByRole('button', { name: 'Add member' }).click());
    expect(await s.page.getByRole('status').textContent()).toContain('They already had a CivicPost account');
    expect(await s.page.locator('code.password').count()).toBe(0);
    // Added twice: refused next to the e-mail.
    await addForm(s).getByLabel('E-mail').fill('shared@mem-town.example');
    const twice = await submit(s, () => addForm(s).getByRole('button', { name: 'Add member' }).click());
    expect(twice.status).toBe(409);
    expect(await s.page.locator('#f-email-error').textContent()).toBe('This person is already a member of this institution');
    s.expectClean();
    await s.close();
  });

  it('changes a role; a contributor without partner and demoting the last administrator are refused next to the field of that row', async () => {
    const { s } = await asAdmin();
    await s.goto(MEMBERS);
    const author = row(s, 'author@mem-town.example');
    await author.getByLabel('Role of author').selectOption('editor');
    await submit(s, () => author.getByRole('button', { name: 'Change role for author' }).click());
    expect(await s.page.getByRole('status').textContent()).toBe('The role was changed.');
    expect(await row(s, 'author@mem-town.example').locator('td').nth(1).textContent()).toBe('editor');

    // The editor2 becomes a contributor, but no partner is chosen.
    await row(s, 'editor2@mem-town.example').getByLabel('Role of editor2').selectOption('contributor');
    const noPartner = await submit(s, () =>
      row(s, 'editor2@mem-town.example')
        .getByRole('button', { name: /^Change role/ })
        .click(),
    );
    expect(noPartner.status).toBe(422);
    const editor2 = row(s, 'editor2@mem-town.example');
    expect(await editor2.locator('.field-error').textContent()).toBe('A contributor belongs to a partner: choose one');
    expect(await editor2.getByLabel('Role of editor2').inputValue()).toBe('contributor');
    expect(await editor2.getByLabel('Partner of editor2, for a contributor').getAttribute('aria-invalid')).toBe('true');
    expect(await editor2.locator('td').nth(1).textContent()).toBe('editor'); // unchanged
    await s.expectAccessible();

    const me = row(s, ADMIN_EMAIL);
    await me.getByRole('combobox').first().selectOption('viewer');
    const lastAdmin = await submit(s, () => me.getByRole('button', { name: /^Change role/ }).click());
    expect(lastAdmin.status).toBe(409);
    expect(await row(s, ADMIN_EMAIL).locator('.field-error').textContent()).toBe(
      'The institution must keep at least one administrator: appoint another one first',
    );
    expect(await s.page.locator('.error-summary a').getAttribute('href')).toMatch(/^#role-/);
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('removes a member after asking; removing the last administrator is refused next to its button', async () => {
    const { s, asked } = await asAdmin();
    await s.goto(MEMBERS);
    const lastAdmin = await submit(s, () =>
      row(s, ADMIN_EMAIL)
        .getByRole('button', { name: /^Remove/ })
        .click(),
    );
    expect(asked[0]).toContain(`(${ADMIN_EMAIL}) from Institution mem-town?`);
    expect(lastAdmin.status).toBe(409);
    const mine = row(s, ADMIN_EMAIL);
    expect(await mine.locator('.field-error').textContent()).toBe(
      'The institution must keep at least one administrator: appoint another one first',
    );
    expect(await mine.getByRole('button', { name: /^Remove/ }).getAttribute('aria-describedby')).toMatch(/-error$/);
    await s.expectAccessible();

    await submit(s, () => row(s, 'new.author@mem-town.example').getByRole('button', { name: 'Remove (Nou Autor)' }).click());
    expect(asked[1]).toBe('Remove Nou Autor (new.author@mem-town.example) from Institution mem-town? They will no longer see its pages.');
    expect(await s.page.getByRole('status').textContent()).toBe('The member was removed.');
    expect(await row(s, 'new.author@mem-town.example').count()).toBe(0);
    const list = await api.admin.get(`${seed.base}/members?limit=200`);
    expect(list.body.items.map((m: { email: string }) => m.email)).not.toContain('new.author@mem-town.example');
    s.expectClean();
    await s.close();
  });

  it('partners: added; a bad website and a name taken are refused next to their fields, keeping what was typed', async () => {
    const { s } = await asAdmin();
    await s.goto(MEMBERS);
    const add = s.page.getByRole('form', { name: 'Add a partner' });
    await add.getByLabel('Name').fill('Banca de Alimente');
    await add.getByLabel('Website (optional)').fill('https://food.example.org');
    await submit(s, () => add.getByRole('button', { name: 'Add partner' }).click());
    expect(await s.page.getByRole('status').textContent()).toBe('The partner was added.');
    const partner = s.page.locator('table.partners-table tbody tr', { hasText: 'Banca de Alimente' });
    expect(await partner.getByRole('link').getAttribute('href')).toBe('https://food.example.org');
    expect(await partner.locator('td.n').textContent()).toBe('0');

    await s.page.getByRole('form', { name: 'Add a partner' }).getByLabel('Name').fill('banca de alimente');
    await s.page.getByRole('form', { name: 'Add a partner' }).getByLabel('Website (optional)').fill('not a website');
    const taken = await submit(s, () => s.page.getByRole('button', { name: 'Add partner' }).click());
    expect(taken.status).toBe(400);
    expect(await s.page.locator('#f-partner-website-error').textContent()).toBe('Write a full address starting with https://');
    expect(await s.page.getByRole('form', { name: 'Add a partner' }).getByLabel('Name').inputValue()).toBe('banca de alimente');
    await s.page.getByRole('form', { name: 'Add a partner' }).getByLabel('Website (optional)').fill('');
    const taken2 = await submit(s, () => s.page.getByRole('button', { name: 'Add partner' }).click());
    expect(taken2.status).toBe(409);
    expect(await s.page.locator('#f-partner-name-error').textContent()).toBe('A partner with this name exists already');
    expect(await s.page.getByRole('form', { name: 'Add a partner' }).getByLabel('Name').inputValue()).toBe('banca de alimente');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('partners: renamed (an empty name refused next to its box), and removed after asking unless contributors still belong to it', async () => {
    const { s, asked } = await asAdmin();
    await s.goto(MEMBERS);
    const renameBox = s.page.getByLabel('New name for Banca de Alimente');
    await renameBox.fill('Banca de Alimente Timiș');
    await submit(s, () => s.page.getByRole('button', { name: 'Rename (Banca de Alimente)' }).click());
    expect(await s.page.getByRole('status').textContent()).toBe('The partner was renamed.');
    expect(await s.page.locator('table.partners-table tbody th').allTextContents()).toEqual(['Banca de Alimente Timiș', 'NGO of mem-town']);

    // An empty name is refused next to the box of that row.
    await s.page.getByLabel('New name for NGO of mem-town').fill('');
    const empty = await submit(s, () => s.page.getByRole('button', { name: 'Rename (NGO of mem-town)' }).click());
    expect(empty.status).toBe(400);
    expect(await s.page.getByLabel('New name for NGO of mem-town').getAttribute('aria-invalid')).toBe('true');

    const inUse = await submit(s, () => s.page.getByRole('button', { name: 'Remove (NGO of mem-town)' }).click());
    expect(inUse.status).toBe(409);
    expect(
      await s.page.locator('table.partners-table tbody tr', { hasText: 'NGO of mem-town' }).locator('.field-error').textContent(),
    ).toContain('Contributors still belong to this partner');
    await s.expectAccessible();

    await submit(s, () => s.page.getByRole('button', { name: 'Remove (Banca de Alimente Timiș)' }).click());
    expect(asked.at(-1)).toBe('Remove the partner Banca de Alimente Timiș?');
    expect(await s.page.getByRole('status').textContent()).toBe('The partner was removed.');
    expect(await s.page.locator('table.partners-table tbody th').allTextContents()).toEqual(['NGO of mem-town']);
    s.expectClean();
    await s.close();
  });

  it('a viewer reads members and partners without any form to change them, and a forged POST gets the 403 page', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.context.addCookies([{ name: 'civicpost_session', value: seed.members.viewer.token!, url: api.url }]);
    expect(await s.goto(MEMBERS)).toBe(200);
    expect(await s.page.locator('main').textContent()).toContain('Only administrators add, change or remove members and partners.');
    expect(await row(s, 'editor@mem-town.example').count()).toBe(1);
    expect(await s.page.locator('main form').count()).toBe(0);
    expect(await s.page.getByRole('button', { name: /Add member|Remove|Change role|Rename/ }).count()).toBe(0);
    await s.expectAccessible();

    // The form an admin sees, sent with the viewer's own valid CSRF token: the role is what refuses it.
    const forged = (await s.page.evaluate(`(async () => {
      const token = document.querySelector('input[name="_csrf"]').value;
      const body = new URLSearchParams({ _csrf: token, email: 'intruder@mem-town.example', role: 'admin' });
      const r = await fetch(location.pathname, { method: 'POST', body });
      return { status: r.status, text: await r.text() };
    })()`)) as { status: number; text: string };
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('<h1>Not allowed</h1>');
    const list = await api.admin.get(`${seed.base}/members?limit=200`);
    expect(list.body.items.map((m: { email: string }) => m.email)).not.toContain('intruder@mem-town.example');
    s.problems.splice(0); // the forged request's 403 is logged by the browser
    await s.close();
  });

  it('a contributor may not see the members list (the 403 page)', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.context.addCookies([{ name: 'civicpost_session', value: seed.members.contributor.token!, url: api.url }]);
    expect(await s.goto(MEMBERS)).toBe(403);
    expect(await s.page.locator('h1').textContent()).toBe('Not allowed');
    await s.close();
  });

  it('speaks Romanian', async () => {
    const { s } = await asAdmin('ro-RO');
    await s.goto(MEMBERS);
    expect(await s.page.locator('h1').textContent()).toBe('Membri și parteneri');
    expect(await row(s, 'viewer@mem-town.example').locator('td').nth(1).textContent()).toBe('observator');
    expect(await s.page.getByRole('button', { name: 'Adaugă membrul' }).count()).toBe(1);
    await s.page.getByRole('form', { name: 'Adăugați un membru' }).getByLabel('E-mail').fill('nu-este-email');
    await submit(s, () => s.page.getByRole('button', { name: 'Adaugă membrul' }).click());
    expect(await s.page.locator('#f-email-error').textContent()).toBe('Scrieți o adresă de e-mail, de exemplu nume@exemplu.ro');
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });
});
