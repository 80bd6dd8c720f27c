import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Clock } from '#src/common/clock.js';
import { simulatedEngagement, type Engagement } from '#src/platforms/sandbox-engagement.js';
import { SandboxPost } from '#src/modules/publishing/target-event.entity.js';
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
import { Tx } from '#src/storage/tx.js';

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
    private readonly tx: Tx,
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
    const published = [await this.store(req)];
    if (b.latencyAfterWriteMs) await new Promise((r) => setTimeout(r, Math.min(b.latencyAfterWriteMs!, 120_000)));
    if (b.ambiguousAfterWrite && Math.random() < b.ambiguousAfterWrite) {
      throw new PlatformError('ambiguous', 'sandbox: injected lost connection after the post was stored');
    }
    return published;
  }

  /** The feed of one sandbox channel, newest first, each post with its simulated engagement now. */
  async feed(
    institutionId: string,
    channelId: string,
    limit: number,
    offset: number,
  ): Promise<[Array<SandboxPost & { engagement: Engagement }>, number]> {
    const [items, total] = await this.tx.manager
      .getRepository(SandboxPost)
      .findAndCount({ where: { institutionId, channelId }, order: { publishedAt: 'DESC' }, take: limit, skip: offset });
    const now = this.clock.now();
    return [items.map((i) => ({ ...i, engagement: simulatedEngagement(i.id, i.publishedAt, now) })), total];
  }

  async findPublished(req: PublishRequest): Promise<Reconciled> {
    if ((req.channel.settings.sandbox as SandboxBehaviour | undefined)?.unconfirmable) {
      return { status: 'unknown', reason: 'sandbox: set to model a platform that cannot be asked' };
    }
    const found = await this.tx.manager.getRepository(SandboxPost).findOneBy({ idempotencyKey: req.idempotencyKey });
    return found ? { status: 'found', part: toPublished(found) } : { status: 'absent' };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    if (externalIds.length === 0) return;
    await this.tx.manager
      .getRepository(SandboxPost)
      .delete({ institutionId: conn.channel.institutionId, channelId: conn.channel.id, id: In(externalIds) });
  }

  async fetchMetrics(conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    const posts = externalIds.length
      ? await this.tx.manager
          .getRepository(SandboxPost)
          .findBy({ institutionId: conn.channel.institutionId, channelId: conn.channel.id, id: In(externalIds) })
      : [];
    const now = this.clock.now();
    return new Map(
      posts.map((p) => {
        const e = simulatedEngagement(p.id, p.publishedAt, now);
        return [p.id, { likes: e.likes, reposts: e.reposts, replies: e.replies, quotes: null, impressions: e.views, clicks: null }];
      }),
    );
  }

  private async store(req: PublishRequest): Promise<PublishedPart> {
    const repo = this.tx.manager.getRepository(SandboxPost);
    const inserted: Array<{ id: string }> = await this.tx.manager.query(
      `INSERT INTO sandbox_posts (institution_id, channel_id, idempotency_key, text, thread, media, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        req.channel.institutionId,
        req.channel.id,
        req.idempotencyKey,
        req.text,
        JSON.stringify(req.thread),
        JSON.stringify(req.media),
        this.clock.now(),
      ],
    );
    if (inserted.length === 0) throw new PlatformError('duplicate', 'sandbox: a post with this idempotency key exists');
    return toPublished(await repo.findOneByOrFail({ id: inserted[0]!.id }));
  }
}

function toPublished(p: SandboxPost): PublishedPart {
  return { externalId: p.id, url: `/sandbox/${p.channelId}#${p.id}` };
}
