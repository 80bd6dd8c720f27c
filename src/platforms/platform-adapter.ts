import type { Channel } from '#src/modules/channels/channel.entity.js';
import type { PostMedia } from '#src/modules/posts/post.entity.js';

/** How a platform refused or failed; decides what the pipeline does next. */
export type PlatformErrorKind = 'auth' | 'rate_limit' | 'duplicate' | 'invalid' | 'transient' | 'ambiguous';

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    /** For rate_limit: when the platform says we may send again. */
    readonly resetAt?: Date,
  ) {
    super(message);
  }
}

export interface PublishRequest {
  /** Stable per target and revision: a retry of the same publication carries the same key. */
  idempotencyKey: string;
  targetId: string;
  channel: Pick<Channel, 'id' | 'institutionId' | 'platform' | 'settings' | 'accountHandle'>;
  credentials: Record<string, string> | null;
  language: string;
  text: string;
  thread: string[];
  media: PostMedia[];
}

export interface Published {
  externalId: string;
  url: string | null;
}

/** One per platform, behind one interface (the real platforms come with issue 5). */
export interface PlatformAdapter {
  publish(req: PublishRequest): Promise<Published>;
  /** After an ambiguous outcome: did the publication go out? Asked before anything is sent again. */
  findPublished(req: PublishRequest): Promise<Published | null>;
}
