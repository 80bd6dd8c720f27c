import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, TestApi, type Reply } from '#test/support/api.js';

/**
 * Logging in and out as a user meets it: a bearer token and an HttpOnly,
 * SameSite=Lax cookie; sessions that end at logout, at expiry and at a password
 * change; login throttling per account and per address; and the password hash
 * never leaving the server.
 */

const SESSION_COOKIE = 'civicpost_session';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Every response seen through a RecordingClient, to look for password hashes at the end. */
const responses: string[] = [];

class RecordingClient extends Client {
  override async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await super.request<T>(method, path, body, headers);
    responses.push(`${method} ${path} -> ${res.status} ${JSON.stringify([...res.headers])} ${JSON.stringify(res.body)}`);
    return res;
  }
}

const withCookie = (token: string) => ({ cookie: `${SESSION_COOKIE}=${token}` });

/** The session cookie set by a response, as name=value and its attributes. */
function sessionCookie(res: Reply): { value: string; attributes: string[] } {
  const lines = res.headers.getSetCookie().filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
  expect(lines).toHaveLength(1);
  const [pair, ...attributes] = lines[0]!.split(/;\s*/);
  return { value: pair!.slice(SESSION_COOKIE.length + 1), attributes };
}

function attribute(attributes: string[], name: string): string | undefined {
  const found = attributes.find((a) => a.toLowerCase().startsWith(`${name.toLowerCase()}=`));
  return found?.slice(name.length + 1);
}

function expectUnauthenticated(res: Reply): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status: 401,
    body: { statusCode: 401, code: 'unauthenticated', message: expect.any(String) },
  });
}

function expectTooMany(res: Reply, maxSeconds: number): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status: 429,
    body: { statusCode: 429, code: 'too_many_requests', message: expect.any(String), details: { retryAfterSeconds: expect.any(Number) } },
  });
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
  expect(res.body.details.retryAfterSeconds).toBe(Number(retryAfter));
}

describe(`authentication through the API (${currentMode()} storage)`, () => {
  const TTL_MINUTES = 5;
  let api: TestApi;
  let admin: RecordingClient;
  let base: string;
  const hashes = new Set<string>();

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    new RecordingClient(api.url).request('POST', '/api/auth/login', { email, password }, headers);

  async function loggedIn(email: string, password: string): Promise<RecordingClient> {
    const res = await login(email, password);
    expect(res.status).toBe(200);
    return new RecordingClient(api.url, res.body.token);
  }

  /** A new member of the institution: their account gets a one-time password. */
  async function invite(email: string): Promise<{ userId: string; password: string }> {
    const res = await admin.post(`${base}/members`, { email, role: 'editor', displayName: email.split('@')[0] });
    expect(res.status).toBe(201);
    expect(res.body.temporaryPassword).toEqual(expect.any(String));
    return { userId: res.body.member.userId, password: res.body.temporaryPassword };
  }

  async function rememberHashes(): Promise<void> {
    const rows: Array<{ password_hash: string }> = await api.running.runtime.dataSource.query('SELECT password_hash FROM users');
    for (const row of rows) hashes.add(row.password_hash);
  }

  beforeAll(async () => {
    api = await TestApi.start({
      SESSION_TTL_MINUTES: String(TTL_MINUTES),
      LOGIN_MAX_PER_ACCOUNT: '3',
      PUBLIC_BASE_URL: 'http://civicpost.localhost:3000',
    });
    admin = await loggedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const inst = await admin.post('/api/institutions', {
      name: 'Primăria Oradea',
      slug: 'oradea',
      timeZone: 'Europe/Bucharest',
      languages: ['ro', 'hu'],
    });
    expect(inst.status).toBe(201);
    base = `/api/institutions/${inst.body.id}`;
  });
  afterAll(async () => api?.stop());

  it('login answers a bearer token with its expiry, and sets an HttpOnly, SameSite=Lax cookie on / (not Secure over http)', async () => {
    const before = api.clock.now().getTime();
    const res = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const after = api.clock.now().getTime();

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.stringMatching(TOKEN),
      tokenType: 'Bearer',
      expiresAt: expect.any(String),
      user: { id: expect.any(String), email: ADMIN_EMAIL, displayName: expect.any(String), mustChangePassword: false },
    });
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_MINUTES * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + TTL_MINUTES * 60_000 + 1000);

    const cookie = sessionCookie(res);
    expect(cookie.value).toBe(res.body.token);
    expect(cookie.attributes).toContain('HttpOnly');
    expect(cookie.attributes).toContain('SameSite=Lax');
    expect(cookie.attributes).toContain('Path=/');
    expect(cookie.attributes.map((a) => a.toLowerCase())).not.toContain('secure');
    // The browser drops the cookie when the session ends: a lifetime (Max-Age, which browsers prefer to Expires),
    // since the browser's clock need not be the app's; Expires is the same lifetime on the real clock, for old browsers.
    expect(attribute(cookie.attributes, 'Max-Age')).toBe(String(TTL_MINUTES * 60));
    const realExpiry = Date.parse(attribute(cookie.attributes, 'Expires')!) - Date.now();
    expect(Math.abs(realExpiry - TTL_MINUTES * 60_000)).toBeLessThan(5000);

    const me = await new RecordingClient(api.url, res.body.token).get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, isSystemAdmin: true, mustChangePassword: false });
  });

  it('the cookie alone authenticates /api/me; no token and no cookie answers 401', async () => {
    const res = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const browser = new RecordingClient(api.url);
    const me = await browser.request('GET', '/api/me', undefined, withCookie(sessionCookie(res).value));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL });

    expectUnauthenticated(await browser.get('/api/me'));
    expectUnauthenticated(await browser.request('GET', '/api/me', undefined, { authorization: 'Bearer ' }));
    expectUnauthenticated(await browser.request('GET', '/api/me', undefined, { authorization: `Bearer ${'A'.repeat(43)}` }));
  });

  it('a wrong password and an unknown e-mail answer 401 with the same body and set no cookie; e-mails are case-insensitive', async () => {
    const user = await invite('clerk@oradea.example');
    const wrongPassword = await login('clerk@oradea.example', 'not the password at all');
    const unknownEmail = await login('nobody@oradea.example', 'not the password at all');

    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual({ statusCode: 401, code: 'invalid_credentials', message: expect.any(String) });
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers.getSetCookie()).toEqual([]);
    expect(unknownEmail.headers.getSetCookie()).toEqual([]);

    const upperCase = await login('Clerk@Oradea.EXAMPLE', user.password);
    expect(upperCase.status).toBe(200);
    expect(upperCase.body.user).toMatchObject({ id: user.userId, email: 'clerk@oradea.example' });
  });

  it('each login issues a new token, and a token planted before login (session fixation) never becomes valid', async () => {
    const planted = randomBytes(32).toString('base64url');
    const browser = new RecordingClient(api.url);
    expectUnauthenticated(await browser.request('GET', '/api/me', undefined, withCookie(planted)));

    const first = await login(ADMIN_EMAIL, ADMIN_PASSWORD, withCookie(planted));
    expect(first.status).toBe(200);
    expect(first.body.token).not.toBe(planted);
    expect(sessionCookie(first).value).toBe(first.body.token);
    expectUnauthenticated(await browser.request('GET', '/api/me', undefined, withCookie(planted)));

    const second = await login(ADMIN_EMAIL, ADMIN_PASSWORD, withCookie(first.body.token));
    expect(second.status).toBe(200);
    expect(second.body.token).toMatch(TOKEN);
    expect(second.body.token).not.toBe(first.body.token);
    // Both logins are live sessions of their own.
    expect((await new RecordingClient(api.url, first.body.token).get('/api/me')).status).toBe(200);
    expect((await new RecordingClient(api.url, second.body.token).get('/api/me')).status).toBe(200);
  });

  it("logout ends that session: its token and its cookie then get 401, while the user's other sessions go on", async () => {
    const user = await invite('press@oradea.example');
    const laptop = await loggedIn('press@oradea.example', user.password);
    const phone = await loggedIn('press@oradea.example', user.password);

    const out = await laptop.post('/api/auth/logout');
    expect(out.status).toBe(204);
    const cleared = sessionCookie(out);
    expect(cleared.value).toBe('');
    expect(Date.parse(attribute(cleared.attributes, 'Expires')!)).toBeLessThan(Date.now());

    expectUnauthenticated(await laptop.get('/api/me'));
    expectUnauthenticated(await new RecordingClient(api.url).request('GET', '/api/me', undefined, withCookie(laptop.token!)));
    expectUnauthenticated(await laptop.post('/api/auth/logout'));
    expect((await phone.get('/api/me')).status).toBe(200);

    // With the cookie alone (as a form on another site would send it), a write is refused: CSRF.
    const browser = new RecordingClient(api.url);
    const forged = await browser.request('POST', '/api/auth/logout', {}, withCookie(phone.token!));
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    expect((await phone.get('/api/me')).status).toBe(200);
    // A page of the app sends its token with the cookie: the CSRF cookie and the token from a page of the same session.
    const page = await fetch(`${api.url}/login`, { headers: withCookie(phone.token!) });
    const csrfCookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('civicpost_csrf='))!
      .split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const out2 = await browser.request(
      'POST',
      '/api/auth/logout',
      {},
      { cookie: `${SESSION_COOKIE}=${phone.token!}; ${csrfCookie}`, 'x-csrf-token': token },
    );
    expect(out2.status).toBe(204);
    expectUnauthenticated(await phone.get('/api/me'));
    expectUnauthenticated(await browser.request('GET', '/api/me', undefined, withCookie(phone.token!)));
  });

  it('a session stops working once its expiry has passed, by token and by cookie', async () => {
    const user = await invite('intern@oradea.example');
    const expiring = await loggedIn('intern@oradea.example', user.password);
    const other = await loggedIn('intern@oradea.example', user.password);
    expect((await expiring.get('/api/me')).status).toBe(200);

    const hash = createHash('sha256').update(expiring.token!).digest('hex');
    const db = api.running.runtime.dataSource;
    await db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = decode($1, 'hex')`, [hash]);
    const [row]: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM sessions WHERE token_hash = decode($1, 'hex') AND expires_at < now()`,
      [hash],
    );
    expect(row!.n).toBe(1);

    expectUnauthenticated(await expiring.get('/api/me'));
    expectUnauthenticated(await new RecordingClient(api.url).request('GET', '/api/me', undefined, withCookie(expiring.token!)));
    expect((await other.get('/api/me')).status).toBe(200);
  });

  it('a newly invited member must change the password; changing it ends their other sessions and the old password stops working', async () => {
    const user = await invite('newcomer@oradea.example');
    await rememberHashes();

    const first = await login('newcomer@oradea.example', user.password);
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const current = new RecordingClient(api.url, first.body.token);
    const other = await loggedIn('newcomer@oradea.example', user.password);
    expect((await current.get('/api/me')).body).toMatchObject({ id: user.userId, mustChangePassword: true });

    const wrongCurrent = await current.post('/api/me/password', {
      currentPassword: 'not my password',
      newPassword: 'a long and new passphrase',
    });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'currentPassword' })]));
    const tooShort = await current.post('/api/me/password', { currentPassword: user.password, newPassword: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'newPassword' })] });
    expect((await other.get('/api/me')).status).toBe(200);

    const changed = await current.post('/api/me/password', { currentPassword: user.password, newPassword: 'a long and new passphrase' });
    expect(changed.status).toBe(204);

    expect((await current.get('/api/me')).body).toMatchObject({ id: user.userId, mustChangePassword: false });
    expectUnauthenticated(await other.get('/api/me'));
    expectUnauthenticated(await new RecordingClient(api.url).request('GET', '/api/me', undefined, withCookie(other.token!)));

    const oldPassword = await login('newcomer@oradea.example', user.password);
    expect(oldPassword.status).toBe(401);
    expect(oldPassword.body.code).toBe('invalid_credentials');
    const newPassword = await login('newcomer@oradea.example', 'a long and new passphrase');
    expect(newPassword.status).toBe(200);
    expect(newPassword.body.user.mustChangePassword).toBe(false);
    await rememberHashes();
  });

  it('after 3 failed logins an account answers 429 with Retry-After, even to the right password, while another account still logs in', async () => {
    const user = await invite('target@oradea.example');
    for (let i = 0; i < 3; i++) expect((await login('target@oradea.example', `guess number ${i}`)).status).toBe(401);

    expectTooMany(await login('target@oradea.example', user.password), 15 * 60);
    expectTooMany(await login('TARGET@oradea.example', user.password), 15 * 60);
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);

    // An e-mail without an account locks the same way: a 429 does not reveal which accounts exist.
    for (let i = 0; i < 3; i++) expect((await login('ghost@oradea.example', `guess number ${i}`)).status).toBe(401);
    expectTooMany(await login('ghost@oradea.example', 'guess number 3'), 15 * 60);
  });

  it("a successful login clears the account's failed attempts", async () => {
    const user = await invite('forgetful@oradea.example');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await login('forgetful@oradea.example', `guess ${round}.${i}`)).status).toBe(401);
      expect((await login('forgetful@oradea.example', user.password)).status).toBe(200);
    }
  });

  it('never shows a password hash in any response', async () => {
    await rememberHashes();
    expect(hashes.size).toBeGreaterThanOrEqual(6);
    expect(responses.length).toBeGreaterThan(50);
    for (const response of responses) {
      expect(response).not.toMatch(/\$argon2|passwordHash|password_hash/);
      for (const hash of hashes) expect(response).not.toContain(hash);
    }
  });

  it('guesses sent all at once get no more than 3 password checks for one account', async () => {
    const user = await invite('parallel@oradea.example');
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => login('parallel@oradea.example', `parallel guess ${i}`)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expectTooMany(await login('parallel@oradea.example', user.password), 15 * 60);
  });
});

describe(`authentication behind https, with LOGIN_MAX_PER_ADDRESS=5 (${currentMode()} storage)`, () => {
  let api: TestApi;

  beforeAll(async () => {
    // TestApi.start logs the admin in: that is the first attempt from this address.
    api = await TestApi.start({ LOGIN_MAX_PER_ADDRESS: '5', PUBLIC_BASE_URL: 'https://civicpost.example.org' });
  });
  afterAll(async () => api?.stop());

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    api.client().request('POST', '/api/auth/login', { email, password }, headers);

  it('marks the session cookie Secure when PUBLIC_BASE_URL is https', async () => {
    const res = await login(ADMIN_EMAIL, ADMIN_PASSWORD); // attempt 2
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res);
    expect(cookie.value).toBe(res.body.token);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']));
  });

  it('answers the 6th attempt from one address with 429, whatever the account and X-Forwarded-For say', async () => {
    // Attempts 3 to 5: other accounts, and a forged X-Forwarded-For (no proxy is trusted).
    for (const [i, email] of ['a@town.example', 'b@town.example', 'c@town.example'].entries()) {
      expect((await login(email, 'some password', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status).toBe(401);
    }
    const sixth = await login(ADMIN_EMAIL, ADMIN_PASSWORD, { 'x-forwarded-for': '198.51.100.7' });
    expectTooMany(sixth, 60);
    expect(sixth.headers.getSetCookie()).toEqual([]);
    // Sessions already open are not affected.
    expect((await api.admin.get('/api/me')).status).toBe(200);
  });
});
