import { createRestAPIClient, type mastodon } from 'masto';
import type { CallKind } from '#src/platforms/http-failure.js';
import { sameText } from '#src/platforms/matching.js';
import { classifyMastodonError } from '#src/platforms/mastodon/mastodon-errors.js';
import { contentMatches, mastodonLanguage, partIdempotencyKey } from '#src/platforms/mastodon/mastodon-text.js';
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

/**
 * POST /api/v1/statuses is NOT treated as idempotent, although every part carries an Idempotency-Key:
 * Mastodon stores the key only after the status is created and forgets it after an hour, so a retry
 * sent while the first request is still running, or later than an hour (a backoff, a rate-limit wait,
 * a paused queue), posts twice. A lost answer is therefore `ambiguous` and the pipeline asks
 * findPublished, which only reads. The key still makes any resend within the hour harmless.
 */
const CREATE_STATUS: CallKind = { write: true, idempotent: false };
/** A lost upload leaves at most an unattached media that Mastodon removes after a day: nothing is published. */
const UPLOAD_MEDIA: CallKind = { write: true, idempotent: true };
/** Deleting twice is harmless (the second answers 404, which is what we want). */
const DELETE_STATUS: CallKind = { write: true, idempotent: true };
const READ: CallKind = { write: false };

/** GET /api/v1/statuses?id[]= (Mastodon 4.3+) refuses more than DEFAULT_STATUSES_LIMIT = 20 ids with a 422. */
const STATUSES_PER_CALL = 20;
/** How far back reconcile looks: the account's last 80 statuses (two pages of 40, the API's maximum)... */
const RECONCILE_PAGES = 2;
/** ...posted in the last 24 hours, so a recurring announcement posted yesterday is not taken for today's. */
const RECONCILE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Waits between polls of a media still processing (GET /api/v1/media/:id answers 206), then every 2 s. */
const MEDIA_POLL_DELAYS_MS = [250, 500, 1000, 2000];
const MEDIA_PROCESSING_TIMEOUT_MS = 60_000;

export class MastodonAdapter implements PlatformAdapter {
  readonly platform = 'mastodon' as const;
  readonly metricsBatchSize = STATUSES_PER_CALL;

  constructor(private readonly options: PlatformOptions) {}

  async verify(conn: Connection): Promise<AccountInfo> {
    const { masto, call } = this.session(conn);
    const account = await call(READ, () => masto.v1.accounts.verifyCredentials());
    const instance = await call(READ, () => masto.v2.instance.fetch()).catch((err: unknown) => {
      // GET /api/v2/instance exists since Mastodon 4.0; without it the text rules keep their default of 500.
      if (err instanceof PlatformError && err.status === 404) return null;
      throw err;
    });
    // Handles are made of LOCAL_DOMAIN (instance.domain), which may differ from the host serving the API.
    const domain = instance?.domain || new URL(instanceUrl(conn)).hostname;
    const handle = account.acct.includes('@') ? `@${account.acct}` : `@${account.acct}@${domain}`;
    const config = instance?.configuration;
    return {
      id: account.id,
      handle,
      displayName: account.displayName || account.username,
      url: account.url,
      settings: config
        ? {
            maxCharacters: config.statuses.maxCharacters,
            charactersReservedPerUrl: config.statuses.charactersReservedPerUrl,
            imageSizeLimit: config.mediaAttachments.imageSizeLimit,
          }
        : {},
    };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    const { masto, call } = this.session(req);
    const texts = [req.text, ...req.thread];
    const parts = [...req.publishedParts];
    const language = mastodonLanguage(req.language);
    for (let index = parts.length; index < texts.length; index++) {
      const mediaIds = index === 0 ? await this.uploadAll(masto, call, req.media) : [];
      const inReplyToId = index === 0 ? null : parts[index - 1]!.externalId;
      const meta = { requestInit: { headers: { 'Idempotency-Key': partIdempotencyKey(req.idempotencyKey, index) } } };
      const base = { status: texts[index]!, inReplyToId, language, visibility: 'public' as const };
      const status = await call(CREATE_STATUS, () =>
        mediaIds.length > 0 ? masto.v1.statuses.create({ ...base, mediaIds }, meta) : masto.v1.statuses.create(base, meta),
      );
      const part = toPart(status);
      parts.push(part);
      await onPart?.(part, index);
    }
    return parts;
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    const index = req.publishedParts.length;
    const texts = [req.text, ...req.thread];
    if (index >= texts.length) return { status: 'absent' };
    const wanted = texts[index]!;
    const parentId = index === 0 ? null : req.publishedParts[index - 1]!.externalId;
    const { masto, call } = this.session(req);
    const me = await call(READ, () => masto.v1.accounts.verifyCredentials());
    const since = Date.now() - RECONCILE_WINDOW_MS;

    const candidates: mastodon.v1.Status[] = [];
    let maxId: string | undefined;
    for (let page = 0; page < RECONCILE_PAGES; page++) {
      const statuses = await call(
        READ,
        async () => await masto.v1.accounts.$select(me.id).statuses.list({ limit: 40, excludeReblogs: true, maxId }),
      );
      for (const s of statuses) {
        if ((s.inReplyToId ?? null) !== parentId || Date.parse(s.createdAt) < since) continue;
        if (!contentMatches(s.content, wanted)) continue;
        if (index === 0 && !sameMedia(s, req.media)) continue;
        candidates.push(s);
      }
      if (statuses.length < 40 || Date.parse(statuses.at(-1)!.createdAt) < since) break;
      maxId = statuses.at(-1)!.id;
    }

    // The HTML comparison is loose (blanks, remote mentions): confirm on the text Mastodon stored.
    for (const s of candidates) {
      const source = await call(READ, () => masto.v1.statuses.$select(s.id).source.fetch()).catch((err: unknown) => {
        // Instances before 3.5 have no /source: the loose match on content is all there is.
        if (err instanceof PlatformError && err.status === 404) return null;
        throw err;
      });
      if (source === null || sameText(source.text, wanted)) return { status: 'found', part: toPart(s) };
    }
    return { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    const { masto, call } = this.session(conn);
    for (const id of externalIds) {
      await call(DELETE_STATUS, () => masto.v1.statuses.$select(id).remove()).catch((err: unknown) => {
        if (err instanceof PlatformError && err.status === 404) return; // already gone
        throw err;
      });
    }
  }

  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const { masto, call } = this.session(conn);
    const metrics = new Map<string, Metrics>();
    const ids = [...new Set(externalIds)];
    let batchEndpoint = true;
    for (let i = 0; i < ids.length; i += STATUSES_PER_CALL) {
      const chunk = ids.slice(i, i + STATUSES_PER_CALL);
      let statuses: mastodon.v1.Status[] | null = null;
      if (batchEndpoint) {
        statuses = await call(READ, () => masto.v1.statuses.fetch({ id: chunk })).catch((err: unknown) => {
          // Before Mastodon 4.3 the route does not exist: one GET per status instead.
          if (err instanceof PlatformError && err.status === 404) return null;
          throw err;
        });
        batchEndpoint = statuses !== null;
      }
      statuses ??= await this.fetchOneByOne(masto, call, chunk);
      for (const s of statuses) if (chunk.includes(s.id)) metrics.set(s.id, toMetrics(s));
    }
    return metrics;
  }

  private async fetchOneByOne(masto: mastodon.rest.Client, call: Caller, ids: string[]): Promise<mastodon.v1.Status[]> {
    const found: mastodon.v1.Status[] = [];
    for (const id of ids) {
      const s = await call(READ, () => masto.v1.statuses.$select(id).fetch()).catch((err: unknown) => {
        if (err instanceof PlatformError && err.status === 404) return null; // deleted or unknown: left out
        throw err;
      });
      if (s) found.push(s);
    }
    return found;
  }

  private async uploadAll(masto: mastodon.rest.Client, call: Caller, media: MediaItem[]): Promise<string[]> {
    const ids: string[] = [];
    for (const item of media) ids.push(await this.upload(masto, call, item));
    return ids;
  }

  /**
   * POST /api/v2/media answers 200 with a url, or 202 with url null while the instance processes it.
   * masto's own polling waits a full second even when the answer already has a url, so we poll here:
   * GET /api/v1/media/:id answers 206 while processing (and may 404 for a moment), 200 when done.
   */
  private async upload(masto: mastodon.rest.Client, call: Caller, item: MediaItem): Promise<string> {
    const bytes = await item.read();
    const file = new File([new Uint8Array(bytes)], item.fileName, { type: item.mimeType });
    const created = await call(UPLOAD_MEDIA, () => masto.v2.media.create({ file, description: item.altText || null, skipPolling: true }));
    if (created.url) return created.id;
    const deadline = Date.now() + MEDIA_PROCESSING_TIMEOUT_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      await sleep(MEDIA_POLL_DELAYS_MS[Math.min(attempt, MEDIA_POLL_DELAYS_MS.length - 1)]!);
      const media = await call(READ, () => masto.v1.media.$select(created.id).fetch()).catch((err: unknown) => {
        if (err instanceof PlatformError && err.status === 404) return null;
        throw err;
      });
      if (media?.url) return created.id;
    }
    throw new PlatformError(
      'transient',
      `mastodon: the instance did not finish processing media '${item.fileName}' within ${MEDIA_PROCESSING_TIMEOUT_MS / 1000} s`,
    );
  }

  /** A masto client for this channel, and a wrapper that turns every failure into a PlatformError without the token. */
  private session(conn: Connection): { masto: mastodon.rest.Client; call: Caller } {
    const url = instanceUrl(conn);
    const accessToken = credential(conn, 'accessToken');
    // log 'error': masto logs nothing at that level for requests; at 'debug' it would log bodies.
    const masto = createRestAPIClient({ url, accessToken, timeout: this.options.timeoutMs, log: 'error' });
    const call: Caller = async (kind, fn) => {
      try {
        return await fn();
      } catch (err) {
        throw classifyMastodonError(err, kind, [accessToken]);
      }
    };
    return { masto, call };
  }
}

type Caller = <T>(kind: CallKind, fn: () => Promise<T>) => Promise<T>;

/** `instanceUrl` as the origin masto needs (it resolves absolute `/api/...` paths, so a path would be dropped anyway). */
function instanceUrl(conn: Connection): string {
  const raw = setting(conn, 'instanceUrl');
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `https://${raw}`);
  } catch {
    throw new PlatformError('invalid', `mastodon: the channel setting 'instanceUrl' is not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PlatformError('invalid', `mastodon: 'instanceUrl' must be http(s): ${raw}`);
  return url.origin;
}

function toPart(s: mastodon.v1.Status): PublishedPart {
  return { externalId: s.id, url: s.url ?? s.uri ?? null };
}

/** A media post is recognised by its text and, as the text may be empty, by its alt texts in order. */
function sameMedia(s: mastodon.v1.Status, media: MediaItem[]): boolean {
  if (s.mediaAttachments.length !== media.length) return false;
  return media.every((m, i) => (s.mediaAttachments[i]!.description ?? '') === (m.altText ?? ''));
}

function toMetrics(s: mastodon.v1.Status): Metrics {
  // quotes_count exists since Mastodon 4.5; older instances leave it out.
  const quotes = (s as { quotesCount?: number | null }).quotesCount;
  return {
    likes: s.favouritesCount,
    reposts: s.reblogsCount,
    replies: s.repliesCount,
    quotes: typeof quotes === 'number' ? quotes : null,
    impressions: null,
    clicks: null,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
