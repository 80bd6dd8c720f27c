/**
 * A fake of LinkedIn's versioned REST API for organisation pages, written from LinkedIn's documentation
 * (Posts API, Images API, little text format, Organization lookup, Organizational Entity Share
 * Statistics, error handling and rate limits), not from CivicPost's adapter.
 *
 * Routes:
 *   GET    /rest/organizations/{id}
 *   POST   /rest/images?action=initializeUpload         -> {"value":{uploadUrl,image,uploadUrlExpiresAt}}
 *   PUT    /dms-uploads/{key}                           the upload URL (served here), raw bytes -> 201
 *   GET    /rest/images/{urn}                           {id,status:"AVAILABLE"|"WAITING_UPLOAD",...}
 *   POST   /rest/posts                                  201, empty body, x-restli-id
 *   GET    /rest/posts?q=author&author={urn}&count=N    newest first
 *   DELETE /rest/posts/{urn}                            204
 *   GET    /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=...&shares=List(...)&ugcPosts=List(...)
 *
 * Every /rest call needs `LinkedIn-Version: YYYYMM` (an active one: the last 12 months),
 * `X-Restli-Protocol-Version: 2.0.0` and `Authorization: Bearer`. Wordings marked "assumed" are not
 * documented verbatim by LinkedIn.
 */
import { createHash } from 'node:crypto';
import { FakePlatform, HttpReply, idCounter, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface LinkedInFakeOptions {
  organizationId?: string;
  localizedName?: string;
  vanityName?: string;
  accessToken?: string;
  /** "Today" for deciding which versions are active (YYYYMM); defaults to the current month. */
  currentVersion?: string;
}

export interface LinkedInFakeStatistics {
  impressionCount?: number;
  uniqueImpressionsCount?: number;
  clickCount?: number;
  likeCount?: number;
  commentCount?: number;
  shareCount?: number;
}

export interface FakeImage {
  urn: string;
  owner: string;
  uploadKey: string;
  bytes: Buffer | null;
  sha256: string | null;
  mimeType: string | null;
}

interface FakePost {
  urn: string;
  author: string;
  /** As LinkedIn stores and returns it (hashtags as `{hashtag|\#|word}`). */
  commentary: string;
  text: string;
  createdAt: number;
  deleted: boolean;
}

const COMMENTARY_LIMIT = 3000;
/** Posts API: the media `altText` "maximum length is 4086 characters". */
const ALT_TEXT_LIMIT = 4086;
const MULTI_IMAGE_MAX = 20;

export class LinkedInFake extends FakePlatform {
  readonly name = 'linkedin';
  readonly organizationId: string;
  readonly organizationUrn: string;
  readonly accessToken: string;
  private readonly localizedName: string;
  private readonly vanityName: string;
  private readonly currentVersion: string;
  posts = new Map<string, FakePost>();
  images = new Map<string, FakeImage>();
  private statistics = new Map<string, LinkedInFakeStatistics>();
  /** The post URNs asked in each statistics call, in order. */
  statisticsCalls: string[][] = [];
  private nextShare = idCounter(7400000000000000001n);
  private nextImage = idCounter(1n);

  constructor(options: LinkedInFakeOptions = {}) {
    super();
    this.organizationId = options.organizationId ?? '2414183';
    this.organizationUrn = `urn:li:organization:${this.organizationId}`;
    this.localizedName = options.localizedName ?? 'Civic Test Council';
    this.vanityName = options.vanityName ?? 'civic-test-council';
    this.accessToken = options.accessToken ?? 'AQVfakeLinkedInToken0123456789';
    const now = new Date();
    this.currentVersion = options.currentVersion ?? `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  demoChannel(): DemoChannel {
    return {
      platform: 'linkedin',
      settings: { organizationUrn: this.organizationUrn },
      credentials: { accessToken: this.accessToken },
      env: { LINKEDIN_API_BASE_URL: this.url },
    };
  }

  setStatistics(urn: string, stats: LinkedInFakeStatistics): void {
    this.statistics.set(urn, { ...this.statistics.get(urn), ...stats });
  }

  /** A post made outside CivicPost, stored as LinkedIn stores it. */
  seedPost(commentary: string, createdAt = Date.now()): string {
    return this.storePost(this.organizationUrn, commentary, [], createdAt).urn;
  }

  protected override resetState(): void {
    this.posts.clear();
    this.images.clear();
    this.statistics.clear();
    this.statisticsCalls = [];
  }

  protected routes(): Route[] {
    return [
      { name: 'organization', method: 'GET', path: '/rest/organizations/:id', write: false, handle: (ctx) => this.organization(ctx) },
      { name: 'images_init', method: 'POST', path: '/rest/images', write: true, handle: (ctx) => this.initializeUpload(ctx) },
      { name: 'upload', method: 'PUT', path: '/dms-uploads/:key', write: true, auth: false, handle: (ctx) => this.upload(ctx) },
      { name: 'image', method: 'GET', path: '/rest/images/:urn', write: false, handle: (ctx) => this.image(ctx) },
      { name: 'posts_create', method: 'POST', path: '/rest/posts', write: true, handle: (ctx) => this.createPost(ctx) },
      { name: 'posts_find', method: 'GET', path: '/rest/posts', write: false, handle: (ctx) => this.findPosts(ctx) },
      { name: 'posts_delete', method: 'DELETE', path: '/rest/posts/:urn', write: true, handle: (ctx) => this.deletePost(ctx) },
      {
        name: 'statistics',
        method: 'GET',
        path: '/rest/organizationalEntityShareStatistics',
        write: false,
        handle: (ctx) => this.shareStatistics(ctx),
      },
    ];
  }

  // --- headers, authentication and errors ----------------------------------------------------------

  protected authenticate(ctx: RequestContext): Reply | undefined {
    const version = header(ctx, 'linkedin-version');
    if (!version)
      return restliError(
        400,
        'VERSION_MISSING',
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      ); // assumed wording
    if (!this.isActive(version)) return restliError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
    if (header(ctx, 'x-restli-protocol-version') !== '2.0.0') {
      return restliError(400, 'ILLEGAL_ARGUMENT', 'X-Restli-Protocol-Version 2.0.0 is required for this resource'); // assumed wording
    }
    if (!this.tokenOk(ctx))
      return { status: 401, body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' } };
    return undefined;
  }

  protected expiredToken(_ctx: RequestContext): Reply {
    // The reference confirms 65600/65601; this expired variant is seen in one project only.
    return {
      status: 401,
      body: { status: 401, serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' },
    };
  }

  protected rateLimited(_ctx: RequestContext): Reply {
    // LinkedIn sends no rate-limit headers and no Retry-After: limits are daily and reset at midnight UTC.
    return {
      status: 429,
      body: {
        status: 429,
        serviceErrorCode: 101,
        code: 'TOO_MANY_REQUESTS',
        message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
      },
    };
  }

  protected serverError(_ctx: RequestContext): Reply {
    return { status: 500, body: { message: 'Internal Server Error', status: 500 } };
  }

  protected override notFound(_ctx: RequestContext): Reply {
    return restliError(404, 'NOT_FOUND', 'No virtual resource found');
  }

  /** Versions are active for a year: from twelve months before the current one up to it. */
  private isActive(version: string): boolean {
    if (!/^\d{6}(\.\d{2})?$/.test(version)) return false;
    const months = (v: string) => Number(v.slice(0, 4)) * 12 + Number(v.slice(4, 6)) - 1;
    const age = months(this.currentVersion) - months(version);
    return age >= 0 && age < 12;
  }

  private tokenOk(ctx: RequestContext): boolean {
    return header(ctx, 'authorization') === `Bearer ${this.accessToken}`;
  }

  private requireAuthor(urn: unknown): string {
    if (urn !== this.organizationUrn) {
      throw new HttpReply(
        restliError(
          403,
          'ACCESS_DENIED',
          `Not enough permissions to access: partnerApiPostsExternal.CREATE.NO_VERSION for author ${String(urn)}`,
        ),
      );
    }
    return urn;
  }

  // --- organisations and images ---------------------------------------------------------------------

  private organization(ctx: RequestContext): Reply {
    if (ctx.params.id !== this.organizationId) return restliError(404, 'NOT_FOUND', `Organization ${ctx.params.id} not found`); // assumed wording
    return {
      status: 200,
      body: {
        id: Number(this.organizationId),
        localizedName: this.localizedName,
        vanityName: this.vanityName,
        name: { localized: { en_US: this.localizedName }, preferredLocale: { country: 'US', language: 'en' } },
        $URN: this.organizationUrn,
      },
    };
  }

  private initializeUpload(ctx: RequestContext): Reply {
    if (ctx.url.searchParams.get('action') !== 'initializeUpload') return restliError(400, 'ILLEGAL_ARGUMENT', 'Unsupported action'); // assumed wording
    const body = ctx.json<{ initializeUploadRequest?: { owner?: unknown } }>();
    const owner = this.requireAuthor(body.initializeUploadRequest?.owner);
    const n = this.nextImage();
    const image: FakeImage = {
      urn: `urn:li:image:C4E10AQFake${n}`,
      owner,
      uploadKey: `img-${n}-${createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 8)}`,
      bytes: null,
      sha256: null,
      mimeType: null,
    };
    this.images.set(image.urn, image);
    return {
      status: 200,
      body: {
        value: {
          uploadUrlExpiresAt: Date.now() + 24 * 3600 * 1000,
          uploadUrl: `http://${ctx.headers.host}/dms-uploads/${image.uploadKey}`,
          image: image.urn,
        },
      },
    };
  }

  private upload(ctx: RequestContext): Reply {
    const image = [...this.images.values()].find((i) => i.uploadKey === ctx.params.key);
    if (!image) return { status: 404, body: Buffer.from('') };
    if (!this.tokenOk(ctx))
      return { status: 401, body: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' } };
    const mimeType = sniffImage(ctx.body);
    // The Images API takes JPG, GIF and PNG.
    if (!mimeType) return restliError(400, 'ILLEGAL_ARGUMENT', 'Unsupported image format: the Images API takes JPG, GIF or PNG'); // assumed wording
    image.bytes = ctx.body;
    image.sha256 = createHash('sha256').update(ctx.body).digest('hex');
    image.mimeType = mimeType;
    return { status: 201, body: Buffer.from('') };
  }

  private image(ctx: RequestContext): Reply {
    const image = this.images.get(ctx.params.urn!);
    if (!image) return restliError(404, 'NOT_FOUND', `Image ${ctx.params.urn} not found`); // assumed wording
    return { status: 200, body: { id: image.urn, owner: image.owner, status: image.bytes ? 'AVAILABLE' : 'WAITING_UPLOAD' } };
  }

  // --- posts -------------------------------------------------------------------------------------------

  private createPost(ctx: RequestContext): Reply {
    const body = ctx.json<Record<string, unknown>>();
    const author = this.requireAuthor(body.author);
    for (const field of ['commentary', 'visibility', 'distribution', 'lifecycleState'] as const) {
      if (body[field] === undefined) return validation(`/${field} :: field is required but not found and has no default value`); // assumed wording
    }
    if (typeof body.commentary !== 'string') return validation('/commentary :: not a string');
    const length = [...body.commentary].length;
    if (length > COMMENTARY_LIMIT)
      return validation(`/commentary :: length of ${length} exceeds the maximum allowed length of ${COMMENTARY_LIMIT}`); // assumed wording

    const content = body.content as
      { media?: { id?: unknown; altText?: unknown }; multiImage?: { images?: Array<{ id?: unknown; altText?: unknown }> } } | undefined;
    const refs = content?.media ? [content.media] : (content?.multiImage?.images ?? []);
    if (content?.multiImage && (refs.length < 2 || refs.length > MULTI_IMAGE_MAX))
      return validation(`/content/multiImage/images :: must have between 2 and ${MULTI_IMAGE_MAX} images`); // assumed wording
    const media: Array<{ urn: string; altText: string | null; sha256: string; mimeType: string; size: number }> = [];
    for (const ref of refs) {
      const image = typeof ref.id === 'string' ? this.images.get(ref.id) : undefined;
      if (!image || image.owner !== author) return validation(`/content/media/id :: ${String(ref.id)} is not an image of ${author}`); // assumed wording
      if (!image.bytes) return validation(`/content/media/id :: ${image.urn} has not been uploaded (status WAITING_UPLOAD)`); // assumed wording
      if (typeof ref.altText === 'string' && [...ref.altText].length > ALT_TEXT_LIMIT)
        return validation(`/content/media/altText :: exceeds ${ALT_TEXT_LIMIT} characters`); // assumed wording
      media.push({
        urn: image.urn,
        altText: typeof ref.altText === 'string' ? ref.altText : null,
        sha256: image.sha256!,
        mimeType: image.mimeType!,
        size: image.bytes.length,
      });
    }

    const stored = asStored(body.commentary);
    const duplicate = [...this.posts.values()].find((p) => p.author === author && !p.deleted && p.commentary === stored);
    if (duplicate) {
      return {
        status: 422,
        body: {
          errorDetailType: 'com.linkedin.common.error.BadRequest',
          message: `com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of ${duplicate.urn}`,
          errorDetails: { inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }] },
          status: 422,
        },
      };
    }
    const post = this.storePost(author, body.commentary, media);
    return { status: 201, headers: { 'x-restli-id': post.urn, 'x-linkedin-id': post.urn } };
  }

  private findPosts(ctx: RequestContext): Reply {
    const q = ctx.url.searchParams;
    if (q.get('q') !== 'author') return restliError(400, 'ILLEGAL_ARGUMENT', 'Unsupported finder'); // assumed wording
    const author = q.get('author');
    if (author !== this.organizationUrn)
      return restliError(
        403,
        'ACCESS_DENIED',
        `Not enough permissions to access: partnerApiPostsExternal.FINDER-author for ${String(author)}`,
      );
    const count = Math.min(Number(q.get('count') ?? 10) || 10, 100);
    const elements = [...this.posts.values()]
      .filter((p) => p.author === author && !p.deleted)
      .sort((a, b) => b.createdAt - a.createdAt || (b.urn > a.urn ? 1 : -1))
      .slice(0, count)
      .map((p) => ({
        id: p.urn,
        author: p.author,
        commentary: p.commentary,
        visibility: 'PUBLIC',
        lifecycleState: 'PUBLISHED',
        createdAt: p.createdAt,
        publishedAt: p.createdAt,
        lastModifiedAt: p.createdAt,
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      }));
    return { status: 200, body: { elements, paging: { start: 0, count, links: [] } } };
  }

  private deletePost(ctx: RequestContext): Reply {
    const post = this.posts.get(ctx.params.urn!);
    if (!post || post.deleted) return restliError(404, 'NOT_FOUND', `Post ${ctx.params.urn} not found`); // assumed wording
    post.deleted = true;
    const entry = this.ledger.find((e) => e.id === post.urn);
    if (entry) entry.deleted = true;
    return { status: 204 };
  }

  private shareStatistics(ctx: RequestContext): Reply {
    const q = ctx.url.searchParams;
    if (q.get('q') !== 'organizationalEntity') return restliError(400, 'ILLEGAL_ARGUMENT', 'Unsupported finder'); // assumed wording
    if (q.get('organizationalEntity') !== this.organizationUrn)
      return restliError(403, 'ACCESS_DENIED', 'Not enough permissions to access: organizationalEntityShareStatistics');
    const asked: string[] = [];
    for (const [param, prefix] of [
      ['shares', 'urn:li:share:'],
      ['ugcPosts', 'urn:li:ugcPost:'],
    ] as const) {
      // The raw query keeps List(...) syntax; each URN inside is URL-encoded.
      const raw = new RegExp(`(?:^|&)${param}=List\\(([^)]*)\\)`).exec(ctx.url.search.slice(1))?.[1];
      if (raw === undefined) continue;
      for (const encoded of raw.split(',').filter(Boolean)) {
        if (encoded.includes(':'))
          return restliError(400, 'ILLEGAL_ARGUMENT', `Invalid value for param ${param}: URNs in a List must be URL-encoded`); // assumed wording
        const urn = decodeURIComponent(encoded);
        if (!urn.startsWith(prefix)) return restliError(400, 'ILLEGAL_ARGUMENT', `Invalid ${param} urn ${urn}`); // assumed wording
        asked.push(urn);
      }
    }
    this.statisticsCalls.push(asked);
    const elements = asked
      .filter((urn) => this.posts.get(urn)?.deleted === false)
      .map((urn) => {
        const s = this.statistics.get(urn) ?? {};
        const stats = {
          uniqueImpressionsCount: s.uniqueImpressionsCount ?? 0,
          clickCount: s.clickCount ?? 0,
          engagement: 0,
          likeCount: s.likeCount ?? 0,
          commentCount: s.commentCount ?? 0,
          shareCount: s.shareCount ?? 0,
          impressionCount: s.impressionCount ?? 0,
        };
        return {
          [urn.startsWith('urn:li:share:') ? 'share' : 'ugcPost']: urn,
          organizationalEntity: this.organizationUrn,
          totalShareStatistics: stats,
        };
      });
    return { status: 200, body: { paging: { count: 10, start: 0, links: [] }, elements } };
  }

  private storePost(author: string, commentary: string, media: unknown[], createdAt = Date.now()): FakePost {
    const post: FakePost = {
      urn: `urn:li:share:${this.nextShare()}`,
      author,
      commentary: asStored(commentary),
      text: plainText(commentary),
      createdAt,
      deleted: false,
    };
    this.posts.set(post.urn, post);
    this.ledger.push({ id: post.urn, text: post.text, at: new Date(createdAt).toISOString(), commentary, author, media });
    return post;
  }
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function restliError(status: number, code: string, message: string): Reply {
  return { status, body: { status, code, message } };
}

function validation(message: string): Reply {
  return {
    status: 422,
    body: {
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message,
      errorDetails: { inputErrors: [{ description: message, input: {}, code: 'INVALID_VALUE' }] },
      status: 422,
    },
  };
}

/** LinkedIn returns a hashtag as the template `{hashtag|\#|word}` (little text format, HashtagTemplate). */
function asStored(commentary: string): string {
  return commentary.replace(/(^|[^\\])#([\p{L}\p{N}]+)/gu, (_, before: string, word: string) => `${before}{hashtag|\\#|${word}}`);
}

/** What a reader sees: escapes removed, hashtags as #word. */
function plainText(commentary: string): string {
  return commentary.replace(/\\(.)/g, '$1');
}

function sniffImage(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
  return null;
}
