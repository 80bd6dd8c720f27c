import { Inject, Injectable } from '@nestjs/common';
import rrule from 'rrule';
import { Clock } from '#src/common/clock.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { nextCollectionAt } from '#src/modules/engagement/cadence.js';
import { instantOfField } from '#src/common/zoned-time.js';
import { conflict, DomainError, fieldError, forbidden, invalid, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import { assertCan } from '#src/modules/access/policy.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import type { CreatePostDto, PostListQuery, ResolveTargetDto, UpdatePostDto, ValidatePostDto } from '#src/modules/posts/dto/post.dto.js';
import type { ChannelOverride, Post, PostMedia, PostVariant, PublicationTarget } from '#src/modules/posts/post.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { revisionContent, type PostRevision, type RevisionEvent } from '#src/modules/posts/post-revision.entity.js';
import { MediaService } from '#src/modules/media/media.service.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { platformFailure } from '#src/modules/channels/platform-failure.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { BLACKOUT_HOLD_PREFIX } from '#src/modules/blackouts/blackouts.repository.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { publicationText } from '#src/modules/publishing/publication-text.js';
import type { TargetEvent } from '#src/modules/publishing/target-event.entity.js';
import { validateVariants, type ChannelLanguageReport } from '#src/platforms/text-rules.js';
import { Tx } from '#src/storage/tx.js';

type TargetStatus = PublicationTarget['status'];
/** Target states a new time or a cancellation still applies to: nothing has been sent. */
const RESCHEDULABLE: TargetStatus[] = ['approved', 'scheduled', 'queued', 'held'];
const CANCELLABLE: TargetStatus[] = ['draft', 'in_review', 'approved', 'rejected', 'scheduled', 'queued', 'held', 'failed'];

export interface PostView extends Post {
  authorIds: string[];
  targets: Array<
    Pick<
      PublicationTarget,
      | 'id'
      | 'channelId'
      | 'occurrenceAt'
      | 'status'
      | 'revision'
      | 'scheduledAt'
      | 'externalId'
      | 'externalUrl'
      | 'externalParts'
      | 'lastError'
      | 'attempts'
      | 'publishedAt'
      | 'withdrawnAt'
      | 'holdReason'
    > & {
      /** Every transition: time, attempt, outcome, platform error. */
      events: Array<Pick<TargetEvent, 'at' | 'attempt' | 'fromStatus' | 'toStatus' | 'outcome' | 'error'>>;
    }
  >;
}

export interface ValidationReport {
  ok: boolean;
  /** Problems of the post as a whole (a required language missing, an unknown channel). */
  problems: Array<{ code: string; message: string; language?: string; channelId?: string }>;
  /** Per channel and language: the count, the limit and each problem, for the composer's counters. */
  channels: ChannelLanguageReport[];
}

/** An image as a request names it: an upload (mediaId) or an outside address (url). */
type MediaInput = Partial<PostMedia> & { altText: Record<string, string> };

interface Content<M extends MediaInput = MediaInput> {
  variants: PostVariant[];
  channelIds: string[];
  channelOverrides: ChannelOverride[];
  media: M[];
}

@Injectable()
export class PostsService {
  constructor(
    private readonly repo: PostsRepository,
    private readonly targets: TargetsRepository,
    private readonly blackouts: BlackoutsService,
    private readonly recurrence: RecurrenceService,
    private readonly channels: ChannelsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly campaigns: CampaignsService,
    private readonly media: MediaService,
    private readonly channelsService: ChannelsService,
    private readonly adapters: PlatformAdapters,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(p: Principal, institutionId: string, q: PostListQuery) {
    const member = await this.access.authorize(p, institutionId, 'post.read');
    const filter = {
      campaignId: q.campaignId,
      status: q.status,
      channelId: q.channelId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      sharedWithPartnerId: member.role === 'contributor' ? member.partnerId! : undefined,
    };
    const [posts, total] = await this.repo.list(institutionId, filter, q);
    return page([await this.views(institutionId, posts), total], q);
  }

  async get(p: Principal, postId: string, institutionId?: string): Promise<PostView> {
    const { member, post } = await this.load(p, postId, 'post.read', institutionId);
    return (await this.views(member.institutionId, [post]))[0]!;
  }

  async create(p: Principal, institutionId: string, dto: CreatePostDto): Promise<PostView> {
    const member = await this.access.authorize(p, institutionId, 'post.write');
    return this.tx.run(async () => {
      await this.campaigns.visible(member, dto.campaignId);
      const content = await this.content(institutionId, {
        variants: dto.variants ?? [],
        channelIds: dto.channelIds ?? [],
        channelOverrides: normaliseOverrides(dto.channelOverrides),
        media: dto.media ?? [],
      });
      const schedule = await this.resolveSchedule(institutionId, dto.scheduledAt ?? null, dto.timeZone, dto.recurrence ?? null);
      if (schedule.scheduledAt) await this.blackouts.assertOpen(institutionId, content.channelIds, schedule.scheduledAt);
      const post = await this.repo.create({
        institutionId,
        campaignId: dto.campaignId,
        status: 'draft',
        revision: 1,
        variants: content.variants,
        channelOverrides: content.channelOverrides,
        media: content.media,
        ...schedule,
        rejectionReason: null,
        createdBy: p.userId,
        approvedBy: null,
        approvedAt: null,
        blackoutOverrideReason: null,
        blackoutOverrideBy: null,
      });
      await this.repo.addAuthor(post.id, p.userId);
      await this.repo.setTargets(institutionId, post.id, content.channelIds, 'draft', 1);
      await this.repo.updateTargets(institutionId, post.id, { scheduledAt: schedule.scheduledAt });
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'post.created',
        targetType: 'post',
        targetId: post.id,
        data: { campaignId: post.campaignId, channelIds: content.channelIds },
      });
      return (await this.views(institutionId, [post]))[0]!;
    });
  }

  /**
   * Edits a post. The editor becomes a co-author (and so may not approve it).
   * An edit after approval raises the revision and sends the post back to review.
   */
  async update(p: Principal, postId: string, dto: UpdatePostDto, institutionId?: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { member, post } = await this.load(p, postId, 'post.write', institutionId, true);
      if (post.status === 'cancelled') throw conflict('post_cancelled', 'a cancelled post cannot be edited');
      if (member.role === 'contributor' && post.status !== 'draft' && post.status !== 'rejected') {
        throw forbidden(`a contributor may edit drafts only; this post is ${post.status}`);
      }
      if (dto.campaignId && dto.campaignId !== post.campaignId) await this.campaigns.visible(member, dto.campaignId);
      const currentTargets = await this.repo.listTargets(post.institutionId, [post.id]);
      const content = await this.content(post.institutionId, {
        variants: dto.variants ?? post.variants,
        channelIds: dto.channelIds ?? currentTargets.map((t) => t.channelId),
        channelOverrides: dto.channelOverrides ? normaliseOverrides(dto.channelOverrides) : post.channelOverrides,
        media: dto.media ?? post.media,
      });
      const schedule = await this.resolveSchedule(
        post.institutionId,
        dto.scheduledAt !== undefined ? dto.scheduledAt : (post.scheduledAt?.toISOString() ?? null),
        dto.timeZone ?? (dto.scheduledAt !== undefined ? undefined : (post.timeZone ?? undefined)),
        dto.recurrence !== undefined ? dto.recurrence : post.recurrence,
      );
      if (schedule.scheduledAt && !post.blackoutOverrideReason)
        await this.blackouts.assertOpen(post.institutionId, content.channelIds, schedule.scheduledAt);
      const next =
        post.status === 'approved' || post.status === 'in_review'
          ? { status: 'in_review' as const, revision: post.revision + 1 }
          : { status: 'draft' as const, revision: post.revision };
      await this.repo.update(post.institutionId, post.id, {
        campaignId: dto.campaignId ?? post.campaignId,
        variants: content.variants,
        channelOverrides: content.channelOverrides,
        media: content.media,
        ...schedule,
        ...next,
        rejectionReason: null,
        approvedBy: null,
        approvedAt: null,
      });
      await this.repo.addAuthor(post.id, p.userId);
      // Occurrences not yet sent are made again from the post once it is approved again.
      await this.recurrence.discardPending(post.institutionId, post.id);
      await this.repo.setTargets(post.institutionId, post.id, content.channelIds, next.status, next.revision);
      // A new post revision is a new target revision too. Target revisions only grow (a reschedule
      // raises them as well): job ids are built from them, and an old id must never come back.
      await this.repo.updateTargets(post.institutionId, post.id, {
        status: next.status,
        scheduledAt: schedule.scheduledAt,
        ...(next.revision > post.revision ? { revision: () => 'revision + 1' } : {}),
      });
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.edited',
        targetType: 'post',
        targetId: post.id,
        data: { changed: Object.keys(dto), revision: next.revision, from: post.status, to: next.status },
      });
      return this.view(post.institutionId, post.id);
    });
  }

  /** Per channel and language counts, limits and problems, for the composer. Changes nothing. */
  async validate(p: Principal, institutionId: string, dto: ValidatePostDto): Promise<ValidationReport> {
    await this.access.authorize(p, institutionId, 'post.write');
    return this.report(institutionId, {
      variants: dto.variants ?? [],
      channelIds: dto.channelIds ?? [],
      channelOverrides: normaliseOverrides(dto.channelOverrides),
      media: dto.media ?? [],
    });
  }

  /** draft or rejected -> in_review, once every target channel accepts every variant. */
  async submit(p: Principal, postId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.submit', undefined, true);
      if (post.status !== 'draft' && post.status !== 'rejected')
        throw conflict('invalid_transition', `only a draft or rejected post can be submitted; this one is ${post.status}`);
      const targets = await this.repo.listTargets(post.institutionId, [post.id]);
      const report = await this.report(post.institutionId, {
        variants: post.variants,
        channelIds: targets.map((t) => t.channelId),
        channelOverrides: post.channelOverrides,
        media: post.media,
      });
      if (targets.length === 0) report.problems.push({ code: 'no_channels', message: 'choose at least one channel before submitting' });
      if (report.problems.length || !report.ok)
        throw invalid('post_invalid', 'the post cannot be submitted yet: ' + summarise(report), report);
      await this.transition(p, post, 'in_review', 'post.submitted');
      await this.recordRevision(
        p,
        post,
        'submitted',
        targets.filter((t) => !t.occurrenceAt).map((t) => t.channelId),
      );
      return this.view(post.institutionId, post.id);
    });
  }

  /** in_review -> approved, by an editor or admin who neither wrote nor edited it. */
  async approve(p: Principal, postId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.approve', undefined, true);
      if (post.status !== 'in_review')
        throw conflict('invalid_transition', `only a post in review can be approved; this one is ${post.status}`);
      if ((await this.repo.authors(post.id)).includes(p.userId)) {
        throw new DomainError(403, 'self_approval', 'you wrote or edited this post: another editor must approve it');
      }
      if (post.scheduledAt && !post.blackoutOverrideReason) {
        const channelIds = (await this.repo.listTargets(post.institutionId, [post.id])).map((t) => t.channelId);
        await this.blackouts.assertOpen(post.institutionId, channelIds, post.scheduledAt);
      }
      await this.repo.update(post.institutionId, post.id, { approvedBy: p.userId, approvedAt: this.clock.now() });
      await this.transition(p, post, 'approved', 'post.approved');
      await this.recordRevision(p, post, 'approved');
      // Approved with a time: its targets (or a recurring post's occurrences) enter the publishing pipeline.
      if (post.scheduledAt && post.recurrence) await this.recurrence.materialize(post, this.clock.now());
      else if (post.scheduledAt)
        await this.scheduleTargets(post.institutionId, post.id, post.scheduledAt, 'approved with its scheduled time');
      return this.view(post.institutionId, post.id);
    });
  }

  async reject(p: Principal, postId: string, reason: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.reject', undefined, true);
      if (post.status !== 'in_review')
        throw conflict('invalid_transition', `only a post in review can be rejected; this one is ${post.status}`);
      await this.repo.update(post.institutionId, post.id, { rejectionReason: reason.trim() });
      await this.transition(p, post, 'rejected', 'post.rejected', { reason: reason.trim() });
      await this.recordRevision(p, post, 'rejected', undefined, reason.trim());
      return this.view(post.institutionId, post.id);
    });
  }

  /**
   * Sets or changes the time of an approved post. Targets not yet claimed move
   * to the new time with a new revision, so a job queued for the old time finds
   * nothing to do; targets already claimed or published are left alone.
   */
  async schedule(p: Principal, postId: string, scheduledAt: string, timeZone?: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.schedule', undefined, true);
      if (post.status !== 'approved')
        throw conflict(
          'invalid_transition',
          `only an approved post can be scheduled; this one is ${post.status} (a draft's time is set by editing it)`,
        );
      const schedule = await this.resolveSchedule(post.institutionId, scheduledAt, timeZone, post.recurrence);
      if (!post.blackoutOverrideReason) {
        const channelIds = (await this.repo.listTargets(post.institutionId, [post.id])).map((t) => t.channelId);
        await this.blackouts.assertOpen(post.institutionId, channelIds, schedule.scheduledAt!);
      }
      await this.repo.update(post.institutionId, post.id, schedule);
      if (post.recurrence) {
        await this.recurrence.discardPending(post.institutionId, post.id);
        await this.recurrence.materialize({ ...post, ...schedule }, this.clock.now());
      } else {
        await this.scheduleTargets(post.institutionId, post.id, schedule.scheduledAt!, 'rescheduled');
      }
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.scheduled',
        targetType: 'post',
        targetId: post.id,
        data: { scheduledAt: schedule.scheduledAt, timeZone: schedule.timeZone },
      });
      return this.view(post.institutionId, post.id);
    });
  }

  /**
   * An admin's override: this post may be published inside blackout windows
   * (emergency information). Needs a reason; audited; releases what a window held.
   */
  async overrideBlackout(p: Principal, postId: string, reason: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.override_blackout', undefined, true);
      if (post.status === 'cancelled') throw conflict('invalid_transition', 'the post is cancelled');
      await this.repo.update(post.institutionId, post.id, { blackoutOverrideReason: reason.trim(), blackoutOverrideBy: p.userId });
      const released = await this.targets.releaseHeldForPost(post.institutionId, post.id, BLACKOUT_HOLD_PREFIX, this.clock.now());
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.blackout_overridden',
        targetType: 'post',
        targetId: post.id,
        data: { reason: reason.trim(), released },
      });
      return this.view(post.institutionId, post.id);
    });
  }

  private async scheduleTargets(institutionId: string, postId: string, at: Date, outcome: string): Promise<void> {
    const now = this.clock.now();
    for (const t of await this.repo.listTargets(institutionId, [postId])) {
      if (!RESCHEDULABLE.includes(t.status) || t.occurrenceAt) continue;
      // A target that may have a job in the queue gets a new revision: that job then finds nothing to do.
      const revision = t.status === 'queued' || t.status === 'held' ? t.revision + 1 : t.revision;
      await this.targets.transition(
        institutionId,
        t.id,
        RESCHEDULABLE,
        'scheduled',
        { at: now, outcome },
        { scheduledAt: at, revision, holdReason: null, queuedAt: null },
      );
    }
  }

  async cancel(p: Principal, postId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.cancel', undefined, true);
      if (post.status === 'cancelled') throw conflict('invalid_transition', 'the post is already cancelled');
      await this.transition(p, post, 'cancelled', 'post.cancelled');
      return this.view(post.institutionId, post.id);
    });
  }

  /**
   * A person settles a publication the platform could not confirm. "published" with the part's
   * external id resumes a thread after it (as replies to it); without one, the publication counts as
   * published as it stands. "not_published" sends it again now, after the parts already recorded.
   */
  async resolveTarget(p: Principal, postId: string, targetId: string, dto: ResolveTargetDto): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.resolve', undefined, true);
      const target = (await this.repo.listTargets(post.institutionId, [post.id])).find((t) => t.id === targetId);
      if (!target) throw notFound('publication target');
      if (target.status !== 'unconfirmed')
        throw conflict(
          'invalid_transition',
          `only a publication waiting for confirmation can be settled by a person; this one is ${target.status}`,
        );
      const now = this.clock.now();
      const parts = dto.externalId ? [...target.externalParts, { externalId: dto.externalId, url: dto.url ?? null }] : target.externalParts;
      const channel = (await this.channels.findMany(post.institutionId, [target.channelId]))[0]!;
      const institution = (await this.institutions.find(post.institutionId))!;
      const totalParts = 1 + publicationText(post, channel, institution.languages[0]!).thread.length;
      const first = parts[0];
      const recorded = {
        externalParts: parts,
        externalId: first?.externalId ?? null,
        externalUrl: first ? (parts.length === 1 && dto.url ? dto.url : first.url) : (dto.url ?? null),
      };
      if (dto.outcome === 'published' && (!dto.externalId || parts.length >= totalParts)) {
        await this.targets.transition(
          post.institutionId,
          target.id,
          ['unconfirmed'],
          'published',
          { at: now, outcome: 'settled by a person: it is on the platform' },
          { ...recorded, publishedAt: now, lastError: null, metricsNextAt: nextCollectionAt(now, now, this.config.metrics.cadence) },
        );
      } else {
        // Back to the scheduler with a new revision: the next pass queues it, and publishing continues after the recorded parts.
        const outcome =
          dto.outcome === 'published'
            ? 'settled by a person: that part is on the platform; sending the rest'
            : 'settled by a person: it is not on the platform; sending it again';
        await this.targets.transition(
          post.institutionId,
          target.id,
          ['unconfirmed'],
          'scheduled',
          { at: now, outcome },
          { ...recorded, scheduledAt: now, revision: target.revision + 1, queuedAt: null, lastError: null },
        );
      }
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.target_resolved',
        targetType: 'post',
        targetId: post.id,
        data: { targetId, outcome: dto.outcome, url: dto.url ?? null, externalId: dto.externalId ?? null, note: dto.note ?? null },
      });
      return this.view(post.institutionId, post.id);
    });
  }

  /**
   * Takes a published post down from its platform, every part of a thread, last part first (a
   * reply never outlives its parent). The target becomes `withdrawn`; its record, its platform
   * ids and the reason stay, for the audit trail and the transparency report.
   */
  async withdrawTarget(p: Principal, postId: string, targetId: string, reason: string): Promise<PostView> {
    const { post } = await this.load(p, postId, 'post.withdraw');
    const target = (await this.repo.listTargets(post.institutionId, [post.id])).find((t) => t.id === targetId);
    if (!target) throw notFound('publication target');
    if (target.status !== 'published')
      throw conflict('invalid_transition', `only a published post can be withdrawn; this one is ${target.status}`);
    const channel = (await this.channels.findMany(post.institutionId, [target.channelId]))[0]!;
    const ids = (target.externalParts.length ? target.externalParts.map((part) => part.externalId) : [target.externalId!]).reverse();
    try {
      await this.adapters.for(channel.platform).delete(await this.channelsService.connection(channel), ids);
    } catch (err) {
      throw platformFailure(channel.platform, err, 'deleting the post');
    }
    return this.tx.run(async () => {
      const now = this.clock.now();
      const moved = await this.targets.transition(
        post.institutionId,
        target.id,
        ['published'],
        'withdrawn',
        { at: now, outcome: `withdrawn from the platform: ${reason.trim()}` },
        { withdrawnAt: now, metricsNextAt: null },
      );
      if (!moved) throw conflict('invalid_transition', 'the post was withdrawn by someone else meanwhile');
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.target_withdrawn',
        targetType: 'post',
        targetId: post.id,
        data: { targetId, channelId: channel.id, externalIds: ids, reason: reason.trim() },
      });
      return this.view(post.institutionId, post.id);
    });
  }

  async comments(p: Principal, postId: string, q: PageQuery) {
    const { post } = await this.load(p, postId, 'post.read');
    return page(await this.repo.listComments(post.institutionId, post.id, q), q);
  }

  async comment(p: Principal, postId: string, body: string) {
    return this.tx.run(async () => {
      const { post } = await this.load(p, postId, 'post.comment');
      const comment = await this.repo.addComment(post.institutionId, post.id, p.userId, body.trim());
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.commented',
        targetType: 'post',
        targetId: post.id,
        data: { commentId: comment.id },
      });
      return comment;
    });
  }

  /** The snapshots of the post's content taken at each submission, approval and rejection, oldest first. */
  async revisions(p: Principal, postId: string, institutionId?: string): Promise<PostRevision[]> {
    const { post } = await this.load(p, postId, 'post.read', institutionId);
    return this.repo.listRevisions(post.institutionId, post.id);
  }

  /**
   * What a page needs to name the people and channels of a post it shows: display names of the
   * given users who are members of the post's institution, and the name and platform of the post's
   * channels (also for contributors, who may not list the institution's channels).
   */
  async labels(p: Principal, postId: string, userIds: string[], institutionId?: string) {
    const { post } = await this.load(p, postId, 'post.read', institutionId);
    const targets = await this.repo.listTargets(post.institutionId, [post.id]);
    const revisions = await this.repo.listRevisions(post.institutionId, post.id);
    const channelIds = [...targets.map((t) => t.channelId), ...revisions.flatMap((r) => r.content.channelIds)];
    return {
      people: await this.repo.memberNames(post.institutionId, userIds),
      channels: await this.repo.channelLabels(post.institutionId, channelIds),
    };
  }

  /** Appends a snapshot of what was reviewed (inside the caller's transaction, the post locked). */
  private async recordRevision(p: Principal, post: Post, event: RevisionEvent, channelIds?: string[], reason?: string): Promise<void> {
    const ids =
      channelIds ?? (await this.repo.listTargets(post.institutionId, [post.id])).filter((t) => !t.occurrenceAt).map((t) => t.channelId);
    await this.repo.addRevision({
      postId: post.id,
      institutionId: post.institutionId,
      event,
      content: revisionContent(post, ids),
      reason: reason ?? null,
      recordedBy: p.userId,
      recordedAt: this.clock.now(),
    });
  }

  /**
   * The post and the caller's membership, or 404 when the caller may not see it
   * (another institution's post, or a campaign not shared with a contributor's partner).
   */
  private async load(
    p: Principal,
    postId: string,
    action: Parameters<typeof assertCan>[1],
    institutionId?: string,
    lock = false,
  ): Promise<{ member: Member; post: Post }> {
    const owner = institutionId ?? (await this.repo.institutionOf(postId));
    if (!owner) throw notFound('post');
    const member = await this.access.member(p, owner);
    const post = lock ? await this.repo.findForUpdate(owner, postId) : await this.repo.find(owner, postId);
    if (!post || !(await this.access.campaignVisible(member, post.campaignId))) throw notFound('post');
    assertCan(member, action);
    return { member, post };
  }

  private async transition(
    p: Principal,
    post: Post,
    status: Post['status'],
    action: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.repo.update(post.institutionId, post.id, { status });
    if (status === 'cancelled') {
      // Until a target is claimed for publishing, cancelling stops it; after that, it is the platform's.
      const now = this.clock.now();
      for (const t of await this.repo.listTargets(post.institutionId, [post.id])) {
        if (CANCELLABLE.includes(t.status))
          await this.targets.transition(post.institutionId, t.id, CANCELLABLE, 'cancelled', { at: now, outcome: 'post cancelled' });
      }
    } else {
      await this.repo.updateTargets(post.institutionId, post.id, { status });
    }
    await this.audit.record({
      institutionId: post.institutionId,
      actorId: p.userId,
      action,
      targetType: 'post',
      targetId: post.id,
      data: { revision: post.revision, from: post.status, ...data },
    });
  }

  /** Checks what belongs to the institution (channels) and the shape of the content. */
  private async content(institutionId: string, c: Content): Promise<Content<PostMedia>> {
    const languages = c.variants.map((v) => v.language);
    const dup = languages.find((l, i) => languages.indexOf(l) !== i);
    if (dup) throw fieldError('variants', [`language ${dup} appears twice`], `variants has two texts for language ${dup}`);
    const channels = await this.channels.findMany(institutionId, c.channelIds);
    const unknown = c.channelIds.filter((id) => !channels.some((ch) => ch.id === id));
    if (unknown.length)
      throw fieldError(
        'channelIds',
        unknown.map((id) => `${id} is not a channel of this institution`),
        `channelIds names channels this institution does not have: ${unknown.join(', ')}`,
      );
    const stray = c.channelOverrides.filter((o) => !c.channelIds.includes(o.channelId));
    if (stray.length)
      throw fieldError(
        'channelOverrides',
        stray.map((o) => `${o.channelId} is not in channelIds`),
        'channelOverrides names a channel the post is not published on',
      );
    for (const [i, m] of c.media.entries()) {
      const bad = Object.entries(m.altText).filter(
        ([lang, text]) => typeof text !== 'string' || text.length > 1500 || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang),
      );
      if (bad.length)
        throw fieldError(
          `media.${i}.altText`,
          bad.map(([lang]) => `${lang} is not a language tag with a text`),
          `media.${i}.altText must map language tags to texts of at most 1500 characters`,
        );
    }
    return {
      ...c,
      variants: c.variants.map((v) => ({ language: v.language, text: v.text, ...(v.thread?.length ? { thread: v.thread } : {}) })),
      media: await this.media.attach(institutionId, c.media),
    };
  }

  private async report(institutionId: string, c: Content): Promise<ValidationReport> {
    const content = await this.content(institutionId, c);
    const institution = (await this.institutions.find(institutionId))!;
    const channels = await this.channels.findMany(institutionId, content.channelIds);
    const problems: ValidationReport['problems'] = [];
    for (const language of institution.languages.filter((l) => !institution.optionalLanguages.includes(l))) {
      if (!content.variants.some((v) => v.language === language && v.text.trim())) {
        problems.push({
          code: 'language_missing',
          language,
          message: `a text in ${language} is required (an official language of the institution)`,
        });
      }
    }
    for (const ch of channels.filter((ch) => ch.status !== 'active')) {
      problems.push({ code: 'channel_unavailable', channelId: ch.id, message: `channel ${ch.displayName} is ${ch.status}` });
    }
    const reports = validateVariants({
      channels: channels.map((ch) => ({ id: ch.id, platform: ch.platform, settings: ch.settings })),
      variants: content.variants,
      media: await this.media.refs(institutionId, content.media),
      overrides: content.channelOverrides,
    });
    return { ok: problems.length === 0 && reports.every((r) => r.problems.length === 0), problems, channels: reports };
  }

  private async resolveSchedule(
    institutionId: string,
    scheduledAt: string | null,
    timeZone: string | undefined,
    recurrence: string | null,
  ) {
    recurrence = recurrence?.trim() || null;
    if (recurrence) {
      let rule: InstanceType<typeof rrule.RRule> | undefined;
      try {
        const parsed = rrule.rrulestr(recurrence.startsWith('RRULE:') || recurrence.includes('\n') ? recurrence : `RRULE:${recurrence}`);
        rule = parsed instanceof rrule.RRule ? parsed : undefined;
      } catch (err) {
        throw fieldError('recurrence', ['is not a valid RRULE'], `recurrence is not a valid RRULE: ${(err as Error).message}`);
      }
      // A rule that never produces an occurrence is a mistake, not a schedule.
      if (!rule || rule.options.interval < 1 || rule.options.count === 0) {
        throw fieldError(
          'recurrence',
          ['produces no occurrences'],
          'recurrence must be a single RRULE with INTERVAL of at least 1 and a COUNT above 0',
        );
      }
      if (!scheduledAt)
        throw fieldError('scheduledAt', ['is required with recurrence'], 'a recurring post needs scheduledAt (its first occurrence)');
    }
    if (!scheduledAt) return { scheduledAt: null, timeZone: null, recurrence: null };
    const zone = timeZone ?? (await this.institutions.find(institutionId))!.timeZone;
    // Whole seconds: recurrence rules count in seconds, and nobody schedules a post to the millisecond.
    const at = instantOfField('scheduledAt', scheduledAt, zone);
    return { scheduledAt: new Date(Math.floor(at.getTime() / 1000) * 1000), timeZone: zone, recurrence };
  }

  private async view(institutionId: string, postId: string): Promise<PostView> {
    return (await this.views(institutionId, [(await this.repo.find(institutionId, postId))!]))[0]!;
  }

  private async views(institutionId: string, posts: Post[]): Promise<PostView[]> {
    const postIds = posts.map((p) => p.id);
    const [targets, authors] = await Promise.all([this.repo.listTargets(institutionId, postIds), this.repo.authorsOf(postIds)]);
    const events = await this.targets.events(
      institutionId,
      targets.map((t) => t.id),
    );
    // Grouped once: a calendar month is hundreds of posts, targets and events.
    const eventsOf = groupBy(events, (e) => e.targetId);
    const targetsOf = groupBy(targets, (t) => t.postId);
    return posts.map((post) => ({
      ...post,
      authorIds: authors.get(post.id) ?? [],
      targets: (targetsOf.get(post.id) ?? []).map(
        ({
          id,
          channelId,
          occurrenceAt,
          status,
          revision,
          scheduledAt,
          externalId,
          externalUrl,
          externalParts,
          lastError,
          attempts,
          publishedAt,
          withdrawnAt,
          holdReason,
        }) => ({
          id,
          channelId,
          occurrenceAt,
          status,
          revision,
          scheduledAt,
          externalId,
          externalUrl,
          externalParts,
          lastError,
          attempts,
          publishedAt,
          withdrawnAt,
          holdReason,
          events: (eventsOf.get(id) ?? []).map(({ at, attempt, fromStatus, toStatus, outcome, error }) => ({
            at,
            attempt,
            fromStatus,
            toStatus,
            outcome,
            error,
          })),
        }),
      ),
    }));
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function normaliseOverrides(
  overrides: Array<{ channelId: string; language?: string | null; text: string }> | undefined,
): ChannelOverride[] {
  return (overrides ?? []).map((o) => ({ channelId: o.channelId, language: o.language ?? null, text: o.text }));
}

function summarise(report: ValidationReport): string {
  const lines = [
    ...report.problems.map((p) => p.message),
    ...report.channels.flatMap((c) => c.problems.map((pr) => `${c.platform} (${c.language}): ${pr.message}`)),
  ];
  return lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : '');
}
