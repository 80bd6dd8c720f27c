/**
 * A fake Mastodon instance (REST API v1/v2), written from docs.joinmastodon.org and Mastodon's
 * controllers, served at the origin root (masto resolves absolute `/api/...` paths).
 *
 * What it models, because the adapter depends on it:
 * - Bearer tokens (Doorkeeper's 401 bodies), token scopes (403 outside the authorized scopes);
 * - POST /api/v1/statuses: StatusLengthValidator (graphemes, URLs as 23, `@user@domain` as `@user`),
 *   the Idempotency-Key (per account, kept 1 hour, same status answered again, deleted -> 404),
 *   in_reply_to_id (404 when the parent is gone), media that must be processed and at most 4;
 * - statuses rendered as HTML `content` like Mastodon's TextFormatter (<p>, <br />, links, tags, mentions);
 * - POST /api/v2/media: 200 with url (small images) or 202 with url null, then GET /api/v1/media/:id
 *   answers 206 while processing and 200 when done; description (alt text) up to 1500 characters;
 * - GET /api/v1/statuses?id[]= (4.3+, at most 20 ids), GET /api/v1/statuses/:id, /source, DELETE;
 * - X-RateLimit-Limit/Remaining/Reset (ISO 8601) on every answer, 429 {"error":"Too many requests"}.
 */
import { FakePlatform, HttpReply, idCounter, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface MastodonFakeOptions {
  /** The token with read and write scopes. */
  accessToken?: string;
  /** A token with only `read` scope, to exercise the 403 on writes. */
  readOnlyToken?: string;
  username?: string;
  displayName?: string;
  /** LOCAL_DOMAIN: what handles are made of (may differ from the host the API is served on). */
  domain?: string;
  maxCharacters?: number;
  imageSizeLimit?: number;
  /** 'sync': POST /api/v2/media answers 200 with a url; 'async': 202, then 206 on `processingPolls` GETs, then 200. */
  mediaProcessing?: 'sync' | 'async';
  processingPolls?: number;
  /** false models an instance older than 4.3 (no GET /api/v1/statuses?id[]=). */
  statusesBatch?: boolean;
}

interface FakeMedia {
  id: string;
  type: 'image';
  mimeType: string;
  bytes: Buffer;
  description: string | null;
  /** GETs still answered 206 before the attachment is processed. */
  pollsLeft: number;
  statusId: string | null;
}

interface FakeStatus {
  id: string;
  accountId: string;
  text: string;
  inReplyToId: string | null;
  language: string | null;
  visibility: string;
  createdAt: string;
  mediaIds: string[];
  favourites: number;
  reblogs: number;
  replies: number;
  quotes: number;
}

const URL_LENGTH = 23;
const DESCRIPTION_LIMIT = 1500;
const MAX_MEDIA = 4;
const BATCH_LIMIT = 20;
const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;
const RATE_LIMIT = 300;
const RATE_WINDOW_MS = 5 * 60 * 1000;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif'];

// Close to Mastodon's use of twitter-text's valid_url: a protocol, then anything up to a blank; trailing punctuation is not part of it.
const URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)'\]]/g;
const REMOTE_MENTION_RE = /(?<![=/\p{L}\p{N}_])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/giu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Mastodon's StatusLengthValidator. */
export function mastodonLength(text: string): number {
  const countable = text.replace(URL_RE, 'x'.repeat(URL_LENGTH)).replace(REMOTE_MENTION_RE, '@$1');
  let n = 0;
  for (const _ of graphemes.segment(countable)) n++;
  return n;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export class MastodonFake extends FakePlatform {
  readonly name = 'mastodon';
  readonly accessToken: string;
  readonly readOnlyToken: string;
  readonly accountId = '109348765432100001';
  readonly options: Required<MastodonFakeOptions>;
  /** What X-RateLimit-Reset says; tests compare the adapter's resetAt with it. */
  rateLimitResetAt = new Date(Math.ceil((Date.now() + RATE_WINDOW_MS) / 1000) * 1000);
  private remaining = RATE_LIMIT;
  private statuses = new Map<string, FakeStatus>();
  private media = new Map<string, FakeMedia>();
  private idempotency = new Map<string, { statusId: string; at: number }>();
  private nextStatusId = idCounter(113000000000000001n);
  private nextMediaId = idCounter(112000000000000001n);

  constructor(options: MastodonFakeOptions = {}) {
    super();
    this.options = {
      accessToken: 'mastodon-fake-token-rw',
      readOnlyToken: 'mastodon-fake-token-ro',
      username: 'townhall',
      displayName: 'Town Hall',
      domain: 'social.example',
      maxCharacters: 500,
      imageSizeLimit: 16 * 1024 * 1024,
      mediaProcessing: 'async',
      processingPolls: 1,
      statusesBatch: true,
      ...options,
    };
    this.accessToken = this.options.accessToken;
    this.readOnlyToken = this.options.readOnlyToken;
  }
  demoChannel(): DemoChannel {
    return { platform: 'mastodon', settings: { instanceUrl: this.url }, credentials: { accessToken: this.accessToken }, env: {} };
  }

  /** Engagement numbers for a post, as other people's favourites, boosts, replies and quotes would set them. */
  setMetrics(id: string, m: Partial<Record<'favourites' | 'reblogs' | 'replies' | 'quotes', number>>): void {
    const s = this.statuses.get(id);
    if (!s) throw new Error(`no status ${id}`);
    Object.assign(s, m);
  }

  /** A status posted by the account outside CivicPost (e.g. by hand), for reconcile tests. */
  seedStatus(text: string, inReplyToId: string | null = null, createdAt = new Date()): string {
    return this.store({ text, inReplyToId, language: 'en', visibility: 'public', mediaIds: [] }, createdAt).id;
  }

  uploadedMedia(id: string): Readonly<FakeMedia> | undefined {
    return this.media.get(id);
  }

  /** Whether the status is on the instance (false once deleted). */
  hasStatus(id: string): boolean {
    return this.statuses.has(id);
  }

  protected override resetState(): void {
    this.statuses.clear();
    this.media.clear();
    this.idempotency.clear();
    this.remaining = RATE_LIMIT;
  }

  protected override routes(): Route[] {
    return [
      {
        name: 'instance',
        method: 'GET',
        path: '/api/v2/instance',
        write: false,
        auth: false,
        handle: () => ({ status: 200, body: this.instance() }),
      },
      {
        name: 'verify_credentials',
        method: 'GET',
        path: '/api/v1/accounts/verify_credentials',
        write: false,
        handle: () => ({ status: 200, body: { ...this.account(), source: { privacy: 'public', language: 'en', note: '' } } }),
      },
      {
        name: 'account_statuses',
        method: 'GET',
        path: '/api/v1/accounts/:id/statuses',
        write: false,
        handle: (ctx) => this.accountStatuses(ctx),
      },
      { name: 'create_status', method: 'POST', path: '/api/v1/statuses', write: true, handle: (ctx) => this.createStatus(ctx) },
      { name: 'statuses', method: 'GET', path: '/api/v1/statuses', write: false, handle: (ctx) => this.listStatuses(ctx) },
      {
        name: 'status',
        method: 'GET',
        path: '/api/v1/statuses/:id',
        write: false,
        handle: (ctx) => ({ status: 200, body: this.render(this.find(ctx.params.id!)) }),
      },
      {
        name: 'status_source',
        method: 'GET',
        path: '/api/v1/statuses/:id/source',
        write: false,
        handle: (ctx) => {
          const s = this.find(ctx.params.id!);
          return { status: 200, body: { id: s.id, text: s.text, spoiler_text: '' } };
        },
      },
      { name: 'delete_status', method: 'DELETE', path: '/api/v1/statuses/:id', write: true, handle: (ctx) => this.deleteStatus(ctx) },
      { name: 'upload_media', method: 'POST', path: '/api/v2/media', write: true, handle: (ctx) => this.uploadMediaRoute(ctx) },
      { name: 'media', method: 'GET', path: '/api/v1/media/:id', write: false, handle: (ctx) => this.mediaStatus(ctx) },
    ];
  }

  protected override authenticate(ctx: RequestContext): Reply | undefined {
    const token = /^Bearer (.+)$/.exec(String(ctx.headers.authorization ?? ''))?.[1];
    if (token !== this.accessToken && token !== this.readOnlyToken) return this.unauthorized('The access token is invalid');
    const writes = ctx.method !== 'GET';
    if (writes && token === this.readOnlyToken) return { status: 403, body: { error: 'This action is outside the authorized scopes' } };
    return undefined;
  }

  protected override expiredToken(_ctx: RequestContext): Reply {
    return this.unauthorized('The access token was revoked');
  }

  protected override rateLimited(_ctx: RequestContext): Reply {
    return { status: 429, body: { error: 'Too many requests' }, headers: this.rateHeaders(0) };
  }

  protected override serverError(_ctx: RequestContext): Reply {
    // Rails' public/500.html is what a crash gives; the API's own 5xx JSON is the 503 below. Both are seen in practice.
    return {
      status: 503,
      body: { error: 'There was a temporary problem serving your request, please try again' },
      headers: this.rateHeaders(this.remaining),
    };
  }

  protected override notFound(_ctx: RequestContext): Reply {
    return { status: 404, body: { error: 'Record not found' } };
  }

  protected override commonHeaders(): Record<string, string> {
    this.remaining = Math.max(0, this.remaining - 1);
    return this.rateHeaders(this.remaining);
  }

  private rateHeaders(remaining: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': this.rateLimitResetAt.toISOString(),
    };
  }

  private unauthorized(description: string): Reply {
    return {
      status: 401,
      body: { error: description },
      headers: { 'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"` },
    };
  }

  private instance() {
    const o = this.options;
    return {
      domain: o.domain,
      title: 'Social Example',
      version: o.statusesBatch ? '4.3.2' : '4.2.10',
      source_url: 'https://github.com/mastodon/mastodon',
      configuration: {
        urls: { streaming: `wss://${o.domain}` },
        accounts: { max_featured_tags: 10 },
        statuses: { max_characters: o.maxCharacters, max_media_attachments: MAX_MEDIA, characters_reserved_per_url: URL_LENGTH },
        media_attachments: {
          supported_mime_types: IMAGE_TYPES,
          description_limit: DESCRIPTION_LIMIT,
          image_size_limit: o.imageSizeLimit,
          image_matrix_limit: 33177600,
          video_size_limit: 103809024,
          video_frame_rate_limit: 120,
          video_matrix_limit: 8294400,
        },
        polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
        translation: { enabled: false },
      },
      registrations: { enabled: false, approval_required: false, message: null },
      contact: { email: 'admin@social.example', account: null },
      rules: [],
    };
  }

  private account() {
    const o = this.options;
    return {
      id: this.accountId,
      username: o.username,
      acct: o.username,
      display_name: o.displayName,
      locked: false,
      bot: false,
      created_at: '2023-01-10T00:00:00.000Z',
      note: '<p>Official account</p>',
      url: `https://${o.domain}/@${o.username}`,
      avatar: `https://${o.domain}/avatars/original/missing.png`,
      followers_count: 1200,
      following_count: 10,
      statuses_count: [...this.statuses.values()].length,
      emojis: [],
      fields: [],
    };
  }

  private find(id: string): FakeStatus {
    const s = this.statuses.get(id);
    if (!s) throw new HttpReply({ status: 404, body: { error: 'Record not found' } });
    return s;
  }

  /** Form or JSON, as Rails accepts both; arrays as `media_ids[]`. */
  private params(ctx: RequestContext): { get(k: string): string | undefined; all(k: string): string[] } {
    const type = String(ctx.headers['content-type'] ?? '');
    if (type.startsWith('application/json')) {
      const body = ctx.json<Record<string, unknown>>();
      return {
        get: (k) => (body[k] == null ? undefined : String(body[k])),
        all: (k) => (Array.isArray(body[k]) ? (body[k] as unknown[]).map(String) : []),
      };
    }
    const form = ctx.form();
    return { get: (k) => form.get(k) ?? undefined, all: (k) => form.getAll(`${k}[]`) };
  }

  private createStatus(ctx: RequestContext): Reply {
    const key = ctx.headers['idempotency-key'];
    const idemKey = typeof key === 'string' && key !== '' ? `${this.accountId}:${key}` : undefined;
    if (idemKey) {
      const seen = this.idempotency.get(idemKey);
      if (seen && Date.now() - seen.at < IDEMPOTENCY_TTL_MS) return { status: 200, body: this.render(this.find(seen.statusId)) };
    }
    const p = this.params(ctx);
    const text = p.get('status') ?? '';
    const mediaIds = p.all('media_ids');
    const inReplyToId = p.get('in_reply_to_id') || null;

    if (mediaIds.length > MAX_MEDIA) return invalid('Cannot attach more than 4 files');
    const media = mediaIds.map((id) => this.media.get(id)).filter((m): m is FakeMedia => m !== undefined && m.statusId === null);
    if (media.some((m) => m.pollsLeft > 0)) return invalid('Cannot attach files that have not finished processing. Try again in a moment!');
    if (inReplyToId !== null && !this.statuses.has(inReplyToId)) {
      return { status: 404, body: { error: 'The post you are trying to reply to does not appear to exist.' } };
    }
    if (text.trim() === '' && media.length === 0) return invalid("Validation failed: Text can't be blank");
    if (mastodonLength(text) > this.options.maxCharacters)
      return invalid(`Validation failed: Text character limit of ${this.options.maxCharacters} exceeded`);
    const visibility = p.get('visibility') ?? 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility))
      return invalid('Validation failed: Visibility is not included in the list');

    const status = this.store({ text, inReplyToId, language: p.get('language') ?? null, visibility, mediaIds: media.map((m) => m.id) });
    if (idemKey) this.idempotency.set(idemKey, { statusId: status.id, at: Date.now() });
    return { status: 200, body: this.render(status) };
  }

  private store(
    input: Pick<FakeStatus, 'text' | 'inReplyToId' | 'language' | 'visibility' | 'mediaIds'>,
    createdAt = new Date(),
  ): FakeStatus {
    const status: FakeStatus = {
      ...input,
      id: this.nextStatusId(),
      accountId: this.accountId,
      createdAt: createdAt.toISOString(),
      favourites: 0,
      reblogs: 0,
      replies: 0,
      quotes: 0,
    };
    this.statuses.set(status.id, status);
    for (const id of status.mediaIds) this.media.get(id)!.statusId = status.id;
    if (status.inReplyToId) this.statuses.get(status.inReplyToId)!.replies++;
    this.ledger.push({
      id: status.id,
      text: status.text,
      at: status.createdAt,
      inReplyTo: status.inReplyToId,
      language: status.language,
      visibility: status.visibility,
      media: status.mediaIds.map((id) => {
        const m = this.media.get(id)!;
        return { id, mimeType: m.mimeType, size: m.bytes.length, description: m.description };
      }),
    });
    return status;
  }

  private listStatuses(ctx: RequestContext): Reply {
    if (!this.options.statusesBatch) return this.notFound(ctx);
    const ids = [...new Set(ctx.url.searchParams.getAll('id[]'))];
    // check_statuses_limit raises a bare Mastodon::ValidationError.
    if (ids.length > BATCH_LIMIT) return invalid('Mastodon::ValidationError');
    return { status: 200, body: ids.flatMap((id) => (this.statuses.has(id) ? [this.render(this.statuses.get(id)!)] : [])) };
  }

  private accountStatuses(ctx: RequestContext): Reply {
    if (ctx.params.id !== this.accountId) return { status: 404, body: { error: 'Record not found' } };
    const q = ctx.url.searchParams;
    const limit = Math.min(Math.abs(Number(q.get('limit') ?? 20)) || 20, 40);
    const maxId = q.get('max_id');
    const excludeReplies = q.get('exclude_replies') === 'true';
    const list = [...this.statuses.values()]
      .filter((s) => !maxId || BigInt(s.id) < BigInt(maxId))
      .filter((s) => !excludeReplies || s.inReplyToId === null)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit);
    return { status: 200, body: list.map((s) => this.render(s)) };
  }

  private deleteStatus(ctx: RequestContext): Reply {
    const s = this.find(ctx.params.id!);
    this.statuses.delete(s.id);
    // Deleting returns the source, for delete-and-redraft.
    return { status: 200, body: { ...this.render(s), text: s.text } };
  }

  private async uploadMediaRoute(ctx: RequestContext): Promise<Reply> {
    if (!String(ctx.headers['content-type'] ?? '').startsWith('multipart/form-data'))
      return invalid("Validation failed: File can't be blank");
    const form = await ctx.formData();
    const file = form.get('file');
    if (!(file instanceof Blob)) return invalid("Validation failed: File can't be blank");
    const bytes = Buffer.from(await file.arrayBuffer());
    const mimeType = sniff(bytes);
    if (!mimeType || !IMAGE_TYPES.includes(mimeType)) return invalid('Validation failed: File content type is invalid, File is invalid');
    if (bytes.length > this.options.imageSizeLimit) {
      return invalid(`Validation failed: File file size must be less than ${Math.round(this.options.imageSizeLimit / 1024 / 1024)} MB`);
    }
    const description = form.get('description');
    const alt = typeof description === 'string' && description !== '' ? description : null;
    if (alt !== null && [...alt].length > DESCRIPTION_LIMIT)
      return invalid(`Validation failed: Description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`);
    const async = this.options.mediaProcessing === 'async';
    const m: FakeMedia = {
      id: this.nextMediaId(),
      type: 'image',
      mimeType,
      bytes,
      description: alt,
      pollsLeft: async ? this.options.processingPolls : 0,
      statusId: null,
    };
    this.media.set(m.id, m);
    return { status: async ? 202 : 200, body: this.renderMedia(m) };
  }

  private mediaStatus(ctx: RequestContext): Reply {
    const m = this.media.get(ctx.params.id!);
    if (!m) return { status: 404, body: { error: 'Record not found' } };
    if (m.pollsLeft > 0) {
      m.pollsLeft--;
      return { status: 206, body: this.renderMedia(m, true) };
    }
    return { status: 200, body: this.renderMedia(m) };
  }

  private renderMedia(m: FakeMedia, processing = m.pollsLeft > 0) {
    const base = `https://files.${this.options.domain}/media_attachments/files/${m.id}`;
    return {
      id: m.id,
      type: m.type,
      url: processing ? null : `${base}/original/image`,
      preview_url: `${base}/small/image`,
      remote_url: null,
      meta: {},
      description: m.description,
      blurhash: null,
    };
  }

  private render(s: FakeStatus) {
    const d = this.options.domain;
    return {
      id: s.id,
      created_at: s.createdAt,
      in_reply_to_id: s.inReplyToId,
      in_reply_to_account_id: s.inReplyToId ? this.accountId : null,
      sensitive: false,
      spoiler_text: '',
      visibility: s.visibility,
      language: s.language,
      uri: `https://${d}/users/${this.options.username}/statuses/${s.id}`,
      url: `https://${d}/@${this.options.username}/${s.id}`,
      replies_count: s.replies,
      reblogs_count: s.reblogs,
      favourites_count: s.favourites,
      quotes_count: s.quotes,
      edited_at: null,
      content: this.formatHtml(s.text),
      reblog: null,
      application: { name: 'CivicPost', website: null },
      account: this.account(),
      media_attachments: s.mediaIds.map((id) => this.renderMedia(this.media.get(id)!)),
      mentions: [],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  }

  /** Mastodon's TextFormatter for local plain text: escaped, linkified, simple_format'ed, newlines removed. */
  private formatHtml(text: string): string {
    const d = this.options.domain;
    const TOKEN =
      /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)'\]])|(?<![\p{L}\p{N}_/])#([\p{L}\p{N}_]+)|(?<![\p{L}\p{N}_/=])@([a-z0-9_]+)(?:@([a-z0-9.-]+[a-z0-9]))?/giu;
    let html = '';
    let at = 0;
    for (const m of text.matchAll(TOKEN)) {
      html += escapeHtml(text.slice(at, m.index));
      if (m[1]) {
        const url = m[1];
        const [, scheme, rest] = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(url)!;
        const shown = rest!.slice(0, 30);
        html += `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${escapeHtml(scheme!)}</span><span class="${rest!.length > 30 ? 'ellipsis' : ''}">${escapeHtml(shown)}</span><span class="invisible">${escapeHtml(rest!.slice(30))}</span></a>`;
      } else if (m[2]) {
        html += `<a href="https://${d}/tags/${encodeURIComponent(m[2].toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(m[2])}</span></a>`;
      } else {
        // A mention shows only the username, even for a remote account.
        const host = m[4] ?? d;
        html += `<span class="h-card" translate="no"><a href="https://${host}/@${m[3]}" class="u-url mention">@<span>${escapeHtml(m[3]!)}</span></a></span>`;
      }
      at = m.index + m[0].length;
    }
    html += escapeHtml(text.slice(at));
    const paragraphs = html
      .replace(/\r\n?/g, '\n')
      .split(/\n\n+/)
      .map((p) => `<p>${p.replace(/\n/g, '<br />\n')}</p>`);
    return paragraphs.join('\n\n').replace(/\n/g, '');
  }
}

function invalid(error: string): Reply {
  return { status: 422, body: { error } };
}

/** Paperclip checks the content type from the bytes, not the file name. */
function sniff(b: Buffer): string | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 6 && (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a'))
    return 'image/gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return undefined;
}
