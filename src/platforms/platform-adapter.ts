/** How a platform refused or failed; decides what the pipeline does next. */
export type PlatformErrorKind = 'auth' | 'rate_limit' | 'duplicate' | 'invalid' | 'transient' | 'ambiguous';

/**
 * Every adapter turns every failure into one of these:
 * - `auth`: the credentials are refused (the channel needs reconnecting);
 * - `rate_limit`: wait until `resetAt` (from the platform's own headers or body);
 * - `duplicate`: the platform says it already has this post;
 * - `invalid`: a definite refusal of this content, `message` carries the platform's words;
 * - `transient`: nothing was written (connection refused, 5xx on a read or on an idempotent write); retry later;
 * - `ambiguous`: the request may have been applied (timeout or connection lost after sending, 5xx on a
 *   write that is not idempotent): ask the platform (`findPublished`) before sending again.
 */
export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    /** For rate_limit: when the platform says we may send again. */
    readonly resetAt?: Date,
    /** The HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** The channel as an adapter sees it: no credentials here (they come decrypted beside it). */
export interface ChannelRef {
  id: string;
  institutionId: string;
  /** A platform id of the registry (platform-registry.ts). */
  platform: string;
  /** Non-secret settings: `instanceUrl` (Mastodon), `serviceUrl` (Bluesky), `pageId` (Facebook), `organizationUrn` (LinkedIn), `chatId` (Telegram)... */
  settings: Record<string, unknown>;
  accountHandle: string | null;
}

/** A channel with its decrypted credentials: what every call needs. Never logged. */
export interface Connection {
  channel: ChannelRef;
  credentials: Record<string, string> | null;
}

/** Whom a channel posts as, shown when it is added or verified. */
export interface AccountInfo {
  /** The platform's id of the account (user id, DID, page id, organisation URN, chat id). */
  id: string;
  /** How people know it: `@name`, `name.bsky.social`, the page or channel title. */
  handle: string;
  displayName?: string;
  url?: string;
  /** Limits read from the platform, kept in the channel's settings (Mastodon: `maxCharacters`). */
  settings?: Record<string, unknown>;
}

/** One image of a post, read from CivicPost's media store, with its alt text in the post's language. */
export interface MediaItem {
  fileName: string;
  /** Sniffed from the bytes when uploaded, never taken from the file name. */
  mimeType: string;
  size: number;
  altText: string;
  read(): Promise<Buffer>;
}

/** One part of a published post (the first part, or a reply of its thread). */
export interface PublishedPart {
  externalId: string;
  url: string | null;
}

export interface PublishRequest extends Connection {
  /** Stable per target and revision: a retry of the same publication carries the same key. */
  idempotencyKey: string;
  targetId: string;
  language: string;
  /** The first part; media go with it. */
  text: string;
  /** Parts after the first, each a reply to the one before (X, Mastodon, Bluesky, Telegram). */
  thread: string[];
  media: MediaItem[];
  /**
   * Parts already on the platform from earlier attempts, first part first: publishing continues after
   * them, so a thread interrupted at part 3 does not post parts 1 and 2 again.
   */
  publishedParts: PublishedPart[];
}

/** Called after each part is on the platform, so the pipeline records it before the next one is sent. */
export type PartPublished = (part: PublishedPart, index: number) => Promise<void>;

/** The answer of a reconcile call about the next part not yet recorded (`publishedParts.length`). */
export type Reconciled =
  | { status: 'found'; part: PublishedPart }
  | { status: 'absent' }
  /** The platform offers no way to tell: a person must look (the target stays `unconfirmed`). */
  | { status: 'unknown'; reason: string };

/** Engagement of one post as the platform gives it; a metric the platform does not give is null, never 0. */
export interface Metrics {
  likes: number | null;
  reposts: number | null;
  replies: number | null;
  quotes: number | null;
  impressions: number | null;
  clicks: number | null;
}

/** One per platform, behind one interface. */
export interface PlatformAdapter {
  /** Its platform's id (the registry's). */
  readonly platform: string;
  /** How many post ids one metrics call takes (X 100, Bluesky 25, ...). */
  readonly metricsBatchSize: number;
  /** Checks the credentials and tells whom the channel posts as. */
  verify(conn: Connection): Promise<AccountInfo>;
  /** Publishes the parts not yet in `publishedParts`; returns every part, first part first. */
  publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]>;
  /** After an ambiguous outcome: is part number `req.publishedParts.length` on the platform? Asked before anything is sent again. */
  findPublished(req: PublishRequest): Promise<Reconciled>;
  /** Deletes these parts (external ids); one already gone is not an error. */
  delete(conn: Connection, externalIds: string[]): Promise<void>;
  /** Engagement of up to `metricsBatchSize` posts; ids the platform does not know are left out of the map. */
  fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>>;
}

/** Reads a required credential, or fails as `auth` naming it (the channel must be reconnected with it). */
export function credential(conn: Connection, name: string): string {
  const value = conn.credentials?.[name];
  if (typeof value !== 'string' || value === '') throw new PlatformError('auth', `the channel has no credential '${name}'`);
  return value;
}

/** Reads a required channel setting, or fails as `invalid` naming it. */
export function setting(conn: Connection, name: string): string {
  const value = conn.channel.settings[name];
  if (typeof value !== 'string' || value === '') throw new PlatformError('invalid', `the channel has no setting '${name}'`);
  return value;
}
