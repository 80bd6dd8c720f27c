import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import { conflict, notFound } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { platformFailure } from '#src/modules/channels/platform-failure.js';
import { publishedRecord } from '#src/modules/publishing/published-record.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { publicationText } from '#src/modules/publishing/publication-text.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { allows, hasGoneOut, type HoldKind, type TargetStatus, type TransitionCode } from '#src/modules/publishing/target-transitions.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { Tx } from '#src/storage/tx.js';

/** The review transitions a post's own targets follow. */
type ReviewCode = Extract<TransitionCode, 'submitted' | 'approved' | 'rejected' | 'edited_draft' | 'edited_review'>;

export interface Settlement {
  outcome: 'published' | 'not_published';
  url?: string;
  externalId?: string;
}

/**
 * The publication target's owner: every other module (posts, blackouts, institutions) changes a
 * target through these methods, which move it along the transition table (`target-transitions.ts`)
 * and write its event. Callers hold the transaction and have checked who may do what.
 */
@Injectable()
export class PublicationTargetsService {
  constructor(
    private readonly repo: TargetsRepository,
    private readonly channels: ChannelsService,
    private readonly adapters: PlatformAdapters,
    private readonly tx: Tx,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  forPosts(institutionId: string, postIds: string[]): Promise<PublicationTarget[]> {
    return this.repo.listForPosts(institutionId, postIds);
  }

  events(institutionId: string, targetIds: string[]) {
    return this.repo.events(institutionId, targetIds);
  }

  /** Gives a post its targets on `channelIds` (removing the others), new ones in the post's review state. */
  async setChannels(
    post: Pick<Post, 'institutionId' | 'id' | 'scheduledAt'>,
    channelIds: string[],
    status: TargetStatus,
    revision: number,
  ) {
    await this.repo.setForPost(post.institutionId, post.id, channelIds, status, revision, post.scheduledAt, this.clock.now());
  }

  /** Whether any of the post's targets has reached, or may have reached, its platform. */
  async goneOut(institutionId: string, postId: string): Promise<PublicationTarget[]> {
    return (await this.repo.listForPosts(institutionId, [postId])).filter(hasGoneOut);
  }

  /** The post's own targets follow its review; an edit after submission also gives them a new revision. */
  async followReview(post: Pick<Post, 'institutionId' | 'id' | 'scheduledAt'>, code: ReviewCode, raiseRevision = false): Promise<void> {
    await this.repo.setReviewTime(post.institutionId, post.id, post.scheduledAt);
    await this.repo.move(
      post.institutionId,
      { postId: post.id, templatesOnly: true },
      code,
      { at: this.clock.now() },
      { holdKind: null, holdRef: null, queuedAt: null, ...(code === 'edited_review' ? { scheduledAt: post.scheduledAt } : {}) },
      { raiseRevision },
    );
  }

  /**
   * Gives the post's own targets a time: approved ones enter the pipeline; waiting ones move (a new
   * revision, so a job queued for the old time finds nothing to do); failed ones are sent again then.
   * Returns how many took the time.
   */
  async schedule(institutionId: string, postId: string, at: Date, code: 'scheduled' | 'rescheduled'): Promise<number> {
    const moved = await this.repo.move(
      institutionId,
      { postId, templatesOnly: true },
      code,
      { at: this.clock.now(), params: { at: at.toISOString() } },
      { scheduledAt: at, holdKind: null, holdRef: null, queuedAt: null, lastError: null },
      { raiseRevision: 'if_job', resetAttempts: true },
    );
    return moved.length;
  }

  /** Cancels what has not gone out of a post's targets (occurrences too; not a thread with parts out); returns the ids cancelled. */
  cancel(institutionId: string, postId: string): Promise<string[]> {
    return this.repo.move(
      institutionId,
      { postId, nothingSent: true },
      'cancelled',
      { at: this.clock.now() },
      { holdKind: null, holdRef: null },
    );
  }

  holdForBlackout(blackout: Blackout): Promise<number> {
    return this.repo.holdForBlackout(blackout, this.clock.now());
  }

  /** Releases what a hold of this kind (and reference) keeps, of one post or of the whole institution. */
  release(institutionId: string, kind: HoldKind, ref: string | null = null, postId: string | null = null): Promise<number> {
    return this.repo.release(institutionId, kind, ref, this.clock.now(), postId);
  }

  heldByBlackout(institutionId: string): Promise<Map<string, number>> {
    return this.repo.heldByBlackout(institutionId);
  }

  /**
   * An editor sends a failed publication again, once its cause is fixed: it goes out at the next
   * scheduler pass, after the parts of a thread already on the platform. Its due time stays the
   * original one, so the report counts its lateness from there.
   */
  async retry(institutionId: string, target: PublicationTarget, channel: Pick<Channel, 'displayName' | 'status'>): Promise<void> {
    if (!allows('retried', target.status))
      throw conflict('invalid_transition', `only a failed publication can be retried; this one is ${target.status}`, {
        status: target.status,
      });
    if (channel.status !== 'active')
      throw conflict('channel_not_active', `channel ${channel.displayName} is ${channel.status}: reconnect it before retrying`, {
        channelStatus: channel.status,
      });
    const moved = await this.repo.move(
      institutionId,
      { targetId: target.id },
      'retried',
      { at: this.clock.now() },
      { queuedAt: null, lastError: null },
      { raiseRevision: true, resetAttempts: true },
    );
    if (!moved.length) throw conflict('invalid_transition', 'the publication was changed by someone else meanwhile');
  }

  /**
   * A person settles a publication the platform could not confirm. "published" with the part's
   * external id resumes a thread after it (as replies to it); without one, the publication counts as
   * published as it stands. "not_published" sends it again at the next pass, after the parts already
   * recorded. Either way its due time stays, and a publication counts as published when it was sent.
   */
  async settle(post: Post, target: PublicationTarget, channel: Channel, primaryLanguage: string, s: Settlement): Promise<void> {
    if (!allows('settled_published', target.status))
      throw conflict(
        'invalid_transition',
        `only a publication waiting for confirmation can be settled by a person; this one is ${target.status}`,
        { status: target.status },
      );
    const now = this.clock.now();
    const parts = s.externalId ? [...target.externalParts, { externalId: s.externalId, url: s.url ?? null }] : target.externalParts;
    const totalParts = 1 + publicationText(post, channel, primaryLanguage).thread.length;
    const first = parts[0];
    const recorded = {
      externalParts: parts,
      externalId: first?.externalId ?? null,
      externalUrl: first ? (parts.length === 1 && s.url ? s.url : first.url) : (s.url ?? null),
    };
    const scope = { targetId: target.id };
    let moved: string[];
    if (s.outcome === 'published' && (!s.externalId || parts.length >= totalParts)) {
      const publishedAt = target.sendingAt ?? target.claimedAt ?? now;
      moved = await this.repo.move(
        post.institutionId,
        scope,
        'settled_published',
        { at: now },
        publishedRecord(parts, publishedAt, now, this.config.metrics.cadence, recorded.externalUrl),
      );
    } else {
      // Back to the scheduler with a new revision: the next pass queues it, and publishing continues after the recorded parts.
      moved = await this.repo.move(
        post.institutionId,
        scope,
        s.outcome === 'published' ? 'settled_partial' : 'settled_not_published',
        { at: now, params: s.outcome === 'published' ? { part: parts.length } : {} },
        { ...recorded, queuedAt: null, lastError: null },
        { raiseRevision: true },
      );
    }
    // Reconciliation may have settled it meanwhile: the person's answer then changed nothing, and is not recorded as if it had.
    if (!moved.length) throw conflict('invalid_transition', 'the publication was settled by someone else meanwhile');
  }

  /**
   * Takes a published post down from its platform, every part of a thread, last part first (a
   * reply never outlives its parent). The target becomes `withdrawn`; its record, its platform ids
   * and the reason stay. The platform is called outside any transaction; the move and `record` (the
   * caller's audit) commit together.
   */
  async withdraw(
    institutionId: string,
    target: PublicationTarget,
    channel: Channel,
    reason: string,
    record: (externalIds: string[]) => Promise<unknown>,
  ): Promise<void> {
    if (!allows('withdrawn', target.status))
      throw conflict('invalid_transition', `only a published post can be withdrawn; this one is ${target.status}`, {
        status: target.status,
      });
    const ids = (target.externalParts.length ? target.externalParts.map((part) => part.externalId) : [target.externalId!]).reverse();
    try {
      await this.adapters.for(channel.platform).delete(await this.channels.connection(channel), ids);
    } catch (err) {
      throw platformFailure(channel.platform, err, 'deleting the post');
    }
    await this.tx.run(async () => {
      const now = this.clock.now();
      const moved = await this.repo.move(
        institutionId,
        { targetId: target.id },
        'withdrawn',
        { at: now, params: { reason } },
        { withdrawnAt: now, metricsNextAt: null },
      );
      if (!moved.length) throw conflict('invalid_transition', 'the post was withdrawn by someone else meanwhile');
      await record(ids);
    });
  }

  async find(institutionId: string, postId: string, targetId: string): Promise<PublicationTarget> {
    const target = await this.repo.find(institutionId, targetId);
    if (!target || target.postId !== postId) throw notFound('publication target');
    return target;
  }
}
