import { Injectable } from '@nestjs/common';
import { conflict, forbidden } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import type { CreatePostDto, UpdatePostDto } from '#src/modules/posts/dto/post.dto.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { normaliseOverrides, PostContentService } from '#src/modules/posts/post-content.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { Tx } from '#src/storage/tx.js';

/** Writing a post: create, edit, discuss. Review, time and publications have services of their own. */
@Injectable()
export class PostsService {
  constructor(
    private readonly repo: PostsRepository,
    private readonly posts: PostAccess,
    private readonly content: PostContentService,
    private readonly views: PostViewsService,
    private readonly targets: PublicationTargetsService,
    private readonly recurrence: RecurrenceService,
    private readonly blackouts: BlackoutsService,
    private readonly campaigns: CampaignsService,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  async create(p: Principal, institutionId: string, dto: CreatePostDto): Promise<PostView> {
    const member = await this.access.authorize(p, institutionId, 'post.write');
    return this.tx.run(async () => {
      await this.campaigns.visible(member, dto.campaignId);
      const content = await this.content.content(institutionId, {
        variants: dto.variants ?? [],
        channelIds: dto.channelIds ?? [],
        channelOverrides: normaliseOverrides(dto.channelOverrides),
        media: dto.media ?? [],
      });
      const schedule = await this.content.schedule(institutionId, dto.scheduledAt ?? null, dto.timeZone, dto.recurrence ?? null);
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
      await this.targets.setChannels(post, content.channelIds, 'draft', 1);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'post.created',
        targetType: 'post',
        targetId: post.id,
        data: { campaignId: post.campaignId, channelIds: content.channelIds },
      });
      return (await this.views.views(institutionId, [post]))[0]!;
    });
  }

  /**
   * Edits a post. The editor becomes a co-author (and so may not approve it). An edit after
   * submission raises the revision and sends the post back to review. A post with a publication
   * that has gone out is a record and is not edited (docs/decisions.md, "published posts are records").
   */
  async update(p: Principal, postId: string, dto: UpdatePostDto, institutionId?: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { member, post } = await this.posts.load(p, postId, 'post.write', institutionId, true);
      if (post.status === 'cancelled') throw conflict('post_cancelled', 'a cancelled post cannot be edited');
      if (member.role === 'contributor' && post.status !== 'draft' && post.status !== 'rejected') {
        throw forbidden(`a contributor may edit drafts only; this post is ${post.status}`);
      }
      const out = await this.targets.goneOut(post.institutionId, post.id);
      if (out.length)
        throw conflict(
          'post_published',
          `this post has gone out (${[...new Set(out.map((t) => t.status))].join(', ')}): what was published stays as it was; withdraw it, or write a new post`,
          { targets: out.map((t) => ({ targetId: t.id, channelId: t.channelId, status: t.status })) },
        );
      if (dto.campaignId && dto.campaignId !== post.campaignId) await this.campaigns.visible(member, dto.campaignId);
      const own = (await this.targets.forPosts(post.institutionId, [post.id])).filter((t) => !t.occurrenceAt);
      const content = await this.content.content(post.institutionId, {
        variants: dto.variants ?? post.variants,
        channelIds: dto.channelIds ?? own.map((t) => t.channelId),
        channelOverrides: dto.channelOverrides ? normaliseOverrides(dto.channelOverrides) : post.channelOverrides,
        media: dto.media ?? post.media,
      });
      const schedule = await this.content.schedule(
        post.institutionId,
        dto.scheduledAt !== undefined ? dto.scheduledAt : (post.scheduledAt?.toISOString() ?? null),
        dto.timeZone ?? (dto.scheduledAt !== undefined ? undefined : (post.timeZone ?? undefined)),
        dto.recurrence !== undefined ? dto.recurrence : post.recurrence,
      );
      if (schedule.scheduledAt && !post.blackoutOverrideReason)
        await this.blackouts.assertOpen(post.institutionId, content.channelIds, schedule.scheduledAt);
      const backToReview = post.status === 'approved' || post.status === 'in_review';
      const next = backToReview
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
      // A new post revision is a new target revision too. Target revisions only grow (a reschedule
      // raises them as well): job ids are built from them, and an old id must never come back.
      const edited = { ...post, scheduledAt: schedule.scheduledAt };
      await this.targets.followReview(edited, backToReview ? 'edited_review' : 'edited_draft', backToReview);
      await this.targets.setChannels(edited, content.channelIds, next.status, next.revision);
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.edited',
        targetType: 'post',
        targetId: post.id,
        data: { changed: Object.keys(dto), revision: next.revision, from: post.status, to: next.status },
      });
      return this.views.view(post.institutionId, post.id);
    });
  }

  async comments(p: Principal, postId: string, q: PageQuery) {
    const { post } = await this.posts.load(p, postId, 'post.read');
    return page(await this.repo.listComments(post.institutionId, post.id, q), q);
  }

  async comment(p: Principal, postId: string, body: string) {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.comment');
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
}
