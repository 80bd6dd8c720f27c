/**
 * A fake Bluesky PDS (with the few AppView reads CivicPost uses), at `/xrpc/<nsid>`.
 *
 * Modelled on the lexicons (bluesky-social/atproto `lexicons/`) and the reference PDS: sessions with
 * access and refresh JWTs (no didDoc, so the agent keeps talking to this server), lexicon-valid answers
 * (CIDv1 sha-256 CIDs, DIDs, TIDs, datetimes), the record checks of `app.bsky.feed.post` (300 graphemes,
 * 3000 bytes, facet ranges, at most 4 images of at most 2,000,000 bytes each with an `alt` string, blobs
 * uploaded first with the same mimeType and size), the PDS's error bodies `{error, message}` and its
 * `RateLimit-*` headers. A createRecord with an rkey already used answers 500 InternalServerError, as the
 * reference PDS does today (bluesky-social/atproto#3718); `existingRecordAnswer: 'conflict'` gives the
 * explicit 409 RecordAlreadyExists of other PDS implementations instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FakePlatform, HttpReply, type LedgerEntry, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface BlueskyAccount {
  did: string;
  handle: string;
  displayName: string;
  /** The app password that createSession accepts. */
  appPassword: string;
}

export interface BlueskyFakeOptions {
  account?: BlueskyAccount;
  /** Other accounts, for mentions (resolveHandle) and profiles. */
  others?: Array<Pick<BlueskyAccount, 'did' | 'handle' | 'displayName'>>;
  /** Lifetime of an access JWT (the PDS gives 2 hours). */
  accessTtlMs?: number;
  /** The answer to a createRecord whose rkey exists: the reference PDS's 500, or a 409. */
  existingRecordAnswer?: 'internal_error' | 'conflict';
  /** uploadBlob's own size limit (PDS_BLOB_UPLOAD_LIMIT); the image limit of the lexicon is separate. */
  uploadLimitBytes?: number;
}

export const DEFAULT_ACCOUNT: BlueskyAccount = {
  did: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
  handle: 'townhall.bsky.social',
  displayName: 'Town Hall',
  appPassword: 'abcd-efgh-ijkl-mnop',
};

const POST = 'app.bsky.feed.post';
const IMAGE_MAX_BYTES = 2_000_000; // app/bsky/embed/images.json, image.maxSize
const TEXT_MAX_GRAPHEMES = 300;
const TEXT_MAX_BYTES = 3000;
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const AT_URI = /^at:\/\/(did:[a-z]+:[a-zA-Z0-9._:%-]+)\/([a-zA-Z0-9.-]+)\/([a-zA-Z0-9._:~-]+)$/;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface StoredRecord {
  uri: string;
  cid: string;
  did: string;
  rkey: string;
  value: Record<string, unknown>;
  indexedAt: string;
  counts: PostCounts;
}

export interface PostCounts {
  likeCount: number;
  repostCount: number;
  replyCount: number;
  quoteCount: number;
  bookmarkCount: number;
}

interface StoredBlob {
  bytes: Buffer;
  mimeType: string;
  size: number;
}

interface Session {
  did: string;
  expiresAt: number;
}

/** The images of a post as the fake stored them, for assertions. */
export interface LedgerImage {
  cid: string;
  mimeType: string;
  size: number;
  alt: string;
  sha256: string;
}

export interface BlueskyLedgerEntry extends LedgerEntry {
  rkey: string;
  cid: string;
  langs: string[] | null;
  facets: unknown[] | null;
  reply: { root: string; parent: string } | null;
  images: LedgerImage[];
  deletedAt: string | null;
}

export class BlueskyFake extends FakePlatform {
  readonly name = 'bluesky';
  declare ledger: BlueskyLedgerEntry[];
  readonly account: BlueskyAccount;
  private readonly others: Array<Pick<BlueskyAccount, 'did' | 'handle' | 'displayName'>>;
  accessTtlMs: number;
  existingRecordAnswer: 'internal_error' | 'conflict';
  private readonly uploadLimitBytes: number;

  private accessTokens = new Map<string, Session>();
  private refreshTokens = new Map<string, Session>();
  private records = new Map<string, StoredRecord>();
  private blobs = new Map<string, StoredBlob>();
  /** Epoch seconds of the current rate-limit window's end: what RateLimit-Reset says. */
  rateLimitReset = Math.floor(Date.now() / 1000) + 3600;
  private writesInWindow = 0;
  /** Every JWT handed out, so tests can check that none leaks into an error message. */
  tokensIssued: string[] = [];
  /** The number of uris of each getPosts call, in order. */
  getPostsBatches: number[] = [];
  static readonly RATE_LIMIT = 5000;

  constructor(options: BlueskyFakeOptions = {}) {
    super();
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.others = options.others ?? [{ did: 'did:plc:a7bqlmvbwfxo3ss3fzv6lhg4', handle: 'alice.test', displayName: 'Alice' }];
    this.accessTtlMs = options.accessTtlMs ?? 2 * 3600_000;
    this.existingRecordAnswer = options.existingRecordAnswer ?? 'internal_error';
    this.uploadLimitBytes = options.uploadLimitBytes ?? 100_000_000;
  }
  demoChannel(): DemoChannel {
    return {
      platform: 'bluesky',
      settings: { serviceUrl: this.url },
      credentials: { identifier: this.account.handle, appPassword: this.account.appPassword },
      env: {},
    };
  }

  // ---- test helpers ----

  /** Makes every access token expired, as after two hours: the next call gets 400 ExpiredToken. */
  expireAccessTokens(): void {
    for (const s of this.accessTokens.values()) s.expiresAt = 0;
  }

  /** Ends every session (access tokens expired, refresh tokens revoked): refreshing fails, only a new login works. */
  revokeSessions(): void {
    this.expireAccessTokens();
    this.refreshTokens.clear();
  }

  setMetrics(uri: string, counts: Partial<PostCounts>): void {
    const record = this.records.get(uri);
    if (!record) throw new Error(`bluesky fake: no post ${uri}`);
    Object.assign(record.counts, counts);
  }

  /** A record as stored (or undefined), for assertions. */
  record(uri: string): StoredRecord | undefined {
    return this.records.get(uri);
  }

  /** Stores a post directly (another client of the same account), returning its uri. */
  seedPost(rkey: string, text: string): string {
    return this.store(this.account.did, rkey, { $type: POST, text, createdAt: new Date().toISOString() }, []).uri;
  }

  /** How many requests reached a route (the request log of the base class). */
  count(route: string): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  protected override resetState(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.records.clear();
    this.blobs.clear();
    this.writesInWindow = 0;
    this.tokensIssued = [];
    this.getPostsBatches = [];
  }

  // ---- the platform's own answers ----

  protected rateLimited(_ctx: RequestContext): Reply {
    return {
      status: 429,
      body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      headers: this.rateLimitHeaders(0),
    };
  }

  protected serverError(_ctx: RequestContext): Reply {
    return { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } };
  }

  protected expiredToken(_ctx: RequestContext): Reply {
    return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
  }

  protected override notFound(ctx: RequestContext): Reply {
    if (ctx.path.startsWith('/xrpc/')) return { status: 501, body: { error: 'MethodNotImplemented', message: 'Method Not Implemented' } };
    return { status: 404, body: { error: 'NotFound', message: 'Not Found' } };
  }

  protected override commonHeaders(_ctx: RequestContext, route: Route): Record<string, string> {
    if (!route.write) return {};
    return this.rateLimitHeaders(Math.max(0, BlueskyFake.RATE_LIMIT - this.writesInWindow));
  }

  private rateLimitHeaders(remaining: number): Record<string, string> {
    return {
      'RateLimit-Limit': String(BlueskyFake.RATE_LIMIT),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(this.rateLimitReset),
      'RateLimit-Policy': `${BlueskyFake.RATE_LIMIT};w=3600`,
    };
  }

  /** Bearer access JWT (packages/pds/src/auth-verifier.ts): 401 AuthMissing, 400 InvalidToken or ExpiredToken. */
  protected authenticate(ctx: RequestContext): Reply | undefined {
    const token = bearer(ctx);
    if (!token) return { status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } };
    const session = this.accessTokens.get(token);
    if (!session) return { status: 400, body: { error: 'InvalidToken', message: 'Token could not be verified' } };
    if (session.expiresAt <= Date.now()) return this.expiredToken(ctx);
    return undefined;
  }

  private sessionDid(ctx: RequestContext): string {
    return this.accessTokens.get(bearer(ctx) ?? '')!.did;
  }

  protected routes(): Route[] {
    return [
      {
        name: 'createSession',
        method: 'POST',
        path: '/xrpc/com.atproto.server.createSession',
        write: false,
        auth: false,
        handle: (ctx) => this.createSession(ctx),
      },
      {
        name: 'refreshSession',
        method: 'POST',
        path: '/xrpc/com.atproto.server.refreshSession',
        write: false,
        auth: false,
        handle: (ctx) => this.refreshSession(ctx),
      },
      {
        name: 'getSession',
        method: 'GET',
        path: '/xrpc/com.atproto.server.getSession',
        write: false,
        handle: (ctx) => this.getSession(ctx),
      },
      {
        name: 'resolveHandle',
        method: 'GET',
        path: '/xrpc/com.atproto.identity.resolveHandle',
        write: false,
        auth: false,
        handle: (ctx) => this.resolveHandle(ctx),
      },
      { name: 'getProfile', method: 'GET', path: '/xrpc/app.bsky.actor.getProfile', write: false, handle: (ctx) => this.getProfile(ctx) },
      { name: 'uploadBlob', method: 'POST', path: '/xrpc/com.atproto.repo.uploadBlob', write: true, handle: (ctx) => this.uploadBlob(ctx) },
      {
        name: 'createRecord',
        method: 'POST',
        path: '/xrpc/com.atproto.repo.createRecord',
        write: true,
        handle: (ctx) => this.createRecord(ctx),
      },
      {
        name: 'deleteRecord',
        method: 'POST',
        path: '/xrpc/com.atproto.repo.deleteRecord',
        write: true,
        handle: (ctx) => this.deleteRecord(ctx),
      },
      {
        name: 'getRecord',
        method: 'GET',
        path: '/xrpc/com.atproto.repo.getRecord',
        write: false,
        auth: false,
        handle: (ctx) => this.getRecord(ctx),
      },
      { name: 'getPosts', method: 'GET', path: '/xrpc/app.bsky.feed.getPosts', write: false, handle: (ctx) => this.getPosts(ctx) },
    ];
  }

  // ---- sessions ----

  private createSession(ctx: RequestContext): Reply {
    const body = ctx.json<{ identifier?: unknown; password?: unknown }>();
    if (typeof body.identifier !== 'string') return invalid('Input must have the property "identifier"');
    if (typeof body.password !== 'string') return invalid('Input must have the property "password"');
    const a = this.account;
    const identifier = body.identifier.toLowerCase();
    if ((identifier !== a.handle && identifier !== a.did) || body.password !== a.appPassword) {
      return { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
    }
    // No didDoc: with one, the agent would switch to the PDS endpoint it names.
    return { status: 200, body: { ...this.issueTokens(a.did), handle: a.handle, did: a.did, active: true } };
  }

  private refreshSession(ctx: RequestContext): Reply {
    const token = bearer(ctx);
    if (!token) return { status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } };
    const session = this.refreshTokens.get(token);
    if (!session) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has been revoked' } };
    // Refresh tokens are single use: the PDS rotates them.
    this.refreshTokens.delete(token);
    return { status: 200, body: { ...this.issueTokens(session.did), handle: this.account.handle, did: session.did, active: true } };
  }

  private getSession(ctx: RequestContext): Reply {
    const did = this.sessionDid(ctx);
    return { status: 200, body: { handle: this.account.handle, did, emailConfirmed: false, active: true } };
  }

  private issueTokens(did: string): { accessJwt: string; refreshJwt: string } {
    const accessJwt = jwt({ scope: 'com.atproto.appPass', sub: did });
    const refreshJwt = jwt({ scope: 'com.atproto.refresh', sub: did });
    this.accessTokens.set(accessJwt, { did, expiresAt: Date.now() + this.accessTtlMs });
    this.refreshTokens.set(refreshJwt, { did, expiresAt: Date.now() + 90 * 86_400_000 });
    this.tokensIssued.push(accessJwt, refreshJwt);
    return { accessJwt, refreshJwt };
  }

  // ---- identity and profiles ----

  private people(): Array<Pick<BlueskyAccount, 'did' | 'handle' | 'displayName'>> {
    return [this.account, ...this.others];
  }

  private resolveHandle(ctx: RequestContext): Reply {
    const handle = ctx.url.searchParams.get('handle')?.toLowerCase();
    if (!handle) return invalid('Error: Params must have the property "handle"');
    const person = this.people().find((p) => p.handle === handle);
    return person ? { status: 200, body: { did: person.did } } : invalid('Unable to resolve handle');
  }

  private getProfile(ctx: RequestContext): Reply {
    const actor = ctx.url.searchParams.get('actor');
    if (!actor) return invalid('Error: Params must have the property "actor"');
    const person = this.people().find((p) => p.did === actor || p.handle === actor.toLowerCase());
    if (!person) return invalid('Profile not found');
    const posts = [...this.records.values()].filter((r) => r.did === person.did).length;
    return {
      status: 200,
      body: {
        did: person.did,
        handle: person.handle,
        displayName: person.displayName,
        followersCount: 0,
        followsCount: 0,
        postsCount: posts,
        indexedAt: new Date().toISOString(),
      },
    };
  }

  // ---- repository writes ----

  private countWrite(points: number): void {
    this.writesInWindow += points;
  }

  private uploadBlob(ctx: RequestContext): Reply {
    const declared = String(ctx.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (!declared) return invalid('Request encoding (Content-Type) required but not provided');
    if (ctx.body.length > this.uploadLimitBytes)
      return { status: 413, body: { error: 'PayloadTooLarge', message: 'request entity too large' } };
    // The PDS sniffs the type from the bytes and falls back on the declared one (actor-store/blob/transactor.ts).
    const mimeType = sniff(ctx.body) ?? declared;
    const cid = cidFor(ctx.body, RAW);
    this.blobs.set(cid, { bytes: Buffer.from(ctx.body), mimeType, size: ctx.body.length });
    this.countWrite(1);
    return { status: 200, body: { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: ctx.body.length } } };
  }

  private createRecord(ctx: RequestContext): Reply {
    const body = ctx.json<{ repo?: unknown; collection?: unknown; rkey?: unknown; record?: unknown; validate?: unknown }>();
    if (typeof body.repo !== 'string') return invalid('Input must have the property "repo"');
    if (typeof body.collection !== 'string') return invalid('Input must have the property "collection"');
    if (!isObject(body.record)) return invalid('Input must have the property "record"');
    const did = this.sessionDid(ctx);
    if (body.repo !== did && body.repo !== this.account.handle)
      return { status: 401, body: { error: 'AuthenticationRequired', message: 'Authentication Required' } };
    if (body.collection !== POST) return invalid(`This fake only stores ${POST} records, not ${body.collection}`);
    let rkey: string;
    if (body.rkey === undefined) rkey = nextTid();
    else if (typeof body.rkey === 'string' && TID.test(body.rkey)) rkey = body.rkey;
    else return invalid(`Invalid record key for ${POST}: ${String(body.rkey)} is not a valid TID`);

    const record = body.record;
    const images = this.validatePost(record);
    const uri = `at://${did}/${POST}/${rkey}`;
    if (this.records.has(uri)) {
      if (this.existingRecordAnswer === 'conflict')
        return { status: 409, body: { error: 'RecordAlreadyExists', message: `Record already exists: ${uri}` } };
      // The reference PDS: the MST refuses a second value at the key and the error surfaces as a 500.
      return { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } };
    }
    const stored = this.store(did, rkey, record, images);
    this.countWrite(3);
    return {
      status: 200,
      body: { uri, cid: stored.cid, commit: { cid: cidFor(randomBytes(32), DAG_CBOR), rev: nextTid() }, validationStatus: 'valid' },
    };
  }

  private store(did: string, rkey: string, value: Record<string, unknown>, images: LedgerImage[]): StoredRecord {
    const uri = `at://${did}/${POST}/${rkey}`;
    const cid = cidFor(Buffer.from(JSON.stringify(value)), DAG_CBOR);
    const now = new Date().toISOString();
    const stored: StoredRecord = {
      uri,
      cid,
      did,
      rkey,
      value,
      indexedAt: now,
      counts: { likeCount: 0, repostCount: 0, replyCount: 0, quoteCount: 0, bookmarkCount: 0 },
    };
    this.records.set(uri, stored);
    const reply = isObject(value.reply) ? (value.reply as { root: { uri: string }; parent: { uri: string } }) : null;
    if (reply) {
      const parent = this.records.get(reply.parent.uri);
      if (parent) parent.counts.replyCount++;
    }
    this.ledger.push({
      id: uri,
      text: String(value.text),
      at: now,
      rkey,
      cid,
      langs: Array.isArray(value.langs) ? (value.langs as string[]) : null,
      facets: Array.isArray(value.facets) ? value.facets : null,
      reply: reply ? { root: reply.root.uri, parent: reply.parent.uri } : null,
      images,
      deletedAt: null,
    });
    return stored;
  }

  /** The checks of the app.bsky.feed.post lexicon and of the PDS's blob verification; throws the 400. */
  private validatePost(record: Record<string, unknown>): LedgerImage[] {
    const fail = (message: string, error = 'InvalidRequest'): never => {
      throw new HttpReply({ status: 400, body: { error, message } });
    };
    const bad = (path: string, what: string) => fail(`Invalid ${POST} record: Record/${path} ${what}`);
    if (record.$type !== undefined && record.$type !== POST) fail(`Invalid $type: must be ${POST}`);
    if (typeof record.text !== 'string') bad('text', 'must be a string');
    const text = record.text as string;
    const textBytes = Buffer.byteLength(text, 'utf8');
    if (textBytes > TEXT_MAX_BYTES) bad('text', `must not be longer than ${TEXT_MAX_BYTES} characters`);
    if ([...segmenter.segment(text)].length > TEXT_MAX_GRAPHEMES) bad('text', `must not be longer than ${TEXT_MAX_GRAPHEMES} graphemes`);
    if (
      typeof record.createdAt !== 'string' ||
      Number.isNaN(Date.parse(record.createdAt)) ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(record.createdAt)
    ) {
      bad('createdAt', 'must be an valid atproto datetime (both RFC-3339 and ISO-8601)');
    }
    if (record.langs !== undefined) {
      if (!Array.isArray(record.langs)) bad('langs', 'must be an array');
      const langs = record.langs as unknown[];
      if (langs.length > 3) bad('langs', 'must not have more than 3 elements');
      langs.forEach((l, i) =>
        typeof l === 'string' && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$/.test(l)
          ? undefined
          : bad(`langs/${i}`, 'must be a well-formed BCP 47 language tag'),
      );
    }
    if (record.facets !== undefined) {
      if (!Array.isArray(record.facets)) bad('facets', 'must be an array');
      (record.facets as unknown[]).forEach((facet, i) => {
        if (!isObject(facet) || !isObject(facet.index)) return bad(`facets/${i}`, 'must have the property "index"');
        const { byteStart, byteEnd } = facet.index as { byteStart?: unknown; byteEnd?: unknown };
        if (
          !Number.isInteger(byteStart) ||
          !Number.isInteger(byteEnd) ||
          (byteStart as number) < 0 ||
          (byteEnd as number) < (byteStart as number)
        ) {
          return bad(`facets/${i}/index`, 'must have integer byteStart <= byteEnd');
        }
        if ((byteEnd as number) > textBytes) bad(`facets/${i}/index/byteEnd`, `is beyond the end of the text (${textBytes} bytes)`);
        if (!Array.isArray(facet.features) || facet.features.length === 0) return bad(`facets/${i}/features`, 'must be a non-empty array');
        (facet.features as unknown[]).forEach((f, j) => {
          const path = `facets/${i}/features/${j}`;
          if (!isObject(f)) return bad(path, 'must be an object');
          if (f.$type === 'app.bsky.richtext.facet#mention')
            return typeof f.did === 'string' && DID.test(f.did) ? undefined : bad(`${path}/did`, 'must be a valid did');
          if (f.$type === 'app.bsky.richtext.facet#link')
            return typeof f.uri === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(f.uri) ? undefined : bad(`${path}/uri`, 'must be a uri');
          if (f.$type === 'app.bsky.richtext.facet#tag')
            return typeof f.tag === 'string' && f.tag.length > 0 && Buffer.byteLength(f.tag) <= 640
              ? undefined
              : bad(`${path}/tag`, 'must be 1 to 640 characters');
          return undefined; // open union: unknown feature types pass
        });
        return undefined;
      });
    }
    if (record.reply !== undefined) {
      const reply = record.reply;
      for (const key of ['root', 'parent'] as const) {
        const ref = isObject(reply) ? reply[key] : undefined;
        if (!isObject(ref) || typeof ref.uri !== 'string' || !AT_URI.test(ref.uri)) bad(`reply/${key}/uri`, 'must be a valid at-uri');
        if (typeof (ref as Record<string, unknown>).cid !== 'string' || !/^b[a-z2-7]{58}$/.test((ref as { cid: string }).cid))
          bad(`reply/${key}/cid`, 'must be a cid string');
      }
    }
    const images: LedgerImage[] = [];
    if (record.embed !== undefined) {
      const embed = record.embed;
      if (!isObject(embed) || embed.$type !== 'app.bsky.embed.images') fail(`This fake only knows app.bsky.embed.images embeds`);
      const list = (embed as { images?: unknown }).images;
      if (!Array.isArray(list)) bad('embed', 'must have the property "images"');
      if ((list as unknown[]).length > 4) bad('embed/images', 'must not have more than 4 elements');
      (list as unknown[]).forEach((item, i) => {
        const path = `embed/images/${i}`;
        if (!isObject(item)) return bad(path, 'must be an object');
        if (typeof item.alt !== 'string') return bad(path, 'must have the property "alt"');
        const blob = item.image;
        if (
          !isObject(blob) ||
          blob.$type !== 'blob' ||
          !isObject(blob.ref) ||
          typeof blob.ref.$link !== 'string' ||
          typeof blob.mimeType !== 'string' ||
          !Number.isInteger(blob.size)
        ) {
          return bad(`${path}/image`, 'should be a blob ref');
        }
        const cid = blob.ref.$link as string;
        const found = this.blobs.get(cid);
        if (!found) return fail(`Could not find blob: ${cid}`, 'BlobNotFound');
        if (blob.mimeType !== found.mimeType)
          fail(`Referenced Mimetype does not match stored blob. Expected: ${found.mimeType}, Got: ${blob.mimeType}`, 'InvalidMimeType');
        if (blob.size !== found.size)
          fail(`Referenced Size does not match stored blob. Expected: ${found.size}, Got: ${String(blob.size)}`, 'InvalidSize');
        if (!found.mimeType.startsWith('image/'))
          fail(`Wrong type of file. It is ${found.mimeType} but it must match image/*.`, 'InvalidMimeType');
        if (found.size > IMAGE_MAX_BYTES)
          fail(`This file is too large. It is ${found.size} bytes but the maximum size is ${IMAGE_MAX_BYTES} bytes.`, 'BlobTooLarge');
        images.push({
          cid,
          mimeType: found.mimeType,
          size: found.size,
          alt: item.alt,
          sha256: createHash('sha256').update(found.bytes).digest('hex'),
        });
        return undefined;
      });
    }
    return images;
  }

  private deleteRecord(ctx: RequestContext): Reply {
    const body = ctx.json<{ repo?: unknown; collection?: unknown; rkey?: unknown }>();
    if (typeof body.repo !== 'string' || typeof body.collection !== 'string' || typeof body.rkey !== 'string')
      return invalid('Input must have the properties "repo", "collection" and "rkey"');
    const did = this.sessionDid(ctx);
    if (body.repo !== did && body.repo !== this.account.handle)
      return { status: 401, body: { error: 'AuthenticationRequired', message: 'Authentication Required' } };
    const uri = `at://${did}/${body.collection}/${body.rkey}`;
    // Deleting a record that is not there is a no-op answered 200 (pds api/com/atproto/repo/deleteRecord.ts).
    if (!this.records.delete(uri)) return { status: 200, body: {} };
    const entry = this.ledger.find((e) => e.id === uri && e.deletedAt === null);
    if (entry) entry.deletedAt = new Date().toISOString();
    this.countWrite(1);
    return { status: 200, body: { commit: { cid: cidFor(randomBytes(32), DAG_CBOR), rev: nextTid() } } };
  }

  // ---- reads ----

  private getRecord(ctx: RequestContext): Reply {
    const q = ctx.url.searchParams;
    const repo = q.get('repo');
    const collection = q.get('collection');
    const rkey = q.get('rkey');
    if (!repo || !collection || !rkey) return invalid('Error: Params must have the properties "repo", "collection" and "rkey"');
    const did = repo === this.account.handle ? this.account.did : repo;
    const uri = `at://${did}/${collection}/${rkey}`;
    const record = this.records.get(uri);
    if (!record) return { status: 400, body: { error: 'RecordNotFound', message: `Could not locate record: ${uri}` } };
    return { status: 200, body: { uri, cid: record.cid, value: record.value } };
  }

  private getPosts(ctx: RequestContext): Reply {
    const uris = ctx.url.searchParams.getAll('uris');
    if (uris.length === 0) return invalid('Error: Params must have the property "uris"');
    if (uris.length > 25) return invalid('Error: uris must not have more than 25 elements');
    const bad = uris.find((u) => !AT_URI.test(u));
    if (bad) return invalid(`Error: uris/${uris.indexOf(bad)} must be a valid at-uri`);
    this.getPostsBatches.push(uris.length);
    // Unknown and deleted posts are left out, in the order asked.
    const posts = uris
      .map((u) => this.records.get(u))
      .filter((r): r is StoredRecord => r !== undefined)
      .map((r) => {
        const author = this.people().find((p) => p.did === r.did) ?? { did: r.did, handle: 'handle.invalid', displayName: '' };
        return {
          uri: r.uri,
          cid: r.cid,
          author: { did: author.did, handle: author.handle, displayName: author.displayName },
          record: r.value,
          ...r.counts,
          indexedAt: r.indexedAt,
          labels: [],
        };
      });
    return { status: 200, body: { posts } };
  }
}

// ---- helpers ----

function invalid(message: string): Reply {
  return { status: 400, body: { error: 'InvalidRequest', message } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bearer(ctx: RequestContext): string | undefined {
  const header = ctx.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A JWT-shaped token (the agent treats it as opaque; the PDS's are ES256K or HS256 JWTs). */
function jwt(claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'at+jwt', alg: 'HS256' }));
  const payload = base64url(JSON.stringify({ ...claims, iat: Math.floor(Date.now() / 1000), jti: randomBytes(12).toString('hex') }));
  return `${header}.${payload}.${base64url(randomBytes(32))}`;
}

const RAW = 0x55;
const DAG_CBOR = 0x71;

/** A CIDv1 with a sha-256 multihash, multibase base32 ("b..."): what the lexicon's `cid` format parses. */
export function cidFor(bytes: Buffer, codec: number): string {
  const digest = createHash('sha256').update(bytes).digest();
  return 'b' + base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest]));
}

function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

let lastTid = 0n;
/** A TID from the clock, increasing, as the PDS makes them (microseconds << 10 | clock id). */
function nextTid(): string {
  let t = (BigInt(Date.now()) * 1000n) << 10n;
  if (t <= lastTid) t = lastTid + 1n;
  lastTid = t;
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = alphabet[Number(t & 31n)] + out;
    t >>= 5n;
  }
  return out;
}

function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}
