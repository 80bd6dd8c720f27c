import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import { conflict, DomainError, invalid } from '#src/common/domain-error.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { PostContentService, summarise } from '#src/modules/posts/post-content.service.js';
import { revisionContent, type RevisionEvent } from '#src/modules/posts/post-revision.entity.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { hasGoneOut } from '#src/modules/publishing/target-transitions.js';
import { Tx } from '#src/storage/tx.js';

/** A cancellation that stopped what had not gone out and left what had (a publication is withdrawn, not cancelled). */
export interface Cancellation {
  cancelledTargetIds: string[];
  kept: Array<{ targetId: string; channelId: string; status: string }>;
}

/**
 * The approval workflow: submit, approve or reject, a time, cancellation, the blackout override.
 * The post's own state is written here; its targets follow through the publishing module.
 */
@Injectable()
export class PostReviewService {
  constructor(
    private readonly repo: PostsRepository,
    private readonly posts: PostAccess,
    private readonly content: PostContentService,
    private readonly views: PostViewsService,
    private readonly targets: PublicationTargetsService,
    private readonly blackouts: BlackoutsService,
    private readonly recurrence: RecurrenceService,
    private readonly audit: AuditService,
    private readonly tx: Tx,
    private readonly clock: Clock,
  ) {}

  /** draft or rejected -> in_review, once every target channel accepts every variant. */
  async submit(p: Principal, postId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.submit', undefined, true);
      if (post.status !== 'draft' && post.status !== 'rejected')
        throw conflict('invalid_transition', `only a draft or rejected post can be submitted; this one is ${post.status}`);
      const channelIds = await this.ownChannels(post);
      const report = await this.content.report(post.institutionId, {
        variants: post.variants,
        channelIds,
        channelOverrides: post.channelOverrides,
        media: post.media,
      });
      if (channelIds.length === 0) report.problems.push({ code: 'no_channels', message: 'choose at least one channel before submitting' });
      if (report.problems.length || !report.ok)
        throw invalid('post_invalid', 'the post cannot be submitted yet: ' + summarise(report), report);
      await this.setStatus(p, post, 'in_review', 'post.submitted');
      await this.targets.followReview(post, 'submitted');
      await this.recordRevision(p, post, 'submitted', channelIds);
      return this.views.view(post.institutionId, post.id);
    });
  }

  /** in_review -> approved, by an editor or admin who neither wrote nor edited it. */
  async approve(p: Principal, postId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.approve', undefined, true);
      if (post.status !== 'in_review')
        throw conflict('invalid_transition', `only a post in review can be approved; this one is ${post.status}`);
      if ((await this.repo.authors(post.id)).includes(p.userId)) {
        throw new DomainError('self_approval', 'you wrote or edited this post: another editor must approve it');
      }
      if (post.scheduledAt && !post.blackoutOverrideReason)
        await this.blackouts.assertOpen(post.institutionId, await this.ownChannels(post), post.scheduledAt);
      await this.repo.update(post.institutionId, post.id, { approvedBy: p.userId, approvedAt: this.clock.now() });
      await this.setStatus(p, post, 'approved', 'post.approved');
      await this.targets.followReview(post, 'approved');
      await this.recordRevision(p, post, 'approved');
      // Approved with a time: its targets (or a recurring post's occurrences) enter the publishing pipeline.
      if (post.scheduledAt && post.recurrence) await this.recurrence.materialize(post, this.clock.now());
      else if (post.scheduledAt) await this.targets.schedule(post.institutionId, post.id, post.scheduledAt, 'scheduled');
      return this.views.view(post.institutionId, post.id);
    });
  }

  async reject(p: Principal, postId: string, reason: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.reject', undefined, true);
      if (post.status !== 'in_review')
        throw conflict('invalid_transition', `only a post in review can be rejected; this one is ${post.status}`);
      await this.repo.update(post.institutionId, post.id, { rejectionReason: reason.trim() });
      await this.setStatus(p, post, 'rejected', 'post.rejected', { reason: reason.trim() });
      await this.targets.followReview(post, 'rejected');
      await this.recordRevision(p, post, 'rejected', undefined, reason.trim());
      return this.views.view(post.institutionId, post.id);
    });
  }

  /**
   * Sets or changes the time of an approved post. Its publications that have not gone out take the
   * new time (a failed one is sent again then); what has gone out is left alone. 409 when none can.
   */
  async schedule(p: Principal, postId: string, scheduledAt: string, timeZone?: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.schedule', undefined, true);
      if (post.status !== 'approved')
        throw conflict(
          'invalid_transition',
          `only an approved post can be scheduled; this one is ${post.status} (a draft's time is set by editing it)`,
        );
      const schedule = await this.content.schedule(post.institutionId, scheduledAt, timeZone, post.recurrence);
      if (!post.blackoutOverrideReason)
        await this.blackouts.assertOpen(post.institutionId, await this.ownChannels(post), schedule.scheduledAt!);
      await this.repo.update(post.institutionId, post.id, schedule);
      if (post.recurrence) {
        await this.recurrence.discardPending(post.institutionId, post.id);
        await this.recurrence.materialize({ ...post, ...schedule }, this.clock.now());
      } else {
        const moved = await this.targets.schedule(post.institutionId, post.id, schedule.scheduledAt!, 'rescheduled');
        if (moved === 0) {
          const targets = await this.targets.forPosts(post.institutionId, [post.id]);
          throw conflict(
            'nothing_to_schedule',
            `none of this post's publications can take a new time: ${targets.map((t) => t.status).join(', ')}`,
            { targets: targets.map((t) => ({ targetId: t.id, channelId: t.channelId, status: t.status })) },
          );
        }
      }
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.scheduled',
        targetType: 'post',
        targetId: post.id,
        data: { scheduledAt: schedule.scheduledAt, timeZone: schedule.timeZone },
      });
      return this.views.view(post.institutionId, post.id);
    });
  }

  /**
   * Stops every publication of the post that has not gone out. When nothing had gone out, the post
   * is cancelled; when some had, the post keeps its state and the answer names what was kept
   * (withdraw a publication to take it down). 409 when everything had already gone out.
   */
  async cancel(p: Principal, postId: string): Promise<PostView & { cancellation: Cancellation }> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.cancel', undefined, true);
      if (post.status === 'cancelled') throw conflict('invalid_transition', 'the post is already cancelled');
      const cancelledTargetIds = await this.targets.cancel(post.institutionId, post.id);
      const kept = (await this.targets.forPosts(post.institutionId, [post.id]))
        .filter(hasGoneOut)
        .map((t) => ({ targetId: t.id, channelId: t.channelId, status: t.status }));
      if (kept.length && cancelledTargetIds.length === 0)
        throw conflict(
          'already_published',
          `nothing of this post is left to cancel: its publications are ${[...new Set(kept.map((k) => k.status))].join(', ')} (withdraw a published one to take it down)`,
          { kept },
        );
      if (kept.length === 0) await this.setStatus(p, post, 'cancelled', 'post.cancelled');
      else
        await this.audit.record({
          institutionId: post.institutionId,
          actorId: p.userId,
          action: 'post.cancelled',
          targetType: 'post',
          targetId: post.id,
          data: { revision: post.revision, from: post.status, cancelledTargetIds, kept },
        });
      return { ...(await this.views.view(post.institutionId, post.id)), cancellation: { cancelledTargetIds, kept } };
    });
  }

  /**
   * An admin's override: this post may be published inside blackout windows
   * (emergency information). Needs a reason; audited; releases what a window held.
   */
  async overrideBlackout(p: Principal, postId: string, reason: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.override_blackout', undefined, true);
      if (post.status === 'cancelled') throw conflict('invalid_transition', 'the post is cancelled');
      await this.repo.update(post.institutionId, post.id, { blackoutOverrideReason: reason.trim(), blackoutOverrideBy: p.userId });
      const released = await this.targets.release(post.institutionId, 'blackout', null, post.id);
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.blackout_overridden',
        targetType: 'post',
        targetId: post.id,
        data: { reason: reason.trim(), released },
      });
      return this.views.view(post.institutionId, post.id);
    });
  }

  /** The channels of the post's own targets (not a recurring post's occurrences). */
  private async ownChannels(post: Post): Promise<string[]> {
    return (await this.targets.forPosts(post.institutionId, [post.id])).filter((t) => !t.occurrenceAt).map((t) => t.channelId);
  }

  private async setStatus(p: Principal, post: Post, status: Post['status'], action: string, data: Record<string, unknown> = {}) {
    await this.repo.update(post.institutionId, post.id, { status });
    await this.audit.record({
      institutionId: post.institutionId,
      actorId: p.userId,
      action,
      targetType: 'post',
      targetId: post.id,
      data: { revision: post.revision, from: post.status, ...data },
    });
  }

  /** Appends a snapshot of what was reviewed (inside the caller's transaction, the post locked). */
  private async recordRevision(p: Principal, post: Post, event: RevisionEvent, channelIds?: string[], reason?: string): Promise<void> {
    await this.repo.addRevision({
      postId: post.id,
      institutionId: post.institutionId,
      event,
      content: revisionContent(post, channelIds ?? (await this.ownChannels(post))),
      reason: reason ?? null,
      recordedBy: p.userId,
      recordedAt: this.clock.now(),
    });
  }
}
