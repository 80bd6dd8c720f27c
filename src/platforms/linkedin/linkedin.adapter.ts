/**
 * LinkedIn organisation pages through the versioned REST API (Posts, Images, Organizations and
 * Organizational Entity Share Statistics: learn.microsoft.com/linkedin/marketing/community-management/...).
 * Channel settings: `organizationUrn` (urn:li:organization:123), optional `linkedinVersion` (YYYYMM).
 * Credential: `accessToken` (3-legged OAuth of a Page admin: w_organization_social, r_organization_social,
 * rw_organization_admin for statistics).
 */
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import { chunks, createHttpClient, headerValue, send } from '#src/platforms/axios-client.js';
import type { CallKind } from '#src/platforms/http-failure.js';
import { classifyLinkedInError } from '#src/platforms/linkedin/linkedin-errors.js';
import { escapeLittleText, unescapeLittleText } from '#src/platforms/linkedin/linkedin-text.js';
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

/** July 2026; each monthly version stays active for at least a year. A channel may pin its own. */
export const LINKEDIN_DEFAULT_VERSION = '202607';

/**
 * Post URNs per statistics call. LinkedIn documents no maximum for `shares=List(...)`; 20 keeps the URL
 * short (an encoded URN is about 40 characters) while staying one call for most reports.
 */
const STATS_PER_CALL = 20;
/** How many of the organisation's latest posts reconciliation looks through. */
const RECENT_POSTS = 20;

const READ: CallKind = { write: false };
const POST: CallKind = { write: true };
/** Image uploads and deletions: repeating one creates nothing visible. */
const HARMLESS_WRITE: CallKind = { write: true, idempotent: true };

interface ShareStatistics {
  impressionCount?: number;
  clickCount?: number;
  likeCount?: number;
  commentCount?: number;
  shareCount?: number;
}

interface StatisticsElement {
  share?: string;
  ugcPost?: string;
  totalShareStatistics?: ShareStatistics;
}

export class LinkedInAdapter implements PlatformAdapter {
  readonly platform = 'linkedin' as const;
  readonly metricsBatchSize = STATS_PER_CALL;
  private readonly http: AxiosInstance;

  constructor(options: PlatformOptions) {
    this.http = createHttpClient(options.baseUrls.linkedin.replace(/\/+$/, ''), options.timeoutMs);
  }

  async verify(conn: Connection): Promise<AccountInfo> {
    const urn = organizationUrn(conn);
    const id = urn.slice('urn:li:organization:'.length);
    const { data } = await this.call<{ localizedName?: string; vanityName?: string }>(
      conn,
      READ,
      { method: 'GET', url: `/rest/organizations/${id}` },
      (d) => {
        if (!d || typeof d !== 'object') throw new Error('not an object');
        return d as { localizedName?: string; vanityName?: string };
      },
    );
    const name = data.localizedName ?? urn;
    return {
      id: urn,
      handle: name,
      displayName: name,
      url: data.vanityName ? `https://www.linkedin.com/company/${data.vanityName}` : `https://www.linkedin.com/company/${id}`,
    };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    refuseThread(req);
    // A LinkedIn publication is one post: once it is recorded there is nothing left to send.
    if (req.publishedParts.length > 0) return req.publishedParts;
    const author = organizationUrn(req);
    const images: Array<{ id: string; altText: string }> = [];
    for (const item of req.media) images.push({ id: await this.uploadImage(req, author, item), altText: item.altText });

    const body: Record<string, unknown> = {
      author,
      commentary: escapeLittleText(req.text),
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    };
    // One image is `content.media`; two to twenty are `content.multiImage.images` (MultiImage API).
    if (images.length === 1) body.content = { media: altTextOf(images[0]!) };
    if (images.length > 1) body.content = { multiImage: { images: images.map(altTextOf) } };

    const response = await this.call(req, POST, {
      method: 'POST',
      url: '/rest/posts',
      data: body,
      headers: { 'Content-Type': 'application/json' },
    });
    const urn = headerValue(response.headers, 'x-restli-id') ?? headerValue(response.headers, 'x-linkedin-id');
    // Created (201) but unnamed: the post exists, only reconciliation can find it.
    if (!urn)
      throw new PlatformError(
        'ambiguous',
        'linkedin: the post was created but LinkedIn named no id for it (no x-restli-id)',
        undefined,
        response.status,
      );
    const part: PublishedPart = { externalId: urn, url: postUrl(urn) };
    await onPart?.(part, 0);
    return [part];
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    refuseThread(req);
    if (req.publishedParts.length > 0) return { status: 'absent' };
    const author = organizationUrn(req);
    const { data } = await this.call<{ elements: Array<{ id?: string; commentary?: string }> }>(
      req,
      READ,
      {
        method: 'GET',
        url: `/rest/posts?author=${encodeURIComponent(author)}&q=author&count=${RECENT_POSTS}&sortBy=LAST_MODIFIED`,
        headers: { 'X-RestLi-Method': 'FINDER' },
      },
      (d) => ({
        elements: Array.isArray((d as { elements?: unknown })?.elements)
          ? (d as { elements: Array<{ id?: string; commentary?: string }> }).elements
          : [],
      }),
    );
    const found = data.elements.find(
      (p) => typeof p.id === 'string' && typeof p.commentary === 'string' && sameText(unescapeLittleText(p.commentary), req.text),
    );
    return found ? { status: 'found', part: { externalId: found.id!, url: postUrl(found.id!) } } : { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    for (const urn of externalIds) {
      try {
        await this.call(conn, HARMLESS_WRITE, {
          method: 'DELETE',
          url: `/rest/posts/${encodeURIComponent(urn)}`,
          headers: { 'X-RestLi-Method': 'DELETE' },
        });
      } catch (err) {
        if (err instanceof PlatformError && (err.status === 404 || err.status === 410)) continue;
        throw err;
      }
    }
  }

  /**
   * Organic lifetime figures (LinkedIn counts them over a rolling 12 months) of up to 20 posts per call:
   * likeCount, shareCount, commentCount, impressionCount, clickCount. LinkedIn has no quotes.
   */
  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const author = organizationUrn(conn);
    const result = new Map<string, Metrics>();
    const known = [...new Set(externalIds)].filter((id) => /^urn:li:(share|ugcPost):/.test(id));
    for (const batch of chunks(known, STATS_PER_CALL)) {
      const shares = batch.filter((id) => id.startsWith('urn:li:share:'));
      const ugcPosts = batch.filter((id) => id.startsWith('urn:li:ugcPost:'));
      const list = (urns: string[]) => `List(${urns.map(encodeURIComponent).join(',')})`;
      const query = [
        'q=organizationalEntity',
        `organizationalEntity=${encodeURIComponent(author)}`,
        ...(shares.length ? [`shares=${list(shares)}`] : []),
        ...(ugcPosts.length ? [`ugcPosts=${list(ugcPosts)}`] : []),
      ].join('&');
      const { data } = await this.call<{ elements: StatisticsElement[] }>(
        conn,
        READ,
        { method: 'GET', url: `/rest/organizationalEntityShareStatistics?${query}` },
        (d) => ({
          elements: Array.isArray((d as { elements?: unknown })?.elements) ? (d as { elements: StatisticsElement[] }).elements : [],
        }),
      );
      for (const element of data.elements) {
        const id = element.share ?? element.ugcPost;
        const s = element.totalShareStatistics;
        if (!id || !s || !batch.includes(id)) continue;
        result.set(id, {
          likes: s.likeCount ?? null,
          reposts: s.shareCount ?? null,
          replies: s.commentCount ?? null,
          quotes: null,
          impressions: s.impressionCount ?? null,
          clicks: s.clickCount ?? null,
        });
      }
    }
    return result;
  }

  /** Images API: initializeUpload names the image and an upload URL, then the bytes are PUT there. */
  private async uploadImage(conn: Connection, owner: string, item: MediaItem): Promise<string> {
    const { data } = await this.call<{ uploadUrl: string; image: string }>(
      conn,
      HARMLESS_WRITE,
      {
        method: 'POST',
        url: '/rest/images?action=initializeUpload',
        data: { initializeUploadRequest: { owner } },
        headers: { 'Content-Type': 'application/json' },
      },
      (d) => {
        const value = (d as { value?: { uploadUrl?: unknown; image?: unknown } } | null)?.value;
        if (typeof value?.uploadUrl !== 'string' || typeof value.image !== 'string') throw new Error('no uploadUrl or image in the answer');
        return { uploadUrl: value.uploadUrl, image: value.image };
      },
    );
    const bytes = await item.read();
    // The upload URL is absolute (LinkedIn's upload host); axios ignores the base URL for it.
    await this.call(
      conn,
      HARMLESS_WRITE,
      { method: 'PUT', url: data.uploadUrl, data: bytes, headers: { 'Content-Type': item.mimeType } },
      undefined,
      false,
    );
    return data.image;
  }

  private async call<T>(conn: Connection, kind: CallKind, config: AxiosRequestConfig, parse?: (data: unknown) => T, restli = true) {
    const token = credential(conn, 'accessToken');
    const version = conn.channel.settings.linkedinVersion;
    const headers: Record<string, string> = { ...(config.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
    if (restli) {
      headers['LinkedIn-Version'] = typeof version === 'string' && /^\d{6}$/.test(version) ? version : LINKEDIN_DEFAULT_VERSION;
      headers['X-Restli-Protocol-Version'] = '2.0.0';
    }
    return send<T>({
      http: this.http,
      config: { ...config, headers },
      call: kind,
      platform: 'linkedin',
      classify: (r, c) => classifyLinkedInError(r, c),
      secrets: [token],
      parse,
    });
  }
}

function organizationUrn(conn: Connection): string {
  const urn = setting(conn, 'organizationUrn');
  if (!/^urn:li:organization:\d+$/.test(urn))
    throw new PlatformError(
      'invalid',
      `linkedin: the channel setting 'organizationUrn' must look like urn:li:organization:123, not '${urn}'`,
    );
  return urn;
}

function refuseThread(req: PublishRequest): void {
  if (req.thread.length > 0) {
    throw new PlatformError(
      'invalid',
      `linkedin: LinkedIn has no threads; merge the ${req.thread.length} extra part(s) into the main text`,
    );
  }
}

/** Posts API media: `altText` is the image's description for screen readers. */
function altTextOf(image: { id: string; altText: string }): { id: string; altText?: string } {
  return image.altText.trim() === '' ? { id: image.id } : { id: image.id, altText: image.altText };
}

function postUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}/`;
}
