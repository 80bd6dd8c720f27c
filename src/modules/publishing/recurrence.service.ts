import { Injectable, Logger } from '@nestjs/common';
import { checkRecurrence, occurrences } from '#src/common/recurrence.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';

/** How far ahead a recurring post's occurrences exist as targets, and how many one pass creates. */
export const RECURRENCE_HORIZON_DAYS = 14;
const MAX_PER_PASS = 100;

type RecurringPost = Pick<Post, 'id' | 'institutionId' | 'recurrence' | 'scheduledAt' | 'timeZone'>;

/**
 * A recurring post's occurrences become targets ahead of time, one per channel
 * and occurrence, each with its own state. Its per-channel targets without an
 * occurrence carry the review (approved) and act as the template.
 */
@Injectable()
export class RecurrenceService {
  private readonly log = new Logger(RecurrenceService.name);

  constructor(private readonly targets: TargetsRepository) {}

  /** Creates the occurrences due before now + horizon that do not exist yet. Returns how many. */
  async materialize(post: RecurringPost, now: Date): Promise<number> {
    if (!post.recurrence || !post.scheduledAt || !post.timeZone) return 0;
    // A rule stored before rules were checked (more often than hourly) is never expanded: that froze the server.
    if ('problem' in checkRecurrence(post.recurrence)) {
      this.log.warn(
        { postId: post.id, recurrence: post.recurrence },
        'recurring post not expanded: its rule repeats more often than hourly',
      );
      return 0;
    }
    const last = await this.targets.lastOccurrence(post.institutionId, post.id);
    const from = last ? new Date(last.getTime() + 1) : post.scheduledAt;
    const until = new Date(now.getTime() + RECURRENCE_HORIZON_DAYS * 86_400_000);
    const due = occurrences(post.recurrence, post.scheduledAt, post.timeZone, from, until, MAX_PER_PASS);
    if (due.length === 0) return 0;
    return this.targets.addOccurrences(post.institutionId, post.id, due, now);
  }

  /** Removes occurrences nothing has been done with yet (before a new review or a new first time). */
  discardPending(institutionId: string, postId: string): Promise<void> {
    return this.targets.discardPendingOccurrences(institutionId, postId);
  }

  /** Approved recurring posts whose horizon needs extending (for the scheduler). */
  postsToExtend(now: Date, limit: number): Promise<RecurringPost[]> {
    return this.targets.recurringToExtend(new Date(now.getTime() + (RECURRENCE_HORIZON_DAYS - 1) * 86_400_000), limit);
  }
}
