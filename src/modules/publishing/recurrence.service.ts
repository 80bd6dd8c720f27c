import { Injectable } from '@nestjs/common';
import { occurrences } from '#src/common/recurrence.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { Tx } from '#src/storage/tx.js';

/** How far ahead a recurring post's occurrences exist as targets, and how many one pass creates. */
export const RECURRENCE_HORIZON_DAYS = 14;
const MAX_PER_PASS = 100;

/**
 * A recurring post's occurrences become targets ahead of time, one per channel
 * and occurrence, each with its own state. Its per-channel targets without an
 * occurrence carry the review (approved) and act as the template.
 */
@Injectable()
export class RecurrenceService {
  constructor(private readonly tx: Tx) {}

  /** Creates the occurrences due before now + horizon that do not exist yet. Returns how many. */
  async materialize(post: Pick<Post, 'id' | 'institutionId' | 'recurrence' | 'scheduledAt' | 'timeZone'>, now: Date): Promise<number> {
    if (!post.recurrence || !post.scheduledAt || !post.timeZone) return 0;
    const [last]: Array<{ last: Date | null }> = await this.tx.manager.query(
      `SELECT max(occurrence_at) AS last FROM publication_targets WHERE institution_id = $1 AND post_id = $2`,
      [post.institutionId, post.id],
    );
    const from = last?.last ? new Date(last.last.getTime() + 1) : post.scheduledAt;
    const until = new Date(now.getTime() + RECURRENCE_HORIZON_DAYS * 86_400_000);
    const due = occurrences(post.recurrence, post.scheduledAt, post.timeZone, from, until, MAX_PER_PASS);
    if (due.length === 0) return 0;
    const created: Array<{ id: string }> = await this.tx.manager.query(
      `INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at, occurrence_at)
       SELECT t.institution_id, t.post_id, t.channel_id, 'scheduled', 1, o, o
         FROM publication_targets t, unnest($3::timestamptz[]) AS o
        WHERE t.institution_id = $1 AND t.post_id = $2 AND t.occurrence_at IS NULL
       ON CONFLICT DO NOTHING RETURNING id`,
      [post.institutionId, post.id, due],
    );
    if (created.length) {
      await this.tx.manager.query(
        `INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome)
         SELECT unnest($1::uuid[]), $2, $3, 0, NULL, 'scheduled', 'occurrence of a recurring post'`,
        [created.map((c) => c.id), post.institutionId, now],
      );
    }
    return created.length;
  }

  /** Removes occurrences nothing has been done with yet (before a new review or a new first time). */
  async discardPending(institutionId: string, postId: string): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM publication_targets WHERE institution_id = $1 AND post_id = $2 AND occurrence_at IS NOT NULL
         AND status IN ('scheduled', 'queued', 'held')`,
      [institutionId, postId],
    );
  }

  /** Approved recurring posts whose horizon needs extending (for the scheduler). */
  async postsToExtend(
    now: Date,
    limit: number,
  ): Promise<Array<Pick<Post, 'id' | 'institutionId' | 'recurrence' | 'scheduledAt' | 'timeZone'>>> {
    const rows: Array<{ id: string; institution_id: string; recurrence: string; scheduled_at: Date; time_zone: string }> =
      await this.tx.manager.query(
        `SELECT p.id, p.institution_id, p.recurrence, p.scheduled_at, p.time_zone FROM posts p
        WHERE p.status = 'approved' AND p.recurrence IS NOT NULL
          AND coalesce((SELECT max(occurrence_at) FROM publication_targets t WHERE t.post_id = p.id), p.scheduled_at) < $1
        LIMIT $2`,
        [new Date(now.getTime() + (RECURRENCE_HORIZON_DAYS - 1) * 86_400_000), limit],
      );
    return rows.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      recurrence: r.recurrence,
      scheduledAt: r.scheduled_at,
      timeZone: r.time_zone,
    }));
  }
}
