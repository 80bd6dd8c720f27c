import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApi, seedInstitution } from '#test/support/api.js';
import { describeInBrowser } from '#test/support/browser.js';
import { currentMode } from '#test/support/test-storage.js';
import { WebSession, launchBrowser } from '#test/support/web.js';

/** Logging in and out, the forced password change, the language of the pages, CSRF, in real Chromium. */
describeInBrowser(`staff pages: session (${currentMode()} storage)`, () => {
  let api: TestApi;
  let browser: Browser;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'web-town');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('sends a visitor to the login page and back where they were going; a wrong password keeps the e-mail and says what is wrong', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.goto('/app/web-town/');
    expect(new URL(s.page.url()).pathname).toBe('/login');
    await s.expectAccessible();

    await s.page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await s.page.getByLabel('Password').fill('not the password');
    const [refused] = await Promise.all([
      s.page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      s.page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    expect(refused.status()).toBe(401);
    expect(await s.page.locator('.error-summary').textContent()).toContain('The e-mail or the password is wrong.');
    expect(await s.page.getByLabel('E-mail').inputValue()).toBe(ADMIN_EMAIL);
    // The summary takes the focus, so a screen reader reads it first.
    expect(await s.page.evaluate('document.activeElement.className')).toBe('error-summary');
    await s.expectAccessible();

    await s.page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await s.page.getByRole('button', { name: 'Log in' }).click();
    await s.page.waitForURL(/\/app\/web-town\/?$/);
    expect(await s.page.locator('h1').textContent()).toBe('Home');
    expect(await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(
      expect.arrayContaining(['Home', 'Calendar', 'New post', 'Review', 'Campaigns', 'Channels', 'Blackouts', 'Members', 'Audit trail']),
    );
    await s.expectAccessible();
    s.expectClean();
    await s.close();
  });

  it('the session cookie is HttpOnly and SameSite; the CSRF cookie is HttpOnly and SameSite=Strict', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const cookies = await s.context.cookies();
    const session = cookies.find((c) => c.name === 'civicpost_session')!;
    const csrf = cookies.find((c) => c.name === 'civicpost_csrf')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(csrf).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await s.close();
  });

  it('a member with a temporary password must choose their own first; a mismatch is shown next to the field', async () => {
    const added = await api.admin.post(`${seed.base}/members`, {
      email: 'newcomer@web-town.example',
      role: 'author',
      displayName: 'Newcomer',
    });
    const temporary: string = added.body.temporaryPassword;
    const s = await WebSession.open(browser, api.url);
    await s.login('newcomer@web-town.example', temporary);
    expect(new URL(s.page.url()).pathname).toBe('/account/password');
    await s.page.getByLabel('Current password').fill(temporary);
    await s.page.getByLabel('New password', { exact: true }).fill('a sentence I will remember');
    await s.page.getByLabel('New password again').fill('a different sentence');
    await s.page.getByRole('button', { name: 'Change password' }).click();
    expect(await s.page.locator('#f-confirmPassword-error').textContent()).toBe('The two new passwords are not the same');
    expect(await s.page.getByLabel('New password again').getAttribute('aria-invalid')).toBe('true');
    await s.expectAccessible();

    await s.page.getByLabel('Current password').fill(temporary);
    await s.page.getByLabel('New password', { exact: true }).fill('a sentence I will remember');
    await s.page.getByLabel('New password again').fill('a sentence I will remember');
    await s.page.getByRole('button', { name: 'Change password' }).click();
    await s.page.waitForURL(/\/app\/web-town/);
    expect(await s.page.getByRole('status').textContent()).toContain('Your password is changed.');
    // An author does not see the admin's pages in the menu.
    const links = await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(links).toEqual(expect.arrayContaining(['Home', 'New post']));
    expect(links).not.toContain('Audit trail');
    s.expectClean();
    await s.close();
  });

  it('speaks Romanian when the browser asks for it, and when the person chooses it; dates follow the language', async () => {
    const s = await WebSession.open(browser, api.url, { locale: 'ro-RO' });
    await s.goto('/login');
    expect(await s.page.locator('html').getAttribute('lang')).toBe('ro');
    expect(await s.page.locator('h1').textContent()).toBe('Autentificare în CivicPost');
    await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(await s.page.locator('h1').textContent()).toBe('Acasă');
    await s.expectAccessible();

    // An English browser, switched by hand.
    const en = await WebSession.open(browser, api.url);
    await en.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await en.page.getByLabel('Language').selectOption('ro');
    await en.page.getByRole('button', { name: 'Change' }).click();
    await en.page.waitForLoadState('load');
    expect(await en.page.locator('h1').textContent()).toBe('Acasă');
    expect(await en.page.locator('#today-h').textContent()).toMatch(/^Se publică azi, \d+ [a-z]+\.? \d{4}$/);
    s.expectClean();
    en.expectClean();
    await s.close();
    await en.close();
  });

  it('logging out ends the session; a form sent without its CSRF token is refused and changes nothing', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    // A forged logout: the browser's cookies, no token (as a form on another site would send).
    const forged = (await s.page.evaluate(
      `fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' }).then(r => r.status)`,
    )) as number;
    expect(forged).toBe(403);
    expect(await s.goto('/app/web-town')).toBe(200);
    expect(new URL(s.page.url()).pathname).toBe('/app/web-town');

    await s.page.getByRole('button', { name: 'Log out' }).click();
    await s.page.waitForURL(/\/login/);
    expect(await s.page.getByRole('status').textContent()).toBe('You are logged out.');
    await s.goto('/app/web-town');
    expect(new URL(s.page.url()).pathname).toBe('/login');
    s.problems.splice(0); // the forged request's 403 is logged by the browser as a failed resource
    await s.close();
  });

  it('a page of an institution one is not a member of is a 404 page, in HTML', async () => {
    const other = await api.admin.post('/api/institutions', {
      name: 'Elsewhere',
      slug: 'elsewhere',
      timeZone: 'Europe/Warsaw',
      languages: ['pl'],
    });
    expect(other.status).toBe(201);
    const s = await WebSession.open(browser, api.url);
    const editor = seed.members.editor;
    // The editor's session from the API, as a browser cookie.
    await s.context.addCookies([{ name: 'civicpost_session', value: editor.token!, url: api.url }]);
    expect(await s.goto('/app/elsewhere')).toBe(404);
    expect(await s.page.locator('h1').textContent()).toBe('Not found');
    await s.expectAccessible();
    await s.close();
  });

  it('a system administrator creates an institution from the list of institutions; a refused slug keeps what was typed', async () => {
    const s = await WebSession.open(browser, api.url);
    await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await s.page.getByRole('link', { name: 'Institutions' }).click();
    await s.page.getByLabel('Name', { exact: true }).fill('Primăria Oradea');
    await s.page.getByLabel('Short name for addresses').fill('Oradea City!');
    await s.page.getByLabel('Time zone').fill('Europe/Bucharest');
    await s.page.getByLabel('Official languages').fill('ro, hu');
    await s.page.getByRole('button', { name: 'Create the institution' }).click();
    expect(await s.page.locator('#f-slug-error').textContent()).toContain('slug must be lower-case letters');
    expect(await s.page.getByLabel('Name', { exact: true }).inputValue()).toBe('Primăria Oradea');
    expect(await s.page.getByLabel('Official languages').inputValue()).toBe('ro, hu');
    await s.expectAccessible();
    await s.page.getByLabel('Short name for addresses').fill('oradea');
    await s.page.getByRole('button', { name: 'Create the institution' }).click();
    await s.page.waitForURL(/\/app\/oradea/);
    expect(await s.page.getByRole('status').textContent()).toBe('The institution is created, with you as its administrator.');
    const created = (await api.admin.get('/api/institutions')).body.items as Array<{ slug: string; languages: string[]; timeZone: string }>;
    expect(created.find((i) => i.slug === 'oradea')).toMatchObject({ languages: ['ro', 'hu'], timeZone: 'Europe/Bucharest' });
    s.expectClean();
    await s.close();
  });
});
