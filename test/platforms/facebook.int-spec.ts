import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FacebookAdapter } from '#src/platforms/facebook/facebook.adapter.js';
import { PlatformError, type Connection, type MediaItem, type PublishRequest } from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { FacebookFake } from '#test/fakes/facebook.fake.js';
import { adapterContract, postsOfLedger, type FaultTarget } from '#test/platforms/adapter-contract.js';

const fake = new FacebookFake();
let url: string;

function options(timeoutMs = 2000, base?: string): PlatformOptions {
  const graph = base ?? url;
  return { baseUrls: { x: graph, xUpload: graph, facebookGraph: graph, linkedin: graph, telegram: graph }, timeoutMs };
}

function conn(token = fake.pageToken, pageId = fake.pageId): Connection {
  return {
    channel: { id: 'ch-fb', institutionId: 'inst-1', platform: 'facebook', settings: { pageId }, accountHandle: null },
    credentials: { pageAccessToken: token },
  };
}

function request(text: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return {
    ...conn(),
    idempotencyKey: `key-${text.slice(0, 20)}`,
    targetId: 't-1',
    language: 'en',
    text,
    thread: [],
    media: [],
    publishedParts: [],
    ...extra,
  };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-fake-image-body')]);
function image(altText: string, bytes: Buffer = Buffer.concat([PNG, Buffer.from(altText)])): MediaItem {
  return { fileName: 'photo.png', mimeType: 'image/png', size: bytes.length, altText, read: async () => bytes };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(err)}`);
  errors.push(err);
  return err;
}
const errors: PlatformError[] = [];
const routeCalls = (route: string) => fake.requests.filter((r) => r.route === route).length;

beforeAll(async () => {
  url = await fake.start(0);
});
afterAll(async () => {
  // Whatever went wrong in this file, no error carried the token.
  for (const err of errors) expect(`${err.message} ${err.stack ?? ''}`).not.toContain(fake.pageToken);
  await fake.stop();
});
beforeEach(() => fake.reset());

const ROUTES: Record<FaultTarget, string> = { create: 'feed', read: 'read', delete: 'delete' };

adapterContract({
  name: 'Facebook',
  reset: () => fake.reset(),
  adapter: (o) => new FacebookAdapter(options(o?.timeoutMs)),
  conn: () => conn(),
  request: (key, text, more) => request(text, { idempotencyKey: key, ...more }),
  image: (altText) => image(altText),
  posts: async () => postsOfLedger(fake.ledger),
  requestCount: () => fake.requests.length,
  fail: (fault, on) => fake.fail({ fault, on: ROUTES[on] }),
  sawHungRequest: () => fake.requests.some((r) => r.route === 'feed' && r.fault === 'hang'),
  account: { id: fake.pageId, handle: 'Civic Test Page', displayName: 'Civic Test Page', url: `https://www.facebook.com/${fake.pageId}` },
  postUrl: (post) => `https://www.facebook.com/${post.id}`,
  reportsParts: true,
  secrets: () => [fake.pageToken, 'EAAwrong-token-value', 'EAAotherPageToken'],
  refusedCredentials: () => conn('EAAwrong-token-value'),
  thread: 'refused',
  altText: 'field',
  reconcile: 'lookup',
  metrics: { kind: 'counts', unknownId: `${fake.pageId}_999999`, setLikes: (id, likes) => fake.setMetrics(id, { reactions: likes }) },
  failingRead: 'metrics',
  failingDelete: true,
  imageBytes: true,
  unreachable: (url) => ({ adapter: new FacebookAdapter(options(1000, url)), conn: conn() }),
  hang: 'ambiguous',
  createServerError: 'ambiguous',
  lostAnswer: 'ambiguous',
  // Graph's estimate in X-Business-Use-Case-Usage, from the moment of the refusal.
  rateLimitReset: (now) => new Date(now.getTime() + fake.regainAccessMinutes * 60_000),
  words: { auth: 'Session has expired', rate_limit: 'code 80001', duplicate: 'Duplicate status message' },
  invalid: { request: (key) => request('x'.repeat(63207), { idempotencyKey: key }), message: '(#100) The message is too long' },
  duplicate: (first) => ({ ...first, idempotencyKey: `${first.idempotencyKey}-again` }),
});

describe('verify', () => {
  it('sends the Page token as a bearer token', async () => {
    await new FacebookAdapter(options()).verify(conn());
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.pageToken}`);
  });

  it('refuses an invalid token as auth, with Graph words', async () => {
    const err = await failure(new FacebookAdapter(options()).verify(conn('EAAwrong-token-value')));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('Invalid OAuth access token');
    expect(err.message).not.toContain('EAAwrong-token-value');
  });

  it("refuses another Page's token as auth (it could not post as this Page)", async () => {
    fake.addPage('104000000000999', 'Another Page', 'EAAotherPageToken');
    const err = await failure(new FacebookAdapter(options()).verify(conn('EAAotherPageToken')));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('104000000000999');
  });

  it('fails as auth without the credential, and invalid without the page id', async () => {
    const noToken: Connection = { ...conn(), credentials: null };
    expect((await failure(new FacebookAdapter(options()).verify(noToken))).kind).toBe('auth');
    const noPage: Connection = { ...conn(), channel: { ...conn().channel, settings: {} } };
    expect((await failure(new FacebookAdapter(options()).verify(noPage))).kind).toBe('invalid');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('publish', () => {
  it('posts one image as a Page photo with its caption, bytes and alt text', async () => {
    const item = image('A queue of residents at the new library desk');
    const bytes = await item.read();
    const parts = await new FacebookAdapter(options()).publish(request('The library reopens', { media: [item] }));
    expect(fake.ledger).toHaveLength(1);
    const entry = fake.ledger[0]!;
    expect(parts[0]!.externalId).toBe(entry.id);
    expect(entry.text).toBe('The library reopens');
    expect(entry.media).toEqual([
      expect.objectContaining({
        altText: 'A queue of residents at the new library desk',
        sha256: sha(bytes),
        mimeType: 'image/png',
        size: bytes.length,
      }),
    ]);
    expect(routeCalls('photos')).toBe(1);
    expect(routeCalls('feed')).toBe(0);
  });

  it('posts several images as unpublished photos attached to one feed post, each with its alt text', async () => {
    const media = [image('First photo: the bridge'), image('Second photo: the river'), image('Third photo: the mayor')];
    await new FacebookAdapter(options()).publish(request('Three pictures of the bridge opening', { media }));
    expect(routeCalls('photos')).toBe(3);
    expect(routeCalls('feed')).toBe(1);
    expect(fake.ledger).toHaveLength(1);
    expect((fake.ledger[0]!.media as Array<{ altText: string }>).map((m) => m.altText)).toEqual([
      'First photo: the bridge',
      'Second photo: the river',
      'Third photo: the mayor',
    ]);
    expect([...fake.photos.values()].every((p) => p.published === false && p.postId === fake.ledger[0]!.id)).toBe(true);
  });
});

describe('findPublished, delete', () => {
  it('finds the post among the recent ones by its text, and says absent otherwise', async () => {
    const adapter = new FacebookAdapter(options());
    fake.seedPost('Something else entirely');
    const [part] = await adapter.publish(request('Road works on Main Street\r\nuntil Friday  '));
    expect(await adapter.findPublished(request('Road works on Main Street\nuntil Friday'))).toEqual({ status: 'found', part });
    expect(await adapter.findPublished(request('Never posted'))).toEqual({ status: 'absent' });
  });
});

describe('metrics', () => {
  it('reads 50 ids per call, leaves unknown ids out and gives null for what Facebook has not', async () => {
    const ids = Array.from({ length: 55 }, (_, i) => fake.seedPost(`Post number ${i}`));
    fake.setMetrics(ids[0]!, { reactions: 12, comments: 3, shares: 2, views: 480, clicks: 31 });
    fake.setMetrics(ids[54]!, { reactions: 1 });
    const unknown = `${fake.pageId}_999999`;
    const metrics = await new FacebookAdapter(options()).fetchMetrics(conn(), [...ids, unknown]);

    expect(metrics.size).toBe(55);
    expect(metrics.has(unknown)).toBe(false);
    expect(metrics.get(ids[0]!)).toEqual({ likes: 12, replies: 3, reposts: 2, quotes: null, impressions: 480, clicks: 31 });
    expect(metrics.get(ids[54]!)).toEqual({ likes: 1, replies: 0, reposts: 0, quotes: null, impressions: 0, clicks: 0 });
    // Batch 1 (50 ids): engagement + insights. Batch 2 (6 ids): engagement refused for the unknown id, again without it, insights.
    expect(routeCalls('ids')).toBe(5);
    expect(fake.requests.filter((r) => r.route === 'ids').map((r) => r.status)).toEqual([200, 200, 404, 200, 200]);
  });

  it('keeps the engagement figures when insights are refused (no read_insights)', async () => {
    const id = fake.seedPost('Insights refused');
    fake.setMetrics(id, { reactions: 4, views: 100 });
    fake.insightsAllowed = false;
    try {
      const metrics = await new FacebookAdapter(options()).fetchMetrics(conn(), [id]);
      expect(metrics.get(id)).toEqual({ likes: 4, replies: 0, reposts: 0, quotes: null, impressions: null, clicks: null });
    } finally {
      fake.insightsAllowed = true;
    }
  });

  it('an expired token fails the whole read as auth', async () => {
    const id = fake.seedPost('Expired read');
    fake.fail({ fault: 'expired_token', on: 'ids' });
    expect((await failure(new FacebookAdapter(options()).fetchMetrics(conn(), [id]))).kind).toBe('auth');
  });
});

describe('errors', () => {
  it('a refused message or image is invalid with Graph words', async () => {
    const adapter = new FacebookAdapter(options());
    const long = await failure(adapter.publish(request('x'.repeat(63207))));
    expect(long.kind).toBe('invalid');
    expect(long.message).toContain('(#100) The message is too long');
    const notImage = await failure(adapter.publish(request('Bad image', { media: [image('alt', Buffer.from('not an image at all'))] })));
    expect(notImage.kind).toBe('invalid');
    expect(notImage.message).toContain('(#324)');
    expect(fake.ledger).toHaveLength(0);
  });

  describe('ambiguous outcomes end with exactly one post', () => {
    async function publishThenReconcile(adapter: FacebookAdapter, req: PublishRequest): Promise<void> {
      const err = await failure(adapter.publish(req));
      expect(err.kind).toBe('ambiguous');
      const reconciled = await new FacebookAdapter(options()).findPublished(req);
      if (reconciled.status === 'absent') await new FacebookAdapter(options()).publish(req);
      expect(fake.ledger).toHaveLength(1);
      expect(fake.ledger[0]!.text).toBe(req.text);
    }

    it('a 500 after the photo post was stored', async () => {
      fake.fail({ fault: 'accept_then_error', on: 'photos' });
      await publishThenReconcile(new FacebookAdapter(options()), request('Photo then error', { media: [image('A park bench')] }));
      expect(routeCalls('photos')).toBe(1);
    });
  });
});
