import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { PageQuery } from '#src/common/pagination.js';
import { CampaignPartner } from '#src/modules/campaigns/campaign.entity.js';
import { Comment, Post, PostAuthor, type PostStatus } from '#src/modules/posts/post.entity.js';
import { PostRevision } from '#src/modules/posts/post-revision.entity.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

export interface PostFilter {
  campaignId?: string;
  status?: PostStatus;
  channelId?: string;
  from?: Date;
  to?: Date;
  /** A contributor's view: only posts of campaigns shared with this partner. */
  sharedWithPartnerId?: string;
}

@Injectable()
export class PostsRepository {
  constructor(private readonly tx: Tx) {}

  private get posts() {
    return this.tx.manager.getRepository(Post);
  }

  /** Which institution a post belongs to: the first step of a tenant check, nothing more. */
  async institutionOf(postId: string): Promise<string | undefined> {
    return (await this.posts.findOne({ select: { id: true, institutionId: true }, where: { id: postId } }))?.institutionId;
  }

  list(institutionId: string, f: PostFilter, q: PageQuery): Promise<[Post[], number]> {
    const qb = this.posts.createQueryBuilder('p').where('p.institution_id = :institutionId', { institutionId });
    if (f.campaignId) qb.andWhere('p.campaign_id = :campaignId', { campaignId: f.campaignId });
    if (f.status) qb.andWhere('p.status = :status', { status: f.status });
    if (f.from) qb.andWhere('p.scheduled_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('p.scheduled_at < :to', { to: f.to });
    if (f.channelId) {
      qb.andWhere('EXISTS (SELECT 1 FROM publication_targets t WHERE t.post_id = p.id AND t.channel_id = :channelId)', {
        channelId: f.channelId,
      });
    }
    if (f.sharedWithPartnerId) {
      qb.innerJoin(CampaignPartner, 'cp', 'cp.campaign_id = p.campaign_id AND cp.partner_id = :partnerId', {
        partnerId: f.sharedWithPartnerId,
      });
    }
    return qb
      .orderBy('p.scheduled_at', 'ASC', 'NULLS LAST')
      .addOrderBy('p.created_at', 'DESC')
      .take(q.limit)
      .skip(q.offset)
      .getManyAndCount();
  }

  find(institutionId: string, postId: string): Promise<Post | null> {
    return this.posts.findOneBy({ institutionId, id: postId });
  }

  /** The post, locked for the rest of the transaction so two reviewers cannot both act on it. */
  findForUpdate(institutionId: string, postId: string): Promise<Post | null> {
    return this.posts
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.institution_id = :institutionId AND p.id = :postId', { institutionId, postId })
      .getOne();
  }

  async create(data: Omit<Post, 'id' | 'createdAt' | 'updatedAt'>): Promise<Post> {
    return this.posts.save(this.posts.create(data));
  }

  async update(institutionId: string, postId: string, patch: Partial<Post>): Promise<void> {
    await this.posts.update({ institutionId, id: postId }, patch);
  }

  async addAuthor(postId: string, userId: string): Promise<void> {
    await this.tx.manager.getRepository(PostAuthor).createQueryBuilder().insert().values({ postId, userId }).orIgnore().execute();
  }

  async authors(postId: string): Promise<string[]> {
    return (await this.authorsOf([postId])).get(postId) ?? [];
  }

  /** The authors of each post, in one query (a page of posts must not cost a query per post). */
  async authorsOf(postIds: string[]): Promise<Map<string, string[]>> {
    const byPost = new Map<string, string[]>();
    if (postIds.length === 0) return byPost;
    for (const a of await this.tx.manager.getRepository(PostAuthor).findBy({ postId: In(postIds) })) {
      byPost.set(a.postId, [...(byPost.get(a.postId) ?? []), a.userId]);
    }
    return byPost;
  }

  listComments(institutionId: string, postId: string, q: PageQuery): Promise<[Comment[], number]> {
    return this.tx.manager
      .getRepository(Comment)
      .findAndCount({ where: { institutionId, postId }, order: { createdAt: 'ASC' }, take: q.limit, skip: q.offset });
  }

  addComment(institutionId: string, postId: string, authorId: string, body: string): Promise<Comment> {
    const repo = this.tx.manager.getRepository(Comment);
    return repo.save(repo.create({ institutionId, postId, authorId, body }));
  }

  /** Appends a snapshot of a post's content, numbered after the last one (the post is locked by the caller). */
  async addRevision(data: Omit<PostRevision, 'revision' | 'recordedAt'> & { recordedAt: Date }): Promise<PostRevision> {
    const repo = this.tx.manager.getRepository(PostRevision);
    const last = await repo
      .createQueryBuilder('r')
      .select('MAX(r.revision)', 'max')
      .where('r.post_id = :postId', { postId: data.postId })
      .getRawOne<{ max: number | null }>();
    const row = repo.create({ ...data, revision: Number(last?.max ?? 0) + 1 });
    await repo.insert(row);
    return row;
  }

  /** A post's snapshots, oldest first. */
  listRevisions(institutionId: string, postId: string): Promise<PostRevision[]> {
    return this.tx.manager.getRepository(PostRevision).find({ where: { institutionId, postId }, order: { revision: 'ASC' } });
  }

  /** The display names of these users, only those who are members of the institution. */
  async memberNames(institutionId: string, userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.tx.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(Membership, 'm', 'm.user_id = u.id AND m.institution_id = :institutionId', { institutionId })
      .select(['u.id', 'u.displayName'])
      .where('u.id IN (:...userIds)', { userIds: [...new Set(userIds)] })
      .getMany();
    return new Map(rows.map((u) => [u.id, u.displayName]));
  }

  /** The name and platform of these channels of the institution. */
  async channelLabels(institutionId: string, channelIds: string[]): Promise<Map<string, { displayName: string; platform: string }>> {
    if (channelIds.length === 0) return new Map();
    const rows = await this.tx.manager
      .getRepository(Channel)
      .find({ select: { id: true, displayName: true, platform: true }, where: { institutionId, id: In([...new Set(channelIds)]) } });
    return new Map(rows.map((c) => [c.id, { displayName: c.displayName, platform: c.platform }]));
  }
}
