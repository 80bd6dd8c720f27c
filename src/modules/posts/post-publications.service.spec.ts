import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { conflict, notFound } from '#src/common/domain-error.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { PostPublicationsService } from '#src/modules/posts/post-publications.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { channelData, institutionData, postData, targetData } from '#test/factories/entities.js';
import { automock, newTestService, refusal } from '#test/support/unit.js';

const INST = randomUUID();
const EDITOR = randomUUID();
const principal = (userId: string): Principal => ({ userId, email: `${userId}@test.example`, isSystemAdmin: false, sessionId: 's' });

interface Scene {
  post?: Partial<Post>;
  target?: Partial<PublicationTarget>;
  channel?: Partial<Channel>;
  role?: MemberRole;
}

/**
 * PostPublicationsService with its repositories mocked from their real classes, the real PostAccess
 * (so a refusal by role comes from the policy), and the publishing module's PublicationTargetsService
 * automocked: a test checks which target operation a person's action asks for, with what. What the
 * target operations themselves refuse is in publication-targets.service.spec.ts.
 */
function setup(scene: Scene = {}) {
  const post = postData({ institutionId: INST, status: 'approved', ...scene.post });
  const channel = channelData({ institutionId: INST, displayName: 'Mastodon', ...scene.channel });
  const target = targetData({ institutionId: INST, postId: post.id, channelId: channel.id, status: 'failed', ...scene.target });
  const repo = automock(PostsRepository);
  repo.institutionOf.mockResolvedValue(INST);
  repo.find.mockResolvedValue(post);
  repo.findForUpdate.mockResolvedValue(post);
  const access = automock(InstitutionAccess);
  access.member.mockImplementation(async (p) => ({ userId: p.userId, institutionId: INST, role: scene.role ?? 'editor', partnerId: null }));
  access.campaignVisible.mockResolvedValue(true);
  const t = newTestService(PostPublicationsService, { use: [[PostAccess, new PostAccess(repo, access)]] });
  const publications = t.mock(PublicationTargetsService);
  publications.find.mockImplementation(async (_i, postId, targetId) => {
    if (postId !== post.id || targetId !== target.id) throw notFound('publication target');
    return target;
  });
  t.mock(ChannelsRepository).findMany.mockImplementation(async (_i, ids) => (ids.includes(channel.id) ? [channel] : []));
  t.mock(InstitutionsRepository).find.mockResolvedValue(institutionData({ id: INST, languages: ['hu', 'ro'] }));
  return { ...t, post, channel, target, repo, publications };
}

describe('PostPublicationsService: retrying a failed publication', () => {
  it('asks the publishing module to send it again on its channel, and audits who did, with the error it had', async () => {
    const { sut, post, target, channel, publications, mock } = setup({ target: { status: 'failed', lastError: 'token revoked' } });
    await sut.retry(principal(EDITOR), post.id, target.id);
    expect(publications.find).toHaveBeenCalledWith(INST, post.id, target.id);
    expect(publications.retry).toHaveBeenCalledWith(INST, target, channel);
    expect(mock(AuditService).record).toHaveBeenCalledWith({
      institutionId: INST,
      actorId: EDITOR,
      action: 'post.target_retried',
      targetType: 'post',
      targetId: post.id,
      data: { targetId: target.id, channelId: channel.id, lastError: 'token revoked' },
    });
  });

  it.each(['draft', 'in_review', 'rejected', 'cancelled'] as const)(
    'refuses to retry a publication of a post that is %s, without touching it',
    async (status) => {
      const { sut, post, target, publications } = setup({ post: { status } });
      expect(await refusal(sut.retry(principal(EDITOR), post.id, target.id))).toEqual({
        status: 409,
        code: 'invalid_transition',
        message: `only a publication of an approved post can be retried; this post is ${status}`,
      });
      expect(publications.retry).not.toHaveBeenCalled();
    },
  );

  it('answers what the publishing module refuses (a publication not failed, a channel not reconnected), and audits nothing', async () => {
    const { sut, post, target, publications, mock } = setup({ target: { status: 'published' } });
    publications.retry.mockRejectedValue(
      conflict('invalid_transition', 'only a failed publication can be retried; this one is published', { status: 'published' }),
    );
    expect(await refusal(sut.retry(principal(EDITOR), post.id, target.id))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      details: { status: 'published' },
    });
    expect(mock(AuditService).record).not.toHaveBeenCalled();
  });

  it.each(['author', 'contributor', 'viewer'] as const)('refuses a retry by a %s (forbidden by role)', async (role) => {
    const { sut, post, target, publications } = setup({ role });
    expect(await refusal(sut.retry(principal(EDITOR), post.id, target.id))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(publications.retry).not.toHaveBeenCalled();
  });

  it('answers 404 for a target that is not the post’s', async () => {
    const { sut, post, publications } = setup();
    expect(await refusal(sut.retry(principal(EDITOR), post.id, randomUUID()))).toMatchObject({ status: 404, code: 'not_found' });
    expect(publications.retry).not.toHaveBeenCalled();
  });
});

describe('PostPublicationsService: settling an unconfirmed publication', () => {
  it('hands the person’s answer to the publishing module with the institution’s first language, and audits it', async () => {
    const { sut, post, target, channel, publications, mock } = setup({ target: { status: 'unconfirmed' } });
    const dto = { outcome: 'published' as const, url: 'https://x.example/1', note: 'seen on the page' };
    await sut.resolve(principal(EDITOR), post.id, target.id, dto);
    expect(publications.settle).toHaveBeenCalledWith(post, target, channel, 'hu', dto);
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'post.target_resolved',
        actorId: EDITOR,
        data: { targetId: target.id, outcome: 'published', url: 'https://x.example/1', externalId: null, note: 'seen on the page' },
      }),
    );
  });

  it('answers 404 for a target that is not the post’s', async () => {
    const { sut, post, publications } = setup({ target: { status: 'unconfirmed' } });
    expect(await refusal(sut.resolve(principal(EDITOR), post.id, randomUUID(), { outcome: 'published' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(publications.settle).not.toHaveBeenCalled();
  });

  it('refuses a settlement by an author (forbidden by role)', async () => {
    const { sut, post, target, publications } = setup({ target: { status: 'unconfirmed' }, role: 'author' });
    expect(await refusal(sut.resolve(principal(EDITOR), post.id, target.id, { outcome: 'not_published' }))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect(publications.settle).not.toHaveBeenCalled();
  });
});

describe('PostPublicationsService: withdrawing a publication', () => {
  it('asks the publishing module to take it down with the trimmed reason; the audit names what the platform deleted', async () => {
    const { sut, post, target, channel, publications, mock } = setup({ target: { status: 'published', externalId: 'p1' } });
    await sut.withdraw(principal(EDITOR), post.id, target.id, ' typo ');
    expect(publications.withdraw).toHaveBeenCalledWith(INST, target, channel, 'typo', expect.any(Function));
    // The audit is written by the callback, in the publishing module's transaction, once the platform deleted the parts.
    expect(mock(AuditService).record).not.toHaveBeenCalled();
    const record = publications.withdraw.mock.calls[0]![4];
    await record(['p2', 'p1']);
    expect(mock(AuditService).record).toHaveBeenCalledWith({
      institutionId: INST,
      actorId: EDITOR,
      action: 'post.target_withdrawn',
      targetType: 'post',
      targetId: post.id,
      data: { targetId: target.id, channelId: channel.id, externalIds: ['p2', 'p1'], reason: 'typo' },
    });
  });

  it('calls the platform outside any transaction of its own (the publishing module commits the move)', async () => {
    const { sut, post, target, tx } = setup({ target: { status: 'published', externalId: 'p1' } });
    await sut.withdraw(principal(EDITOR), post.id, target.id, 'typo');
    expect(tx.run).not.toHaveBeenCalled();
  });

  it('refuses a withdrawal by an author (forbidden by role)', async () => {
    const { sut, post, target, publications } = setup({ target: { status: 'published' }, role: 'author' });
    expect(await refusal(sut.withdraw(principal(EDITOR), post.id, target.id, 'typo'))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(publications.withdraw).not.toHaveBeenCalled();
  });
});
