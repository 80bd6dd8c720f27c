import { startApp, type RunningApp } from '#src/app.js';
import { Clock } from '#src/common/clock.js';
import { loadConfig } from '#src/config/config.js';
import { testClock } from './clock.js';
import { provisionStorage, type TestStorage } from './test-storage.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** An answer with its body parsed when it is JSON, kept as text otherwise. */
async function toReply<T>(res: Response): Promise<Reply<T>> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A caller of the API: bearer token when logged in. */
export class Client {
  constructor(
    public baseUrl: string,
    public token?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return toReply<T>(res);
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
  /** A multipart upload of one file in the field `file`. */
  async upload<T = any>(path: string, bytes: Buffer, fileName: string, type = 'application/octet-stream'): Promise<Reply<T>> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), fileName);
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      body: form,
    });
    return toReply<T>(res);
  }
}

export const ADMIN_EMAIL = 'admin@test.example';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** CivicPost in this process (role all) on fresh storage of the current test mode, and a system admin logged in. */
export class TestApi {
  private constructor(
    readonly running: RunningApp,
    readonly storage: TestStorage,
    readonly admin: Client,
  ) {}

  /** `clock`: the app's clock; by default a ShiftedClock at TEST_NOW (test/support/clock.ts), never the day the test runs. */
  static async start(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApi> {
    const storage = await provisionStorage();
    const config = loadConfig({
      ...storage.env,
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      SEED_DEMO: 'false',
      LOGIN_MAX_PER_ADDRESS: '10000',
      LOGIN_MAX_PER_ACCOUNT: '10000',
      ...env,
    });
    const running = await startApp(config, { clock: options.clock ?? testClock() });
    const api = new TestApi(running, storage, new Client(running.url!));
    await api.login(api.admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    return api;
  }

  /** The clock the app reads: tests that need "now" take it from here. */
  get clock(): Clock {
    return this.running.app.get(Clock);
  }

  get url(): string {
    return this.running.url!;
  }

  client(): Client {
    return new Client(this.url);
  }

  async login(client: Client, email: string, password: string): Promise<Client> {
    const res = await client.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    client.token = res.body.token;
    return client;
  }

  /** Adds a member (creating the account) and returns them logged in. */
  async member(
    by: Client,
    institutionId: string,
    email: string,
    role: string,
    partnerId?: string,
  ): Promise<Client & { userId: string; memberId: string }> {
    const res = await by.post(`/api/institutions/${institutionId}/members`, { email, role, partnerId, displayName: email.split('@')[0] });
    if (res.status !== 201) throw new Error(`add member ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    const client = await this.login(this.client(), email, res.body.temporaryPassword);
    return Object.assign(client, { userId: res.body.member.userId as string, memberId: res.body.member.id as string });
  }

  async stop(): Promise<void> {
    await this.running.stop();
    await this.storage.cleanup();
  }
}

/** An institution with one member of every role, a partner, a shared and an unshared campaign, a channel. */
export async function seedInstitution(api: TestApi, slug: string, languages = ['ro', 'hu']) {
  const inst = await api.admin.post('/api/institutions', { name: `Institution ${slug}`, slug, timeZone: 'Europe/Bucharest', languages });
  if (inst.status !== 201) throw new Error(JSON.stringify(inst.body));
  const id: string = inst.body.id;
  const base = `/api/institutions/${id}`;
  const partner = (await api.admin.post(`${base}/partners`, { name: `NGO of ${slug}` })).body;
  const channel = (
    await api.admin.post(`${base}/channels`, {
      platform: 'mastodon',
      displayName: 'Mastodon',
      settings: { instanceUrl: 'https://social.example' },
      credentials: { accessToken: `secret-token-${slug}` },
    })
  ).body;
  const sandbox = (await api.admin.post(`${base}/channels`, { platform: 'sandbox', displayName: 'Sandbox' })).body;
  const members = {
    admin: api.admin,
    editor: await api.member(api.admin, id, `editor@${slug}.example`, 'editor'),
    editor2: await api.member(api.admin, id, `editor2@${slug}.example`, 'editor'),
    author: await api.member(api.admin, id, `author@${slug}.example`, 'author'),
    contributor: await api.member(api.admin, id, `contributor@${slug}.example`, 'contributor', partner.id),
    viewer: await api.member(api.admin, id, `viewer@${slug}.example`, 'viewer'),
  };
  const campaign = (
    await api.admin.post(`${base}/campaigns`, {
      title: 'Shared campaign',
      startsOn: '2026-12-01',
      endsOn: '2027-01-31',
      partnerIds: [partner.id],
    })
  ).body;
  const privateCampaign = (
    await api.admin.post(`${base}/campaigns`, { title: 'Internal campaign', startsOn: '2026-12-01', endsOn: '2027-01-31' })
  ).body;
  return { id, base, partner, channel, sandbox, campaign, privateCampaign, members };
}
