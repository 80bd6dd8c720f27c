/**
 * A fake of the X API v2 (api.x.com), written from X's documentation and real error bodies
 * (../shared/reference/platform-apis.md section 2; docs.x.com/x-api/media/quickstart/media-upload-chunked,
 * docs.x.com/x-api/media/create-media-metadata), not from CivicPost's adapter.
 *
 * What it checks like X does:
 * - OAuth 1.0a HMAC-SHA1 signatures, recomputed over method, URL, query, oauth_* parameters and
 *   form-encoded bodies (JSON and multipart bodies are not signed), with a timestamp window and nonce
 *   replay check; or an OAuth 2.0 user bearer token. 401 with X's problem body otherwise.
 * - Tweet length with twitter-text's weighted count (280), duplicate text of a recent tweet of the same
 *   user (403), reply targets that must exist (403), 1 to 4 finalized media ids owned by the user.
 * - Media: the v2 chunked upload (initialize, append, finalize, STATUS), image types, 5 MB for images,
 *   15 MB for GIFs, bytes that must match the declared type; alt text up to 1000 characters.
 * - Rate limits: x-rate-limit-* on every answer (15-minute windows per endpoint), and the
 *   x-user-limit-24hour-* daily cap on POST /2/tweets.
 *
 * Reads render text the way X stores it: URLs replaced by t.co links (entities.urls keep the
 * expanded_url), `&`, `<`, `>` HTML-escaped, and a t.co link to the photo appended to media tweets.
 */
import crypto from 'node:crypto';
import twitterText from 'twitter-text';
import { FakePlatform, HttpReply, idCounter, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface XFakeUser {
  id: string;
  username: string;
  name: string;
}

export interface XFakeOptions {
  consumerKey?: string;
  consumerSecret?: string;
  accessToken?: string;
  accessSecret?: string;
  /** An OAuth 2.0 user-context token (PKCE), accepted as `Authorization: Bearer`. */
  bearerToken?: string;
  user?: XFakeUser;
  /** Posts allowed per 24 hours for the user (x-user-limit-24hour-limit). */
  dailyTweetLimit?: number;
}

export interface PublicMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
  bookmark_count: number;
  impression_count: number;
}

export interface NonPublicMetrics {
  impression_count: number;
  url_link_clicks: number;
  user_profile_clicks: number;
}

interface StoredTweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: Date;
  inReplyTo: string | null;
  inReplyToUserId: string | null;
  mediaIds: string[];
  publicMetrics: PublicMetrics;
  nonPublicMetrics: NonPublicMetrics;
}

export interface StoredMedia {
  id: string;
  mediaKey: string;
  ownerId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  chunks: Map<number, Buffer>;
  bytes: Buffer | null;
  altText: string | null;
}

interface Window {
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
}

const WINDOW_SECONDS = 15 * 60;
/** Requests per 15 minutes per user, by endpoint (values of docs.x.com/x-api/fundamentals/rate-limits, rounded). */
const WINDOW_LIMITS: Record<string, number> = {
  'GET /2/users/me': 75,
  'POST /2/tweets': 100,
  'DELETE /2/tweets/:id': 50,
  'GET /2/tweets': 900,
  'GET /2/users/:id/tweets': 900,
  media: 500,
};
const MAX_MEDIA_PER_TWEET = 4;
const MAX_ALT_TEXT = 1000;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_GIF_BYTES = 15 * 1024 * 1024;
const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
const NON_PUBLIC_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const TIMESTAMP_SKEW_SECONDS = 300;

const PROBLEM = {
  unauthorized: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
  tooMany: { title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' },
  duplicate: {
    detail: 'You are not allowed to create a Tweet with duplicate content.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  },
  tooLong: {
    detail:
      'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  },
  replyGone: {
    detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  },
  serverError: { title: 'Internal Server Error', type: 'about:blank', status: 500, detail: 'Internal Server Error' },
} as const;

function invalidRequest(message: string, parameter: string): Reply {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [parameter]: [] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 section 3.6) requires. */
function oauthEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!*'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function parseOAuthHeader(header: string): Map<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null;
  const params = new Map<string, string>();
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_%.~-]+)="([^"]*)"/g)) {
    params.set(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  }
  return params;
}

/** Magic bytes of the image types X takes. */
function sniffImage(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * multipart/form-data fields as raw bytes. (undici's parser, used by the base class, decodes a part
 * without a filename as UTF-8 text, which would corrupt the binary chunks clients send that way.)
 */
function multipart(ctx: RequestContext): Map<string, Buffer> | null {
  const type = String(ctx.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields = new Map<string, Buffer>();
  let at = ctx.body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (ctx.body.subarray(start, start + 2).toString('latin1') === '--') break;
    const next = ctx.body.indexOf(delimiter, start);
    if (next < 0) return null;
    const part = ctx.body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return null;
    const name = /name="([^"]*)"/i.exec(part.subarray(0, split).toString('utf8'))?.[1];
    if (name !== undefined) fields.set(name, Buffer.from(part.subarray(split + 4)));
    at = next;
  }
  return fields;
}

function tco(seed: string): string {
  return 'https://t.co/' + crypto.createHash('sha256').update(seed).digest('base64url').slice(0, 10);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function codePoints(s: string): number {
  return [...s].length;
}

export class XFake extends FakePlatform {
  readonly name = 'x';
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
  readonly bearerToken: string;
  readonly user: XFakeUser;
  /** Other users' tweets can be seeded, e.g. to check that deleting them is refused. */
  readonly tweets = new Map<string, StoredTweet>();
  readonly media = new Map<string, StoredMedia>();
  /** The ids asked for by each GET /2/tweets, in order (to check that callers batch by 100). */
  lookups: string[][] = [];
  private readonly windows = new Map<string, Window>();
  private readonly seenNonces = new Set<string>();
  private dailyTweets: Window;
  private readonly dailyLimit: number;
  private nextTweetId = idCounter(1_890_000_000_000_000_001n);
  private nextMediaId = idCounter(1_880_000_000_000_000_001n);

  constructor(options: XFakeOptions = {}) {
    super();
    this.consumerKey = options.consumerKey ?? 'fake-consumer-key';
    this.consumerSecret = options.consumerSecret ?? 'fake-consumer-secret';
    this.accessToken = options.accessToken ?? '1000000000000000001-fakeaccesstoken';
    this.accessSecret = options.accessSecret ?? 'fake-access-secret';
    this.bearerToken = options.bearerToken ?? 'fake-oauth2-user-token';
    this.user = options.user ?? { id: '1000000000000000001', username: 'civicpost_town', name: 'Town of CivicPost' };
    this.dailyLimit = options.dailyTweetLimit ?? 100;
    this.dailyTweets = this.freshDailyWindow();
  }
  demoChannel(): DemoChannel {
    return {
      platform: 'x',
      settings: { userId: this.user.id },
      credentials: {
        appKey: this.consumerKey,
        appSecret: this.consumerSecret,
        accessToken: this.accessToken,
        accessSecret: this.accessSecret,
      },
      env: { X_API_BASE_URL: this.url, X_UPLOAD_BASE_URL: this.url },
    };
  }

  // ---- test helpers -------------------------------------------------------------------------

  /** Sets the engagement X reports for a tweet. */
  setMetrics(id: string, pub: Partial<PublicMetrics>, nonPublic: Partial<NonPublicMetrics> = {}): void {
    const t = this.tweets.get(id);
    if (!t) throw new Error(`x fake: no tweet ${id}`);
    Object.assign(t.publicMetrics, pub);
    Object.assign(t.nonPublicMetrics, nonPublic);
  }

  /** Backdates a tweet (non-public metrics are only given for tweets under 30 days old). */
  setCreatedAt(id: string, at: Date): void {
    const t = this.tweets.get(id);
    if (!t) throw new Error(`x fake: no tweet ${id}`);
    t.createdAt = at;
  }

  /** Stores a tweet as if posted elsewhere (another app, or another user when authorId differs). */
  seedTweet(text: string, opts: { authorId?: string; inReplyTo?: string; createdAt?: Date } = {}): string {
    return this.store(text, opts.authorId ?? this.user.id, opts.inReplyTo ?? null, [], opts.createdAt ?? new Date(), false).id;
  }

  /** Leaves this many posts in the user's 24-hour allowance. */
  setDailyRemaining(remaining: number): void {
    this.dailyTweets.remaining = remaining;
  }

  /** The reset (Unix seconds) a 15-minute window of this endpoint reports, e.g. 'POST /2/tweets'. */
  windowReset(key: string): number {
    return this.window(key).reset;
  }

  get dailyReset(): number {
    return this.dailyTweets.reset;
  }

  protected override resetState(): void {
    this.tweets.clear();
    this.media.clear();
    this.lookups = [];
    this.windows.clear();
    this.seenNonces.clear();
    this.dailyTweets = this.freshDailyWindow();
  }

  // ---- the platform ---------------------------------------------------------------------------

  protected routes(): Route[] {
    return [
      {
        name: 'users.me',
        method: 'GET',
        path: '/2/users/me',
        write: false,
        handle: (ctx) => this.metered('GET /2/users/me', ctx, () => this.me()),
      },
      {
        name: 'tweets.create',
        method: 'POST',
        path: '/2/tweets',
        write: true,
        handle: (ctx) => this.metered('POST /2/tweets', ctx, () => this.createTweet(ctx)),
      },
      {
        name: 'tweets.delete',
        method: 'DELETE',
        path: '/2/tweets/:id',
        write: true,
        handle: (ctx) => this.metered('DELETE /2/tweets/:id', ctx, () => this.deleteTweet(ctx)),
      },
      {
        name: 'tweets.lookup',
        method: 'GET',
        path: '/2/tweets',
        write: false,
        handle: (ctx) => this.metered('GET /2/tweets', ctx, () => this.lookup(ctx)),
      },
      {
        name: 'users.tweets',
        method: 'GET',
        path: '/2/users/:id/tweets',
        write: false,
        handle: (ctx) => this.metered('GET /2/users/:id/tweets', ctx, () => this.timeline(ctx)),
      },
      {
        name: 'media.initialize',
        method: 'POST',
        path: '/2/media/upload/initialize',
        write: true,
        handle: (ctx) => this.metered('media', ctx, () => this.mediaInit(ctx)),
      },
      {
        name: 'media.append',
        method: 'POST',
        path: '/2/media/upload/:id/append',
        write: true,
        handle: (ctx) => this.metered('media', ctx, () => this.mediaAppend(ctx)),
      },
      {
        name: 'media.finalize',
        method: 'POST',
        path: '/2/media/upload/:id/finalize',
        write: true,
        handle: (ctx) => this.metered('media', ctx, () => this.mediaFinalize(ctx)),
      },
      {
        name: 'media.status',
        method: 'GET',
        path: '/2/media/upload',
        write: false,
        handle: (ctx) => this.metered('media', ctx, () => this.mediaStatus(ctx)),
      },
      {
        name: 'media.metadata',
        method: 'POST',
        path: '/2/media/metadata',
        write: true,
        handle: (ctx) => this.metered('media', ctx, () => this.mediaMetadata(ctx)),
      },
    ];
  }

  protected authenticate(ctx: RequestContext): Reply | undefined {
    const header = String(ctx.headers.authorization ?? '');
    if (header.startsWith('Bearer ')) return header.slice(7) === this.bearerToken ? undefined : this.unauthorized();
    const oauth = parseOAuthHeader(header);
    if (!oauth) return this.unauthorized();
    if (oauth.get('oauth_consumer_key') !== this.consumerKey || oauth.get('oauth_token') !== this.accessToken) return this.unauthorized();
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1' || (oauth.has('oauth_version') && oauth.get('oauth_version') !== '1.0'))
      return this.unauthorized();
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(timestamp - Date.now() / 1000) > TIMESTAMP_SKEW_SECONDS) return this.unauthorized();
    const nonce = `${oauth.get('oauth_nonce')}:${timestamp}`;
    if (!oauth.get('oauth_nonce') || this.seenNonces.has(nonce)) return this.unauthorized();

    const params: Array<[string, string]> = [];
    for (const [k, v] of ctx.url.searchParams) params.push([k, v]);
    for (const [k, v] of oauth) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
    if (String(ctx.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of ctx.form()) params.push([k, v]);
    }
    const normalized = params
      .map(([k, v]) => [oauthEncode(k), oauthEncode(v)] as const)
      .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const baseUri = `http://${String(ctx.headers.host).toLowerCase()}${ctx.path}`;
    const base = [ctx.method.toUpperCase(), oauthEncode(baseUri), oauthEncode(normalized)].join('&');
    const key = `${oauthEncode(this.consumerSecret)}&${oauthEncode(this.accessSecret)}`;
    const expected = crypto.createHmac('sha1', key).update(base).digest('base64');
    const given = oauth.get('oauth_signature') ?? '';
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return this.unauthorized();
    this.seenNonces.add(nonce);
    return undefined;
  }

  protected rateLimited(ctx: RequestContext): Reply {
    // The injected fault spends the window for this one answer only, so later tests start afresh.
    const w = { ...this.window(this.windowKey(ctx)), remaining: 0 };
    return { status: 429, body: PROBLEM.tooMany, headers: this.windowHeaders(w) };
  }

  protected serverError(_ctx: RequestContext): Reply {
    return { status: 500, body: PROBLEM.serverError };
  }

  /** X answers an expired or revoked token with the same 401 as a wrong one. */
  protected expiredToken(_ctx: RequestContext): Reply {
    return this.unauthorized();
  }

  protected override notFound(_ctx: RequestContext): Reply {
    return { status: 404, body: { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] } };
  }

  private unauthorized(): Reply {
    return { status: 401, body: PROBLEM.unauthorized };
  }

  /** Counts the request in its 15-minute window (and the daily post cap), refusing with X's 429 when spent. */
  private async metered(key: string, ctx: RequestContext, handle: () => Reply | Promise<Reply>): Promise<Reply> {
    const w = this.window(key);
    const daily = key === 'POST /2/tweets' ? this.dailyWindow() : undefined;
    const extra = daily ? this.dailyHeaders(daily) : {};
    if (w.remaining <= 0 || (daily && daily.remaining <= 0)) {
      return { status: 429, body: PROBLEM.tooMany, headers: { ...this.windowHeaders(w), ...extra } };
    }
    w.remaining--;
    const reply = await handle();
    if (daily && reply.status === 201) daily.remaining--;
    return { ...reply, headers: { ...this.windowHeaders(w), ...(daily ? this.dailyHeaders(daily) : {}), ...reply.headers } };
  }

  private windowKey(ctx: RequestContext): string {
    if (ctx.path.startsWith('/2/media/')) return 'media';
    return `${ctx.method} ${ctx.path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
  }

  private window(key: string): Window {
    const now = Math.floor(Date.now() / 1000);
    let w = this.windows.get(key);
    if (!w || w.reset <= now) {
      w = { limit: WINDOW_LIMITS[key] ?? 300, remaining: WINDOW_LIMITS[key] ?? 300, reset: now + WINDOW_SECONDS };
      this.windows.set(key, w);
    }
    return w;
  }

  private freshDailyWindow(): Window {
    return { limit: this.dailyLimit, remaining: this.dailyLimit, reset: Math.floor(Date.now() / 1000) + 24 * 60 * 60 };
  }

  private dailyWindow(): Window {
    if (this.dailyTweets.reset <= Date.now() / 1000) this.dailyTweets = this.freshDailyWindow();
    return this.dailyTweets;
  }

  private windowHeaders(w: Window): Record<string, string> {
    return { 'x-rate-limit-limit': String(w.limit), 'x-rate-limit-remaining': String(w.remaining), 'x-rate-limit-reset': String(w.reset) };
  }

  private dailyHeaders(w: Window): Record<string, string> {
    return {
      'x-user-limit-24hour-limit': String(w.limit),
      'x-user-limit-24hour-remaining': String(w.remaining),
      'x-user-limit-24hour-reset': String(w.reset),
    };
  }

  private me(): Reply {
    return { status: 200, body: { data: { id: this.user.id, name: this.user.name, username: this.user.username } } };
  }

  private createTweet(ctx: RequestContext): Reply {
    if (!String(ctx.headers['content-type'] ?? '').includes('application/json'))
      return invalidRequest('Content-Type must be application/json', 'body');
    const body = ctx.json<{ text?: unknown; media?: { media_ids?: unknown }; reply?: { in_reply_to_tweet_id?: unknown } }>();
    const text = typeof body.text === 'string' ? body.text : '';
    const mediaIds = body.media?.media_ids;
    if (
      mediaIds !== undefined &&
      (!Array.isArray(mediaIds) ||
        mediaIds.length < 1 ||
        mediaIds.length > MAX_MEDIA_PER_TWEET ||
        mediaIds.some((m) => typeof m !== 'string'))
    ) {
      return invalidRequest(`media.media_ids must have between 1 and ${MAX_MEDIA_PER_TWEET} items`, 'media.media_ids');
    }
    const media = (mediaIds ?? []) as string[];
    if (text.trim() === '' && media.length === 0) return invalidRequest('Text or media is required', 'text');
    for (const id of media) {
      const m = this.media.get(id);
      if (!m || m.ownerId !== this.user.id || !m.bytes)
        return { status: 400, body: { detail: 'Your media IDs are invalid.', type: 'about:blank', title: 'Bad Request', status: 400 } };
    }
    if (text !== '' && twitterText.parseTweet(text).weightedLength > 280) return { status: 403, body: PROBLEM.tooLong };
    let inReplyTo: string | null = null;
    if (body.reply !== undefined) {
      const target = body.reply.in_reply_to_tweet_id;
      if (typeof target !== 'string') return invalidRequest('reply.in_reply_to_tweet_id must be a string', 'reply.in_reply_to_tweet_id');
      if (!this.tweets.has(target)) return { status: 403, body: PROBLEM.replyGone };
      inReplyTo = target;
    }
    const since = Date.now() - DUPLICATE_WINDOW_MS;
    const duplicate =
      text !== '' &&
      [...this.tweets.values()].some((t) => t.authorId === this.user.id && t.text.trim() === text.trim() && t.createdAt.getTime() >= since);
    if (duplicate) return { status: 403, body: PROBLEM.duplicate };
    const t = this.store(text, this.user.id, inReplyTo, media, new Date(), true);
    return { status: 201, body: { data: { id: t.id, text: this.render(t).text, edit_history_tweet_ids: [t.id] } } };
  }

  private store(
    text: string,
    authorId: string,
    inReplyTo: string | null,
    mediaIds: string[],
    createdAt: Date,
    viaApi: boolean,
  ): StoredTweet {
    const t: StoredTweet = {
      id: this.nextTweetId(),
      text,
      authorId,
      createdAt,
      inReplyTo,
      inReplyToUserId: inReplyTo ? (this.tweets.get(inReplyTo)?.authorId ?? null) : null,
      mediaIds,
      publicMetrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 },
      nonPublicMetrics: { impression_count: 0, url_link_clicks: 0, user_profile_clicks: 0 },
    };
    this.tweets.set(t.id, t);
    if (inReplyTo) this.tweets.get(inReplyTo)!.publicMetrics.reply_count++;
    if (viaApi) {
      this.ledger.push({
        id: t.id,
        text,
        at: createdAt.toISOString(),
        authorId,
        inReplyTo,
        media: mediaIds.map((id) => {
          const m = this.media.get(id)!;
          return {
            id,
            mediaType: m.mediaType,
            size: m.bytes!.length,
            sha256: crypto.createHash('sha256').update(m.bytes!).digest('hex'),
            altText: m.altText,
          };
        }),
      });
    }
    return t;
  }

  private deleteTweet(ctx: RequestContext): Reply {
    const t = this.tweets.get(ctx.params.id!);
    if (!t) {
      return {
        status: 404,
        body: {
          title: 'Not Found Error',
          detail: `Could not find tweet with id: [${ctx.params.id}].`,
          type: 'https://api.twitter.com/2/problems/resource-not-found',
          status: 404,
        },
      };
    }
    if (t.authorId !== this.user.id)
      return {
        status: 403,
        body: { detail: 'You are not allowed to delete this Tweet.', type: 'about:blank', title: 'Forbidden', status: 403 },
      };
    this.tweets.delete(t.id);
    const entry = this.ledger.find((e) => e.id === t.id);
    if (entry) entry.deletedAt = new Date().toISOString();
    return { status: 200, body: { data: { deleted: true } } };
  }

  private fields(ctx: RequestContext): Set<string> {
    return new Set((ctx.url.searchParams.get('tweet.fields') ?? '').split(',').filter(Boolean));
  }

  /** A tweet as X returns it, with the fields asked for (public metrics for everyone; non-public only for the owner, under 30 days). */
  private view(t: StoredTweet, fields: Set<string>): { tweet: Record<string, unknown>; fieldErrors: string[] } {
    const rendered = this.render(t);
    const tweet: Record<string, unknown> = { id: t.id, text: rendered.text, edit_history_tweet_ids: [t.id] };
    const fieldErrors: string[] = [];
    if (fields.has('created_at')) tweet.created_at = t.createdAt.toISOString();
    if (fields.has('author_id')) tweet.author_id = t.authorId;
    if (fields.has('conversation_id')) tweet.conversation_id = this.conversationOf(t);
    if (fields.has('in_reply_to_user_id') && t.inReplyToUserId) tweet.in_reply_to_user_id = t.inReplyToUserId;
    if (fields.has('referenced_tweets') && t.inReplyTo) tweet.referenced_tweets = [{ type: 'replied_to', id: t.inReplyTo }];
    if (fields.has('entities') && rendered.urls.length) tweet.entities = { urls: rendered.urls };
    if (fields.has('attachments') && t.mediaIds.length)
      tweet.attachments = { media_keys: t.mediaIds.map((id) => this.media.get(id)?.mediaKey ?? `3_${id}`) };
    if (fields.has('public_metrics')) tweet.public_metrics = { ...t.publicMetrics };
    const privateOk = t.authorId === this.user.id && Date.now() - t.createdAt.getTime() < NON_PUBLIC_MAX_AGE_MS;
    for (const f of ['non_public_metrics', 'organic_metrics'] as const) {
      if (!fields.has(f)) continue;
      if (!privateOk) {
        fieldErrors.push(f);
        continue;
      }
      tweet[f] =
        f === 'non_public_metrics'
          ? { ...t.nonPublicMetrics }
          : {
              impression_count: t.nonPublicMetrics.impression_count,
              like_count: t.publicMetrics.like_count,
              reply_count: t.publicMetrics.reply_count,
              retweet_count: t.publicMetrics.retweet_count,
              url_link_clicks: t.nonPublicMetrics.url_link_clicks,
              user_profile_clicks: t.nonPublicMetrics.user_profile_clicks,
            };
    }
    return { tweet, fieldErrors };
  }

  private conversationOf(t: StoredTweet): string {
    let root = t;
    while (root.inReplyTo && this.tweets.has(root.inReplyTo)) root = this.tweets.get(root.inReplyTo)!;
    return root.id;
  }

  /** X's stored form: links as t.co, `&<>` escaped, the photo's own t.co link at the end of media tweets. */
  private render(t: StoredTweet): { text: string; urls: Array<Record<string, unknown>> } {
    let text = '';
    const urls: Array<Record<string, unknown>> = [];
    let at = 0;
    for (const { url, indices } of twitterText.extractUrlsWithIndices(t.text)) {
      text += escapeHtml(t.text.slice(at, indices[0]));
      const short = tco(url);
      const expanded = /^https?:\/\//i.test(url) ? url : `http://${url}`;
      const start = codePoints(text);
      text += short;
      urls.push({
        start,
        end: start + codePoints(short),
        url: short,
        expanded_url: expanded,
        display_url: url.replace(/^https?:\/\//i, ''),
      });
      at = indices[1];
    }
    text += escapeHtml(t.text.slice(at));
    if (t.mediaIds.length > 0) {
      const short = tco(`media:${t.id}`);
      if (text !== '') text += ' ';
      const start = codePoints(text);
      text += short;
      const display = `pic.x.com/${short.slice('https://t.co/'.length)}`;
      urls.push({
        start,
        end: start + codePoints(short),
        url: short,
        expanded_url: `https://x.com/${this.user.username}/status/${t.id}/photo/1`,
        display_url: display,
        media_key: this.media.get(t.mediaIds[0]!)?.mediaKey,
      });
    }
    return { text, urls };
  }

  private lookup(ctx: RequestContext): Reply {
    const ids = (ctx.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    this.lookups.push(ids);
    if (ids.length === 0 || ids.length > 100 || ids.some((id) => !/^\d{1,19}$/.test(id))) {
      return invalidRequest(
        `The \`ids\` query parameter value [${ctx.url.searchParams.get('ids') ?? ''}] must be 1 to 100 comma-separated tweet ids`,
        'ids',
      );
    }
    const fields = this.fields(ctx);
    const data: Array<Record<string, unknown>> = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const id of ids) {
      const t = this.tweets.get(id);
      if (!t) {
        errors.push({
          value: id,
          detail: `Could not find tweet with ids: [${id}].`,
          title: 'Not Found Error',
          resource_type: 'tweet',
          parameter: 'ids',
          resource_id: id,
          type: 'https://api.twitter.com/2/problems/resource-not-found',
        });
        continue;
      }
      const { tweet, fieldErrors } = this.view(t, fields);
      data.push(tweet);
      for (const field of fieldErrors) {
        errors.push({
          value: id,
          detail: `Sorry, you are not authorized to access '${field}' on the Tweet with ids: ${id}.`,
          title: 'Field Authorization Error',
          resource_type: 'tweet',
          field,
          resource_id: id,
          type: 'https://api.twitter.com/2/problems/not-authorized-for-field',
        });
      }
    }
    return { status: 200, body: { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) } };
  }

  private timeline(ctx: RequestContext): Reply {
    const userId = ctx.params.id!;
    const q = ctx.url.searchParams;
    const max = q.has('max_results') ? Number(q.get('max_results')) : 10;
    if (!Number.isInteger(max) || max < 5 || max > 100)
      return invalidRequest(`The \`max_results\` query parameter value [${q.get('max_results')}] is not between 5 and 100`, 'max_results');
    const exclude = new Set((q.get('exclude') ?? '').split(',').filter(Boolean));
    const since = q.get('since_id');
    const until = q.get('pagination_token');
    const all = [...this.tweets.values()]
      .filter((t) => t.authorId === userId)
      .filter((t) => !(exclude.has('replies') && t.inReplyTo))
      .filter((t) => !since || BigInt(t.id) > BigInt(since))
      .filter((t) => !until || BigInt(t.id) < BigInt(until))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = all.slice(0, max);
    const fields = this.fields(ctx);
    const data = page.map((t) => this.view(t, fields).tweet);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) {
      meta.newest_id = page[0]!.id;
      meta.oldest_id = page[page.length - 1]!.id;
    }
    if (all.length > max) meta.next_token = page[page.length - 1]!.id;
    return { status: 200, body: { ...(data.length ? { data } : {}), meta } };
  }

  private mediaInit(ctx: RequestContext): Reply {
    const body = ctx.json<{ media_type?: unknown; total_bytes?: unknown; media_category?: unknown }>();
    const mediaType = typeof body.media_type === 'string' ? body.media_type : '';
    const total = Number(body.total_bytes);
    if (!IMAGE_TYPES.has(mediaType)) return invalidRequest(`media_type ${mediaType || '(none)'} is not supported`, 'media_type');
    if (!Number.isInteger(total) || total <= 0) return invalidRequest('total_bytes must be a positive integer', 'total_bytes');
    const max = mediaType === 'image/gif' ? MAX_GIF_BYTES : MAX_IMAGE_BYTES;
    if (total > max)
      return { status: 400, body: { detail: `File size exceeds ${max} bytes.`, type: 'about:blank', title: 'Bad Request', status: 400 } };
    const id = this.nextMediaId();
    const category =
      typeof body.media_category === 'string' ? body.media_category : mediaType === 'image/gif' ? 'tweet_gif' : 'tweet_image';
    const m: StoredMedia = {
      id,
      mediaKey: `3_${id}`,
      ownerId: this.user.id,
      mediaType,
      category,
      totalBytes: total,
      chunks: new Map(),
      bytes: null,
      altText: null,
    };
    this.media.set(id, m);
    return { status: 200, body: { data: { id, media_key: m.mediaKey, expires_after_secs: 86400 } } };
  }

  private pendingMedia(id: string): StoredMedia {
    const m = this.media.get(id);
    if (!m || m.ownerId !== this.user.id) throw new HttpReply(invalidRequest(`media_id ${id} was not found`, 'id'));
    return m;
  }

  private mediaAppend(ctx: RequestContext): Reply {
    const m = this.pendingMedia(ctx.params.id!);
    if (m.bytes) return invalidRequest('media is already finalized', 'id');
    const form = multipart(ctx);
    if (!form) return invalidRequest('append must be multipart/form-data', 'media');
    const segment = Number(form.get('segment_index')?.toString('utf8'));
    const part = form.get('media');
    if (!Number.isInteger(segment) || segment < 0 || segment > 999)
      return invalidRequest('segment_index must be between 0 and 999', 'segment_index');
    if (!part || part.length === 0) return invalidRequest('media is required', 'media');
    m.chunks.set(segment, part);
    return { status: 200, body: { data: { expires_at: Math.floor(Date.now() / 1000) + 86400 } } };
  }

  private mediaFinalize(ctx: RequestContext): Reply {
    const m = this.pendingMedia(ctx.params.id!);
    const order = [...m.chunks.keys()].sort((a, b) => a - b);
    const bytes = Buffer.concat(order.map((i) => m.chunks.get(i)!));
    if (order.some((s, i) => s !== i)) return invalidRequest('segments are missing', 'id');
    if (bytes.length !== m.totalBytes)
      return {
        status: 400,
        body: {
          detail: `File size mismatch: expected ${m.totalBytes} bytes, received ${bytes.length}.`,
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
        },
      };
    if (sniffImage(bytes) !== m.mediaType)
      return { status: 400, body: { detail: 'media type unrecognized.', type: 'about:blank', title: 'Bad Request', status: 400 } };
    m.bytes = bytes;
    return { status: 200, body: { data: { id: m.id, media_key: m.mediaKey, size: bytes.length, expires_after_secs: 86400 } } };
  }

  private mediaStatus(ctx: RequestContext): Reply {
    const id = ctx.url.searchParams.get('media_id') ?? '';
    const m = this.pendingMedia(id);
    return {
      status: 200,
      body: {
        data: {
          id: m.id,
          media_key: m.mediaKey,
          processing_info: { state: m.bytes ? 'succeeded' : 'pending', progress_percent: m.bytes ? 100 : 0 },
        },
      },
    };
  }

  private mediaMetadata(ctx: RequestContext): Reply {
    const body = ctx.json<{ id?: unknown; metadata?: { alt_text?: { text?: unknown } } }>();
    const m = this.pendingMedia(String(body.id ?? ''));
    const alt = body.metadata?.alt_text?.text;
    if (alt !== undefined) {
      if (typeof alt !== 'string') return invalidRequest('metadata.alt_text.text must be a string', 'metadata.alt_text.text');
      if ([...alt].length > MAX_ALT_TEXT)
        return invalidRequest(`metadata.alt_text.text must be at most ${MAX_ALT_TEXT} characters`, 'metadata.alt_text.text');
      m.altText = alt;
    }
    return { status: 200, body: { data: { id: m.id, associated_metadata: m.altText === null ? {} : { alt_text: { text: m.altText } } } } };
  }
}

/** Defaults for `npm run fakes`: the credentials above, an empty timeline. */
export function createXFake(options: XFakeOptions = {}): XFake {
  return new XFake(options);
}
