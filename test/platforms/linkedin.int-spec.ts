import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { LINKEDIN_DEFAULT_VERSION, LinkedInAdapter } from '#src/platforms/linkedin/linkedin.adapter.js';
import {
  PlatformError,
  type Connection,
  type MediaItem,
  type PublishedPart,
  type PublishRequest,
} from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { LinkedInFake } from '#test/fakes/linkedin.fake.js';
import { adapterContract, atInstant, postsOfLedger, type FaultTarget } from '#test/platforms/adapter-contract.js';

const fake = new LinkedInFake({ currentVersion: '202611' });
let url: string;

function options(timeoutMs = 2000, base?: string): PlatformOptions {
  const li = base ?? url;
  return { baseUrls: { x: li, xUpload: li, facebookGraph: li, linkedin: li, telegram: li }, timeoutMs };
}

function conn(token = fake.accessToken, settings: Record<string, unknown> = { organizationUrn: fake.organizationUrn }): Connection {
  return {
    channel: { id: 'ch-li', institutionId: 'inst-1', platform: 'linkedin', settings, accountHandle: null },
    credentials: { accessToken: token },
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

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function image(altText: string, bytes: Buffer = Buffer.concat([PNG, Buffer.from(`body of ${altText}`)])): MediaItem {
  return { fileName: 'photo.png', mimeType: 'image/png', size: bytes.length, altText, read: async () => bytes };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const errors: PlatformError[] = [];
async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(err)}`);
  errors.push(err);
  return err;
}
const routeCalls = (route: string) => fake.requests.filter((r) => r.route === route).length;

beforeAll(async () => {
  url = await fake.start(0);
});
afterAll(async () => {
  for (const err of errors) expect(`${err.message} ${err.stack ?? ''}`).not.toContain(fake.accessToken);
  await fake.stop();
});
beforeEach(() => fake.reset());

const ROUTES: Record<FaultTarget, string> = { create: 'posts_create', read: 'read', delete: 'posts_delete' };

adapterContract({
  name: 'LinkedIn',
  reset: () => fake.reset(),
  adapter: (o) => new LinkedInAdapter(options(o?.timeoutMs)),
  conn: () => conn(),
  request: (key, text, more) => request(text, { idempotencyKey: key, ...more }),
  image: (altText) => image(altText),
  posts: async () => postsOfLedger(fake.ledger),
  requestCount: () => fake.requests.length,
  fail: (fault, on) => fake.fail({ fault, on: ROUTES[on] }),
  sawHungRequest: () => fake.requests.some((r) => r.route === 'posts_create' && r.fault === 'hang'),
  account: {
    id: fake.organizationUrn,
    handle: 'Civic Test Council',
    displayName: 'Civic Test Council',
    url: 'https://www.linkedin.com/company/civic-test-council',
  },
  postUrl: (post) => `https://www.linkedin.com/feed/update/${post.id}/`,
  reportsParts: true,
  secrets: () => [fake.accessToken, 'AQVwrong-token'],
  refusedCredentials: () => conn('AQVwrong-token'),
  thread: 'refused',
  altText: 'field',
  reconcile: 'lookup',
  metrics: { kind: 'counts', unknownId: 'urn:li:ugcPost:999', setLikes: (urn, likes) => fake.setStatistics(urn, { likeCount: likes }) },
  failingRead: 'metrics',
  failingDelete: true,
  imageBytes: true,
  unreachable: (url) => ({ adapter: new LinkedInAdapter(options(1000, url)), conn: conn() }),
  hang: 'ambiguous',
  createServerError: 'ambiguous',
  lostAnswer: 'ambiguous',
  // LinkedIn sends no reset: the daily limit starts again at midnight UTC, here the one after RATE_LIMITED_AT (New Year's Eve, 23:59:59 UTC).
  rateLimitReset: () => new Date('2027-01-01T00:00:00Z'),
  words: { duplicate: 'Content is a duplicate of' },
  invalid: { request: (key) => request('y'.repeat(3001), { idempotencyKey: key }), message: 'exceeds the maximum allowed length of 3000' },
  duplicate: (first) => ({ ...first, idempotencyKey: `${first.idempotencyKey}-again` }),
});

describe('verify', () => {
  it('sends the version and protocol headers', async () => {
    await new LinkedInAdapter(options()).verify(conn());
    const seen = fake.requests[0]!.headers;
    expect(seen['linkedin-version']).toBe(LINKEDIN_DEFAULT_VERSION);
    expect(seen['x-restli-protocol-version']).toBe('2.0.0');
    expect(seen.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it('refuses a bad token as auth with LinkedIn words', async () => {
    const err = await failure(new LinkedInAdapter(options()).verify(conn('AQVwrong-token')));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('INVALID_ACCESS_TOKEN');
    expect(err.message).not.toContain('AQVwrong-token');
  });

  it('a sunset LinkedIn-Version pinned on the channel is invalid with the platform message', async () => {
    const err = await failure(
      new LinkedInAdapter(options()).verify(conn(fake.accessToken, { organizationUrn: fake.organizationUrn, linkedinVersion: '202401' })),
    );
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('Requested version 202401 is not active');
  });

  it('a malformed organisation URN is invalid before any call', async () => {
    const err = await failure(new LinkedInAdapter(options()).verify(conn(fake.accessToken, { organizationUrn: 'civic-council' })));
    expect(err.kind).toBe('invalid');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('publish', () => {
  it('posts escaped commentary as the organisation and reports the part', async () => {
    const text = 'Council meeting (public) at 18:00 <Room 2> — questions: info@city.ro #CityBudget';
    const seen: Array<[PublishedPart, number]> = [];
    const parts = await new LinkedInAdapter(options()).publish(request(text), async (p, i) => {
      seen.push([p, i]);
    });
    expect(fake.ledger).toHaveLength(1);
    const entry = fake.ledger[0]!;
    expect(entry.commentary).toBe('Council meeting \\(public\\) at 18:00 \\<Room 2\\> — questions: info\\@city.ro #CityBudget');
    expect(entry.text).toBe(text);
    expect(parts).toEqual([{ externalId: entry.id, url: `https://www.linkedin.com/feed/update/${entry.id}/` }]);
    expect(seen).toEqual([[parts[0], 0]]);
  });

  it('uploads an image through initializeUpload and the upload URL, then posts it with its alt text', async () => {
    const item = image('Volunteers planting trees along the river');
    const bytes = await item.read();
    await new LinkedInAdapter(options()).publish(request('Tree planting day', { media: [item] }));
    expect(routeCalls('images_init')).toBe(1);
    expect(routeCalls('upload')).toBe(1);
    expect(fake.ledger[0]!.media).toEqual([
      expect.objectContaining({
        altText: 'Volunteers planting trees along the river',
        sha256: sha(bytes),
        mimeType: 'image/png',
        size: bytes.length,
      }),
    ]);
  });

  it('posts several images as a multiImage post, each with its alt text', async () => {
    await new LinkedInAdapter(options()).publish(
      request('Two views of the square', { media: [image('The square at dawn'), image('The square at night')] }),
    );
    expect(routeCalls('upload')).toBe(2);
    expect((fake.ledger[0]!.media as Array<{ altText: string }>).map((m) => m.altText)).toEqual([
      'The square at dawn',
      'The square at night',
    ]);
  });
});

describe('findPublished, delete', () => {
  it('finds the post by its unescaped commentary (hashtags come back as templates), absent otherwise', async () => {
    const adapter = new LinkedInAdapter(options());
    fake.seedPost('Unrelated \\(older\\) post');
    const text = 'Vote on #Budget2027 (deadline: Friday) *today*';
    const [part] = await adapter.publish(request(text));
    expect(fake.posts.get(part!.externalId)!.commentary).toContain('{hashtag|\\#|Budget2027}');
    expect(await adapter.findPublished(request(text))).toEqual({ status: 'found', part });
    expect(await adapter.findPublished(request('Never posted'))).toEqual({ status: 'absent' });
    const finder = fake.requests.filter((r) => r.route === 'posts_find');
    expect(finder.every((r) => r.headers['x-restli-method'] === 'FINDER')).toBe(true);
  });
});

describe('metrics', () => {
  it('asks 20 posts per call with Rest.li lists, leaves unknown ones out, and has no quotes', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => fake.seedPost(`Post ${i}`));
    fake.setStatistics(ids[0]!, { likeCount: 9, shareCount: 2, commentCount: 4, impressionCount: 1500, clickCount: 77 });
    const unknown = 'urn:li:ugcPost:999';
    const metrics = await new LinkedInAdapter(options()).fetchMetrics(conn(), [...ids, unknown, 'not-a-urn']);
    expect(metrics.size).toBe(45);
    expect(metrics.has(unknown)).toBe(false);
    expect(metrics.get(ids[0]!)).toEqual({ likes: 9, reposts: 2, replies: 4, quotes: null, impressions: 1500, clicks: 77 });
    expect(metrics.get(ids[1]!)).toEqual({ likes: 0, reposts: 0, replies: 0, quotes: null, impressions: 0, clicks: 0 });
    expect(fake.statisticsCalls.map((c) => c.length)).toEqual([20, 20, 6]);
    expect(fake.statisticsCalls[2]).toContain(unknown);
  });
});

describe('errors', () => {
  it('a 429 is rate_limit until the next midnight UTC (LinkedIn sends no reset header), whatever the hour', async () => {
    // Chosen instants (the contract has a second before New Year): noon before a leap day, and midnight itself.
    for (const [at, reset] of [
      ['2028-02-28T12:00:00Z', '2028-02-29T00:00:00Z'],
      ['2028-02-29T00:00:00Z', '2028-03-01T00:00:00Z'],
    ] as const) {
      fake.fail({ fault: 'rate_limit' });
      const err = await atInstant(new Date(at), () => failure(new LinkedInAdapter(options()).publish(request('Throttled'))));
      expect(err.kind).toBe('rate_limit');
      expect(err.resetAt).toEqual(new Date(reset));
    }
  });

  it('too long commentary and an unsupported image are invalid with LinkedIn words', async () => {
    const adapter = new LinkedInAdapter(options());
    const long = await failure(adapter.publish(request('y'.repeat(3001))));
    expect(long.kind).toBe('invalid');
    expect(long.message).toContain('exceeds the maximum allowed length of 3000');
    const bad = await failure(adapter.publish(request('Bad image', { media: [image('alt', Buffer.from('plain text, no image'))] })));
    expect(bad.kind).toBe('invalid');
    expect(bad.message).toContain('Unsupported image format');
    expect(fake.ledger).toHaveLength(0);
  });

  describe('ambiguous outcomes end with exactly one post', () => {
    async function publishThenReconcile(adapter: LinkedInAdapter, req: PublishRequest): Promise<void> {
      const err = await failure(adapter.publish(req));
      expect(err.kind).toBe('ambiguous');
      const reconciled = await new LinkedInAdapter(options()).findPublished(req);
      if (reconciled.status === 'absent') await new LinkedInAdapter(options()).publish(req);
      expect(fake.ledger).toHaveLength(1);
      expect(fake.ledger[0]!.text).toBe(req.text);
    }

    it('a 500 after the post was stored', async () => {
      fake.fail({ fault: 'accept_then_error', on: 'posts_create' });
      await publishThenReconcile(
        new LinkedInAdapter(options()),
        request('Error after storing', { media: [image('A map of the new bus lines')] }),
      );
      expect(routeCalls('posts_create')).toBe(1);
    });
  });
});
