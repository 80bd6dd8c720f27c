/**
 * X (Twitter API v2) through twitter-api-v2.
 *
 * Credentials (the channel's decrypted credentials object):
 * - OAuth 1.0a user context when `appKey` is present: `appKey`, `appSecret`, `accessToken`, `accessSecret`
 *   are then all required;
 * - otherwise an OAuth 2.0 user token (PKCE, scopes tweet.read tweet.write users.read media.write):
 *   `accessToken` alone, sent as Bearer.
 * Channel settings read: `userId` (optional; saves a GET /2/users/me when reconciling; verify returns it).
 * The channel's `accountHandle` (or GET /2/users/me) gives the username for post URLs.
 */
import http from 'node:http';
import {
  TwitterApi,
  type EUploadMimeType,
  type ITwitterApiClientPlugin,
  type SendTweetV2Params,
  type TweetV2,
  type TweetV2LookupResult,
  type TweetV2UserTimelineResult,
} from 'twitter-api-v2';
import type { CallKind } from '#src/platforms/http-failure.js';
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
import { classifyXFailure } from '#src/platforms/x/x-errors.js';
import { sameTweetText } from '#src/platforms/x/x-text.js';

const READ: CallKind = { write: false };
/** POST /2/tweets: X has no idempotency key, so a lost answer may hide a post. */
const POST: CallKind = { write: true };
/** Uploads and deletes: repeating them leaves at worst an unused upload, which X expires. */
const REPEATABLE_WRITE: CallKind = { write: true, idempotent: true };

type MediaIds = NonNullable<NonNullable<SendTweetV2Params['media']>['media_ids']>;

const X_API = 'https://api.x.com';
const X_UPLOAD = 'https://upload.x.com';
const MAX_MEDIA = 4;
/** One page of the user's timeline is searched: far more than we post between an attempt and its reconcile. */
const TIMELINE_PAGE = 100;
const RECONCILE_FIELDS = ['created_at', 'entities', 'referenced_tweets', 'in_reply_to_user_id'] as const;
const METRIC_FIELDS = ['public_metrics', 'non_public_metrics', 'organic_metrics'] as const;

export class XAdapter implements PlatformAdapter {
  readonly platform = 'x' as const;
  readonly metricsBatchSize = 100;

  constructor(private readonly options: PlatformOptions) {}

  async verify(conn: Connection): Promise<AccountInfo> {
    const user = await this.me(this.client(conn));
    return {
      id: user.id,
      handle: `@${user.username}`,
      displayName: user.name,
      url: `https://x.com/${user.username}`,
      settings: { userId: user.id },
    };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    const texts = [req.text, ...req.thread];
    const parts = [...req.publishedParts];
    if (parts.length >= texts.length) return parts;
    if (req.media.length > MAX_MEDIA)
      throw new PlatformError('invalid', `x: at most ${MAX_MEDIA} images per post; this one has ${req.media.length}`);
    const client = this.client(req);
    // Asked before anything is sent: a failure here must not come after a post is out.
    const username = await this.username(req, client);

    for (let i = parts.length; i < texts.length; i++) {
      const body: SendTweetV2Params = {};
      if (texts[i] !== '') body.text = texts[i];
      if (i === 0 && req.media.length > 0) body.media = { media_ids: await this.upload(client, req.media) };
      if (i > 0) body.reply = { in_reply_to_tweet_id: parts[i - 1]!.externalId };
      const created = await call(() => client.v2.tweet(body), POST);
      const part: PublishedPart = { externalId: created.data.id, url: `https://x.com/${username}/status/${created.data.id}` };
      parts.push(part);
      await onPart?.(part, i);
    }
    return parts;
  }

  /**
   * X has no idempotency key: look for the part among the account's latest tweets. Part 0 is a tweet
   * that replies to nothing; part i > 0 replies to part i - 1 (and is newer, hence since_id).
   */
  async findPublished(req: PublishRequest): Promise<Reconciled> {
    const index = req.publishedParts.length;
    const texts = [req.text, ...req.thread];
    if (index >= texts.length) return { status: 'absent' };
    const client = this.client(req);
    const userId =
      typeof req.channel.settings.userId === 'string' && req.channel.settings.userId !== ''
        ? req.channel.settings.userId
        : (await this.me(client)).id;
    const parent = index > 0 ? req.publishedParts[index - 1]!.externalId : undefined;
    const page = await call(
      () =>
        client.v2.get<TweetV2UserTimelineResult>(`users/${encodeURIComponent(userId)}/tweets`, {
          max_results: TIMELINE_PAGE,
          'tweet.fields': RECONCILE_FIELDS.join(','),
          ...(parent ? { since_id: parent } : {}),
        }),
      READ,
    );
    const match = (page.data ?? []).find((t) => repliesTo(t) === parent && sameTweetText(texts[index]!, t.text, t.entities?.urls));
    if (!match) return { status: 'absent' };
    const username = await this.username(req, client);
    return { status: 'found', part: { externalId: match.id, url: `https://x.com/${username}/status/${match.id}` } };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    if (externalIds.length === 0) return;
    const client = this.client(conn);
    for (const id of externalIds) {
      try {
        const res = await client.v2.deleteTweet(id);
        if (!res.data?.deleted) throw new PlatformError('invalid', `x: tweet ${id} was not deleted (deleted: false)`);
      } catch (err) {
        const failure = classifyXFailure(err, REPEATABLE_WRITE);
        if (failure.status === 404) continue; // already gone
        throw failure;
      }
    }
  }

  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const metrics = new Map<string, Metrics>();
    if (externalIds.length === 0) return metrics;
    const client = this.client(conn);
    for (let i = 0; i < externalIds.length; i += this.metricsBatchSize) {
      const batch = externalIds.slice(i, i + this.metricsBatchSize);
      // Unknown ids and non-public metrics X will not give (posts over 30 days old) come back in errors[] of a 200.
      const res = await call(
        () => client.v2.get<TweetV2LookupResult>('tweets', { ids: batch.join(','), 'tweet.fields': METRIC_FIELDS.join(',') }),
        READ,
      );
      for (const t of res.data ?? []) metrics.set(t.id, toMetrics(t));
    }
    return metrics;
  }

  private client(conn: Connection): TwitterApi {
    const creds = conn.credentials ?? {};
    const plugin = redirectPlugin(this.options);
    // The library calls https.request; a plain-http base (a local fake) needs an http agent to be accepted.
    const settings = {
      plugins: [plugin],
      ...(new URL(this.options.baseUrls.x).protocol === 'http:' ? { httpAgent: new http.Agent() } : {}),
    };
    if (typeof creds.appKey === 'string' && creds.appKey !== '') {
      return new TwitterApi(
        {
          appKey: credential(conn, 'appKey'),
          appSecret: credential(conn, 'appSecret'),
          accessToken: credential(conn, 'accessToken'),
          accessSecret: credential(conn, 'accessSecret'),
        },
        settings,
      );
    }
    return new TwitterApi(credential(conn, 'accessToken'), settings);
  }

  private async me(client: TwitterApi): Promise<{ id: string; username: string; name: string }> {
    const res = await call(() => client.v2.me(), READ);
    return res.data;
  }

  private async username(conn: Connection, client: TwitterApi): Promise<string> {
    const handle = conn.channel.accountHandle?.replace(/^@/, '').trim();
    return handle ? handle : (await this.me(client)).username;
  }

  /** v2 chunked upload of each image, then its alt text (POST /2/media/metadata, at most 1000 characters). */
  private async upload(client: TwitterApi, media: MediaItem[]): Promise<MediaIds> {
    const ids: string[] = [];
    for (const item of media) {
      const bytes = await item.read();
      // mimeType was sniffed from the bytes; X refuses a type it does not take with its own message.
      const id = await call(() => client.v2.uploadMedia(bytes, { media_type: item.mimeType as EUploadMimeType }), REPEATABLE_WRITE);
      if (item.altText.trim() !== '') {
        await call(() => client.v2.createMediaMetadata(id, { alt_text: { text: item.altText } }), REPEATABLE_WRITE);
      }
      ids.push(id);
    }
    // publish() refused more than MAX_MEDIA items, so the library's 1-to-4 tuple type holds.
    return ids as MediaIds;
  }
}

/** The id this tweet replies to, if any. */
function repliesTo(t: TweetV2): string | undefined {
  return t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
}

function toMetrics(t: TweetV2): Metrics {
  const pub = t.public_metrics;
  const priv = t.non_public_metrics;
  const organic = t.organic_metrics;
  return {
    likes: pub?.like_count ?? organic?.like_count ?? null,
    reposts: pub?.retweet_count ?? organic?.retweet_count ?? null,
    replies: pub?.reply_count ?? organic?.reply_count ?? null,
    quotes: pub?.quote_count ?? null,
    impressions: pub?.impression_count ?? priv?.impression_count ?? organic?.impression_count ?? null,
    clicks: priv?.url_link_clicks ?? organic?.url_link_clicks ?? null,
  };
}

/**
 * twitter-api-v2 has no base-URL option: rewrite its hard-coded hosts to the configured ones (before the
 * OAuth 1.0a signature is computed, so it signs the URL actually called), and bound every call with
 * options.timeoutMs (an AbortSignal: the library's own `timeout` is a socket idle timeout, not a deadline).
 */
function redirectPlugin(options: PlatformOptions): ITwitterApiClientPlugin {
  const api = options.baseUrls.x.replace(/\/+$/, '');
  const upload = options.baseUrls.xUpload.replace(/\/+$/, '');
  return {
    onBeforeRequestConfig({ params }) {
      if (params.url.startsWith(X_API)) params.url = api + params.url.slice(X_API.length);
      else if (params.url.startsWith(X_UPLOAD)) {
        params.url = upload + params.url.slice(X_UPLOAD.length);
        // The library picks multipart for v1.1 uploads by host name; keep it once the host is rewritten.
        if (params.url.endsWith('/1.1/media/upload.json')) params.forceBodyMode ??= 'form-data';
      }
    },
    onBeforeRequest({ requestOptions }) {
      requestOptions.signal = AbortSignal.timeout(options.timeoutMs);
    },
  };
}

/** Runs one library call; every failure comes out as a PlatformError with no credential in it. */
async function call<T>(fn: () => Promise<T>, kind: CallKind): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyXFailure(err, kind);
  }
}
