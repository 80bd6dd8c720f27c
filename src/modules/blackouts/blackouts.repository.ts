import { Injectable } from '@nestjs/common';
import type { PageQuery } from '#src/common/pagination.js';
import { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class BlackoutsRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Blackout);
  }

  list(institutionId: string, q: PageQuery): Promise<[Blackout[], number]> {
    return this.repo.findAndCount({ where: { institutionId }, order: { startsAt: 'DESC' }, take: q.limit, skip: q.offset });
  }

  find(institutionId: string, blackoutId: string): Promise<Blackout | null> {
    return this.repo.findOneBy({ institutionId, id: blackoutId });
  }

  create(data: Omit<Blackout, 'id' | 'createdAt'>): Promise<Blackout> {
    return this.repo.save(this.repo.create(data));
  }

  async remove(institutionId: string, blackoutId: string): Promise<void> {
    await this.repo.delete({ institutionId, id: blackoutId });
  }

  /** How many targets each window holds now (by the hold reason it wrote), by window id. */
  async heldCounts(institutionId: string): Promise<Map<string, number>> {
    const rows: Array<{ blackout_id: string; n: number }> = await this.tx.manager.query(
      `SELECT substring(hold_reason FROM '^${BLACKOUT_HOLD_PREFIX} ([0-9a-f-]{36}):') AS blackout_id, count(*)::int AS n
         FROM publication_targets
        WHERE institution_id = $1 AND status = 'held' AND starts_with(hold_reason, '${BLACKOUT_HOLD_PREFIX} ')
        GROUP BY 1`,
      [institutionId],
    );
    return new Map(rows.filter((r) => r.blackout_id).map((r) => [r.blackout_id, r.n]));
  }

  /** The first window covering `at` on `channelId` (or on all channels), if any. */
  covering(institutionId: string, channelId: string, at: Date): Promise<Blackout | null> {
    return this.repo
      .createQueryBuilder('b')
      .where(`b.id = ${coveringBlackoutSql(':institutionId', ':channelId', ':at')}`, { institutionId, channelId, at })
      .getOne();
  }

  /**
   * Holds the targets not yet claimed whose time falls inside the window, unless
   * their post has an admin's override. Returns how many.
   */
  async holdInside(b: Blackout, now: Date): Promise<number> {
    const held: Array<{ id: string; attempts: number; old_status: string }> = await this.tx.manager.query(
      `WITH inside AS (
         SELECT t.id, t.status AS old_status FROM publication_targets t JOIN posts p ON p.id = t.post_id
          WHERE p.blackout_override_reason IS NULL
            AND t.institution_id = $1 AND t.status IN ('scheduled', 'queued')
            AND t.scheduled_at >= $2 AND t.scheduled_at < $3
            AND (cardinality($4::uuid[]) = 0 OR t.channel_id = ANY ($4::uuid[]))
          FOR UPDATE OF t),
       held AS (
         UPDATE publication_targets t SET status = 'held', hold_reason = $5, revision = t.revision + 1, updated_at = $6
           FROM inside i WHERE t.id = i.id
          RETURNING t.id, t.attempts, i.old_status)
       SELECT * FROM held`,
      [b.institutionId, b.startsAt, b.endsAt, b.channelIds, holdReason(b), now],
    );
    if (held.length) {
      await this.tx.manager.query(
        `INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome)
         SELECT unnest($1::uuid[]), $2, $3, unnest($4::int[]), unnest($5::text[]), 'held', $6`,
        [
          held.map((h) => h.id),
          b.institutionId,
          now,
          held.map((h) => h.attempts),
          held.map((h) => h.old_status),
          `window created: ${holdReason(b)}`,
        ],
      );
    }
    return held.length;
  }
}

/** How a hold by this window reads on a target; the publish processor and the release use the prefix. */
/**
 * SQL for the id of the first window covering `at` on `channel` (or on all channels), given as SQL
 * expressions (parameters or columns): the one rule for covering(), and for the publish job's claim,
 * which reads it in the same statement.
 */
export function coveringBlackoutSql(institutionId: string, channelId: string, at: string): string {
  return `(SELECT b.id FROM blackouts b
            WHERE b.institution_id = ${institutionId} AND b.starts_at <= ${at} AND b.ends_at > ${at}
              AND (b.channel_ids = '{}' OR ${channelId} = ANY (b.channel_ids))
            ORDER BY b.starts_at LIMIT 1)`;
}

export const BLACKOUT_HOLD_PREFIX = 'blackout';
export function holdReason(b: Pick<Blackout, 'reason' | 'id'>): string {
  return `${BLACKOUT_HOLD_PREFIX} ${b.id}: ${b.reason}`;
}
