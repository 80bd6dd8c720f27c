/**
 * XAdapter through twitter-api-v2 against the X fake (test/fakes/x.fake.ts): OAuth 1.0a signatures
 * checked for real, X's error bodies and rate-limit headers, t.co rewriting on reads.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import { XFake } from '#test/fakes/x.fake.js';
import { PlatformError, type Connection, type MediaItem, type PublishRequest } from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { XAdapter } from '#src/platforms/x/x.adapter.js';
import { adapterContract, atInstant, type FaultTarget, type StoredPost } from '#test/platforms/adapter-contract.js';

const fake = new XFake();
/** "Now" for the cases whose outcome depends on a post's age. */
const NOW = new Date('2026-06-15T12:00:00Z');
let adapter: XAdapter;
/** Every PlatformError the adapter threw in this file, checked for credentials at the end. */
const thrown: unknown[] = [];

function optionsFor(base: string, timeoutMs = 3000): PlatformOptions {
  return {
    baseUrls: { x: base, xUpload: base, facebookGraph: 'http://unused', linkedin: 'http://unused', telegram: 'http://unused' },
    timeoutMs,
  };
}

function oauth1(overrides: Partial<Record<'appKey' | 'appSecret' | 'accessToken' | 'accessSecret', string>> = {}): Record<string, string> {
  return {
    appKey: fake.consumerKey,
    appSecret: fake.consumerSecret,
    accessToken: fake.accessToken,
    accessSecret: fake.accessSecret,
    ...overrides,
  };
}

function conn(credentials: Record<string, string> = oauth1(), accountHandle: string | null = '@civicpost_town'): Connection {
  return { channel: { id: 'ch-x', institutionId: 'inst-1', platform: 'x', settings: {}, accountHandle }, credentials };
}

function request(text: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return {
    ...conn(),
    idempotencyKey: crypto.randomUUID(),
    targetId: 't-1',
    language: 'en',
    text,
    thread: [],
    media: [],
    publishedParts: [],
    ...extra,
  };
}

/** A PNG (real signature and IHDR start) padded to `size` bytes. */
function png(size: number): Buffer {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const rest = crypto.randomBytes(size - head.length);
  return Buffer.concat([head, rest]);
}

function image(bytes: Buffer, altText: string): MediaItem {
  return { fileName: 'photo.png', mimeType: 'image/png', size: bytes.length, altText, read: async () => bytes };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    thrown.push(err);
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected a PlatformError');
}

function calls(route: string): number {
  return fake.requests.filter((r) => r.route === route).length;
}

beforeAll(async () => {
  await fake.start();
  adapter = new XAdapter(optionsFor(fake.url));
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => fake.reset());

const posts = (): StoredPost[] =>
  fake.ledger
    .filter((e) => !e.deletedAt)
    .map((e) => {
      const media = e.media as Array<{ altText: string | null; sha256: string }>;
      return {
        id: e.id,
        text: e.text,
        replyTo: (e.inReplyTo as string | null) ?? null,
        altTexts: media.map((m) => m.altText ?? ''),
        imageHashes: media.map((m) => m.sha256),
      };
    });

const ROUTES: Record<FaultTarget, string> = { create: 'tweets.create', read: 'tweets.lookup', delete: 'tweets.delete' };

adapterContract({
  name: 'X',
  reset: () => fake.reset(),
  adapter: (o) => new XAdapter(optionsFor(fake.url, o?.timeoutMs)),
  conn: () => conn(),
  request: (key, text, more) => request(text, { idempotencyKey: key, ...more }),
  image: (altText) => image(png(3000), altText),
  posts: async () => posts(),
  requestCount: () => fake.requests.length,
  fail: (fault, on) => fake.fail({ fault, on: ROUTES[on] }),
  sawHungRequest: () => fake.requests.some((r) => r.route === 'tweets.create' && r.fault === 'hang'),
  account: {
    id: fake.user.id,
    handle: '@civicpost_town',
    displayName: 'Town of CivicPost',
    url: 'https://x.com/civicpost_town',
    settings: { userId: fake.user.id },
  },
  postUrl: (post) => `https://x.com/civicpost_town/status/${post.id}`,
  reportsParts: true,
  secrets: () => [fake.consumerKey, fake.consumerSecret, fake.accessToken, fake.accessSecret, fake.bearerToken, 'not-the-secret'],
  refusedCredentials: () => conn(oauth1({ accessSecret: 'not-the-secret' })),
  thread: 'replies',
  altText: 'field',
  reconcile: 'lookup',
  metrics: { kind: 'counts', unknownId: '1999999999999999999', setLikes: (id, likes) => fake.setMetrics(id, { like_count: likes }) },
  failingRead: 'metrics',
  failingDelete: true,
  imageBytes: true,
  unreachable: (url) => ({ adapter: new XAdapter(optionsFor(url)), conn: conn() }),
  hang: 'ambiguous',
  createServerError: 'ambiguous',
  lostAnswer: 'ambiguous',
  // X's 15-minute window starts at the first call in it.
  rateLimitReset: (now) => new Date((Math.floor(now.getTime() / 1000) + 15 * 60) * 1000),
  invalid: { request: (key) => request('の'.repeat(141), { idempotencyKey: key }), message: 'Your Tweet text is too long' }, // 141 × 2 = 282 > 280
  duplicate: (first) => ({ ...first, idempotencyKey: `${first.idempotencyKey}-again` }),
});

describe('verify', () => {
  it('signs with OAuth 1.0a user keys (signature checked by the fake)', async () => {
    await adapter.verify(conn());
    expect(String(fake.requests[0]!.headers.authorization)).toMatch(/^OAuth .*oauth_signature="/);
  });

  it('names the account with an OAuth 2.0 user token alone', async () => {
    const info = await adapter.verify(conn({ accessToken: fake.bearerToken }));
    expect(info.handle).toBe('@civicpost_town');
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.bearerToken}`);
  });

  it('fails as auth when the bearer token is wrong', async () => {
    const badBearer = await failure(adapter.verify(conn({ accessToken: 'wrong-bearer-token' })));
    expect(badBearer.kind).toBe('auth');
    expect(badBearer.status).toBe(401);
  });

  it('fails as auth naming the missing key when OAuth 1.0a keys are incomplete', async () => {
    const { appSecret: _dropped, ...partial } = oauth1();
    const err = await failure(adapter.verify(conn(partial)));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain("'appSecret'");
    expect(fake.requests).toHaveLength(0);
  });
});

describe('publish', () => {
  it('asks X for the username once when the channel has no handle', async () => {
    const parts = await adapter.publish(request('No handle stored', { channel: { ...conn().channel, accountHandle: null } }));
    expect(parts[0]!.url).toBe(`https://x.com/civicpost_town/status/${fake.ledger[0]!.id}`);
    expect(calls('users.me')).toBe(1);
  });

  it('uploads an image in chunks (v2 upload), sets its alt text, and attaches it', async () => {
    const bytes = png(1_500_000); // two 1 MB chunks
    await adapter.publish(request('New playground opens', { media: [image(bytes, 'Children on the new slide')] }));
    expect(fake.requests.map((r) => r.route)).toEqual([
      'media.initialize',
      'media.append',
      'media.append',
      'media.finalize',
      'media.metadata',
      'tweets.create',
    ]);
    const [entry] = fake.ledger;
    expect(entry!.media).toEqual([
      {
        id: expect.any(String),
        mediaType: 'image/png',
        size: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        altText: 'Children on the new slide',
      },
    ]);
  });
});

describe('delete', () => {
  it("refuses as invalid with X's words for a tweet of another account", async () => {
    const other = fake.seedTweet('Not ours', { authorId: '42' });
    const err = await failure(adapter.delete(conn(), [other]));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('You are not allowed to delete this Tweet.');
  });
});

describe('fetchMetrics', () => {
  it('asks at most 100 ids per call, maps the metrics, leaves unknown ids out', async () => {
    await atInstant(NOW, async () => {
      const ids = Array.from({ length: 150 }, (_, i) => fake.seedTweet(`Post number ${i}`));
      fake.setMetrics(
        ids[0]!,
        { like_count: 7, retweet_count: 2, reply_count: 1, quote_count: 3, impression_count: 900 },
        { url_link_clicks: 12, impression_count: 900 },
      );
      fake.setCreatedAt(ids[149]!, new Date(NOW.getTime() - 40 * 24 * 3600 * 1000));
      fake.setMetrics(ids[149]!, { like_count: 5, impression_count: 50 });
      const unknown = ['1999999999999999999', '1999999999999999998'];

      const metrics = await adapter.fetchMetrics(conn(), [...ids, ...unknown]);

      expect(fake.lookups.map((batch) => batch.length)).toEqual([100, 52]);
      expect(fake.lookups.flat()).toEqual([...ids, ...unknown]);
      expect(metrics.size).toBe(150);
      expect(metrics.get(ids[0]!)).toEqual({ likes: 7, reposts: 2, replies: 1, quotes: 3, impressions: 900, clicks: 12 });
      // Over 30 days old: X gives no non-public metrics, so clicks are unknown, not 0.
      expect(metrics.get(ids[149]!)).toEqual({ likes: 5, reposts: 0, replies: 0, quotes: 0, impressions: 50, clicks: null });
      expect(unknown.some((id) => metrics.has(id))).toBe(false);
    });
  });
});

describe('errors', () => {
  it('rate_limit: the 24-hour post cap gives its own reset', async () => {
    fake.setDailyRemaining(0);
    const err = await failure(adapter.publish(request('Over the daily cap')));
    expect(err.kind).toBe('rate_limit');
    expect(err.resetAt?.getTime()).toBe(fake.dailyReset * 1000);
    expect(fake.dailyReset).not.toBe(fake.windowReset('POST /2/tweets'));
  });

  it("invalid: alt text over 1000 characters, with X's message, and nothing posted", async () => {
    const err = await failure(adapter.publish(request('Photo', { media: [image(png(2000), 'a'.repeat(1001))] })));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('at most 1000 characters');
    expect(fake.ledger).toHaveLength(0);
  });

  it('invalid: an image over 5 MB', async () => {
    const err = await failure(adapter.publish(request('Huge photo', { media: [image(png(5 * 1024 * 1024 + 1), 'big')] })));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('File size exceeds');
  });
});

describe('ambiguous outcomes end with exactly one post', () => {
  it('accepted then connection dropped: reconcile finds the post despite t.co links and &-escaping', async () => {
    const text = 'Road works & closures <today>: https://example.org/roads?area=north and example.com/map';
    fake.fail({ fault: 'accept_then_drop', on: 'tweets.create' });
    const err = await failure(adapter.publish(request(text)));
    expect(err.kind).toBe('ambiguous');
    expect(fake.ledger).toHaveLength(1);
    const found = await adapter.findPublished(request(text));
    expect(found).toEqual({
      status: 'found',
      part: { externalId: fake.ledger[0]!.id, url: `https://x.com/civicpost_town/status/${fake.ledger[0]!.id}` },
    });
    expect(fake.ledger).toHaveLength(1);
  });

  it('accepted then 500 on a post with an image: ambiguous; reconcile finds it (photo link ignored)', async () => {
    fake.fail({ fault: 'accept_then_error', on: 'tweets.create' });
    const req = request('Library reopening', { media: [image(png(3000), 'The library entrance')] });
    const err = await failure(adapter.publish(req));
    expect(err.kind).toBe('ambiguous');
    expect(err.status).toBe(500);
    const found = await adapter.findPublished(req);
    expect(found).toMatchObject({ status: 'found', part: { externalId: fake.ledger[0]!.id } });
    expect(fake.ledger).toHaveLength(1);
  });

  it('a thread reply dropped after acceptance: reconcile finds the reply to the part before, and the rest resumes', async () => {
    await atInstant(NOW, async () => {
      const [first] = await adapter.publish(request('Budget vote today'));
      // Same text, newer than part one, but not a reply to it: must not be taken for part two. (Two days
      // old by its date, so X's duplicate check does not refuse part two.)
      fake.seedTweet('Part two of the budget thread', { createdAt: new Date(NOW.getTime() - 2 * 24 * 3600 * 1000) });
      fake.fail({ fault: 'accept_then_drop', on: 'tweets.create' });
      const req = request('Budget vote today', { thread: ['Part two of the budget thread', 'Part three'], publishedParts: [first!] });
      const err = await failure(adapter.publish(req));
      expect(err.kind).toBe('ambiguous');
      const found = await adapter.findPublished(req);
      expect(found.status).toBe('found');
      const reply = fake.ledger.find((e) => e.inReplyTo === first!.externalId)!;
      expect(found).toMatchObject({ part: { externalId: reply.id } });
      if (found.status !== 'found') throw new Error('unreachable');
      await adapter.publish({ ...req, publishedParts: [first!, found.part] });
      expect(fake.ledger.map((e) => e.text)).toEqual(['Budget vote today', 'Part two of the budget thread', 'Part three']);
    });
  });
});

describe('secrets', () => {
  it('no credential value appears in any error thrown in this file', () => {
    expect(thrown.length).toBeGreaterThan(5);
    const secrets = [
      fake.consumerKey,
      fake.consumerSecret,
      fake.accessToken,
      fake.accessSecret,
      fake.bearerToken,
      'not-the-secret',
      'wrong-bearer-token',
    ];
    for (const err of thrown) {
      const text = `${String(err)} ${(err as Error).stack ?? ''} ${JSON.stringify(err)}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
