/**
 * A fake of the Facebook Graph API for Pages, written from Meta's documentation (Pages API posts guide,
 * Page feed / Page photos / Photo references, error-handling and rate-limiting guides), not from
 * CivicPost's adapter.
 *
 * Routes (any `/vNN.N` prefix, or none, as Graph accepts):
 *   GET    /me?fields=...                         the Page of a Page token
 *   GET    /?ids=a,b&fields=...                   multiple-id read (max 50): shares, reactions/comments summaries, insights.metric(...)
 *   GET    /{page-id}/published_posts | /feed     newest first, `limit`
 *   POST   /{page-id}/feed                        message, attached_media[n]={"media_fbid":...}
 *   POST   /{page-id}/photos                      multipart `source`, caption, published, alt_text_custom
 *   GET    /{id}?fields=...                       a Page, post or photo
 *   DELETE /{id}                                  {"success":true}
 *
 * Wordings marked "assumed" are not documented verbatim by Meta.
 */
import { createHash } from 'node:crypto';
import { FakePlatform, HttpReply, idCounter, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface FacebookFakeOptions {
  pageId?: string;
  pageName?: string;
  /** The Page access token that is accepted. */
  pageToken?: string;
}

export interface FacebookFakeMetrics {
  reactions?: number;
  comments?: number;
  shares?: number;
  /** post_media_view */
  views?: number;
  /** post_clicks */
  clicks?: number;
}

export interface FakePhoto {
  id: string;
  pageId: string;
  bytes: Buffer;
  sha256: string;
  mimeType: string;
  altText: string | null;
  caption: string | null;
  published: boolean;
  /** The post it was attached to or published as. */
  postId: string | null;
}

interface FakePost {
  id: string;
  pageId: string;
  message: string;
  createdTime: Date;
  photoIds: string[];
  deleted: boolean;
}

const VERSION = String.raw`(?:/v\d+\.\d+)?`;
const MESSAGE_LIMIT = 63206;
/** The Photo reference: "Photos ... should be less than 10 MB in size". */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const MAX_IDS = 50;
/** Insights metrics the fake knows; impressions were removed on 15 Nov 2025 and answer an invalid-metric error. */
const INSIGHT_METRICS = new Set(['post_media_view', 'post_total_media_view_unique', 'post_clicks', 'post_reactions_like_total']);

export class FacebookFake extends FakePlatform {
  readonly name = 'facebook';
  readonly pageId: string;
  readonly pageName: string;
  readonly pageToken: string;
  /** token -> the Page it acts as; the default Page token is there from the start. */
  private readonly tokens = new Map<string, string>();
  private readonly pages = new Map<string, string>();
  posts = new Map<string, FakePost>();
  photos = new Map<string, FakePhoto>();
  private metrics = new Map<string, FacebookFakeMetrics>();
  private nextPost = idCounter(122100000000000001n);
  private nextPhoto = idCounter(900000000000001n);
  private calls = 0;
  /** Minutes sent as estimated_time_to_regain_access when throttling. */
  regainAccessMinutes = 17;
  /** The code of the throttling error: 80001 (Pages business use case), 32 (Page), 4 (app), 17 (user), 613. */
  rateLimitCode = 80001;
  /** Whether the token has read_insights; without it insights reads are refused with (#10). */
  insightsAllowed = true;

  constructor(options: FacebookFakeOptions = {}) {
    super();
    this.pageId = options.pageId ?? '104000000000001';
    this.pageName = options.pageName ?? 'Civic Test Page';
    this.pageToken = options.pageToken ?? 'EAAfakePageToken0123456789';
    this.pages.set(this.pageId, this.pageName);
    this.tokens.set(this.pageToken, this.pageId);
  }
  demoChannel(): DemoChannel {
    return {
      platform: 'facebook',
      settings: { pageId: this.pageId },
      credentials: { pageAccessToken: this.pageToken },
      env: { FACEBOOK_GRAPH_BASE_URL: this.url },
    };
  }

  /** Another Page (and its token), e.g. to check a channel refuses a token of the wrong Page. */
  addPage(pageId: string, name: string, token: string): void {
    this.pages.set(pageId, name);
    this.tokens.set(token, pageId);
  }

  setMetrics(postId: string, metrics: FacebookFakeMetrics): void {
    this.metrics.set(postId, { ...this.metrics.get(postId), ...metrics });
  }

  /** A post made outside CivicPost (by hand on facebook.com), for reconciliation tests. */
  seedPost(message: string, createdTime = new Date()): string {
    return this.storePost(this.pageId, message, [], createdTime).id;
  }

  protected override resetState(): void {
    this.posts.clear();
    this.photos.clear();
    this.metrics.clear();
    this.calls = 0;
  }

  protected routes(): Route[] {
    return [
      {
        name: 'me',
        method: 'GET',
        path: new RegExp(`^${VERSION}/me$`),
        write: false,
        handle: (ctx) => this.node(ctx, this.tokenPage(ctx)),
      },
      { name: 'ids', method: 'GET', path: new RegExp(`^${VERSION}/?$`), write: false, handle: (ctx) => this.readIds(ctx) },
      {
        name: 'published_posts',
        method: 'GET',
        path: new RegExp(`^${VERSION}/(?<page>\\d+)/(?:published_posts|feed|posts)$`),
        write: false,
        handle: (ctx) => this.listPosts(ctx),
      },
      {
        name: 'feed',
        method: 'POST',
        path: new RegExp(`^${VERSION}/(?<page>\\d+)/feed$`),
        write: true,
        handle: (ctx) => this.createFeedPost(ctx),
      },
      {
        name: 'photos',
        method: 'POST',
        path: new RegExp(`^${VERSION}/(?<page>\\d+)/photos$`),
        write: true,
        handle: (ctx) => this.uploadPhoto(ctx),
      },
      {
        name: 'node',
        method: 'GET',
        path: new RegExp(`^${VERSION}/(?<id>[\\d_]+)$`),
        write: false,
        handle: (ctx) => this.node(ctx, ctx.params.id!),
      },
      {
        name: 'delete',
        method: 'DELETE',
        path: new RegExp(`^${VERSION}/(?<id>[\\d_]+)$`),
        write: true,
        handle: (ctx) => this.deleteNode(ctx),
      },
    ];
  }

  // --- authentication and errors -------------------------------------------------------------------

  protected authenticate(ctx: RequestContext): Reply | undefined {
    const token = tokenOf(ctx);
    if (!token) {
      return graphError(400, 'An active access token must be used to query information about the current user.', 'OAuthException', 2500);
    }
    if (!this.tokens.has(token)) return graphError(400, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException', 190);
    return undefined;
  }

  protected expiredToken(_ctx: RequestContext): Reply {
    return graphError(
      400,
      'Error validating access token: Session has expired on Sunday, 29-Nov-26 10:00:00 PST. The current time is Monday, 30-Nov-26 03:00:00 PST.',
      'OAuthException',
      190,
      463,
    );
  }

  protected rateLimited(_ctx: RequestContext): Reply {
    const reply = graphError(
      400,
      this.rateLimitCode === 80001
        ? 'There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.'
        : `(#${this.rateLimitCode}) Application request limit reached`,
      'OAuthException',
      this.rateLimitCode,
    );
    return { ...reply, headers: this.usageHeaders(100, this.regainAccessMinutes) };
  }

  protected serverError(_ctx: RequestContext): Reply {
    return {
      status: 500,
      body: {
        error: {
          message: 'An unknown error has occurred.',
          type: 'OAuthException',
          code: 1,
          error_subcode: 99,
          is_transient: true,
          fbtrace_id: trace(),
        },
      },
    };
  }

  protected override notFound(ctx: RequestContext): Reply {
    return graphError(400, `Unknown path components: ${ctx.path}`, 'OAuthException', 2500);
  }

  protected override commonHeaders(): Record<string, string> {
    this.calls++;
    return this.usageHeaders(Math.min(99, this.calls), 0);
  }

  private usageHeaders(percent: number, minutes: number): Record<string, string> {
    return {
      'x-app-usage': JSON.stringify({ call_count: percent, total_cputime: Math.floor(percent / 2), total_time: Math.floor(percent / 2) }),
      'x-business-use-case-usage': JSON.stringify({
        [this.pageId]: [
          {
            type: 'pages',
            call_count: percent,
            total_cputime: Math.floor(percent / 2),
            total_time: Math.floor(percent / 2),
            estimated_time_to_regain_access: minutes,
          },
        ],
      }),
    };
  }

  private tokenPage(ctx: RequestContext): string {
    return this.tokens.get(tokenOf(ctx)!)!;
  }

  /** Writing to a Page needs that Page's token (assumed wording, code 200 as the reference lists). */
  private requirePage(ctx: RequestContext): string {
    const page = ctx.params.page!;
    if (!this.pages.has(page)) throw new HttpReply(unsupported('post', page));
    if (this.tokenPage(ctx) !== page)
      throw new HttpReply(
        graphError(403, "(#200) The user hasn't authorized the application to perform this action", 'OAuthException', 200),
      );
    return page;
  }

  // --- reads ---------------------------------------------------------------------------------------

  private node(ctx: RequestContext, id: string): Reply {
    const node = this.render(id, fieldsOf(ctx));
    if (!node) return unsupported('get', id);
    return { status: 200, body: node };
  }

  private readIds(ctx: RequestContext): Reply {
    const raw = ctx.url.searchParams.get('ids');
    if (!raw) return graphError(400, '(#100) Missing or invalid ids parameter', 'OAuthException', 100); // assumed wording
    const ids = raw.split(',').filter((s) => s !== '');
    if (ids.length > MAX_IDS)
      return graphError(400, `(#100) Too many IDs. Maximum: ${MAX_IDS}. Provided: ${ids.length}.`, 'OAuthException', 100);
    const fields = fieldsOf(ctx);
    if (!this.insightsAllowed && fields.some((f) => f.startsWith('insights'))) {
      return graphError(403, '(#10) Application does not have permission for this action', 'OAuthException', 10); // assumed wording
    }
    const bad = fields.find((f) => f.startsWith('insights.metric(') && metricList(f).some((m) => !INSIGHT_METRICS.has(m)));
    if (bad) return graphError(400, '(#100) The value must be a valid insights metric', 'OAuthException', 100);
    const missing = ids.filter((id) => !this.exists(id));
    if (missing.length > 0)
      return graphError(404, `(#803) Some of the aliases you requested do not exist: ${missing.join(',')}`, 'OAuthException', 803);
    return { status: 200, body: Object.fromEntries(ids.map((id) => [id, this.render(id, fields)])) };
  }

  private listPosts(ctx: RequestContext): Reply {
    const page = ctx.params.page!;
    if (!this.pages.has(page)) return unsupported('get', page);
    const limit = Math.min(Number(ctx.url.searchParams.get('limit') ?? 25) || 25, 100);
    const fields = fieldsOf(ctx);
    const posts = [...this.posts.values()]
      .filter((p) => p.pageId === page && !p.deleted)
      .sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime() || (b.id > a.id ? 1 : -1))
      .slice(0, limit);
    return { status: 200, body: { data: posts.map((p) => this.render(p.id, fields.length ? fields : ['id', 'message', 'created_time'])) } };
  }

  private exists(id: string): boolean {
    const post = this.posts.get(id);
    return this.pages.has(id) || this.photos.has(id) || (post !== undefined && !post.deleted);
  }

  private render(id: string, fields: string[]): Record<string, unknown> | undefined {
    if (this.pages.has(id)) {
      const page: Record<string, unknown> = { id, name: this.pages.get(id), link: `https://www.facebook.com/${id}` };
      return pick(page, fields.length ? fields : ['id', 'name']);
    }
    const photo = this.photos.get(id);
    if (photo)
      return pick({ id, alt_text_custom: photo.altText ?? undefined, name: photo.caption ?? undefined }, fields.length ? fields : ['id']);
    const post = this.posts.get(id);
    if (!post || post.deleted) return undefined;
    const m = this.metrics.get(id) ?? {};
    const out: Record<string, unknown> = { id };
    for (const field of fields.length ? fields : ['id', 'message', 'created_time']) {
      const name = field.split('.')[0]!;
      if (name === 'message' && post.message !== '') out.message = post.message;
      if (name === 'created_time') out.created_time = post.createdTime.toISOString().replace(/\.\d{3}Z$/, '+0000');
      // Graph leaves `shares` out of a post nobody shared.
      if (name === 'shares' && (m.shares ?? 0) > 0) out.shares = { count: m.shares };
      if (name === 'reactions') out.reactions = { data: [], summary: { total_count: m.reactions ?? 0, viewer_reaction: 'NONE' } };
      if (name === 'comments') out.comments = { data: [], summary: { order: 'ranked', total_count: m.comments ?? 0, can_comment: true } };
      if (name === 'insights') {
        out.insights = {
          data: metricList(field).map((metric) => ({
            name: metric,
            period: 'lifetime',
            values: [{ value: metric === 'post_clicks' ? (m.clicks ?? 0) : (m.views ?? 0) }],
            title: metric,
            id: `${id}/insights/${metric}/lifetime`,
          })),
        };
      }
    }
    return out;
  }

  // --- writes --------------------------------------------------------------------------------------

  private createFeedPost(ctx: RequestContext): Reply {
    const page = this.requirePage(ctx);
    const params = bodyParams(ctx);
    const message = params.get('message') ?? '';
    const attached = [...params.entries()].filter(([k]) => /^attached_media(\[\d+\])?$/.test(k)).map(([, v]) => v);
    if (message.trim() === '' && attached.length === 0)
      return graphError(400, '(#100) Missing message or attachment', 'OAuthException', 100);
    if ([...message].length > MESSAGE_LIMIT) return graphError(400, '(#100) The message is too long', 'OAuthException', 100); // assumed wording
    const photoIds: string[] = [];
    for (const raw of attached) {
      let fbid: unknown;
      try {
        fbid = (JSON.parse(raw) as { media_fbid?: unknown }).media_fbid;
      } catch {
        fbid = undefined;
      }
      const photo = typeof fbid === 'string' ? this.photos.get(fbid) : undefined;
      if (!photo || photo.pageId !== page || photo.published || photo.postId) {
        return graphError(
          400,
          `(#100) param attached_media must be an array of unpublished photos of this Page: ${String(fbid)}`,
          'OAuthException',
          100,
        ); // assumed wording
      }
      photoIds.push(photo.id);
    }
    const day = Date.now() - 24 * 3600 * 1000;
    const duplicate = [...this.posts.values()].some(
      (p) => p.pageId === page && !p.deleted && p.message === message && message !== '' && p.createdTime.getTime() > day,
    );
    if (duplicate) return graphError(400, '(#506) Duplicate status message', 'OAuthException', 506);
    const post = this.storePost(page, message, photoIds);
    return { status: 200, body: { id: post.id } };
  }

  private async uploadPhoto(ctx: RequestContext): Promise<Reply> {
    const page = this.requirePage(ctx);
    const type = String(ctx.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) return graphError(400, '(#324) Requires upload file', 'OAuthException', 324);
    const form = await ctx.formData();
    const source = form.get('source');
    if (!(source instanceof Blob)) return graphError(400, '(#324) Requires upload file', 'OAuthException', 324);
    const bytes = Buffer.from(await source.arrayBuffer());
    const mimeType = sniffImage(bytes);
    if (!mimeType) return graphError(400, '(#324) Missing or invalid image file', 'OAuthException', 324);
    if (bytes.length >= PHOTO_MAX_BYTES) return graphError(400, '(#100) The photo must be smaller than 10 MB', 'OAuthException', 100); // assumed wording
    const published = String(form.get('published') ?? 'true') !== 'false';
    const caption = typeof form.get('caption') === 'string' ? (form.get('caption') as string) : null;
    const altText = typeof form.get('alt_text_custom') === 'string' ? (form.get('alt_text_custom') as string) : null;
    if (caption !== null && [...caption].length > MESSAGE_LIMIT)
      return graphError(400, '(#100) The caption is too long', 'OAuthException', 100); // assumed wording
    const photo: FakePhoto = {
      id: this.nextPhoto(),
      pageId: page,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mimeType,
      altText,
      caption,
      published,
      postId: null,
    };
    this.photos.set(photo.id, photo);
    if (!published) return { status: 200, body: { id: photo.id } };
    const post = this.storePost(page, caption ?? '', [photo.id]);
    return { status: 200, body: { id: photo.id, post_id: post.id } };
  }

  private deleteNode(ctx: RequestContext): Reply {
    const id = ctx.params.id!;
    const post = this.posts.get(id);
    if (!post || post.deleted) return unsupported('delete', id);
    if (this.tokenPage(ctx) !== post.pageId)
      return graphError(403, "(#200) The user hasn't authorized the application to perform this action", 'OAuthException', 200);
    post.deleted = true;
    const entry = this.ledger.find((e) => e.id === id);
    if (entry) entry.deleted = true;
    return { status: 200, body: { success: true } };
  }

  private storePost(pageId: string, message: string, photoIds: string[], createdTime = new Date()): FakePost {
    const post: FakePost = { id: `${pageId}_${this.nextPost()}`, pageId, message, createdTime, photoIds, deleted: false };
    this.posts.set(post.id, post);
    for (const photoId of photoIds) this.photos.get(photoId)!.postId = post.id;
    this.ledger.push({
      id: post.id,
      text: message,
      at: createdTime.toISOString(),
      pageId,
      media: photoIds.map((pid) => {
        const p = this.photos.get(pid)!;
        return { photoId: pid, altText: p.altText, mimeType: p.mimeType, size: p.bytes.length, sha256: p.sha256 };
      }),
    });
    return post;
  }
}

function graphError(status: number, message: string, type: string, code: number, subcode?: number): Reply {
  return { status, body: { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: trace() } } };
}

function unsupported(verb: 'get' | 'delete' | 'post', id: string): Reply {
  return graphError(
    400,
    `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    'GraphMethodException',
    100,
    33,
  );
}

function trace(): string {
  return `A${Math.random().toString(36).slice(2, 12)}`;
}

/** The token from `Authorization: Bearer`, or the `access_token` parameter of the query or form body. */
function tokenOf(ctx: RequestContext): string | undefined {
  const auth = ctx.headers.authorization;
  if (typeof auth === 'string' && /^(Bearer|OAuth) /i.test(auth)) return auth.replace(/^(Bearer|OAuth) /i, '').trim();
  const q = ctx.url.searchParams.get('access_token');
  if (q) return q;
  if (String(ctx.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return ctx.form().get('access_token') ?? undefined;
  return undefined;
}

function bodyParams(ctx: RequestContext): URLSearchParams {
  const type = String(ctx.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const body = ctx.json<Record<string, unknown>>();
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) {
      if (k === 'attached_media' && Array.isArray(v)) v.forEach((item, i) => params.append(`attached_media[${i}]`, JSON.stringify(item)));
      else params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return params;
  }
  const params = ctx.form();
  for (const [k, v] of ctx.url.searchParams) if (!params.has(k)) params.append(k, v);
  return params;
}

/** `fields=a,b.limit(0).summary(total_count),insights.metric(x,y)` split at top-level commas. */
function fieldsOf(ctx: RequestContext): string[] {
  const raw = ctx.url.searchParams.get('fields') ?? '';
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      if (current) out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function metricList(field: string): string[] {
  const inside = /metric\(([^)]*)\)/.exec(field)?.[1] ?? '';
  return inside
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function pick(node: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => node[f] !== undefined).map((f) => [f, node[f]]));
}

/** The formats Graph takes for photos (JPEG, PNG, GIF, BMP, TIFF, WebP), from the magic bytes. */
function sniffImage(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  if (b.length >= 4 && (b.subarray(0, 4).toString('latin1') === 'II*\0' || b.subarray(0, 4).toString('latin1') === 'MM\0*'))
    return 'image/tiff';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return null;
}
