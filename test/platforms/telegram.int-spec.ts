import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PlatformError,
  type Connection,
  type MediaItem,
  type PublishedPart,
  type PublishRequest,
} from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { TelegramAdapter } from '#src/platforms/telegram/telegram.adapter.js';
import { DEFAULT_TELEGRAM_TOKEN, TelegramFake } from '#test/fakes/telegram.fake.js';
import { adapterContract, type FaultTarget, type StoredPost } from '#test/platforms/adapter-contract.js';

const TOKEN = DEFAULT_TELEGRAM_TOKEN;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('fake png body for the telegram adapter test'),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake jpeg body')]);

/** Every error the adapter threw in this file, to check that none carries the token. */
const thrown: unknown[] = [];

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (err) {
    thrown.push(err);
    expect(err).toBeInstanceOf(PlatformError);
    return err as PlatformError;
  }
  throw new Error('expected the call to fail');
}

function options(base: string, timeoutMs = 3000): PlatformOptions {
  return {
    baseUrls: { x: 'http://unused', xUpload: 'http://unused', facebookGraph: 'http://unused', linkedin: 'http://unused', telegram: base },
    timeoutMs,
  };
}

function conn(settings: Record<string, unknown> = { chatId: '@civicpost_test' }, token: string = TOKEN): Connection {
  return {
    channel: { id: 'ch-1', institutionId: 'inst-1', platform: 'telegram', settings, accountHandle: '@civicpost_test' },
    credentials: { botToken: token },
  };
}

function image(bytes: Buffer, altText: string, mimeType = 'image/png', fileName = 'image.png'): MediaItem {
  return { fileName, mimeType, size: bytes.length, altText, read: async () => bytes };
}

function request(fields: Partial<PublishRequest> = {}, connection: Connection = conn()): PublishRequest {
  return {
    ...connection,
    idempotencyKey: 'key-1',
    targetId: 't-1',
    language: 'en',
    text: 'Road works on Main Street from Monday.',
    thread: [],
    media: [],
    publishedParts: [],
    ...fields,
  };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('TelegramAdapter against the fake Bot API', () => {
  const fake = new TelegramFake();
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    adapter = new TelegramAdapter(options(await fake.start()));
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.stop();
  });

  const ROUTES: Record<FaultTarget, string> = { create: 'sendMessage', read: 'read', delete: 'deleteMessage' };

  adapterContract({
    name: 'Telegram',
    reset: () => fake.reset(),
    adapter: (o) => new TelegramAdapter(options(fake.url, o?.timeoutMs)),
    conn: () => conn(),
    request: (key, text, more) => request({ idempotencyKey: key, text, ...more }),
    image: (altText) => image(PNG, altText),
    posts: async (): Promise<StoredPost[]> =>
      fake.ledger
        .filter((e) => e.deleted !== true)
        .map((e) => ({
          id: e.id,
          text: e.text,
          replyTo: (e.inReplyTo as string | undefined) ?? null,
          altTexts: [],
          imageHashes: ((e.media ?? []) as Array<{ sha256: string }>).map((m) => m.sha256),
        })),
    requestCount: () => fake.requests.length,
    fail: (fault, on) => fake.fail({ fault, on: ROUTES[on] }),
    sawHungRequest: () => fake.requests.some((r) => r.route === 'sendMessage' && r.fault === 'hang'),
    account: { id: '-1001234567890', handle: '@civicpost_test', displayName: 'CivicPost Test Channel', url: 'https://t.me/civicpost_test' },
    postUrl: (post) => `https://t.me/civicpost_test/${post.id}`,
    reportsParts: true,
    secrets: () => [TOKEN, encodeURIComponent(TOKEN), 'AAH-another-token'],
    refusedCredentials: () => conn(undefined, '7000000001:AAH-another-token-entirely_xyz'),
    thread: 'replies',
    altText: 'caption',
    reconcile: 'unknown',
    metrics: { kind: 'unavailable' },
    failingRead: 'verify',
    failingDelete: true,
    imageBytes: true,
    unreachable: (url) => ({ adapter: new TelegramAdapter(options(url)), conn: conn() }),
    hang: 'ambiguous',
    createServerError: 'ambiguous',
    lostAnswer: 'ambiguous',
    rateLimitStatus: 429,
    // retry_after seconds from the refusal.
    rateLimitReset: (now) => new Date(now.getTime() + fake.retryAfter * 1000),
    words: { rate_limit: `Too Many Requests: retry after ${fake.retryAfter}` },
    invalid: {
      request: (key) => request({ idempotencyKey: key, text: 'é'.repeat(4097) }),
      message: 'Bad Request: message is too long',
      status: 400,
    },
    duplicate: null, // Telegram accepts the same text twice (below)
  });

  describe('verify', () => {
    it('names the channel the bot posts in, by @name or by numeric id', async () => {
      const expected = {
        id: '-1001234567890',
        handle: '@civicpost_test',
        displayName: 'CivicPost Test Channel',
        url: 'https://t.me/civicpost_test',
      };
      await expect(adapter.verify(conn())).resolves.toEqual(expected);
      await expect(adapter.verify(conn({ chatId: '-1001234567890' }))).resolves.toEqual(expected);
      expect(fake.requests.map((r) => r.route)).toEqual(['getMe', 'getChat', 'getChatMember', 'getMe', 'getChat', 'getChatMember']);
    });

    it('refuses an unknown token (401) and a malformed one (404) as auth', async () => {
      const unknown = await failure(adapter.verify(conn(undefined, '7000000001:AAH-another-token-entirely_xyz')));
      expect(unknown).toMatchObject({ kind: 'auth', status: 401 });
      expect(unknown.message).toContain('Unauthorized');
      const malformed = await failure(adapter.verify(conn(undefined, 'not a token')));
      expect(malformed).toMatchObject({ kind: 'auth', status: 404 });
      expect(malformed.message).not.toContain('not a token');
    });

    it('refuses a revoked token (expired_token fault) as auth', async () => {
      fake.fail({ fault: 'expired_token', on: 'getMe' });
      await expect(failure(adapter.verify(conn()))).resolves.toMatchObject({ kind: 'auth', status: 401 });
    });

    it('refuses a bot that is not an administrator with the right to post, naming what is missing', async () => {
      fake.membership = { status: 'member', can_post_messages: false, can_delete_messages: false };
      const member = await failure(adapter.verify(conn()));
      expect(member.kind).toBe('auth');
      expect(member.message).toContain("'member'");
      fake.membership = { status: 'administrator', can_post_messages: false, can_delete_messages: true };
      const noRight = await failure(adapter.verify(conn()));
      expect(noRight.kind).toBe('auth');
      expect(noRight.message).toContain('without the right to post messages');
    });

    it('gives Telegram’s words for an unknown chat', async () => {
      const err = await failure(adapter.verify(conn({ chatId: '@no_such_channel' })));
      expect(err).toMatchObject({ kind: 'invalid', status: 400 });
      expect(err.message).toContain('Bad Request: chat not found');
    });
  });

  describe('publish', () => {
    it('sends a text as a plain message and links to it', async () => {
      const text = 'Council meeting tonight at 19:00 <b>not bold</b> *nor this*';
      const seen: Array<[PublishedPart, number]> = [];
      const parts = await adapter.publish(request({ text }), async (part, i) => void seen.push([part, i]));
      expect(parts).toEqual([{ externalId: '1', url: 'https://t.me/civicpost_test/1' }]);
      expect(seen).toEqual([[parts[0], 0]]);
      expect(fake.ledger).toEqual([expect.objectContaining({ id: '1', text })]);
    });

    it('sends one image with its bytes, and its alt text in the caption (Telegram has no alt text field)', async () => {
      const parts = await adapter.publish(
        request({ text: 'New cycle lane opens.', media: [image(PNG, 'A green cycle lane beside a bus stop')] }),
      );
      expect(parts).toEqual([{ externalId: '1', url: 'https://t.me/civicpost_test/1' }]);
      expect(fake.requests.map((r) => r.route)).toEqual(['sendPhoto']);
      expect(fake.ledger).toHaveLength(1);
      expect(fake.ledger[0]).toMatchObject({
        text: 'New cycle lane opens.\n\n🖼️ A green cycle lane beside a bus stop',
        media: [{ sha256: sha256(PNG), size: PNG.length, mimeType: 'image/png', fileName: 'image.png' }],
      });
    });

    it('sends several images as one album, the caption on the first, and delete removes every image', async () => {
      const media = [image(PNG, 'Map of the closure'), image(JPEG, 'Detour sign', 'image/jpeg', 'sign.jpg'), image(PNG, '  ')];
      const [part] = await adapter.publish(request({ text: 'Detour this week.', media }));
      expect(part).toEqual({ externalId: '1,2,3', url: 'https://t.me/civicpost_test/1' });
      expect(fake.ledger.map((e) => [e.id, e.text, e.mediaGroupId])).toEqual([
        ['1', 'Detour this week.\n\n🖼️ 1: Map of the closure\n🖼️ 2: Detour sign', '1'],
        ['2', '', '1'],
        ['3', '', '1'],
      ]);
      expect(fake.ledger[1]!.media).toEqual([
        expect.objectContaining({ sha256: sha256(JPEG), mimeType: 'image/jpeg', fileName: 'sign.jpg' }),
      ]);

      await adapter.delete(conn(), [part!.externalId]);
      expect(fake.messages.size).toBe(0);
      expect(fake.requests.filter((r) => r.route === 'deleteMessage')).toHaveLength(3);
    });

    it('refuses, before sending anything, a caption that cannot hold the text and the alt text', async () => {
      const err = await failure(
        adapter.publish(request({ text: 'x'.repeat(1000), media: [image(PNG, 'A description of thirty chars.')] })),
      );
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('1024');
      expect(fake.requests).toHaveLength(0);
    });

    it('replies to the first message of an album', async () => {
      await adapter.publish(request({ text: 'Album', thread: ['Reply'], media: [image(PNG, 'one'), image(PNG, 'two')] }));
      expect(fake.ledger.map((e) => [e.id, e.inReplyTo])).toEqual([
        ['1', undefined],
        ['2', undefined],
        ['3', '1'],
      ]);
    });

    it('has no duplicate refusal: Telegram accepts the same text twice', async () => {
      await adapter.publish(request());
      await adapter.publish(request());
      expect(fake.ledger.map((e) => e.id)).toEqual(['1', '2']);
    });

    it('gives no url for a private channel', async () => {
      const privateFake = new TelegramFake({ channel: { id: -1009999999999, title: 'Staff only' } });
      const privateAdapter = new TelegramAdapter(options(await privateFake.start()));
      try {
        const info = await privateAdapter.verify(conn({ chatId: '-1009999999999' }));
        expect(info).toEqual({ id: '-1009999999999', handle: 'Staff only', displayName: 'Staff only' });
        await expect(privateAdapter.publish(request({}, conn({ chatId: '-1009999999999' })))).resolves.toEqual([
          { externalId: '1', url: null },
        ]);
      } finally {
        await privateFake.stop();
      }
    });
  });

  describe('delete and metrics', () => {
    it('refuses as invalid, in Telegram’s words, a message older than 48 hours', async () => {
      const [part] = await adapter.publish(request());
      fake.ageMessage(1, 49 * 3600);
      const err = await failure(adapter.delete(conn(), [part!.externalId]));
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain("message can't be deleted");
      expect(fake.messages.size).toBe(1);
    });

    it('reports every metric as not available (null), without asking Telegram, for any number of posts', async () => {
      const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
      const metrics = await adapter.fetchMetrics(conn(), ids);
      expect(metrics.size).toBe(250);
      expect(metrics.get('250')).toEqual({ likes: null, reposts: null, replies: null, quotes: null, impressions: null, clicks: null });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('failures', () => {
    it('invalid: an image the platform cannot process', async () => {
      const err = await failure(adapter.publish(request({ media: [image(Buffer.from('not an image at all'), 'alt')] })));
      expect(err.kind).toBe('invalid');
      expect(err.message).toContain('IMAGE_PROCESS_FAILED');
    });

    it('auth: a bot removed from the channel, or stripped of its right to post', async () => {
      fake.membership = { status: 'kicked', can_post_messages: false, can_delete_messages: false };
      const kicked = await failure(adapter.publish(request()));
      expect(kicked).toMatchObject({ kind: 'auth', status: 403 });
      expect(kicked.message).toContain('bot was kicked');
      fake.membership = { status: 'administrator', can_post_messages: false, can_delete_messages: true };
      const noRight = await failure(adapter.publish(request()));
      expect(noRight).toMatchObject({ kind: 'auth', status: 400 });
      expect(noRight.message).toContain('need administrator rights');
    });

    it('redacts the token from an answer that quotes the request path (a proxy in front of the Bot API)', async () => {
      const proxy = http.createServer((req, res) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 502, description: `Bad Gateway: upstream failed for ${req.url}` }));
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      try {
        const behindProxy = new TelegramAdapter(options(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`));
        const err = await failure(behindProxy.publish(request()));
        expect(err).toMatchObject({ kind: 'ambiguous', status: 502 });
        expect(err.message).toContain('upstream failed for /bot<bot token>/sendMessage');
      } finally {
        await new Promise<void>((r) => proxy.close(() => r()));
      }
    });

    describe('ambiguous sends end with exactly one post: findPublished cannot tell, so nothing is sent again', () => {
      async function reconcileLeavesOnePost(req: PublishRequest, expectedPosts: number): Promise<void> {
        const requestsBefore = fake.requests.length;
        const answer = await adapter.findPublished(req);
        expect(answer.status).toBe('unknown');
        expect(answer.status === 'unknown' && answer.reason).toContain('https://t.me/civicpost_test');
        // Asking sends nothing to Telegram, and 'unknown' makes the pipeline wait for a person, not publish again.
        expect(fake.requests.length).toBe(requestsBefore);
        expect(fake.ledger).toHaveLength(expectedPosts);
      }

      it('a 500 after the post was stored (accept_then_error), mid-thread', async () => {
        const [first] = await adapter.publish(request({ text: 'Part one' }));
        fake.fail({ fault: 'accept_then_error' });
        const err = await failure(adapter.publish(request({ text: 'Part one', thread: ['Part two'], publishedParts: [first!] })));
        expect(err).toMatchObject({ kind: 'ambiguous', status: 500 });
        const req = request({ text: 'Part one', thread: ['Part two'], publishedParts: [first!] });
        const answer = await adapter.findPublished(req);
        expect(answer.status === 'unknown' && answer.reason).toContain('part 2 of the thread');
        await reconcileLeavesOnePost(req, 2);
        expect(fake.ledger.filter((e) => e.text === 'Part two')).toHaveLength(1);
      });
    });
  });

  // Declared last, so it sees the errors of every test above.
  describe('secrets', () => {
    it('never puts the bot token in an error, although it is in every URL', () => {
      expect(thrown.length).toBeGreaterThan(5);
      for (const err of thrown) {
        const e = err as Error;
        for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String(e)]) {
          expect(text).not.toContain(TOKEN);
          expect(text).not.toContain(encodeURIComponent(TOKEN));
          expect(text).not.toContain('AAH-another-token');
        }
      }
    });
  });
});
