/**
 * Facebook Pages through the Graph API (https://developers.facebook.com/docs/pages-api/posts).
 * Channel settings: `pageId`. Credential: `pageAccessToken` (a Page access token with
 * pages_manage_posts, pages_read_engagement and read_insights), sent as `Authorization: Bearer`.
 */
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import { chunks, createHttpClient, send } from '#src/platforms/axios-client.js';
import { classifyGraphError, GraphError, NOT_FOUND } from '#src/platforms/facebook/facebook-errors.js';
import type { CallKind } from '#src/platforms/http-failure.js';
import { sameText } from '#src/platforms/matching.js';
import {
  credential,
  PlatformError,
  setting,
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

/** The Graph API version every call names (v26.0: July 2026, the newest in the changelog). */
export const GRAPH_API_VERSION = 'v26.0';

/** Graph's multiple-id read answers "(#100) Too many IDs. Maximum: 50." above this. */
const IDS_PER_CALL = 50;
/** How many of the Page's latest posts reconciliation looks through. */
const RECENT_POSTS = 25;
/**
 * Post insights kept after the November 2025 removal of the impressions metrics: views
 * (`post_media_view`, the announced replacement of impressions) and clicks.
 */
const INSIGHT_METRICS = ['post_media_view', 'post_clicks'] as const;

const READ: CallKind = { write: false };
/** A visible post: sending it twice posts twice. */
const POST: CallKind = { write: true };
/** Unpublished photos and deletions: repeating one leaves nothing visible behind. */
const HARMLESS_WRITE: CallKind = { write: true, idempotent: true };

interface GraphPost {
  id: string;
  message?: string;
  created_time?: string;
}

interface EngagementNode {
  id: string;
  shares?: { count?: number };
  reactions?: { summary?: { total_count?: number } };
  comments?: { summary?: { total_count?: number } };
}

interface InsightsNode {
  id: string;
  insights?: { data?: Array<{ name?: string; values?: Array<{ value?: unknown }> }> };
}

export class FacebookAdapter implements PlatformAdapter {
  readonly platform = 'facebook' as const;
  readonly metricsBatchSize = IDS_PER_CALL;
  private readonly http: AxiosInstance;

  constructor(options: PlatformOptions) {
    this.http = createHttpClient(`${options.baseUrls.facebookGraph.replace(/\/+$/, '')}/${GRAPH_API_VERSION}`, options.timeoutMs);
  }

  /**
   * `/me` with a Page token is the Page itself: anything else (a user token, another Page's token) cannot
   * publish as this Page, so it fails as `auth` here rather than at the first publication.
   */
  async verify(conn: Connection): Promise<AccountInfo> {
    const pageId = setting(conn, 'pageId');
    const { data } = await this.call<{ id: string; name?: string; link?: string }>(
      conn,
      READ,
      { method: 'GET', url: '/me', params: { fields: 'id,name,link' } },
      (d) => requireId(d),
    );
    if (data.id !== pageId) {
      throw new PlatformError('auth', `facebook: the token is not a Page access token of page ${pageId} (it acts as ${data.id})`);
    }
    return { id: data.id, handle: data.name ?? data.id, displayName: data.name, url: data.link ?? `https://www.facebook.com/${data.id}` };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    refuseThread(req);
    // A Facebook publication is one post: once it is recorded there is nothing left to send.
    if (req.publishedParts.length > 0) return req.publishedParts;
    const pageId = setting(req, 'pageId');
    const postId = await this.createPost(req, pageId);
    const part: PublishedPart = { externalId: postId, url: postUrl(postId) };
    await onPart?.(part, 0);
    return [part];
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    refuseThread(req);
    if (req.publishedParts.length > 0) return { status: 'absent' };
    const pageId = setting(req, 'pageId');
    const { data } = await this.call<{ data: GraphPost[] }>(
      req,
      READ,
      { method: 'GET', url: `/${pageId}/published_posts`, params: { fields: 'id,message,created_time', limit: RECENT_POSTS } },
      (d) => ({ data: Array.isArray((d as { data?: unknown })?.data) ? (d as { data: GraphPost[] }).data : [] }),
    );
    // A photo post's message is the photo's caption, so one comparison covers both kinds.
    const found = data.data.find((p) => typeof p.message === 'string' && sameText(p.message, req.text));
    return found ? { status: 'found', part: { externalId: found.id, url: postUrl(found.id) } } : { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    for (const id of externalIds) {
      try {
        await this.call(conn, HARMLESS_WRITE, { method: 'DELETE', url: `/${encodeURIComponent(id)}` });
      } catch (err) {
        if (err instanceof GraphError && NOT_FOUND(err.graphCode, err.graphSubcode)) continue;
        if (err instanceof PlatformError && err.status === 404) continue;
        throw err;
      }
    }
  }

  /**
   * Per batch of at most 50 ids: one multiple-id read of reactions, comments and shares, and one of the
   * post insights (views, clicks). Likes are all reactions (Graph counts a like as one of them); quotes do
   * not exist on Facebook. An insights refusal (no read_insights, a metric Graph no longer knows) leaves
   * impressions and clicks null rather than failing the engagement figures.
   */
  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const result = new Map<string, Metrics>();
    for (const batch of chunks([...new Set(externalIds)], IDS_PER_CALL)) {
      const engagement = await this.readIds<EngagementNode>(
        conn,
        batch,
        'shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(total_count)',
      );
      const known = [...engagement.keys()];
      let insights = new Map<string, InsightsNode>();
      if (known.length > 0) {
        try {
          insights = await this.readIds<InsightsNode>(conn, known, `insights.metric(${INSIGHT_METRICS.join(',')})`);
        } catch (err) {
          if (
            !(err instanceof GraphError) ||
            !(err.kind === 'invalid' || (err.kind === 'auth' && err.graphCode !== 190 && err.graphCode !== 102))
          )
            throw err;
        }
      }
      for (const [id, node] of engagement) {
        const values = insightValues(insights.get(id));
        result.set(id, {
          likes: node.reactions?.summary?.total_count ?? null,
          // Graph leaves `shares` out of a post nobody has shared.
          reposts: node.shares?.count ?? 0,
          replies: node.comments?.summary?.total_count ?? null,
          quotes: null,
          impressions: values.get('post_media_view') ?? null,
          clicks: values.get('post_clicks') ?? null,
        });
      }
    }
    return result;
  }

  /**
   * One multiple-id read (`GET /?ids=a,b&fields=...`). Graph refuses the whole read when one id is unknown
   * (code 803 naming them, or 100/33 for one object): those ids are dropped and the rest read again.
   */
  private async readIds<T extends { id: string }>(conn: Connection, ids: string[], fields: string): Promise<Map<string, T>> {
    let remaining = ids;
    while (remaining.length > 0) {
      try {
        const { data } = await this.call<Record<string, T>>(
          conn,
          READ,
          { method: 'GET', url: '/', params: { ids: remaining.join(','), fields } },
          (d) => {
            if (!d || typeof d !== 'object') throw new Error('not an object');
            return d as Record<string, T>;
          },
        );
        return new Map(Object.entries(data).filter(([id]) => remaining.includes(id)));
      } catch (err) {
        if (!(err instanceof GraphError) || !NOT_FOUND(err.graphCode, err.graphSubcode)) throw err;
        const unknown = unknownIds(err.message, remaining);
        if (unknown.length === 0) throw err;
        remaining = remaining.filter((id) => !unknown.includes(id));
      }
    }
    return new Map();
  }

  private async createPost(req: PublishRequest, pageId: string): Promise<string> {
    if (req.media.length === 0) {
      return this.postFeed(req, pageId, new URLSearchParams({ message: req.text }));
    }
    if (req.media.length === 1) {
      // One photo published with its caption is itself the Page post; `post_id` names that post.
      const photo = await this.uploadPhoto(req, pageId, req.media[0]!, { published: true, caption: req.text });
      if (!photo.post_id) throw new PlatformError('ambiguous', 'facebook: the photo was accepted but Graph named no post for it');
      return photo.post_id;
    }
    // Several photos: each uploaded unpublished, then one feed post attaching them all.
    const form = new URLSearchParams({ message: req.text });
    for (const [i, item] of req.media.entries()) {
      const photo = await this.uploadPhoto(req, pageId, item, { published: false });
      form.append(`attached_media[${i}]`, JSON.stringify({ media_fbid: photo.id }));
    }
    return this.postFeed(req, pageId, form);
  }

  private async postFeed(conn: Connection, pageId: string, form: URLSearchParams): Promise<string> {
    const { data } = await this.call<{ id: string }>(conn, POST, { method: 'POST', url: `/${pageId}/feed`, data: form }, requireId);
    return data.id;
  }

  /** POST /{page-id}/photos with the bytes as `source`; the alt text goes in `alt_text_custom` (Photo reference). */
  private async uploadPhoto(
    conn: Connection,
    pageId: string,
    item: MediaItem,
    opts: { published: boolean; caption?: string },
  ): Promise<{ id: string; post_id?: string }> {
    const bytes = await item.read();
    const form = new FormData();
    form.append('source', new Blob([new Uint8Array(bytes)], { type: item.mimeType }), item.fileName);
    form.append('published', String(opts.published));
    if (opts.caption !== undefined) form.append('caption', opts.caption);
    if (item.altText.trim() !== '') form.append('alt_text_custom', item.altText);
    const { data } = await this.call<{ id: string; post_id?: string }>(
      conn,
      opts.published ? POST : HARMLESS_WRITE,
      { method: 'POST', url: `/${pageId}/photos`, data: form },
      (d) => {
        const { id } = requireId(d);
        const postId = (d as { post_id?: unknown }).post_id;
        return { id, post_id: typeof postId === 'string' ? postId : undefined };
      },
    );
    return data;
  }

  private async call<T>(conn: Connection, kind: CallKind, config: AxiosRequestConfig, parse?: (data: unknown) => T) {
    const token = credential(conn, 'pageAccessToken');
    return send<T>({
      http: this.http,
      config: { ...config, headers: { ...(config.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` } },
      call: kind,
      platform: 'facebook',
      classify: (response, call) => classifyGraphError(response, call),
      secrets: [token],
      parse,
    });
  }
}

function refuseThread(req: PublishRequest): void {
  if (req.thread.length > 0) {
    throw new PlatformError(
      'invalid',
      `facebook: Facebook Pages have no threads; merge the ${req.thread.length} extra part(s) into the main text`,
    );
  }
}

function postUrl(postId: string): string {
  return `https://www.facebook.com/${postId}`;
}

function requireId(data: unknown): { id: string; name?: string; link?: string } {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw new Error('no id in the answer');
  return data as { id: string; name?: string; link?: string };
}

/** The ids an "(#803) Some of the aliases you requested do not exist: a,b" or "Object with ID 'a' does not exist" names. */
export function unknownIds(message: string, asked: string[]): string[] {
  const aliases = /do not exist:\s*([^[\]]+)/.exec(message)?.[1];
  const named = aliases ? aliases.split(',').map((s) => s.trim()) : [...message.matchAll(/ID '([^']+)'/g)].map((m) => m[1]!);
  return named.filter((id) => asked.includes(id));
}

function insightValues(node: InsightsNode | undefined): Map<string, number> {
  const values = new Map<string, number>();
  for (const metric of node?.insights?.data ?? []) {
    const value = metric.values?.[0]?.value;
    if (typeof metric.name === 'string' && typeof value === 'number') values.set(metric.name, value);
  }
  return values;
}
