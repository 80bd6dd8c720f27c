import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import {
  PlatformError,
  type AccountInfo,
  type Connection,
  type Metrics,
  type PlatformAdapter,
  type PublishedPart,
  type PublishRequest,
  type Reconciled,
} from '#src/platforms/platform-adapter.js';
import { simulatedEngagement } from '#src/platforms/sandbox/sandbox-engagement.js';
import { SANDBOX_STORE, type SandboxStore, type SandboxStoredPost } from '#src/platforms/sandbox/sandbox-store.js';

/**
 * Failure injection, set per sandbox channel in `settings.sandbox`, for training
 * and tests: `failRate` (0..1) of transient failures, `fail` to force one kind
 * of error on every call, `latencyMs` before answering, `ambiguousAfterWrite`
 * (0..1) to store the post and then answer as if the connection was lost,
 * `unconfirmable` to answer reconciliation as a platform that cannot be asked
 * (Telegram): an unconfirmed publication then waits for a person.
 */
export interface SandboxBehaviour {
  failRate?: number;
  /** Fail the first N calls for each publication with a temporary error, then succeed. */
  failFirst?: number;
  fail?: 'auth' | 'rate_limit' | 'invalid' | 'transient' | 'ambiguous';
  latencyMs?: number;
  ambiguousAfterWrite?: number;
  /** Wait this long after storing the post before answering (a worker may die in between). */
  latencyAfterWriteMs?: number;
  rateLimitResetSeconds?: number;
  unconfirmable?: boolean;
}

/** Publishes into CivicPost's own sandbox feed: nothing leaves CivicPost. */
@Injectable()
export class SandboxAdapter implements PlatformAdapter {
  readonly platform = 'sandbox' as const;
  readonly metricsBatchSize = 100;
  /** Calls seen per idempotency key, for failFirst (training only: kept in this process). */
  private readonly calls = new Map<string, number>();

  constructor(
    @Inject(SANDBOX_STORE) private readonly store: SandboxStore,
    private readonly clock: Clock,
  ) {}

  async verify(conn: Connection): Promise<AccountInfo> {
    return {
      id: conn.channel.id,
      handle: conn.channel.accountHandle ?? 'sandbox',
      displayName: 'Sandbox feed (nothing leaves CivicPost)',
      url: `/sandbox/${conn.channel.id}`,
    };
  }

  /** The whole thread is one feed entry, so a sandbox publication has one part. */
  async publish(req: PublishRequest): Promise<PublishedPart[]> {
    if (req.publishedParts.length > 0) return req.publishedParts;
    const b = (req.channel.settings.sandbox ?? {}) as SandboxBehaviour;
    if (b.latencyMs) await new Promise((r) => setTimeout(r, Math.min(b.latencyMs!, 120_000)));
    if (b.fail === 'rate_limit') {
      throw new PlatformError(
        'rate_limit',
        'sandbox: rate limited',
        new Date(this.clock.now().getTime() + (b.rateLimitResetSeconds ?? 60) * 1000),
      );
    }
    if (b.fail && b.fail !== 'ambiguous') throw new PlatformError(b.fail, `sandbox: injected ${b.fail} failure`);
    if (b.fail === 'ambiguous') throw new PlatformError('ambiguous', 'sandbox: injected lost connection before the answer');
    if (b.failRate && Math.random() < b.failRate) throw new PlatformError('transient', 'sandbox: injected transient failure');
    if (b.failFirst) {
      const seen = (this.calls.get(req.idempotencyKey) ?? 0) + 1;
      this.calls.set(req.idempotencyKey, seen);
      if (seen <= b.failFirst) throw new PlatformError('transient', `sandbox: injected transient failure ${seen} of ${b.failFirst}`);
    }
    // The idempotency key is unique in the feed, as a platform's would be: a retry finds the first post.
    const published = [await this.save(req)];
    if (b.latencyAfterWriteMs) await new Promise((r) => setTimeout(r, Math.min(b.latencyAfterWriteMs!, 120_000)));
    if (b.ambiguousAfterWrite && Math.random() < b.ambiguousAfterWrite) {
      throw new PlatformError('ambiguous', 'sandbox: injected lost connection after the post was stored');
    }
    return published;
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    if ((req.channel.settings.sandbox as SandboxBehaviour | undefined)?.unconfirmable) {
      return { status: 'unknown', reason: 'sandbox: set to model a platform that cannot be asked' };
    }
    const found = await this.store.findByIdempotencyKey(req.channel.institutionId, req.idempotencyKey);
    return found ? { status: 'found', part: toPublished(found) } : { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    if (externalIds.length === 0) return;
    await this.store.deleteByIds(conn.channel.institutionId, conn.channel.id, externalIds);
  }

  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const posts = externalIds.length ? await this.store.findByIds(conn.channel.institutionId, conn.channel.id, externalIds) : [];
    const now = this.clock.now();
    return new Map(
      posts.map((p) => {
        const e = simulatedEngagement(p.id, p.publishedAt, now);
        return [p.id, { likes: e.likes, reposts: e.reposts, replies: e.replies, quotes: null, impressions: e.views, clicks: null }];
      }),
    );
  }

  private async save(req: PublishRequest): Promise<PublishedPart> {
    const stored = await this.store.insert({
      institutionId: req.channel.institutionId,
      channelId: req.channel.id,
      idempotencyKey: req.idempotencyKey,
      text: req.text,
      thread: req.thread,
      media: req.media,
      publishedAt: this.clock.now(),
    });
    if (!stored) throw new PlatformError('duplicate', 'sandbox: a post with this idempotency key exists');
    return toPublished(stored);
  }
}

function toPublished(p: SandboxStoredPost): PublishedPart {
  return { externalId: p.id, url: `/sandbox/${p.channelId}#${p.id}` };
}
