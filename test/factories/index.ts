import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Campaign } from '#src/modules/campaigns/campaign.entity.js';
import { CampaignsRepository } from '#src/modules/campaigns/campaigns.repository.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { Membership, type MemberRole } from '#src/modules/institutions/membership.entity.js';
import { MembersRepository } from '#src/modules/members/members.repository.js';
import { type Post } from '#src/modules/posts/post.entity.js';
import { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import type { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';
import { channelData, institutionData, postData } from '#test/factories/entities.js';

export { blackoutData, channelData, institutionData, postData, targetData } from '#test/factories/entities.js';
export { openTestDatabase, type TestDatabase } from '#test/factories/database.js';

type New<T> = Partial<Omit<T, 'id' | 'createdAt' | 'updatedAt'>>;

/**
 * Data for int tests, saved through the app's own repositories (the same writes the services make),
 * each builder taking overrides and returning what was saved. Whatever a builder needs and is not
 * given (an author, a campaign) it makes. Inside `tx.run(...)` the writes join that transaction.
 */
export class Factories {
  readonly tx: Tx;
  readonly institutions: InstitutionsRepository;
  readonly members: MembersRepository;
  readonly channels: ChannelsRepository;
  readonly campaigns: CampaignsRepository;
  readonly posts: PostsRepository;
  readonly targets: TargetsRepository;

  constructor(readonly dataSource: DataSource) {
    this.tx = new Tx(dataSource);
    this.institutions = new InstitutionsRepository(this.tx);
    this.members = new MembersRepository(this.tx);
    this.channels = new ChannelsRepository(this.tx);
    this.targets = new TargetsRepository(this.tx);
    this.campaigns = new CampaignsRepository(this.tx);
    this.posts = new PostsRepository(this.tx);
  }

  institution(overrides: New<Institution> = {}): Promise<Institution> {
    const { id: _id, createdAt: _c, updatedAt: _u, ...data } = institutionData(overrides);
    return this.institutions.create(data);
  }

  /** A user and their membership of `institution` (an editor unless `role` says otherwise). */
  async member(
    institution: Pick<Institution, 'id'>,
    options: { role?: MemberRole; email?: string; displayName?: string; partnerId?: string | null } = {},
  ): Promise<{ user: User; membership: Membership }> {
    const email = options.email ?? `member-${randomUUID().slice(0, 8)}@test.example`;
    // Nobody logs in through a factory: the hash only fills the column.
    const user = await this.members.createUser(email, options.displayName ?? email.split('@')[0]!, 'not-a-password-hash');
    const id = await this.members.add(institution.id, user.id, options.role ?? 'editor', options.partnerId ?? null);
    const membership = await this.tx.manager.getRepository(Membership).findOneByOrFail({ id });
    return { user, membership };
  }

  channel(institution: Pick<Institution, 'id'>, overrides: New<Channel> = {}): Promise<Channel> {
    const { id: _id, createdAt: _c, updatedAt: _u, ...data } = channelData({ ...overrides, institutionId: institution.id });
    return this.channels.create(data);
  }

  async campaign(institution: Pick<Institution, 'id'>, overrides: New<Campaign> & { partnerIds?: string[] } = {}): Promise<Campaign> {
    const { partnerIds = [], ...rest } = overrides;
    const createdBy = rest.createdBy ?? (await this.member(institution, { role: 'admin' })).user.id;
    return this.campaigns.create(
      {
        institutionId: institution.id,
        title: 'Campaign',
        goal: '',
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
        targetAudiences: [],
        hashtags: [],
        ...rest,
        createdBy,
      },
      partnerIds,
    );
  }

  /** A post (a draft unless overridden) with its author recorded; a campaign and an author are made when not given. */
  async post(institution: Pick<Institution, 'id'>, overrides: New<Post> = {}): Promise<Post> {
    const createdBy = overrides.createdBy ?? (await this.member(institution, { role: 'author' })).user.id;
    const campaignId = overrides.campaignId ?? (await this.campaign(institution)).id;
    const {
      id: _id,
      createdAt: _c,
      updatedAt: _u,
      ...data
    } = postData({ ...overrides, institutionId: institution.id, createdBy, campaignId });
    const post = await this.posts.create(data);
    await this.posts.addAuthor(post.id, createdBy);
    return post;
  }

  /**
   * The post's target on `channel`, made as the publishing module makes it, then given `overrides` (a
   * status, times, attempts) directly: a test starts from any state without walking the transitions there.
   */
  async target(post: Post, channel: Pick<Channel, 'id'>, overrides: New<PublicationTarget> = {}): Promise<PublicationTarget> {
    const current = await this.targets.listForPosts(post.institutionId, [post.id]);
    const channelIds = [...new Set([...current.filter((t) => !t.occurrenceAt).map((t) => t.channelId), channel.id])];
    const status = post.status === 'cancelled' ? 'draft' : post.status;
    await this.targets.setForPost(post.institutionId, post.id, channelIds, status, post.revision, post.scheduledAt, new Date(0));
    const repo = this.tx.manager.getRepository(PublicationTarget);
    const target = await repo.findOneByOrFail({ institutionId: post.institutionId, postId: post.id, channelId: channel.id });
    if (Object.keys(overrides).length) await repo.update({ institutionId: post.institutionId, id: target.id }, overrides);
    return repo.findOneByOrFail({ institutionId: post.institutionId, id: target.id });
  }
}
