import { randomUUID } from 'node:crypto';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import { MediaService } from '#src/modules/media/media.service.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { PostContentService } from '#src/modules/posts/post-content.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { channelData, institutionData, postData, targetData } from '#test/factories/entities.js';
import { automock, newTestService, type Class } from '#test/support/unit.js';

export interface PostScene {
  post?: Partial<Post>;
  /** Channels of the post's targets (one target each), unless `targets` is given. */
  channels?: number;
  targets?: Array<Partial<PublicationTarget>>;
  authors?: string[];
  role?: MemberRole;
  blackouts?: Blackout[];
}

/**
 * One post of one institution, as the post services' collaborators see it: its repositories mocked
 * from their real classes, answering as `scene` says, and the real PostAccess, PostContentService and
 * BlackoutsService over them, so a refusal by role, by content or by a blackout window comes from the
 * rule itself. Give `use` to newTestService; the spec mocks the rest (the publishing module).
 */
export function postScene(institutionId: string, authorId: string, scene: PostScene = {}) {
  const post = postData({ institutionId, createdBy: authorId, ...scene.post });
  const channels = Array.from({ length: scene.channels ?? 1 }, (_, i) => channelData({ institutionId, displayName: `Channel ${i + 1}` }));
  const targets = (scene.targets ?? channels.map(() => ({}))).map((t, i) =>
    targetData({ institutionId, postId: post.id, channelId: channels[i]?.id ?? randomUUID(), ...t }),
  );

  const repo = automock(PostsRepository);
  repo.institutionOf.mockResolvedValue(institutionId);
  repo.find.mockResolvedValue(post);
  repo.findForUpdate.mockResolvedValue(post);
  repo.authors.mockResolvedValue(scene.authors ?? [authorId]);
  repo.create.mockImplementation(async (data) => postData({ ...data, id: randomUUID() }));
  const access = automock(InstitutionAccess);
  const member = async (p: Principal) => ({ userId: p.userId, institutionId, role: scene.role ?? 'editor', partnerId: null });
  access.member.mockImplementation(member);
  access.authorize.mockImplementation(member);
  access.campaignVisible.mockResolvedValue(true);
  const channelsRepo = automock(ChannelsRepository);
  channelsRepo.findMany.mockImplementation(async (_i, ids) => channels.filter((c) => ids.includes(c.id)));
  const institutions = automock(InstitutionsRepository);
  institutions.find.mockResolvedValue(institutionData({ id: institutionId, timeZone: 'Europe/Bucharest' }));
  const media = automock(MediaService);
  media.attach.mockResolvedValue([]);
  media.refs.mockResolvedValue([]);
  const blackouts = newTestService(BlackoutsService);
  const blackoutsRepo = blackouts.mock(BlackoutsRepository);
  blackoutsRepo.covering.mockImplementation(
    async (_i, channelId, at) =>
      (scene.blackouts ?? []).find(
        (b) => (b.channelIds.length === 0 || b.channelIds.includes(channelId)) && b.startsAt <= at && at < b.endsAt,
      ) ?? null,
  );
  const use: Array<[Class, unknown]> = [
    [PostsRepository, repo],
    [InstitutionAccess, access],
    [PostAccess, new PostAccess(repo, access)],
    [PostContentService, new PostContentService(channelsRepo, institutions, media, access)],
    [BlackoutsService, blackouts.sut],
    [ChannelsRepository, channelsRepo],
    [InstitutionsRepository, institutions],
    [MediaService, media],
  ];
  return { post, channels, targets, repo, access, blackoutsRepo, use };
}
