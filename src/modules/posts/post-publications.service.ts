import { Injectable } from '@nestjs/common';
import { conflict } from '#src/common/domain-error.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import type { ResolveTargetDto } from '#src/modules/posts/dto/post.dto.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { Tx } from '#src/storage/tx.js';

/** What a person does to one publication of a post: retry it, settle it, withdraw it. Audited; the publishing module moves it. */
@Injectable()
export class PostPublicationsService {
  constructor(
    private readonly posts: PostAccess,
    private readonly targets: PublicationTargetsService,
    private readonly views: PostViewsService,
    private readonly channels: ChannelsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  /** A failed publication sent again (its channel must be active), at the next scheduler pass. */
  async retry(p: Principal, postId: string, targetId: string): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.retry', undefined, true);
      if (post.status !== 'approved')
        throw conflict('invalid_transition', `only a publication of an approved post can be retried; this post is ${post.status}`);
      const target = await this.targets.find(post.institutionId, post.id, targetId);
      const channel = (await this.channels.findMany(post.institutionId, [target.channelId]))[0]!;
      await this.targets.retry(post.institutionId, target, channel);
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.target_retried',
        targetType: 'post',
        targetId: post.id,
        data: { targetId, channelId: channel.id, lastError: target.lastError },
      });
      return this.views.view(post.institutionId, post.id);
    });
  }

  /** A person settles a publication the platform could not confirm (see PublicationTargetsService.settle). */
  async resolve(p: Principal, postId: string, targetId: string, dto: ResolveTargetDto): Promise<PostView> {
    return this.tx.run(async () => {
      const { post } = await this.posts.load(p, postId, 'post.resolve', undefined, true);
      const target = await this.targets.find(post.institutionId, post.id, targetId);
      const channel = (await this.channels.findMany(post.institutionId, [target.channelId]))[0]!;
      const institution = (await this.institutions.find(post.institutionId))!;
      await this.targets.settle(post, target, channel, institution.languages[0]!, dto);
      await this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.target_resolved',
        targetType: 'post',
        targetId: post.id,
        data: { targetId, outcome: dto.outcome, url: dto.url ?? null, externalId: dto.externalId ?? null, note: dto.note ?? null },
      });
      return this.views.view(post.institutionId, post.id);
    });
  }

  /** Takes a published post down from its platform; the record, its platform ids and the reason stay. */
  async withdraw(p: Principal, postId: string, targetId: string, reason: string): Promise<PostView> {
    const { post } = await this.posts.load(p, postId, 'post.withdraw');
    const target = await this.targets.find(post.institutionId, post.id, targetId);
    const channel = (await this.channels.findMany(post.institutionId, [target.channelId]))[0]!;
    await this.targets.withdraw(post.institutionId, target, channel, reason.trim(), (externalIds) =>
      this.audit.record({
        institutionId: post.institutionId,
        actorId: p.userId,
        action: 'post.target_withdrawn',
        targetType: 'post',
        targetId: post.id,
        data: { targetId, channelId: channel.id, externalIds, reason: reason.trim() },
      }),
    );
    return this.views.view(post.institutionId, post.id);
  }
}
