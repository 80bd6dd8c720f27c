import { Injectable } from '@nestjs/common';
import { page } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import type { PostListQuery } from '#src/modules/posts/dto/post.dto.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import type { PostRevision } from '#src/modules/posts/post-revision.entity.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import type { TargetEvent } from '#src/modules/publishing/target-event.entity.js';

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
      | 'holdKind'
      | 'holdRef'
    > & {
      /** Every transition: time, attempt, outcome code and its parameters, the platform's error. */
      events: Array<Pick<TargetEvent, 'at' | 'attempt' | 'fromStatus' | 'toStatus' | 'outcome' | 'params' | 'error'>>;
    }
  >;
}

/** Posts as pages and the API show them: with their authors, their targets and every target's events. */
@Injectable()
export class PostViewsService {
  constructor(
    private readonly repo: PostsRepository,
    private readonly targets: PublicationTargetsService,
    private readonly posts: PostAccess,
    private readonly access: InstitutionAccess,
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
    const { member, post } = await this.posts.load(p, postId, 'post.read', institutionId);
    return (await this.views(member.institutionId, [post]))[0]!;
  }

  /** The snapshots of the post's content taken at each submission, approval and rejection, oldest first. */
  async revisions(p: Principal, postId: string, institutionId?: string): Promise<PostRevision[]> {
    const { post } = await this.posts.load(p, postId, 'post.read', institutionId);
    return this.repo.listRevisions(post.institutionId, post.id);
  }

  /**
   * What a page needs to name the people and channels of a post it shows: display names of the
   * given users who are members of the post's institution, and the name and platform of the post's
   * channels (also for contributors, who may not list the institution's channels).
   */
  async labels(p: Principal, postId: string, userIds: string[], institutionId?: string) {
    const { post } = await this.posts.load(p, postId, 'post.read', institutionId);
    const targets = await this.targets.forPosts(post.institutionId, [post.id]);
    const revisions = await this.repo.listRevisions(post.institutionId, post.id);
    const channelIds = [...targets.map((t) => t.channelId), ...revisions.flatMap((r) => r.content.channelIds)];
    return {
      people: await this.repo.memberNames(post.institutionId, userIds),
      channels: await this.repo.channelLabels(post.institutionId, channelIds),
    };
  }

  async view(institutionId: string, postId: string): Promise<PostView> {
    return (await this.views(institutionId, [(await this.repo.find(institutionId, postId))!]))[0]!;
  }

  async views(institutionId: string, posts: Post[]): Promise<PostView[]> {
    const postIds = posts.map((p) => p.id);
    const [targets, authors] = await Promise.all([this.targets.forPosts(institutionId, postIds), this.repo.authorsOf(postIds)]);
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
      targets: (targetsOf.get(post.id) ?? []).map((t) => ({
        id: t.id,
        channelId: t.channelId,
        occurrenceAt: t.occurrenceAt,
        status: t.status,
        revision: t.revision,
        scheduledAt: t.scheduledAt,
        externalId: t.externalId,
        externalUrl: t.externalUrl,
        externalParts: t.externalParts,
        lastError: t.lastError,
        attempts: t.attempts,
        publishedAt: t.publishedAt,
        withdrawnAt: t.withdrawnAt,
        holdKind: t.holdKind,
        holdRef: t.holdRef,
        events: (eventsOf.get(t.id) ?? []).map(({ at, attempt, fromStatus, toStatus, outcome, params, error }) => ({
          at,
          attempt,
          fromStatus,
          toStatus,
          outcome,
          params,
          error,
        })),
      })),
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
