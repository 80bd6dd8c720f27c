/**
 * The adapter contract: what every PlatformAdapter does, written once and run against each adapter
 * with its fake platform (test/fakes/) and against the sandbox adapter. A platform file describes its
 * platform in a `ContractHarness` (how to build the adapter and a channel, inject a fault, read what
 * the platform stored) and says, capability by capability, what its platform supports; the contract
 * registers the cases that apply. What only one platform does stays in that platform's file.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  PlatformError,
  type AccountInfo,
  type Connection,
  type MediaItem,
  type PlatformAdapter,
  type PublishedPart,
  type PublishRequest,
} from '#src/platforms/platform-adapter.js';

/** A post as the platform holds it (deleted ones are not listed), in the order they were stored. */
export interface StoredPost {
  id: string;
  text: string;
  /** The post it replies to; null for a first part. */
  replyTo: string | null;
  /** Alt text of each image, where the platform has an alt text field. */
  altTexts: string[];
  /** sha256 of each image's bytes, where the platform keeps them. */
  imageHashes: string[];
}

/**
 * The posts of a fake whose ledger entries carry `deleted` and `media: [{ altText, sha256 }]` and no replies
 * (Facebook's page feed, LinkedIn's posts).
 */
export function postsOfLedger(ledger: Array<{ id: string; text: string; [key: string]: unknown }>): StoredPost[] {
  return ledger
    .filter((e) => !e.deleted)
    .map((e) => {
      const media = e.media as Array<{ altText: string | null; sha256: string }>;
      return {
        id: e.id,
        text: e.text,
        replyTo: null,
        altTexts: media.map((m) => m.altText ?? ''),
        imageHashes: media.map((m) => m.sha256),
      };
    });
}

/** Faults the contract injects; `create` is the call that stores a text post, `read` a read the contract makes. */
export type ContractFault = 'rate_limit' | 'server_error' | 'expired_token' | 'hang' | 'accept_then_drop' | 'accept_then_error';
export type FaultTarget = 'create' | 'read' | 'delete';

export interface ContractHarness {
  name: string;
  /** Forget every post, request and fault (before each case). */
  reset(): Promise<void> | void;
  adapter(options?: { timeoutMs?: number }): PlatformAdapter;
  conn(): Connection;
  /** A publish request on `conn()`; `key` is its idempotency key, unique in a case. */
  request(key: string, text: string, more?: Partial<PublishRequest>): PublishRequest;
  /** A small image the platform accepts (a PNG), with this alt text. */
  image(altText: string): MediaItem;
  /** The posts on the platform now, deleted ones left out. */
  posts(): Promise<StoredPost[]>;
  /** How many requests reached the platform so far (0 for the sandbox: nothing leaves CivicPost). */
  requestCount(): number;
  /** Injects one fault on the next matching call (the flags below keep the contract from asking for one the platform cannot have). */
  fail(fault: ContractFault, on: FaultTarget): void;
  /** Whether a request that hung was seen by the platform (the fake logs it without answering). */
  sawHungRequest(): boolean;
  /** What verify names. */
  account: AccountInfo;
  /** The link the adapter gives for a stored post (null where the platform has none). */
  postUrl(post: StoredPost): string | null;
  /** Every credential this harness uses: none may appear in an error (null: the channel has none). */
  secrets: (() => string[]) | null;
  /** onPart is called for each part as it is stored (false: a single part, given back in the answer only). */
  reportsParts: boolean;

  /** The verify call checks the credentials: a connection with a refused one (null: no credentials to refuse). */
  refusedCredentials: (() => Connection) | null;
  /** Threads: posted as chained replies; refused as invalid before sending; or kept as one entry with the post. */
  thread: 'replies' | 'refused' | 'one-entry';
  /** Alt text: in a field of the image, or written into the caption (Telegram). */
  altText: 'field' | 'caption';
  /** Reconcile: the platform is asked (found/absent); or it cannot be asked (always unknown). */
  reconcile: 'lookup' | 'unknown';
  /** A request reconcile answers `unknown` for, where the adapter has one besides `reconcile: 'unknown'`. */
  unconfirmable?: (key: string, text: string) => PublishRequest;
  /** Engagement: counts read from the platform (setLikes sets them there when it can); or none at all (all null). */
  metrics: { kind: 'counts'; unknownId: string; setLikes?: (externalId: string, likes: number) => void } | { kind: 'unavailable' };
  /** Reads the contract can make fail with a server error: metrics or verify (null: no read can fail). */
  failingRead: 'metrics' | 'verify' | null;
  /** A delete can fail with a server error (deleting again is harmless: transient). */
  failingDelete: boolean;
  /** The platform keeps the bytes of an image (the sandbox keeps only its description). */
  imageBytes: boolean;
  /** An adapter and connection pointed at `url`, where nothing listens (null: the platform is not reached over a network). */
  unreachable: ((url: string) => { adapter: PlatformAdapter; conn: Connection }) | null;
  /** A create that never answers, with a short timeout: which error the adapter ends with (null: cannot hang). */
  hang: 'ambiguous' | 'transient' | null;
  /** The platform's words an error of this kind carries (checked where given). */
  words?: Partial<Record<'auth' | 'rate_limit' | 'duplicate', string>>;
  /** Words the timeout error carries, where the adapter names it. */
  timeoutWords?: string;
  /** A server error on a create that stored nothing. */
  createServerError: 'ambiguous' | 'transient';
  /** A create stored by the platform whose answer is lost: the adapter says ambiguous, or checks and carries on. */
  lostAnswer: 'ambiguous' | 'recovers';
  /** The HTTP status of the platform's rate-limit refusal, where the adapter keeps it. */
  rateLimitStatus?: number;
  /** When a rate-limit refusal answered at `now` lets us send again. */
  rateLimitReset(now: Date): Date;
  /** Content the platform refuses, and words of its refusal the error carries. */
  invalid: { request: (key: string) => PublishRequest; message: string; status?: number };
  /** A second request the platform refuses as a duplicate of `first` once `first` is published (null: it has no such refusal). */
  duplicate: ((first: PublishRequest) => PublishRequest) | null;
}

/** The instant a rate-limited call is made at: a second before midnight UTC on New Year's Eve, so a reset that is "next midnight" changes day, month and year. */
export const RATE_LIMITED_AT = new Date('2026-12-31T23:59:59.250Z');

/** Date reads `at` (and stands still) while `work` runs; timers and I/O run on as usual. */
export async function atInstant<T>(at: Date, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: at,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await work();
  } finally {
    jest.useRealTimers();
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A port nothing listens on: one that was just free (fetch refuses well-known ports like 9 before connecting). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export function adapterContract(h: ContractHarness): void {
  describe(`${h.name} adapter contract`, () => {
    const thrown: unknown[] = [];
    let adapter: PlatformAdapter;

    /** The PlatformError a call fails with (kept for the secrets check); fails the case when it resolves. */
    async function failure(promise: Promise<unknown>): Promise<PlatformError> {
      const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      thrown.push(err);
      if (!(err instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(err)}`);
      return err;
    }

    /** After a lost answer: reconcile, send again only when absent, and end with exactly one post of this text. */
    async function reconcileToOnePost(req: PublishRequest, stored: 0 | 1): Promise<void> {
      const requestsBefore = h.requestCount();
      const answer = await h.adapter().findPublished(req);
      if (h.reconcile === 'unknown') {
        expect(answer.status).toBe('unknown');
        // 'unknown' sends nothing: the pipeline waits for a person, and never posts a second copy unasked.
        expect(h.requestCount()).toBe(requestsBefore);
        expect(await h.posts()).toHaveLength(stored);
        return;
      }
      const posts = await h.posts();
      if (stored === 1) {
        expect(answer).toEqual({ status: 'found', part: { externalId: posts[0]!.id, url: h.postUrl(posts[0]!) } });
      } else {
        expect(answer).toEqual({ status: 'absent' });
        await h.adapter().publish(req);
      }
      const after = await h.posts();
      expect(after.map((p) => p.text)).toEqual([req.text]);
    }

    beforeEach(async () => {
      await h.reset();
      adapter = h.adapter();
    });

    describe('verify', () => {
      it('names the account the channel posts as', async () => {
        await expect(adapter.verify(h.conn())).resolves.toEqual(h.account);
      });

      if (h.refusedCredentials) {
        const refused = h.refusedCredentials;
        it('refuses a credential the platform does not accept as auth, without quoting it', async () => {
          const conn = refused();
          const err = await failure(adapter.verify(conn));
          expect(err.kind).toBe('auth');
          for (const value of Object.values(conn.credentials ?? {})) expect(err.message).not.toContain(value);
        });
      }
    });

    describe('publish', () => {
      it('posts a text, reports the part once it is stored, and returns it', async () => {
        const seen: Array<[PublishedPart, number, number]> = [];
        const text = 'The council meets on Thursday at 18:00.';
        const parts = await adapter.publish(h.request('text', text), async (part, index) => {
          seen.push([part, index, (await h.posts()).length]);
        });
        const posts = await h.posts();
        expect(posts.map((p) => [p.text, p.replyTo])).toEqual([[text, null]]);
        expect(parts).toEqual([{ externalId: posts[0]!.id, url: h.postUrl(posts[0]!) }]);
        expect(seen).toEqual(h.reportsParts ? [[parts[0], 0, 1]] : []);
      });

      it('posts an image with its alt text', async () => {
        const image = h.image('Volunteers planting trees along the river');
        const bytes = await image.read();
        const parts = await adapter.publish(h.request('image', 'Tree planting day', { media: [image] }));
        const posts = await h.posts();
        expect(posts).toHaveLength(1);
        expect(parts[0]!.externalId).toBe(posts[0]!.id);
        if (h.altText === 'field') {
          expect(posts[0]!.altTexts).toEqual(['Volunteers planting trees along the river']);
        } else {
          expect(posts[0]!.text).toContain('Tree planting day');
          expect(posts[0]!.text).toContain('Volunteers planting trees along the river');
        }
        if (h.imageBytes) expect(posts[0]!.imageHashes).toEqual([sha256(bytes)]);
      });

      if (h.thread === 'replies') {
        it('posts a thread as replies to the part before, recording each part before the next is sent', async () => {
          const atCallback: Array<[number, string, number]> = [];
          const parts = await adapter.publish(h.request('thread', 'Part one', { thread: ['Part two', 'Part three'] }), async (part, i) => {
            atCallback.push([i, part.externalId, (await h.posts()).length]);
          });
          const posts = await h.posts();
          expect(posts.map((p) => [p.text, p.replyTo])).toEqual([
            ['Part one', null],
            ['Part two', posts[0]!.id],
            ['Part three', posts[1]!.id],
          ]);
          expect(parts.map((p) => p.externalId)).toEqual(posts.map((p) => p.id));
          expect(atCallback).toEqual(posts.map((p, i) => [i, p.id, i + 1]));
        });

        it('resumes a thread after the parts already published, sending only the rest', async () => {
          const [first] = await adapter.publish(h.request('resume', 'Road closure: Main St'));
          const onPart: number[] = [];
          const parts = await adapter.publish(
            h.request('resume', 'Road closure: Main St', { thread: ['Detour via Elm St', 'Reopens Monday'], publishedParts: [first!] }),
            async (_p, i) => void onPart.push(i),
          );
          expect(onPart).toEqual([1, 2]);
          expect(parts[0]).toEqual(first);
          const posts = await h.posts();
          expect(posts.map((p) => [p.text, p.replyTo])).toEqual([
            ['Road closure: Main St', null],
            ['Detour via Elm St', first!.externalId],
            ['Reopens Monday', posts[1]!.id],
          ]);
        });
      } else if (h.thread === 'refused') {
        it('refuses a thread as invalid without sending anything', async () => {
          const err = await failure(adapter.publish(h.request('thread', 'Part one', { thread: ['Part two'] })));
          expect(err.kind).toBe('invalid');
          expect(h.requestCount()).toBe(0);
          expect(await h.posts()).toEqual([]);
        });
      } else {
        it('keeps a thread as one entry with its first part', async () => {
          const parts = await adapter.publish(h.request('thread', 'Part one', { thread: ['Part two', 'Part three'] }));
          const posts = await h.posts();
          expect(posts.map((p) => p.text)).toEqual(['Part one']);
          expect(parts).toEqual([{ externalId: posts[0]!.id, url: expect.any(String) }]);
        });
      }

      it('sends nothing again when every part is published already', async () => {
        const parts = await adapter.publish(h.request('done', 'Already out'));
        const requests = h.requestCount();
        let called = 0;
        const again = await adapter.publish(h.request('done', 'Already out', { publishedParts: parts }), async () => void called++);
        expect(again).toEqual(parts);
        expect(called).toBe(0);
        expect(h.requestCount()).toBe(requests);
        expect(await h.posts()).toHaveLength(1);
      });
    });

    describe('reconcile', () => {
      if (h.reconcile === 'lookup') {
        it('finds a post that is on the platform', async () => {
          const req = h.request('found', 'Bin collection moves to Tuesday');
          const [part] = await adapter.publish(req);
          expect(await adapter.findPublished(req)).toEqual({ status: 'found', part });
        });

        it('says absent for a post that is not, even beside another text of the account', async () => {
          await adapter.publish(h.request('other', 'Pool closed Monday'));
          expect(await adapter.findPublished(h.request('absent', 'Pool closed Tuesday'))).toEqual({ status: 'absent' });
        });
      }

      const unconfirmable = h.reconcile === 'unknown' ? h.request : h.unconfirmable;
      if (unconfirmable) {
        it('says unknown, with a reason and without asking, where the platform cannot tell', async () => {
          await adapter.publish(h.request('unknown', 'Road works on Main Street'));
          const requests = h.requestCount();
          const answer = await adapter.findPublished(unconfirmable('unknown', 'Road works on Main Street'));
          expect(answer).toEqual({ status: 'unknown', reason: expect.any(String) });
          expect(h.requestCount()).toBe(requests);
        });
      }
    });

    describe('withdraw', () => {
      it('deletes every part; a part already gone is not an error', async () => {
        const thread = h.thread === 'replies' ? ['Reply to be removed'] : [];
        const parts = await adapter.publish(h.request('delete', 'To be withdrawn', { thread }));
        const ids = parts.map((p) => p.externalId);
        await adapter.delete(h.conn(), ids);
        expect(await h.posts()).toEqual([]);
        await expect(adapter.delete(h.conn(), ids)).resolves.toBeUndefined();
      });
    });

    describe('metrics', () => {
      const m = h.metrics;
      if (m.kind === 'counts') {
        it('reads the engagement of a post, leaving out an id the platform does not know', async () => {
          const [part] = await adapter.publish(h.request('metrics', 'Library hours change on Monday'));
          const unknown = m.unknownId;
          m.setLikes?.(part!.externalId, 5);
          const metrics = await adapter.fetchMetrics(h.conn(), [part!.externalId, unknown]);
          expect([...metrics.keys()]).toEqual([part!.externalId]);
          const got = metrics.get(part!.externalId)!;
          expect(Object.keys(got).sort()).toEqual(['clicks', 'impressions', 'likes', 'quotes', 'replies', 'reposts']);
          if (m.setLikes) expect(got.likes).toBe(5);
          else expect(got.likes).toEqual(expect.any(Number));
        });
      } else {
        it('gives every metric as null, without asking the platform', async () => {
          const [part] = await adapter.publish(h.request('metrics', 'Library hours change on Monday'));
          const requests = h.requestCount();
          const metrics = await adapter.fetchMetrics(h.conn(), [part!.externalId]);
          expect(metrics.get(part!.externalId)).toEqual({
            likes: null,
            reposts: null,
            replies: null,
            quotes: null,
            impressions: null,
            clicks: null,
          });
          expect(h.requestCount()).toBe(requests);
        });
      }
    });

    describe('errors', () => {
      it('auth: a token the platform no longer accepts, and nothing is posted', async () => {
        h.fail('expired_token', 'create');
        const err = await failure(adapter.publish(h.request('auth', 'Expired')));
        expect(err.kind).toBe('auth');
        if (h.words?.auth) expect(err.message).toContain(h.words.auth);
        expect(await h.posts()).toEqual([]);
      });

      it('rate_limit: carries when the platform lets us send again', async () => {
        h.fail('rate_limit', 'create');
        const err = await atInstant(RATE_LIMITED_AT, () => failure(adapter.publish(h.request('rate', 'Too fast'))));
        expect(err.kind).toBe('rate_limit');
        if (h.rateLimitStatus) expect(err.status).toBe(h.rateLimitStatus);
        expect(err.resetAt).toEqual(h.rateLimitReset(RATE_LIMITED_AT));
        if (h.words?.rate_limit) expect(err.message).toContain(h.words.rate_limit);
        expect(await h.posts()).toEqual([]);
      });

      it(`invalid: refused content, with the platform's words, and nothing posted`, async () => {
        const err = await failure(adapter.publish(h.invalid.request('invalid')));
        expect(err.kind).toBe('invalid');
        expect(err.message).toContain(h.invalid.message);
        if (h.invalid.status) expect(err.status).toBe(h.invalid.status);
        expect(await h.posts()).toEqual([]);
      });

      const duplicate = h.duplicate;
      if (duplicate) {
        it('duplicate: the platform already has this post', async () => {
          const first = h.request('dup', 'Same words');
          await adapter.publish(first);
          const err = await failure(adapter.publish(duplicate(first)));
          expect(err.kind).toBe('duplicate');
          if (h.words?.duplicate) expect(err.message).toContain(h.words.duplicate);
          expect(await h.posts()).toHaveLength(1);
        });
      }

      it(`${h.createServerError}: a server error on a create that stored nothing`, async () => {
        h.fail('server_error', 'create');
        const req = h.request('create-500', 'Server trouble');
        const err = await failure(adapter.publish(req));
        expect(err.kind).toBe(h.createServerError);
        expect(await h.posts()).toEqual([]);
        if (err.kind === 'ambiguous') await reconcileToOnePost(req, 0);
        else if (h.reconcile === 'lookup') expect(await h.adapter().findPublished(req)).toEqual({ status: 'absent' });
      });

      if (h.failingRead) {
        const read = h.failingRead;
        it(`transient: a server error on a read (${read})`, async () => {
          const [part] = await adapter.publish(h.request('read-500', 'Metrics please'));
          h.fail('server_error', 'read');
          const call = read === 'metrics' ? adapter.fetchMetrics(h.conn(), [part!.externalId]) : adapter.verify(h.conn());
          const err = await failure(call);
          expect(err.kind).toBe('transient');
          expect(err.status).toBeGreaterThanOrEqual(500);
        });
      }

      if (h.failingDelete) {
        it('transient: a server error on a delete (deleting again is harmless)', async () => {
          const [part] = await adapter.publish(h.request('delete-500', 'Delete me later'));
          h.fail('server_error', 'delete');
          const err = await failure(adapter.delete(h.conn(), [part!.externalId]));
          expect(err.kind).toBe('transient');
        });
      }

      const closed = h.unreachable;
      if (closed) {
        it('transient: a refused connection (nothing was sent)', async () => {
          const { adapter: nowhere, conn } = closed(await closedPortUrl());
          const err = await failure(nowhere.publish({ ...h.request('refused', 'Nobody home'), ...conn }));
          expect(err.kind).toBe('transient');
          expect(err.message).toContain('ECONNREFUSED');
        });
      }
    });

    describe('lost answers end with exactly one post', () => {
      const hang = h.hang;
      if (hang) {
        it(`a create that never answers ends, at the timeout, as ${hang}`, async () => {
          h.fail('hang', 'create');
          const req = h.request('hang', 'Hanging post');
          const err = await failure(h.adapter({ timeoutMs: 300 }).publish(req));
          expect(err.kind).toBe(hang);
          if (h.timeoutWords) expect(err.message).toContain(h.timeoutWords);
          expect(h.sawHungRequest()).toBe(true);
          await reconcileToOnePost(req, 0);
        });
      }

      for (const fault of ['accept_then_drop', 'accept_then_error'] as const) {
        it(`${fault}: the platform stored the post and the answer is lost`, async () => {
          h.fail(fault, 'create');
          const req = h.request(fault, 'Stored, answer lost');
          if (h.lostAnswer === 'recovers') {
            const parts = await adapter.publish(req);
            const posts = await h.posts();
            expect(parts.map((p) => p.externalId)).toEqual(posts.map((p) => p.id));
          } else {
            const err = await failure(adapter.publish(req));
            expect(err.kind).toBe('ambiguous');
            await reconcileToOnePost(req, 1);
          }
          expect((await h.posts()).map((p) => p.text)).toEqual([req.text]);
        });
      }
    });

    // Declared last: it sees the errors of every case above.
    const secrets = h.secrets;
    if (secrets) {
      describe('secrets', () => {
        it('no credential appears in any error the contract saw', () => {
          expect(thrown.length).toBeGreaterThan(5);
          const values = secrets().filter((s) => s.length > 0);
          for (const err of thrown) {
            const e = err as Error;
            const text = `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)}`;
            for (const secret of values) expect(text).not.toContain(secret);
          }
        });
      });
    }
  });
}
