/**
 * The Mastodon adapter through the real masto client against the fake instance (test/fakes/mastodon.fake.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MastodonFake } from '#test/fakes/mastodon.fake.js';
import { MastodonAdapter } from '#src/platforms/mastodon/mastodon.adapter.js';
import {
  PlatformError,
  type Connection,
  type MediaItem,
  type PublishedPart,
  type PublishRequest,
} from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { adapterContract, atInstant, type FaultTarget, type StoredPost } from '#test/platforms/adapter-contract.js';

const fake = new MastodonFake();
const errors: unknown[] = [];
/** "Now" for the cases whose outcome depends on a post's age. */
const NOW = new Date('2026-06-15T12:00:00Z');

function adapter(timeoutMs = 2000): MastodonAdapter {
  return new MastodonAdapter({ baseUrls: {} as PlatformOptions['baseUrls'], timeoutMs });
}

function conn(accessToken: string = fake.accessToken, instanceUrl = fake.url): Connection {
  return {
    channel: { id: 'ch-1', institutionId: 'inst-1', platform: 'mastodon', settings: { instanceUrl }, accountHandle: null },
    credentials: { accessToken },
  };
}

let keys = 0;
function request(over: Partial<PublishRequest> = {}): PublishRequest {
  return {
    ...conn(),
    idempotencyKey: `target-1:rev-${++keys}`,
    targetId: 'target-1',
    language: 'fr-BE',
    text: 'Bonjour',
    thread: [],
    media: [],
    publishedParts: [],
    ...over,
  };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
function image(altText: string, bytes = PNG): MediaItem {
  return { fileName: 'poster.png', mimeType: 'image/png', size: bytes.length, altText, read: async () => bytes };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  errors.push(err);
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

function seen(route: string) {
  return fake.requests.filter((r) => r.route === route);
}

beforeAll(async () => {
  await fake.start(0);
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.reset());

const ROUTES: Record<FaultTarget, string> = { create: 'create_status', read: 'read', delete: 'delete_status' };

adapterContract({
  name: 'Mastodon',
  reset: () => fake.reset(),
  adapter: (o) => adapter(o?.timeoutMs),
  conn: () => conn(),
  request: (key, text, more) => request({ idempotencyKey: key, text, ...more }),
  image: (altText) => image(altText),
  posts: async (): Promise<StoredPost[]> =>
    fake.ledger
      .filter((e) => fake.hasStatus(e.id))
      .map((e) => {
        const media = e.media as Array<{ id: string; description: string | null }>;
        return {
          id: e.id,
          text: e.text,
          replyTo: (e.inReplyTo as string | null) ?? null,
          altTexts: media.map((m) => m.description ?? ''),
          imageHashes: media.map((m) => createHash('sha256').update(fake.uploadedMedia(m.id)!.bytes).digest('hex')),
        };
      }),
  requestCount: () => fake.requests.length,
  fail: (fault, on) => fake.fail({ fault, on: ROUTES[on] }),
  sawHungRequest: () => fake.requests.some((r) => r.route === 'create_status' && r.fault === 'hang'),
  account: {
    id: fake.accountId,
    handle: '@townhall@social.example',
    displayName: 'Town Hall',
    url: 'https://social.example/@townhall',
    settings: { maxCharacters: 500, charactersReservedPerUrl: 23, imageSizeLimit: 16 * 1024 * 1024 },
  },
  postUrl: (post) => `https://social.example/@townhall/${post.id}`,
  reportsParts: true,
  secrets: () => [fake.accessToken, fake.readOnlyToken, 'not-the-token'],
  refusedCredentials: () => conn('not-the-token'),
  thread: 'replies',
  altText: 'field',
  reconcile: 'lookup',
  metrics: { kind: 'counts', unknownId: '42', setLikes: (id, likes) => fake.setMetrics(id, { favourites: likes }) },
  failingRead: 'verify',
  failingDelete: true,
  imageBytes: true,
  unreachable: (url) => ({ adapter: adapter(), conn: conn(fake.accessToken, url) }),
  hang: 'ambiguous',
  createServerError: 'ambiguous',
  lostAnswer: 'ambiguous',
  // X-RateLimit-Reset, as the instance sends it (the end of its five-minute window).
  rateLimitReset: () => fake.rateLimitResetAt,
  invalid: {
    request: (key) => request({ idempotencyKey: key, text: 'é'.repeat(501) }),
    message: 'Text character limit of 500 exceeded',
    status: 422,
  },
  duplicate: null, // the same key within the hour answers the first status (below)
});

describe('verify', () => {
  it("refuses a wrong token as auth, with Mastodon's words", async () => {
    const err = await failure(adapter().verify(conn('not-the-token')));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('The access token is invalid');
  });
});

describe('publish', () => {
  it('posts a public status with its language and a per-part Idempotency-Key', async () => {
    const parts = await adapter().publish(request({ text: 'Fermeture de la mairie lundi' }));
    expect(fake.ledger).toHaveLength(1);
    expect(fake.ledger[0]).toMatchObject({ text: 'Fermeture de la mairie lundi', language: 'fr', visibility: 'public', inReplyTo: null });
    expect(parts).toEqual([{ externalId: fake.ledger[0]!.id, url: `https://social.example/@townhall/${fake.ledger[0]!.id}` }]);
    expect(seen('create_status')[0]!.headers['idempotency-key']).toMatch(/^civicpost-[0-9a-f]{40}$/);
  });

  it('uploads an image with its alt text and waits for processing (202, 206, then 200)', async () => {
    const [part] = await adapter().publish(request({ text: 'Affiche', media: [image('Affiche du marché de Noël, place du village')] }));
    const [entry] = fake.ledger;
    expect(entry!.id).toBe(part!.externalId);
    const media = entry!.media as Array<{ id: string; description: string }>;
    expect(media).toHaveLength(1);
    expect(media[0]!.description).toBe('Affiche du marché de Noël, place du village');
    expect(fake.uploadedMedia(media[0]!.id)!.bytes.equals(PNG)).toBe(true);
    expect(seen('upload_media').map((r) => r.status)).toEqual([202]);
    expect(seen('media').map((r) => r.status)).toEqual([206, 200]);
  });

  it('refuses alt text over 1500 characters as invalid, with the platform message', async () => {
    const err = await failure(adapter().publish(request({ media: [image('x'.repeat(1501))] })));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('Description is too long (maximum is 1500 characters)');
    expect(fake.ledger).toHaveLength(0);
  });

  it('a resend with the same key within the hour returns the first status (Mastodon has no duplicate error)', async () => {
    const req = request({ text: 'Une seule fois' });
    const a = await adapter().publish(req);
    const b = await adapter().publish(req);
    expect(b).toEqual(a);
    expect(fake.ledger).toHaveLength(1);
  });

  it('counts URLs as 23 characters, and refuses 501 characters as invalid with the platform message', async () => {
    await adapter().publish(request({ text: 'a'.repeat(470) + ' https://www.example.org/' + 'p'.repeat(200) }));
    expect(fake.ledger).toHaveLength(1);
    const err = await failure(adapter().publish(request({ text: 'é'.repeat(501) })));
    expect(err.kind).toBe('invalid');
    expect(err.status).toBe(422);
    expect(err.message).toContain('Validation failed: Text character limit of 500 exceeded');
  });
});

describe('errors', () => {
  it('a revoked token is auth', async () => {
    fake.fail({ fault: 'expired_token', on: 'any' });
    const err = await failure(adapter().publish(request()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('The access token was revoked');
  });

  it('a token without write scope is auth (403), not invalid', async () => {
    const err = await failure(adapter().publish({ ...request(), ...conn(fake.readOnlyToken) }));
    expect(err).toMatchObject({ kind: 'auth', status: 403 });
    expect(err.message).toContain('This action is outside the authorized scopes');
  });

  it('a failed media upload is transient (an unattached upload publishes nothing)', async () => {
    fake.fail({ fault: 'accept_then_drop', on: 'upload_media' });
    expect((await failure(adapter().publish(request({ media: [image('Plan')] })))).kind).toBe('transient');
    expect(fake.ledger).toHaveLength(0);
  });
});

describe('ambiguous outcomes end with exactly one post', () => {
  it.each(['accept_then_drop', 'accept_then_error'] as const)('%s: ambiguous, then found, nothing sent again', async (fault) => {
    fake.fail({ fault, on: 'create_status' });
    const req = request({
      text: 'Réunion publique\n\njeudi 18 h, voir https://www.example.org/agenda/reunion-publique-du-conseil #conseil avec @maire@autre.example',
    });
    const err = await failure(adapter().publish(req));
    expect(err.kind).toBe('ambiguous');
    const found = await adapter().findPublished(req);
    expect(found).toEqual({ status: 'found', part: { externalId: fake.ledger[0]!.id, url: expect.any(String) } });
    // The HTML content differs from the text (paragraphs, link spans, `@maire` only): confirmed on the source.
    expect(seen('status_source').map((r) => r.status)).toEqual([200]);
    expect(fake.ledger).toHaveLength(1);
  });

  it('a thread part lost after sending is found as the reply to the part before', async () => {
    const req = request({ text: 'Partie 1', thread: ['Partie 2'] });
    fake.fail({ fault: 'accept_then_drop', on: 'create_status', times: 1 });
    await failure(adapter().publish(req));
    // Part 0 was lost too: reconcile finds it, then part 1 is sent and lost.
    const p0 = await adapter().findPublished(req);
    expect(p0.status).toBe('found');
    const publishedParts: PublishedPart[] = [(p0 as { part: PublishedPart }).part];
    fake.fail({ fault: 'accept_then_drop', on: 'create_status', times: 1 });
    expect((await failure(adapter().publish({ ...req, publishedParts }))).kind).toBe('ambiguous');
    const p1 = await adapter().findPublished({ ...req, publishedParts });
    expect(p1).toEqual({ status: 'found', part: { externalId: fake.ledger[1]!.id, url: expect.any(String) } });
    expect(fake.ledger.map((e) => e.inReplyTo)).toEqual([null, fake.ledger[0]!.id]);
  });

  it('does not take the same text posted two days ago, nor a reply, for part 0', async () => {
    await atInstant(NOW, async () => {
      fake.seedStatus('Marché annulé', null, new Date(NOW.getTime() - 2 * 24 * 3600_000));
      const parent = fake.seedStatus('Autre');
      fake.seedStatus('Marché annulé', parent);
      expect(await adapter().findPublished(request({ text: 'Marché annulé' }))).toEqual({ status: 'absent' });
    });
  });

  it('a post whose HTML looks the same but whose source differs is not ours (mentions of another server)', async () => {
    fake.seedStatus('Merci @maire@autre.example !');
    expect(await adapter().findPublished(request({ text: 'Merci @maire@ville.example !' }))).toEqual({ status: 'absent' });
    expect(seen('status_source')).toHaveLength(1);
  });

  it('a media post is matched by its alt texts too', async () => {
    const req = request({ text: '', media: [image('Carte des travaux')] });
    fake.fail({ fault: 'accept_then_drop', on: 'create_status' });
    expect((await failure(adapter().publish(req))).kind).toBe('ambiguous');
    expect(await adapter().findPublished({ ...req, media: [image('Autre carte')] })).toEqual({ status: 'absent' });
    expect((await adapter().findPublished(req)).status).toBe('found');
  });
});

describe('delete and metrics', () => {
  it('deletes, and an id already gone is not an error', async () => {
    const parts = await adapter().publish(request({ text: 'À supprimer', thread: ['Suite'] }));
    await adapter().delete(
      conn(),
      parts.map((p) => p.externalId),
    );
    await adapter().delete(conn(), [parts[0]!.externalId, '999']);
    expect(seen('delete_status').map((r) => r.status)).toEqual([200, 200, 404, 404]);
    expect((await adapter().fetchMetrics(conn(), [parts[0]!.externalId])).size).toBe(0);
  });

  it('fetches 45 ids in calls of 20 (GET /api/v1/statuses?id[]=), unknown ids left out, missing metrics null', async () => {
    const ids = Array.from({ length: 44 }, (_, i) => fake.seedStatus(`Post ${i}`));
    fake.setMetrics(ids[30]!, { favourites: 7, reblogs: 3, replies: 2, quotes: 1 });
    fake.requests = [];
    const metrics = await adapter().fetchMetrics(conn(), [...ids, '42']);
    expect(seen('statuses')).toHaveLength(3);
    expect(metrics.size).toBe(44);
    expect(metrics.has('42')).toBe(false);
    expect(metrics.get(ids[30]!)).toEqual({ likes: 7, reposts: 3, replies: 2, quotes: 1, impressions: null, clicks: null });
  });

  it('falls back to one GET per status on instances before 4.3', async () => {
    const old = new MastodonFake({ statusesBatch: false });
    await old.start(0);
    try {
      const ids = [old.seedStatus('a'), old.seedStatus('b')];
      const metrics = await adapter().fetchMetrics(conn(old.accessToken, old.url), [...ids, '7']);
      expect([...metrics.keys()].sort()).toEqual(ids.sort());
      expect(old.requests.filter((r) => r.route === 'status')).toHaveLength(3);
    } finally {
      await old.stop();
    }
  });
});

afterAll(() => {
  // Every error the tests saw: none may carry a token.
  expect(errors.length).toBeGreaterThan(10);
  for (const e of errors) {
    const text = `${(e as Error).message} ${(e as Error).stack ?? ''}`;
    expect(text).not.toContain(fake.accessToken);
    expect(text).not.toContain(fake.readOnlyToken);
    expect(text).not.toContain('not-the-token');
  }
});
