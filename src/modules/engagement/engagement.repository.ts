import { Injectable } from '@nestjs/common';
import { Channel, type Platform } from '#src/modules/channels/channel.entity.js';
import type { Metrics } from '#src/platforms/platform-adapter.js';
import { Tx } from '#src/storage/tx.js';

const COLLECTION_LOCK_KEY = 7_400_117_006;

/** A published target whose engagement is due, leased to the job that will collect it. */
export interface DueForMetrics {
  institutionId: string;
  channelId: string;
  platform: Platform;
  targetId: string;
  /** When it was due (before the lease moved it on). */
  dueAt: Date;
}

/** What a collection needs of a target: the first part's id on the platform and its age. */
export interface CollectableTarget {
  id: string;
  externalId: string;
  publishedAt: Date;
}

export interface Snapshot {
  targetId: string;
  collectedAt: Date;
  metrics: Metrics;
}

const METRIC_COLUMNS = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;

/** Engagement collection's reads and writes: due targets, snapshots (append only), the next time of each target, channel pauses. */
@Injectable()
export class EngagementRepository {
  constructor(private readonly tx: Tx) {}

  /** The collection cron's lock for the rest of the transaction; false when another process holds it. Across institutions: a system job. */
  async tryCollectionLock(): Promise<boolean> {
    const [{ locked }] = (await this.tx.manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [COLLECTION_LOCK_KEY])) as Array<{
      locked: boolean;
    }>;
    return locked;
  }

  /**
   * Published targets due by `now` on active channels whose metrics are not paused, their
   * `metrics_next_at` moved on to `leaseUntil` so that later passes leave them to the job being
   * added for them; the job sets the real next time, and a lost job's targets come back when the
   * lease ends. Across institutions: the collection cron's job.
   * (UPDATE ... RETURNING sits in a CTE: TypeORM's query() answers [rows, count] for a bare UPDATE.)
   */
  async leaseDue(now: Date, leaseUntil: Date, limit: number): Promise<DueForMetrics[]> {
    const rows: Array<{ institution_id: string; channel_id: string; platform: Platform; id: string; due_at: Date }> =
      await this.tx.manager.query(
        `WITH due AS (
         SELECT t.id, t.institution_id, t.channel_id, c.platform, t.metrics_next_at AS due_at
           FROM publication_targets t
           JOIN channels c ON c.id = t.channel_id AND c.institution_id = t.institution_id
          WHERE t.metrics_next_at <= $1 AND t.status = 'published' AND t.external_id IS NOT NULL
            AND c.status = 'active' AND (c.metrics_paused_until IS NULL OR c.metrics_paused_until <= $1)
          ORDER BY t.metrics_next_at
          LIMIT $3
          FOR UPDATE OF t SKIP LOCKED),
       leased AS (
         UPDATE publication_targets t SET metrics_next_at = $2 FROM due WHERE t.id = due.id
         RETURNING due.institution_id, due.channel_id, due.platform, due.id, due.due_at)
       SELECT * FROM leased`,
        [now, leaseUntil, limit],
      );
    return rows.map((r) => ({
      institutionId: r.institution_id,
      channelId: r.channel_id,
      platform: r.platform,
      targetId: r.id,
      dueAt: r.due_at,
    }));
  }

  /** The channel of a metrics job, or null when it is gone. */
  channel(institutionId: string, channelId: string): Promise<Channel | null> {
    return this.tx.manager.getRepository(Channel).findOneBy({ institutionId, id: channelId });
  }

  /**
   * Of these targets, those still published and still holding the job's lease: not withdrawn
   * meanwhile, not collected already by an earlier run of the same job, not leased again to a newer one.
   */
  async collectable(institutionId: string, channelId: string, targetIds: string[], leasedUntil: Date): Promise<CollectableTarget[]> {
    if (targetIds.length === 0) return [];
    const rows: Array<{ id: string; external_id: string; published_at: Date }> = await this.tx.manager.query(
      `SELECT id, external_id, published_at FROM publication_targets
        WHERE institution_id = $1 AND channel_id = $2 AND id = ANY($3::uuid[]) AND metrics_next_at = $4
          AND status = 'published' AND external_id IS NOT NULL AND published_at IS NOT NULL`,
      [institutionId, channelId, targetIds, leasedUntil],
    );
    return rows.map((r) => ({ id: r.id, externalId: r.external_id, publishedAt: r.published_at }));
  }

  /**
   * Appends snapshots (the rollups follow by trigger). Only targets of this institution are
   * taken; a second snapshot of a target at the same instant (a duplicate job) is dropped.
   */
  async appendSnapshots(institutionId: string, snapshots: Snapshot[]): Promise<number> {
    if (snapshots.length === 0) return 0;
    const inserted: unknown[] = await this.tx.manager.query(
      `WITH added AS (
         INSERT INTO metric_snapshots (target_id, institution_id, collected_at, ${METRIC_COLUMNS.join(', ')})
         SELECT v.target_id, t.institution_id, v.collected_at, ${METRIC_COLUMNS.map((c) => `v.${c}`).join(', ')}
           FROM unnest($2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bigint[], $9::int[])
                AS v(target_id, collected_at, ${METRIC_COLUMNS.join(', ')})
           JOIN publication_targets t ON t.id = v.target_id AND t.institution_id = $1
         ON CONFLICT (target_id, collected_at) DO NOTHING
         RETURNING 1)
       SELECT * FROM added`,
      [
        institutionId,
        snapshots.map((s) => s.targetId),
        snapshots.map((s) => s.collectedAt),
        ...METRIC_COLUMNS.map((c) => snapshots.map((s) => s.metrics[c])),
      ],
    );
    return inserted.length;
  }

  /**
   * Sets when each target is next collected (null: collection stops), for targets still holding
   * the lease (a target withdrawn meanwhile keeps its null). Returns the targets it set.
   */
  async scheduleNext(institutionId: string, leasedUntil: Date, next: Array<{ targetId: string; at: Date | null }>): Promise<string[]> {
    if (next.length === 0) return [];
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `WITH moved AS (
         UPDATE publication_targets t SET metrics_next_at = v.at
           FROM unnest($2::uuid[], $3::timestamptz[]) AS v(id, at)
          WHERE t.institution_id = $1 AND t.id = v.id AND t.status = 'published' AND t.metrics_next_at = $4
          RETURNING t.id)
       SELECT id FROM moved`,
      [institutionId, next.map((n) => n.targetId), next.map((n) => n.at), leasedUntil],
    );
    return rows.map((r) => r.id);
  }

  /** Pauses metrics collection on a channel (never publishing: `rate_limited_until` and `status` are publishing's), saying why. */
  async pauseChannel(institutionId: string, channelId: string, until: Date, error: string): Promise<void> {
    await this.tx.manager
      .getRepository(Channel)
      .update({ institutionId, id: channelId }, { metricsPausedUntil: until, metricsLastError: error });
  }

  /** After a collection that worked: the channel's last metrics error is history. */
  async clearChannelError(institutionId: string, channelId: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE channels SET metrics_last_error = NULL WHERE institution_id = $1 AND id = $2 AND metrics_last_error IS NOT NULL`,
      [institutionId, channelId],
    );
  }
}
