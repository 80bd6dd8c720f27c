/**
 * The Bluesky adapter through @atproto/api against the fake PDS (test/fakes/bluesky.fake.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AtpAgent, XRPCError } from '@atproto/api';
import { BlueskyAdapter } from '#src/platforms/bluesky/bluesky.adapter.js';
import { recordKeyFor } from '#src/platforms/bluesky/record-key.js';
import { PlatformError, type Connection, type MediaItem, type PublishRequest } from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { BlueskyFake } from '#test/fakes/bluesky.fake.js';
import { adapterContract, type ContractFault, type FaultTarget, type StoredPost } from '#test/platforms/adapter-contract.js';

const fake = new BlueskyFake();
/** Every error the adapter threw, checked for secrets at the end. */
const thrown: PlatformError[] = [];
const WRONG_PASSWORD = 'wxyz-wxyz-wxyz-wxyz';

function options(timeoutMs = 3000): PlatformOptions {
  const unused = 'http://127.0.0.1:9';
  return { baseUrls: { x: unused, xUpload: unused, facebookGraph: unused, linkedin: unused, telegram: unused }, timeoutMs };
}

function conn(credentials: Record<string, string> = {}): Connection {
  return {
    channel: { id: 'channel-1', institutionId: 'inst-1', platform: 'bluesky', settings: { serviceUrl: fake.url }, accountHandle: null },
    credentials: { identifier: fake.account.handle, appPassword: fake.account.appPassword, ...credentials },
  };
}

function request(key: string, text: string, more: Partial<PublishRequest> = {}): PublishRequest {
  return {
    ...conn(),
    idempotencyKey: key,
    targetId: `target-${key}`,
    language: 'fr',
    text,
    thread: [],
    media: [],
    publishedParts: [],
    ...more,
  };
}

function png(altText: string, size = 2048): MediaItem & { bytes: Buffer } {
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size - 8)]);
  return { fileName: 'poster.png', mimeType: 'image/png', size: bytes.length, altText, bytes, read: async () => bytes };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlatformError);
  thrown.push(err as PlatformError);
  return err as PlatformError;
}

let adapter: BlueskyAdapter;

beforeAll(async () => {
  await fake.start(0);
});

afterAll(async () => {
  await fake.stop();
});

/** Every JWT the fake handed out, across resets. */
const tokens: string[] = [];

function resetFake(): void {
  tokens.push(...fake.tokensIssued);
  fake.reset();
  fake.existingRecordAnswer = 'internal_error';
}

beforeEach(() => {
  resetFake();
  adapter = new BlueskyAdapter(options());
});

const ROUTES: Record<FaultTarget, string> = { create: 'createRecord', read: 'getPosts', delete: 'deleteRecord' };

function inject(fault: ContractFault, on: FaultTarget): void {
  // An expired token alone is refreshed: auth means the token, the refresh and a new login are all refused.
  if (fault === 'expired_token') fake.fail({ fault, on: 'any', times: 100 });
  else fake.fail({ fault, on: ROUTES[on] });
}

adapterContract({
  name: 'Bluesky',
  reset: resetFake,
  adapter: (o) => new BlueskyAdapter(options(o?.timeoutMs)),
  conn: () => conn(),
  request: (key, text, more) => request(key, text, more),
  image: (altText) => png(altText),
  posts: async (): Promise<StoredPost[]> =>
    fake.ledger
      .filter((e) => e.deletedAt === null)
      .map((e) => ({
        id: e.id,
        text: e.text,
        replyTo: e.reply?.parent ?? null,
        altTexts: e.images.map((i) => i.alt),
        imageHashes: e.images.map((i) => i.sha256),
      })),
  requestCount: () => fake.requests.length,
  fail: inject,
  sawHungRequest: () => fake.requests.some((r) => r.route === 'createRecord' && r.fault === 'hang'),
  account: {
    id: fake.account.did,
    handle: fake.account.handle,
    displayName: 'Town Hall',
    url: `https://bsky.app/profile/${fake.account.handle}`,
  },
  postUrl: (post) => `https://bsky.app/profile/${fake.account.handle}/post/${post.id.split('/').pop()}`,
  reportsParts: true,
  secrets: () => [fake.account.appPassword, WRONG_PASSWORD, ...tokens, ...fake.tokensIssued],
  refusedCredentials: () => conn({ appPassword: WRONG_PASSWORD }),
  thread: 'replies',
  altText: 'field',
  reconcile: 'lookup',
  metrics: {
    kind: 'counts',
    unknownId: `at://${fake.account.did}/app.bsky.feed.post/${recordKeyFor('never-posted', 0)}`,
    setLikes: (uri, likes) => fake.setMetrics(uri, { likeCount: likes }),
  },
  failingRead: 'metrics',
  failingDelete: true,
  imageBytes: true,
  unreachable: (url) => ({
    adapter: new BlueskyAdapter(options()),
    conn: { ...conn(), channel: { ...conn().channel, settings: { serviceUrl: url } } },
  }),
  // Not ambiguous: the record key derived from the idempotency key makes a second create harmless.
  hang: 'transient',
  timeoutWords: 'ETIMEDOUT',
  createServerError: 'transient',
  lostAnswer: 'recovers',
  rateLimitReset: () => new Date(fake.rateLimitReset * 1000),
  invalid: {
    request: (key) => request(key, 'é'.repeat(301)),
    message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
  },
  // The record key of the part already holds a different post.
  duplicate: (first) => ({ ...first, text: 'Autre texte, même clé' }),
});

describe('verify and sessions', () => {
  it('refuses a wrong app password as auth, carrying the PDS message and not the password', async () => {
    const err = await failure(adapter.verify(conn({ appPassword: WRONG_PASSWORD })));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('Invalid identifier or password');
    expect(err.message).not.toContain(WRONG_PASSWORD);
  });

  it('reports a missing credential as auth without calling the PDS', async () => {
    const err = await failure(adapter.verify({ ...conn(), credentials: { identifier: fake.account.handle } }));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain("'appPassword'");
    expect(fake.count('createSession')).toBe(0);
  });

  it('logs in once per channel and credentials, and again when the credentials change', async () => {
    await adapter.verify(conn());
    await adapter.publish(request('k-session', 'Bonjour'));
    await adapter.fetchMetrics(conn(), []);
    expect(fake.count('createSession')).toBe(1);
    // The DID is an identifier too: a changed credential is a new login.
    await adapter.verify(conn({ identifier: fake.account.did }));
    expect(fake.count('createSession')).toBe(2);
  });

  it('lets the agent refresh an expired access token, without a new login', async () => {
    await adapter.verify(conn());
    fake.expireAccessTokens();
    await adapter.publish(request('k-refresh', 'Après le rafraîchissement'));
    expect(fake.count('refreshSession')).toBe(1);
    expect(fake.count('createSession')).toBe(1);
    expect(fake.ledger).toHaveLength(1);
  });

  it('logs in again when the refresh fails too', async () => {
    await adapter.verify(conn());
    fake.revokeSessions();
    await adapter.publish(request('k-relogin', 'Nouvelle session'));
    expect(fake.count('refreshSession')).toBe(1);
    expect(fake.count('createSession')).toBe(2);
    expect(fake.ledger).toHaveLength(1);
  });

  it('an ExpiredToken answer once (expired_token fault) is refreshed and the post goes out once', async () => {
    await adapter.verify(conn());
    fake.fail({ fault: 'expired_token', on: 'createRecord' });
    await adapter.publish(request('k-expired-once', 'Une fois'));
    expect(fake.count('refreshSession')).toBe(1);
    expect(fake.ledger).toHaveLength(1);
  });

  it('is auth when the token, the refresh and the new login are all refused', async () => {
    await adapter.verify(conn());
    fake.fail({ fault: 'expired_token', on: 'any', times: 100 });
    const err = await failure(adapter.publish(request('k-expired', 'Jamais publié')));
    expect(err.kind).toBe('auth');
    expect(fake.count('refreshSession')).toBe(1);
    expect(fake.count('createSession')).toBe(2);
    expect(fake.ledger).toHaveLength(0);
  });
});

describe('publish', () => {
  it('posts a text under the record key derived from the idempotency key, with its language', async () => {
    const parts = await adapter.publish(request('k-text', 'Le conseil municipal se réunit jeudi.'));
    const rkey = recordKeyFor('k-text', 0);
    expect(parts).toEqual([
      {
        externalId: `at://${fake.account.did}/app.bsky.feed.post/${rkey}`,
        url: `https://bsky.app/profile/${fake.account.handle}/post/${rkey}`,
      },
    ]);
    expect(fake.ledger).toHaveLength(1);
    expect(fake.ledger[0]).toMatchObject({
      id: parts[0]!.externalId,
      rkey,
      text: 'Le conseil municipal se réunit jeudi.',
      langs: ['fr'],
      reply: null,
      images: [],
    });
  });

  it('adds link, tag and resolved mention facets with UTF-8 byte offsets', async () => {
    const text = 'Café ☕ avec @alice.test et @nobody.test : https://example.org/agenda #conseil';
    await adapter.publish(request('k-facets', text));
    const facets = fake.ledger[0]!.facets as Array<{
      index: { byteStart: number; byteEnd: number };
      features: Array<Record<string, string>>;
    }>;
    const slice = (f: { index: { byteStart: number; byteEnd: number } }) =>
      Buffer.from(text).subarray(f.index.byteStart, f.index.byteEnd).toString();
    const byType = (t: string) => facets.filter((f) => f.features[0]!.$type === `app.bsky.richtext.facet#${t}`);
    expect(byType('mention')).toHaveLength(1);
    expect(slice(byType('mention')[0]!)).toBe('@alice.test');
    expect(byType('mention')[0]!.features[0]!.did).toBe('did:plc:a7bqlmvbwfxo3ss3fzv6lhg4');
    expect(slice(byType('link')[0]!)).toBe('https://example.org/agenda');
    expect(byType('link')[0]!.features[0]!.uri).toBe('https://example.org/agenda');
    expect(byType('tag')[0]!.features[0]!.tag).toBe('conseil');
    // The handle that does not resolve stays plain text.
    expect(facets).toHaveLength(3);
  });

  it('uploads images and embeds them with their alt text', async () => {
    const first = png('Affiche du marché de Noël');
    const second = png('Plan du centre-ville', 4096);
    await adapter.publish(request('k-images', 'Le marché de Noël ouvre samedi', { media: [first, second] }));
    expect(fake.count('uploadBlob')).toBe(2);
    const images = fake.ledger[0]!.images;
    expect(images.map((i) => i.alt)).toEqual(['Affiche du marché de Noël', 'Plan du centre-ville']);
    expect(images.map((i) => i.sha256)).toEqual([first.bytes, second.bytes].map((b) => createHash('sha256').update(b).digest('hex')));
    expect(images.map((i) => [i.mimeType, i.size])).toEqual([
      ['image/png', 2048],
      ['image/png', 4096],
    ]);
  });

  it('refuses five images or one over 2,000,000 bytes before uploading anything', async () => {
    const five = await failure(adapter.publish(request('k-five', 'Trop', { media: [1, 2, 3, 4, 5].map((i) => png(`image ${i}`)) })));
    expect(five.kind).toBe('invalid');
    const big = await failure(adapter.publish(request('k-big', 'Trop lourd', { media: [png('grande', 2_000_001)] })));
    expect(big.kind).toBe('invalid');
    expect(big.message).toContain('2000000');
    expect(fake.count('uploadBlob')).toBe(0);
  });

  it('chains a thread with the root and the parent of each reply', async () => {
    await adapter.publish(request('k-thread', 'Partie 1', { thread: ['Partie 2', 'Partie 3'] }));
    const [one, two, three] = fake.ledger;
    expect(one!.reply).toBeNull();
    expect(two!.reply).toEqual({ root: one!.id, parent: one!.id });
    expect(three!.reply).toEqual({ root: one!.id, parent: two!.id });
  });

  it('resumes a thread after the parts already published, fetching their cids for the reply', async () => {
    const earlier = await adapter.publish(request('k-resume', 'Un', { thread: ['Deux'] }));
    const creates = fake.count('createRecord');
    const onPart: number[] = [];
    const parts = await adapter.publish(
      request('k-resume', 'Un', { thread: ['Deux', 'Trois'], publishedParts: earlier }),
      async (_p, i) => {
        onPart.push(i);
      },
    );
    expect(fake.count('createRecord')).toBe(creates + 1);
    expect(onPart).toEqual([2]);
    expect(parts.slice(0, 2)).toEqual(earlier);
    expect(fake.ledger).toHaveLength(3);
    expect(fake.ledger[2]).toMatchObject({ text: 'Trois', reply: { root: earlier[0]!.externalId, parent: earlier[1]!.externalId } });
  });
});

describe('delete and metrics', () => {
  it('reads metrics 25 posts per call, null for what Bluesky does not count, unknown posts left out', async () => {
    const uris = Array.from({ length: 27 }, (_, i) => fake.seedPost(recordKeyFor(`metrics-${i}`, 0), `Post ${i}`));
    fake.setMetrics(uris[0]!, { likeCount: 12, repostCount: 3, replyCount: 2, quoteCount: 1 });
    fake.setMetrics(uris[26]!, { likeCount: 7 });
    const unknown = `at://${fake.account.did}/app.bsky.feed.post/${recordKeyFor('never-posted', 0)}`;
    const metrics = await adapter.fetchMetrics(conn(), [...uris, unknown]);
    expect(fake.getPostsBatches).toEqual([25, 3]);
    expect(metrics.size).toBe(27);
    expect(metrics.has(unknown)).toBe(false);
    expect(metrics.get(uris[0]!)).toEqual({ likes: 12, reposts: 3, replies: 2, quotes: 1, impressions: null, clicks: null });
    expect(metrics.get(uris[26]!)).toEqual({ likes: 7, reposts: 0, replies: 0, quotes: 0, impressions: null, clicks: null });
  });
});

describe('errors', () => {});

describe('lost answers end with exactly one post', () => {
  it('a connection dropped after the post was stored: the adapter reads the record and carries on', async () => {
    fake.fail({ fault: 'accept_then_drop', on: 'createRecord' });
    const parts = await adapter.publish(request('k-drop', 'Connexion perdue', { thread: ['Suite'] }));
    expect(fake.ledger).toHaveLength(2);
    expect(parts.map((p) => p.externalId)).toEqual(fake.ledger.map((e) => e.id));
    expect(fake.ledger[1]!.reply).toEqual({ root: fake.ledger[0]!.id, parent: fake.ledger[0]!.id });
    expect(fake.count('getRecord')).toBe(1);
  });

  it('when the check fails too, findPublished finds the post and nothing is sent twice', async () => {
    fake.fail({ fault: 'accept_then_drop', on: 'createRecord' });
    fake.fail({ fault: 'server_error', on: 'getRecord' });
    const err = await failure(adapter.publish(request('k-unsure', 'Incertain')));
    expect(err.kind).toBe('transient');
    expect(fake.ledger).toHaveLength(1);
    const found = await adapter.findPublished(request('k-unsure', 'Incertain'));
    expect(found).toEqual({
      status: 'found',
      part: { externalId: fake.ledger[0]!.id, url: expect.stringContaining(fake.ledger[0]!.rkey) },
    });
  });

  it('a retry without asking first collides with the stored post and returns it (reference PDS: 500)', async () => {
    const first = await adapter.publish(request('k-retry', 'Une seule fois'));
    const again = await adapter.publish(request('k-retry', 'Une seule fois'));
    expect(again).toEqual(first);
    expect(fake.ledger).toHaveLength(1);
  });

  it('the same with an explicit RecordAlreadyExists answer', async () => {
    fake.existingRecordAnswer = 'conflict';
    const first = await adapter.publish(request('k-retry-409', 'Une seule fois'));
    const again = await adapter.publish(request('k-retry-409', 'Une seule fois'));
    expect(again).toEqual(first);
    expect(fake.ledger).toHaveLength(1);
  });

  it('findPublished looks for the next part under its own key', async () => {
    const parts = await adapter.publish(request('k-find', 'Un', { thread: ['Deux'] }));
    expect(await adapter.findPublished(request('k-find', 'Un', { thread: ['Deux'], publishedParts: [parts[0]!] }))).toEqual({
      status: 'found',
      part: parts[1],
    });
    expect(await adapter.findPublished(request('k-find', 'Un', { thread: ['Deux', 'Trois'], publishedParts: parts }))).toEqual({
      status: 'absent',
    });
  });
});

describe('the fake refuses like a PDS', () => {
  async function agent(): Promise<AtpAgent> {
    const a = new AtpAgent({ service: fake.url });
    await a.login({ identifier: fake.account.handle, password: fake.account.appPassword });
    return a;
  }

  async function xrpcError(promise: Promise<unknown>): Promise<XRPCError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(XRPCError);
    return err as XRPCError;
  }

  it('an image over the lexicon maxSize, a blob never uploaded, an image without alt', async () => {
    const a = await agent();
    const big = png('x', 2_000_001);
    const { data } = await a.com.atproto.repo.uploadBlob(big.bytes, { encoding: 'image/png' });
    const post = (images: unknown[]) =>
      a.com.atproto.repo.createRecord({
        repo: a.session!.did,
        collection: 'app.bsky.feed.post',
        record: {
          $type: 'app.bsky.feed.post',
          text: 't',
          createdAt: new Date().toISOString(),
          embed: { $type: 'app.bsky.embed.images', images },
        },
      });
    expect((await xrpcError(post([{ image: data.blob, alt: '' }]))).error).toBe('BlobTooLarge');
    const small = png('y');
    const other = {
      $type: 'blob',
      ref: { $link: 'bafkreifv2vgdtztgohexgg47i4pfqxmcmlgu6vewh4gjgcbnrxhtgtkmpa' },
      mimeType: 'image/png',
      size: small.size,
    };
    expect((await xrpcError(post([{ image: other, alt: '' }]))).error).toBe('BlobNotFound');
    const uploaded = await a.com.atproto.repo.uploadBlob(small.bytes, { encoding: 'image/png' });
    expect((await xrpcError(post([{ image: uploaded.data.blob }]))).message).toContain('must have the property "alt"');
    expect((await xrpcError(post([1, 2, 3, 4, 5].map(() => ({ image: uploaded.data.blob, alt: '' }))))).message).toContain(
      'must not have more than 4 elements',
    );
  });

  it('facets beyond the text, a record key that is not a TID, and 3000 bytes', async () => {
    const a = await agent();
    const create = (record: Record<string, unknown>, rkey?: string) =>
      a.com.atproto.repo.createRecord({
        repo: a.session!.did,
        collection: 'app.bsky.feed.post',
        rkey,
        record: { $type: 'app.bsky.feed.post', createdAt: new Date().toISOString(), ...record },
      });
    const facet = { index: { byteStart: 0, byteEnd: 99 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'x' }] };
    expect((await xrpcError(create({ text: 'court', facets: [facet] }))).message).toContain('beyond the end of the text');
    expect((await xrpcError(create({ text: 'clé' }, 'not-a-tid'))).message).toContain('not a valid TID');
    // 150 family emoji of 25 bytes each: within 300 graphemes, over 3000 bytes.
    expect((await xrpcError(create({ text: '👨‍👩‍👧‍👦'.repeat(150) }))).message).toContain('must not be longer than 3000 characters');
  });
});

// Runs last (tests of a file run in order).
it('no credential or token appears in any error the adapter threw', () => {
  const secrets = [fake.account.appPassword, WRONG_PASSWORD, ...tokens, ...fake.tokensIssued];
  expect(thrown.length).toBeGreaterThan(3);
  expect(secrets.length).toBeGreaterThan(20);
  for (const err of thrown) for (const secret of secrets) expect(err.message).not.toContain(secret);
});
