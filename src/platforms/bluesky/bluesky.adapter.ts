import { createHash } from 'node:crypto';
import { AtpAgent, AtUri, RichText, type AppBskyFeedPost, type AppBskyRichtextFacet, type BlobRef } from '@atproto/api';
import { classify, isAuthRefusal, isRecordNotFound, mayBeExistingRecord } from '#src/platforms/bluesky/bluesky-errors.js';
import { recordKeyFor } from '#src/platforms/bluesky/record-key.js';
import type { CallKind } from '#src/platforms/http-failure.js';
import { sameText } from '#src/platforms/matching.js';
import {
  credential,
  PlatformError,
  type AccountInfo,
  type Connection,
  type MediaItem,
  type Metrics,
  type PartPublished,
  type PlatformAdapter,
  type PublishedPart,
  type PublishRequest,
  type Reconciled,
} from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';

const POST = 'app.bsky.feed.post';
const DEFAULT_SERVICE = 'https://bsky.social';
/** app/bsky/embed/images.json: at most 4 images, each blob at most 2,000,000 bytes. */
const MAX_IMAGES = 4;
const MAX_IMAGE_BYTES = 2_000_000;

const READ: CallKind = { write: false };
/** Our record keys make a create collide instead of posting twice; an upload of the same bytes is the same blob. */
const IDEMPOTENT_WRITE: CallKind = { write: true, idempotent: true };

interface StrongRef {
  uri: string;
  cid: string;
}

/** One logged-in agent per channel and credentials; the agent refreshes its access token itself. */
interface CachedSession {
  agent: AtpAgent;
  login?: Promise<void>;
}

/** A logged-in agent with what every call needs to know about the account. */
interface Session {
  agent: AtpAgent;
  did: string;
  handle: string;
}

/**
 * Bluesky through a PDS with `@atproto/api`. Settings: `serviceUrl` (default https://bsky.social).
 * Credentials: `identifier` (handle or DID) and `appPassword`.
 *
 * Each part is created with a record key derived from the publication's idempotency key, so sending a
 * part again can never make a second post: the PDS refuses the key, and we read the record that is
 * there. That makes every write idempotent, and an answer lost in transit is checked at once.
 */
export class BlueskyAdapter implements PlatformAdapter {
  readonly platform = 'bluesky' as const;
  readonly metricsBatchSize = 25;
  /** createSession is rate limited (30 per 5 minutes per account): sessions are kept, keyed by channel and credentials. */
  private readonly sessions = new Map<string, CachedSession>();

  constructor(private readonly options: PlatformOptions) {}

  async verify(conn: Connection): Promise<AccountInfo> {
    const profile = await this.call(conn, READ, (s) => s.agent.app.bsky.actor.getProfile({ actor: s.did }));
    const { did, handle, displayName } = profile.data;
    return { id: did, handle, displayName: displayName || undefined, url: `https://bsky.app/profile/${handle}` };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    const texts = [req.text, ...req.thread];
    const published = [...req.publishedParts];
    if (published.length >= texts.length) return published;
    if (published.length === 0) checkMedia(req.media);

    let root: StrongRef | undefined;
    let parent: StrongRef | undefined;
    if (published.length > 0) {
      // Resuming: only the uris were kept, a reply needs the cids too.
      root = await this.strongRef(req, published[0]!.externalId);
      parent = published.length === 1 ? root : await this.strongRef(req, published[published.length - 1]!.externalId);
    }
    for (let index = published.length; index < texts.length; index++) {
      const embed = index === 0 && req.media.length > 0 ? await this.uploadImages(req, req.media) : undefined;
      const reply = root && parent ? { root, parent } : undefined;
      const { ref, part } = await this.createPost(req, index, texts[index]!, reply, embed);
      published.push(part);
      await onPart?.(part, index);
      root ??= ref;
      parent = ref;
    }
    return published;
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    const index = req.publishedParts.length;
    if (index > req.thread.length) return { status: 'absent' };
    const found = await this.findPart(req, recordKeyFor(req.idempotencyKey, index));
    return found ? { status: 'found', part: found.part } : { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    for (const id of externalIds) {
      const uri = parseUri(id);
      try {
        await this.call(
          conn,
          IDEMPOTENT_WRITE,
          (s) => s.agent.com.atproto.repo.deleteRecord({ repo: uri.hostname, collection: uri.collection, rkey: uri.rkey }),
          { raw: true },
        );
      } catch (err) {
        // The PDS answers 200 for a record already gone; RecordNotFound is accepted too, in case one does not.
        if (!isRecordNotFound(err)) throw classify(err, IDEMPOTENT_WRITE, this.secretsOf(conn));
      }
    }
  }

  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    // A malformed uri would make the AppView refuse the whole batch; it cannot be ours anyway.
    const uris = [...new Set(externalIds)].filter(isPostUri);
    const metrics = new Map<string, Metrics>();
    for (let i = 0; i < uris.length; i += this.metricsBatchSize) {
      const batch = uris.slice(i, i + this.metricsBatchSize);
      const res = await this.call(conn, READ, (s) => s.agent.app.bsky.feed.getPosts({ uris: batch }));
      // Posts the AppView does not know (deleted, never indexed) are absent from `posts`.
      for (const post of res.data.posts) {
        metrics.set(post.uri, {
          likes: post.likeCount ?? null,
          reposts: post.repostCount ?? null,
          replies: post.replyCount ?? null,
          quotes: post.quoteCount ?? null,
          impressions: null,
          clicks: null,
        });
      }
    }
    return metrics;
  }

  // ---- publishing ----

  private async createPost(
    req: PublishRequest,
    index: number,
    text: string,
    reply: AppBskyFeedPost.ReplyRef | undefined,
    embed: AppBskyFeedPost.Record['embed'],
  ): Promise<{ ref: StrongRef; part: PublishedPart }> {
    const rkey = recordKeyFor(req.idempotencyKey, index);
    const record: AppBskyFeedPost.Record = {
      $type: POST,
      text,
      createdAt: new Date().toISOString(),
      langs: [req.language],
      ...(reply ? { reply } : {}),
      ...(embed ? { embed } : {}),
    };
    try {
      return await this.call(
        req,
        IDEMPOTENT_WRITE,
        async (s) => {
          const facets = await facetsFor(s.agent, text);
          const res = await s.agent.com.atproto.repo.createRecord({
            repo: s.did,
            collection: POST,
            rkey,
            record: { ...record, ...(facets ? { facets } : {}) },
          });
          return { ref: { uri: res.data.uri, cid: res.data.cid }, part: partOf(s, res.data.uri) };
        },
        { raw: true },
      );
    } catch (err) {
      if (!mayBeExistingRecord(err)) throw classify(err, IDEMPOTENT_WRITE, this.secretsOf(req));
      // The key is taken (a retry of a part that was stored) or the answer was lost: read what is there.
      const found = await this.findPart(req, rkey).catch(() => undefined);
      if (!found) throw classify(err, IDEMPOTENT_WRITE, this.secretsOf(req));
      if (!sameText(found.text, text)) {
        throw new PlatformError('duplicate', `bluesky: record ${found.ref.uri} (the key of this part) already holds a different post`);
      }
      return found;
    }
  }

  private async uploadImages(req: PublishRequest, media: MediaItem[]): Promise<AppBskyFeedPost.Record['embed']> {
    const images: Array<{ image: BlobRef; alt: string }> = [];
    for (const item of media) {
      const bytes = await item.read();
      const res = await this.call(req, IDEMPOTENT_WRITE, (s) => s.agent.com.atproto.repo.uploadBlob(bytes, { encoding: item.mimeType }));
      images.push({ image: res.data.blob, alt: item.altText });
    }
    return { $type: 'app.bsky.embed.images', images };
  }

  /** The uri and cid of a part already published, for the reply that follows it. */
  private async strongRef(conn: Connection, uri: string): Promise<StrongRef> {
    const at = parseUri(uri);
    try {
      const res = await this.call(
        conn,
        READ,
        (s) => s.agent.com.atproto.repo.getRecord({ repo: at.hostname, collection: at.collection, rkey: at.rkey }),
        { raw: true },
      );
      if (!res.data.cid) throw new PlatformError('transient', `bluesky: the PDS gave no cid for ${uri}`);
      return { uri: res.data.uri, cid: res.data.cid };
    } catch (err) {
      if (isRecordNotFound(err)) throw new PlatformError('invalid', `bluesky: cannot continue the thread, ${uri} was deleted`);
      throw classify(err, READ, this.secretsOf(conn));
    }
  }

  /** The record stored under one of our keys, or undefined when there is none. */
  private async findPart(conn: Connection, rkey: string): Promise<{ ref: StrongRef; part: PublishedPart; text: string } | undefined> {
    try {
      return await this.call(
        conn,
        READ,
        async (s) => {
          const res = await s.agent.com.atproto.repo.getRecord({ repo: s.did, collection: POST, rkey });
          const value = res.data.value as { text?: unknown };
          return {
            ref: { uri: res.data.uri, cid: res.data.cid ?? '' },
            part: partOf(s, res.data.uri),
            text: typeof value.text === 'string' ? value.text : '',
          };
        },
        { raw: true },
      );
    } catch (err) {
      if (isRecordNotFound(err)) return undefined;
      throw classify(err, READ, this.secretsOf(conn));
    }
  }

  // ---- sessions ----

  /**
   * Runs one XRPC call with the channel's session. The agent refreshes an expired access token by
   * itself; when that fails too (refresh token revoked or expired) we log in again, once, and retry:
   * a refused request was not applied, so the retry is safe for writes too. Failures become
   * PlatformErrors unless `raw` asks for the client's own error (callers that look at it first).
   */
  private async call<T>(conn: Connection, kind: CallKind, fn: (s: Session) => Promise<T>, opts: { raw?: boolean } = {}): Promise<T> {
    try {
      const cached = this.cached(conn);
      try {
        return await fn(await this.ensureLoggedIn(conn, cached, false));
      } catch (err) {
        if (!isAuthRefusal(err)) throw err;
        return await fn(await this.ensureLoggedIn(conn, cached, true));
      }
    } catch (err) {
      if (opts.raw && !(err instanceof PlatformError)) throw err;
      throw classify(err, kind, this.secretsOf(conn));
    }
  }

  private cached(conn: Connection): CachedSession {
    const service = serviceUrl(conn);
    const identifier = credential(conn, 'identifier');
    const password = credential(conn, 'appPassword');
    const fingerprint = createHash('sha256').update(`${service}\0${identifier}\0${password}`).digest('base64url');
    const key = `${conn.channel.id}\0${fingerprint}`;
    let cached = this.sessions.get(key);
    if (!cached) {
      // Credentials changed: forget the channel's old session, log in with the new ones.
      for (const old of this.sessions.keys()) if (old.startsWith(`${conn.channel.id}\0`)) this.sessions.delete(old);
      cached = { agent: new AtpAgent({ service, fetch: this.fetchWithTimeout }) };
      this.sessions.set(key, cached);
    }
    return cached;
  }

  private async ensureLoggedIn(conn: Connection, cached: CachedSession, again: boolean): Promise<Session> {
    if (again || !cached.agent.session) {
      // Concurrent calls of one channel share one login (the agent refuses concurrent logins).
      cached.login ??= cached.agent
        .login({ identifier: credential(conn, 'identifier'), password: credential(conn, 'appPassword') })
        .then(() => undefined)
        .catch((err: unknown) => {
          throw loginFailure(err, this.secretsOf(conn));
        })
        .finally(() => {
          cached.login = undefined;
        });
      await cached.login;
    }
    const session = cached.agent.session;
    if (!session) throw new PlatformError('auth', 'bluesky: the session ended and logging in again gave none');
    // A handle the PDS cannot verify is "handle.invalid": the DID still makes a working profile link.
    return { agent: cached.agent, did: session.did, handle: session.handle === 'handle.invalid' ? session.did : session.handle };
  }

  /** Every request of the agent (refreshes included) is bounded by the configured timeout. */
  private readonly fetchWithTimeout = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const given = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    return fetch(input, { ...init, signal: given ? AbortSignal.any([given, timeout]) : timeout });
  };

  /** What must never appear in a message: the app password and the session's tokens. */
  private secretsOf(conn: Connection): string[] {
    const secrets = [conn.credentials?.appPassword ?? ''];
    for (const cached of this.sessions.values()) {
      const s = cached.agent.session;
      if (s) secrets.push(s.accessJwt, s.refreshJwt);
    }
    return secrets;
  }
}

/** A refused login means the credentials are wrong or the account cannot post: the channel must be reconnected. */
function loginFailure(err: unknown, secrets: string[]): PlatformError {
  const error = classify(err, { write: false }, secrets);
  if (error.kind === 'invalid') return new PlatformError('auth', error.message, undefined, error.status);
  return error;
}

function serviceUrl(conn: Connection): string {
  const value = conn.channel.settings.serviceUrl;
  if (value === undefined || value === null || value === '') return DEFAULT_SERVICE;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
    } catch {
      // reported below
    }
  }
  throw new PlatformError('invalid', "the channel setting 'serviceUrl' must be an http(s) URL of a PDS");
}

function checkMedia(media: MediaItem[]): void {
  if (media.length > MAX_IMAGES)
    throw new PlatformError('invalid', `bluesky: a post takes at most ${MAX_IMAGES} images, this one has ${media.length}`);
  for (const item of media) {
    if (!item.mimeType.startsWith('image/'))
      throw new PlatformError('invalid', `bluesky: ${item.fileName} is ${item.mimeType}; a post embeds images only`);
    if (item.size > MAX_IMAGE_BYTES)
      throw new PlatformError(
        'invalid',
        `bluesky: ${item.fileName} is ${item.size} bytes; an image may be at most ${MAX_IMAGE_BYTES} bytes`,
      );
  }
}

/**
 * Links, tags and mentions with UTF-8 byte offsets. A mention whose handle does not resolve stays
 * plain text (RichText leaves its did empty, which the PDS would refuse).
 */
async function facetsFor(agent: AtpAgent, text: string): Promise<AppBskyRichtextFacet.Main[] | undefined> {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  const facets = (rt.facets ?? [])
    .map((facet) => ({
      ...facet,
      features: facet.features.filter((f) => !(f.$type === 'app.bsky.richtext.facet#mention' && !(f as { did?: string }).did)),
    }))
    .filter((facet) => facet.features.length > 0);
  return facets.length > 0 ? facets : undefined;
}

function partOf(s: Session, uri: string): PublishedPart {
  return { externalId: uri, url: `https://bsky.app/profile/${s.handle}/post/${new AtUri(uri).rkey}` };
}

function parseUri(id: string): AtUri {
  if (!isPostUri(id)) throw new PlatformError('invalid', `bluesky: '${id}' is not the at:// uri of a post`);
  return new AtUri(id);
}

function isPostUri(id: string): boolean {
  try {
    const uri = new AtUri(id);
    return uri.hostname.startsWith('did:') && uri.collection === POST && uri.rkey !== '';
  } catch {
    return false;
  }
}
