import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { PostViewsService } from '#src/modules/posts/post-views.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { GONE_OUT } from '#src/modules/publishing/target-transitions.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { blackoutData } from '#test/factories/entities.js';
import { postScene, type PostScene } from '#test/support/post-scene.js';
import { newTestService, refusal } from '#test/support/unit.js';

const INST = randomUUID();
const AUTHOR = randomUUID();
const EDITOR = randomUUID();
const principal = (userId: string): Principal => ({ userId, email: `${userId}@test.example`, isSystemAdmin: false, sessionId: 's' });

/**
 * PostsService (writing a post) with its repositories mocked from their real classes and the
 * publishing module's PublicationTargetsService automocked: a test checks which target operation an
 * edit asks for. The real PostAccess, PostContentService and BlackoutsService (over mocked
 * repositories) answer, so a refusal by role, by content or by a blackout window comes from the rule itself.
 */
function setup(scene: PostScene = {}) {
  const { post, channels, targets, repo, blackoutsRepo, use } = postScene(INST, AUTHOR, scene);
  const t = newTestService(PostsService, { use });
  const publications = t.mock(PublicationTargetsService);
  publications.forPosts.mockResolvedValue(targets);
  publications.goneOut.mockResolvedValue(targets.filter((target) => GONE_OUT.includes(target.status)));
  return { ...t, post, channels, targets, repo, publications, blackoutsRepo };
}

const election = (overrides: Partial<Blackout> = {}) =>
  blackoutData({
    institutionId: INST,
    reason: 'Election silence',
    startsAt: new Date('2026-06-20T21:00:00Z'),
    endsAt: new Date('2026-06-21T21:00:00Z'),
    ...overrides,
  });

describe('PostsService: edits', () => {
  it('sends an approved post back to review with a new revision, and clears the approval', async () => {
    const { sut, post, repo, mock, publications, channels } = setup({
      post: { status: 'approved', revision: 3, approvedBy: EDITOR, approvedAt: new Date('2026-06-14T08:00:00Z') },
    });
    await sut.update(principal(AUTHOR), post.id, { variants: [{ language: 'ro', text: 'Nou' }] });
    expect(repo.update).toHaveBeenCalledWith(
      INST,
      post.id,
      expect.objectContaining({ status: 'in_review', revision: 4, approvedBy: null, approvedAt: null }),
    );
    // Targets follow, with a raised revision so a job queued for the old text finds nothing to do.
    expect(publications.followReview).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), 'edited_review', true);
    expect(publications.setChannels).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), [channels[0]!.id], 'in_review', 4);
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.edited', data: expect.objectContaining({ revision: 4, from: 'approved', to: 'in_review' }) }),
    );
  });

  it('keeps a post in review in review, with a new revision', async () => {
    const { sut, post, repo, publications } = setup({ post: { status: 'in_review', revision: 2 } });
    await sut.update(principal(AUTHOR), post.id, {});
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, expect.objectContaining({ status: 'in_review', revision: 3 }));
    expect(publications.followReview).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), 'edited_review', true);
  });

  it.each(['draft', 'rejected'] as const)('leaves a %s post a draft, at the same revision', async (status) => {
    const { sut, post, repo, publications } = setup({ post: { status, revision: 2, rejectionReason: 'wrong date' } });
    await sut.update(principal(AUTHOR), post.id, {});
    expect(repo.update).toHaveBeenCalledWith(
      INST,
      post.id,
      expect.objectContaining({ status: 'draft', revision: 2, rejectionReason: null }),
    );
    expect(publications.followReview).toHaveBeenCalledWith(
      expect.objectContaining({ id: post.id, scheduledAt: null }),
      'edited_draft',
      false,
    );
    expect(publications.setChannels).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), expect.any(Array), 'draft', 2);
  });

  it('gives the targets the post’s new time, read in the institution’s zone', async () => {
    const { sut, post, publications } = setup({ post: { status: 'approved' } });
    await sut.update(principal(AUTHOR), post.id, { scheduledAt: '2026-07-01T09:00:00' });
    expect(publications.followReview).toHaveBeenCalledWith(
      expect.objectContaining({ scheduledAt: new Date('2026-07-01T06:00:00Z') }),
      'edited_review',
      true,
    );
  });

  it('gives the post the channels the edit names, new ones in its new state', async () => {
    const { sut, post, publications, channels } = setup({ post: { status: 'in_review', revision: 2 }, channels: 2, targets: [{}] });
    await sut.update(principal(AUTHOR), post.id, { channelIds: [channels[1]!.id] });
    expect(publications.setChannels).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), [channels[1]!.id], 'in_review', 3);
  });

  it('makes the editor a co-author, who may then not approve it', async () => {
    const { sut, post, repo } = setup({ post: { status: 'in_review' } });
    await sut.update(principal(EDITOR), post.id, {});
    expect(repo.addAuthor).toHaveBeenCalledWith(post.id, EDITOR);
  });

  it('discards the pending occurrences of an edited post, to be made again on approval', async () => {
    const { sut, post, mock } = setup({ post: { status: 'approved' } });
    await sut.update(principal(AUTHOR), post.id, {});
    expect(mock(RecurrenceService).discardPending).toHaveBeenCalledWith(INST, post.id);
  });

  it('refuses to edit a cancelled post (post_cancelled)', async () => {
    const { sut, post, repo } = setup({ post: { status: 'cancelled' } });
    expect(await refusal(sut.update(principal(AUTHOR), post.id, {}))).toEqual({
      status: 409,
      code: 'post_cancelled',
      message: 'a cancelled post cannot be edited',
    });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('refuses to edit a post that has gone out (post_published), naming its publications, and writes nothing', async () => {
    const { sut, post, repo, targets, publications } = setup({
      post: { status: 'approved' },
      channels: 2,
      targets: [{ status: 'published' }, { status: 'scheduled' }],
    });
    expect(await refusal(sut.update(principal(AUTHOR), post.id, { variants: [{ language: 'ro', text: 'Corectat' }] }))).toEqual({
      status: 409,
      code: 'post_published',
      message: 'this post has gone out (published): what was published stays as it was; withdraw it, or write a new post',
      details: { targets: [{ targetId: targets[0]!.id, channelId: targets[0]!.channelId, status: 'published' }] },
    });
    expect(repo.update).not.toHaveBeenCalled();
    expect(publications.followReview).not.toHaveBeenCalled();
    expect(publications.setChannels).not.toHaveBeenCalled();
  });

  it('lets a contributor edit drafts only', async () => {
    const { sut, post } = setup({ post: { status: 'in_review' }, role: 'contributor' });
    expect(await refusal(sut.update(principal(AUTHOR), post.id, {}))).toEqual({
      status: 403,
      code: 'forbidden',
      message: 'a contributor may edit drafts only; this post is in_review',
    });
  });

  it('refuses an edit that moves the time into a blackout window, and writes nothing', async () => {
    const { sut, post, repo } = setup({ post: { status: 'draft' }, blackouts: [election()] });
    expect(await refusal(sut.update(principal(AUTHOR), post.id, { scheduledAt: '2026-06-21T10:00:00' }))).toMatchObject({
      status: 409,
      code: 'blackout',
      // 10:00 in Bucharest (UTC+3 in summer) is 07:00 UTC.
      message: expect.stringMatching(/^2026-06-21T07:00:00\.000Z falls in the blackout window "Election silence"/),
    });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('refuses a channel of another institution, naming it', async () => {
    const { sut, post } = setup({ post: { status: 'draft' } });
    const stranger = randomUUID();
    expect(await refusal(sut.update(principal(AUTHOR), post.id, { channelIds: [stranger] }))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: `channelIds names channels this institution does not have: ${stranger}`,
    });
  });

  it('refuses a time the clocks skip for daylight saving time rather than guessing', async () => {
    const { sut, post } = setup({ post: { status: 'draft' } });
    expect(await refusal(sut.update(principal(AUTHOR), post.id, { scheduledAt: '2027-03-28T03:30:00' }))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'scheduledAt 2027-03-28T03:30:00 does not exist in Europe/Bucharest (the clocks skip it for daylight saving time)',
    });
  });
});

describe('PostsService: creating', () => {
  it('refuses to create a post scheduled into a blackout window', async () => {
    const { sut, repo, channels } = setup({ blackouts: [election()] });
    expect(
      await refusal(
        sut.create(principal(AUTHOR), INST, {
          campaignId: randomUUID(),
          channelIds: [channels[0]!.id],
          scheduledAt: '2026-06-21T12:00:00Z',
        }),
      ),
    ).toMatchObject({ status: 409, code: 'blackout' });
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('creates a draft, its author recorded, a draft target per channel', async () => {
    const { sut, repo, channels, publications, mock } = setup({ channels: 2 });
    const campaignId = randomUUID();
    mock(PostViewsService).views.mockImplementation(async (_i, posts) => posts.map((p) => ({ ...p, authorIds: [AUTHOR], targets: [] })));
    const view = await sut.create(principal(AUTHOR), INST, { campaignId, channelIds: channels.map((c) => c.id) });
    expect(mock(CampaignsService).visible).toHaveBeenCalledWith(expect.objectContaining({ userId: AUTHOR }), campaignId);
    expect(repo.create).toHaveBeenCalledWith(
      expect.objectContaining({ institutionId: INST, campaignId, status: 'draft', revision: 1, createdBy: AUTHOR, scheduledAt: null }),
    );
    const created = (await repo.create.mock.results[0]!.value) as Post;
    expect(view).toMatchObject({ id: created.id, status: 'draft' });
    expect(repo.addAuthor).toHaveBeenCalledWith(created.id, AUTHOR);
    expect(publications.setChannels).toHaveBeenCalledWith(
      created,
      channels.map((c) => c.id),
      'draft',
      1,
    );
    expect(mock(AuditService).record).toHaveBeenCalledWith(expect.objectContaining({ action: 'post.created', targetId: created.id }));
  });
});

describe('PostsService: comments', () => {
  it('records a trimmed comment and audits it', async () => {
    const { sut, post, repo, mock } = setup({ post: { status: 'in_review' } });
    repo.addComment.mockImplementation(async (institutionId, postId, authorId, body) => ({
      id: 'c-1',
      institutionId,
      postId,
      authorId,
      body,
      createdAt: new Date(),
    }));
    await sut.comment(principal(EDITOR), post.id, '  looks good  ');
    expect(repo.addComment).toHaveBeenCalledWith(INST, post.id, EDITOR, 'looks good');
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.commented', data: { commentId: 'c-1' } }),
    );
  });

  it('refuses a comment by a viewer', async () => {
    const { sut, post, repo } = setup({ post: { status: 'in_review' }, role: 'viewer' });
    expect(await refusal(sut.comment(principal(EDITOR), post.id, 'hm'))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(repo.addComment).not.toHaveBeenCalled();
  });
});
