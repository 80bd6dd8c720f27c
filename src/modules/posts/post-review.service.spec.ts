import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { blackoutData } from '#test/factories/entities.js';
import { postScene, type PostScene } from '#test/support/post-scene.js';
import { newTestService, refusal, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const AUTHOR = randomUUID();
const EDITOR = randomUUID();
const principal = (userId: string): Principal => ({ userId, email: `${userId}@test.example`, isSystemAdmin: false, sessionId: 's' });

/**
 * PostReviewService with its repositories mocked from their real classes and the publishing module's
 * PublicationTargetsService automocked: a test checks which target operation the review asks for. The
 * real PostAccess, PostContentService and BlackoutsService (over mocked repositories) answer, so a
 * refusal by role, by content or by a blackout window comes from the rule itself.
 */
function setup(scene: PostScene = {}) {
  const { post, channels, targets, repo, blackoutsRepo, use } = postScene(INST, AUTHOR, scene);
  const t = newTestService(PostReviewService, { use });
  const publications = t.mock(PublicationTargetsService);
  publications.forPosts.mockResolvedValue(targets);
  publications.cancel.mockResolvedValue([]);
  publications.schedule.mockResolvedValue(targets.length);
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

describe('PostReviewService: approval', () => {
  it('refuses the author approving their own post (self_approval), and changes nothing', async () => {
    const { sut, repo, post, publications } = setup({ post: { status: 'in_review' }, authors: [AUTHOR] });
    expect(await refusal(sut.approve(principal(AUTHOR), post.id))).toEqual({
      status: 403,
      code: 'self_approval',
      message: 'you wrote or edited this post: another editor must approve it',
    });
    expect(repo.update).not.toHaveBeenCalled();
    expect(publications.followReview).not.toHaveBeenCalled();
  });

  it('refuses an editor who edited the post, though someone else wrote it', async () => {
    const { sut, post } = setup({ post: { status: 'in_review' }, authors: [AUTHOR, EDITOR] });
    expect(await refusal(sut.approve(principal(EDITOR), post.id))).toMatchObject({ status: 403, code: 'self_approval' });
  });

  it('approves for an editor who neither wrote nor edited it: who and when recorded, targets approved, audited', async () => {
    const { sut, repo, post, mock, publications } = setup({ post: { status: 'in_review' }, authors: [AUTHOR] });
    await sut.approve(principal(EDITOR), post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { approvedBy: EDITOR, approvedAt: UNIT_NOW });
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'approved' });
    expect(publications.followReview).toHaveBeenCalledWith(post, 'approved');
    expect(repo.addRevision).toHaveBeenCalledWith(expect.objectContaining({ event: 'approved', recordedBy: EDITOR }));
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.approved', actorId: EDITOR, data: expect.objectContaining({ from: 'in_review' }) }),
    );
  });

  it.each(['draft', 'approved', 'rejected', 'cancelled'] as const)(
    'refuses to approve a post that is %s (invalid_transition)',
    async (status) => {
      const { sut, post, repo } = setup({ post: { status }, authors: [AUTHOR] });
      expect(await refusal(sut.approve(principal(EDITOR), post.id))).toEqual({
        status: 409,
        code: 'invalid_transition',
        message: `only a post in review can be approved; this one is ${status}`,
      });
      expect(repo.update).not.toHaveBeenCalled();
    },
  );

  it.each(['author', 'contributor', 'viewer'] as const)('refuses approval by a %s (forbidden by role)', async (role) => {
    const { sut, post } = setup({ post: { status: 'in_review' }, role });
    expect(await refusal(sut.approve(principal(EDITOR), post.id))).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('answers 404 for a post of a campaign the caller may not see', async () => {
    const { sut, post, mock } = setup({ post: { status: 'in_review' }, role: 'contributor' });
    mock(InstitutionAccess).campaignVisible.mockResolvedValue(false);
    expect(await refusal(sut.approve(principal(EDITOR), post.id))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('refuses to approve a post whose time falls in a blackout window, naming the window', async () => {
    const window = election();
    const { sut, post, repo, publications } = setup({
      post: { status: 'in_review', scheduledAt: new Date('2026-06-21T06:00:00Z') },
      blackouts: [window],
    });
    expect(await refusal(sut.approve(principal(EDITOR), post.id))).toEqual({
      status: 409,
      code: 'blackout',
      message:
        '2026-06-21T06:00:00.000Z falls in the blackout window "Election silence" (2026-06-20T21:00:00.000Z to 2026-06-21T21:00:00.000Z)',
      details: { blackout: expect.objectContaining({ id: window.id, reason: 'Election silence' }) },
    });
    expect(repo.update).not.toHaveBeenCalled();
    expect(publications.schedule).not.toHaveBeenCalled();
  });

  it('approves a post in a blackout window when an admin overrode blackouts for it', async () => {
    const { sut, post, repo } = setup({
      post: { status: 'in_review', scheduledAt: new Date('2026-06-21T06:00:00Z'), blackoutOverrideReason: 'flood warning' },
      blackouts: [election()],
    });
    await sut.approve(principal(EDITOR), post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'approved' });
  });

  it('puts the targets of a post approved with a time into the schedule', async () => {
    const at = new Date('2026-06-25T07:00:00Z');
    const { sut, post, publications } = setup({ post: { status: 'in_review', scheduledAt: at } });
    await sut.approve(principal(EDITOR), post.id);
    expect(publications.schedule).toHaveBeenCalledWith(INST, post.id, at, 'scheduled');
  });

  it('leaves the targets of a post approved without a time approved, out of the schedule', async () => {
    const { sut, post, publications, mock } = setup({ post: { status: 'in_review', scheduledAt: null } });
    await sut.approve(principal(EDITOR), post.id);
    expect(publications.followReview).toHaveBeenCalledWith(post, 'approved');
    expect(publications.schedule).not.toHaveBeenCalled();
    expect(mock(RecurrenceService).materialize).not.toHaveBeenCalled();
  });

  it('materialises the occurrences of a recurring post on approval instead', async () => {
    const { sut, post, mock, publications } = setup({
      post: { status: 'in_review', scheduledAt: new Date('2026-06-25T07:00:00Z'), recurrence: 'FREQ=WEEKLY;COUNT=4' },
    });
    await sut.approve(principal(EDITOR), post.id);
    expect(mock(RecurrenceService).materialize).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), UNIT_NOW);
    expect(publications.schedule).not.toHaveBeenCalled();
  });

  it('refuses to reject a post not in review', async () => {
    const { sut, post, publications } = setup({ post: { status: 'approved' } });
    expect(await refusal(sut.reject(principal(EDITOR), post.id, 'no'))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: 'only a post in review can be rejected; this one is approved',
    });
    expect(publications.followReview).not.toHaveBeenCalled();
  });

  it('records the trimmed reason of a rejection; the targets follow', async () => {
    const { sut, post, repo, publications } = setup({ post: { status: 'in_review' } });
    await sut.reject(principal(EDITOR), post.id, '  wrong date  ');
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { rejectionReason: 'wrong date' });
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'rejected' });
    expect(publications.followReview).toHaveBeenCalledWith(post, 'rejected');
    expect(repo.addRevision).toHaveBeenCalledWith(expect.objectContaining({ event: 'rejected', reason: 'wrong date' }));
  });
});

describe('PostReviewService: submitting', () => {
  it.each(['in_review', 'approved', 'cancelled'] as const)('refuses to submit a post that is %s', async (status) => {
    const { sut, post } = setup({ post: { status } });
    expect(await refusal(sut.submit(principal(AUTHOR), post.id))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: `only a draft or rejected post can be submitted; this one is ${status}`,
    });
  });

  it('refuses to submit a post with no channel (post_invalid, no_channels)', async () => {
    const { sut, post, repo } = setup({ post: { status: 'draft' }, targets: [] });
    const r = await refusal(sut.submit(principal(AUTHOR), post.id));
    expect(r).toMatchObject({ status: 422, code: 'post_invalid', message: expect.stringContaining('choose at least one channel') });
    expect(r.details).toMatchObject({ problems: [{ code: 'no_channels' }] });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('refuses to submit a post missing a text in an official language', async () => {
    const { sut, post } = setup({ post: { status: 'draft', variants: [{ language: 'ro', text: 'Doar română' }] } });
    const r = await refusal(sut.submit(principal(AUTHOR), post.id));
    expect(r).toMatchObject({ status: 422, code: 'post_invalid' });
    expect(r.details).toMatchObject({ problems: [{ code: 'language_missing', language: 'hu' }] });
  });

  it('refuses to submit a post to a channel that needs reconnecting', async () => {
    const { sut, post, channels } = setup({ post: { status: 'draft' } });
    channels[0]!.status = 'needs_reconnect';
    const r = await refusal(sut.submit(principal(AUTHOR), post.id));
    expect(r).toMatchObject({ status: 422, code: 'post_invalid' });
    expect(r.details).toMatchObject({ problems: [{ code: 'channel_unavailable', channelId: channels[0]!.id }] });
  });

  it.each(['draft', 'rejected'] as const)(
    'submits a complete %s post: in review, targets too, and a snapshot of what was submitted',
    async (status) => {
      const { sut, post, repo, publications, channels } = setup({ post: { status } });
      await sut.submit(principal(AUTHOR), post.id);
      expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'in_review' });
      expect(publications.followReview).toHaveBeenCalledWith(post, 'submitted');
      expect(repo.addRevision).toHaveBeenCalledWith(
        expect.objectContaining({ event: 'submitted', content: expect.objectContaining({ channelIds: [channels[0]!.id] }) }),
      );
    },
  );

  it('checks only the post’s own channels, not a recurring post’s occurrences', async () => {
    const { sut, post, repo, channels } = setup({
      post: { status: 'draft' },
      channels: 1,
      targets: [{}, { occurrenceAt: new Date('2026-07-01T07:00:00Z') }],
    });
    await sut.submit(principal(AUTHOR), post.id);
    expect(repo.addRevision).toHaveBeenCalledWith(
      expect.objectContaining({ content: expect.objectContaining({ channelIds: [channels[0]!.id] }) }),
    );
  });
});

describe('PostReviewService: scheduling', () => {
  it.each(['draft', 'in_review', 'rejected', 'cancelled'] as const)('refuses to schedule a post that is %s', async (status) => {
    const { sut, post, publications } = setup({ post: { status } });
    expect(await refusal(sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00'))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: expect.stringMatching(new RegExp(`^only an approved post can be scheduled; this one is ${status}`)),
    });
    expect(publications.schedule).not.toHaveBeenCalled();
  });

  it('refuses to schedule into a blackout window on any of its channels, and moves nothing', async () => {
    const { sut, post, channels, repo, publications, blackoutsRepo } = setup({ post: { status: 'approved' }, channels: 2 });
    const window = election({ channelIds: [channels[1]!.id] });
    blackoutsRepo.covering.mockImplementation(async (_i, channelId) => (channelId === channels[1]!.id ? window : null));
    expect(await refusal(sut.schedule(principal(EDITOR), post.id, '2026-06-21T10:00:00'))).toMatchObject({
      status: 409,
      code: 'blackout',
      details: { blackout: { id: window.id, channelIds: [channels[1]!.id] } },
    });
    expect(blackoutsRepo.covering).toHaveBeenCalledTimes(2);
    expect(repo.update).not.toHaveBeenCalled();
    expect(publications.schedule).not.toHaveBeenCalled();
  });

  it('schedules just outside the window: the end of a window is open', async () => {
    const { sut, post, repo } = setup({ post: { status: 'approved' }, blackouts: [election()] });
    await sut.schedule(principal(EDITOR), post.id, '2026-06-21T21:00:00Z');
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, expect.objectContaining({ scheduledAt: new Date('2026-06-21T21:00:00Z') }));
  });

  it('schedules into a blackout window when the post overrides blackouts, without asking', async () => {
    const { sut, post, repo, blackoutsRepo } = setup({
      post: { status: 'approved', blackoutOverrideReason: 'flood' },
      blackouts: [election()],
    });
    await sut.schedule(principal(EDITOR), post.id, '2026-06-21T10:00:00');
    expect(blackoutsRepo.covering).not.toHaveBeenCalled();
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, expect.objectContaining({ timeZone: 'Europe/Bucharest' }));
  });

  it('gives the new time, read in the institution’s zone, to the publications that can take it, and audits it', async () => {
    const { sut, post, publications, mock } = setup({ post: { status: 'approved' } });
    await sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00');
    // 09:00 in Bucharest (UTC+3 in summer) is 06:00 UTC.
    const at = new Date('2026-07-01T06:00:00Z');
    expect(publications.schedule).toHaveBeenCalledWith(INST, post.id, at, 'rescheduled');
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.scheduled', data: { scheduledAt: at, timeZone: 'Europe/Bucharest' } }),
    );
  });

  it('refuses a new time none of its publications can take, naming their states (nothing_to_schedule)', async () => {
    const { sut, post, targets, publications, mock } = setup({
      post: { status: 'approved' },
      channels: 2,
      targets: [{ status: 'published' }, { status: 'publishing' }],
    });
    publications.schedule.mockResolvedValue(0);
    expect(await refusal(sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00'))).toEqual({
      status: 409,
      code: 'nothing_to_schedule',
      message: "none of this post's publications can take a new time: published, publishing",
      details: {
        targets: [
          { targetId: targets[0]!.id, channelId: targets[0]!.channelId, status: 'published' },
          { targetId: targets[1]!.id, channelId: targets[1]!.channelId, status: 'publishing' },
        ],
      },
    });
    expect(mock(AuditService).record).not.toHaveBeenCalled();
  });

  it('makes a recurring post’s occurrences again from the new first time', async () => {
    const { sut, post, publications, mock } = setup({ post: { status: 'approved', recurrence: 'FREQ=WEEKLY;COUNT=4' } });
    await sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00');
    expect(mock(RecurrenceService).discardPending).toHaveBeenCalledWith(INST, post.id);
    expect(mock(RecurrenceService).materialize).toHaveBeenCalledWith(
      expect.objectContaining({ id: post.id, scheduledAt: new Date('2026-07-01T06:00:00Z') }),
      UNIT_NOW,
    );
    expect(publications.schedule).not.toHaveBeenCalled();
  });
});

describe('PostReviewService: cancelling', () => {
  it('refuses to cancel a cancelled post', async () => {
    const { sut, post, publications } = setup({ post: { status: 'cancelled' } });
    expect(await refusal(sut.cancel(principal(EDITOR), post.id))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post is already cancelled',
    });
    expect(publications.cancel).not.toHaveBeenCalled();
  });

  it('cancels the post when nothing of it had gone out, and says what it stopped', async () => {
    const { sut, post, repo, targets, publications, mock } = setup({ post: { status: 'approved' }, channels: 2 });
    publications.cancel.mockResolvedValue(targets.map((t) => t.id));
    publications.forPosts.mockResolvedValue(targets.map((t) => ({ ...t, status: 'cancelled' as const })));
    const answer = await sut.cancel(principal(EDITOR), post.id);
    expect(publications.cancel).toHaveBeenCalledWith(INST, post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'cancelled' });
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.cancelled', data: expect.objectContaining({ from: 'approved' }) }),
    );
    expect(answer.cancellation).toEqual({ cancelledTargetIds: targets.map((t) => t.id), kept: [] });
  });

  it('cancels a draft with no publication', async () => {
    const { sut, post, repo } = setup({ post: { status: 'draft' }, targets: [] });
    const answer = await sut.cancel(principal(AUTHOR), post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'cancelled' });
    expect(answer.cancellation).toEqual({ cancelledTargetIds: [], kept: [] });
  });

  it('stops what had not gone out and keeps the post as it is when a publication is live, naming what was kept', async () => {
    const { sut, post, repo, targets, publications, mock } = setup({
      post: { status: 'approved' },
      channels: 2,
      targets: [{ status: 'scheduled' }, { status: 'published' }],
    });
    publications.cancel.mockResolvedValue([targets[0]!.id]);
    publications.forPosts.mockResolvedValue([{ ...targets[0]!, status: 'cancelled' }, targets[1]!]);
    const answer = await sut.cancel(principal(EDITOR), post.id);
    const kept = [{ targetId: targets[1]!.id, channelId: targets[1]!.channelId, status: 'published' }];
    expect(answer.cancellation).toEqual({ cancelledTargetIds: [targets[0]!.id], kept });
    // The post is not marked cancelled while one of its publications stays live.
    expect(repo.update).not.toHaveBeenCalled();
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.cancelled', data: expect.objectContaining({ cancelledTargetIds: [targets[0]!.id], kept }) }),
    );
  });

  it('refuses to cancel a post everything of which has gone out (already_published), naming the states', async () => {
    const { sut, post, repo, targets, mock } = setup({
      post: { status: 'approved' },
      channels: 2,
      targets: [{ status: 'published' }, { status: 'unconfirmed' }],
    });
    expect(await refusal(sut.cancel(principal(EDITOR), post.id))).toEqual({
      status: 409,
      code: 'already_published',
      message:
        'nothing of this post is left to cancel: its publications are published, unconfirmed (withdraw a published one to take it down)',
      details: { kept: targets.map((t) => ({ targetId: t.id, channelId: t.channelId, status: t.status })) },
    });
    expect(repo.update).not.toHaveBeenCalled();
    expect(mock(AuditService).record).not.toHaveBeenCalled();
  });
});

describe('PostReviewService: overriding blackouts', () => {
  it('refuses a blackout override on a cancelled post', async () => {
    const { sut, post } = setup({ post: { status: 'cancelled' }, role: 'admin' });
    expect(await refusal(sut.overrideBlackout(principal(EDITOR), post.id, 'flood'))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post is cancelled',
    });
  });

  it('lets only an admin override blackouts; the override releases what the windows held of this post', async () => {
    const asEditor = setup({ post: { status: 'approved' }, role: 'editor' });
    expect(await refusal(asEditor.sut.overrideBlackout(principal(EDITOR), asEditor.post.id, 'flood'))).toMatchObject({ status: 403 });
    expect(asEditor.repo.update).not.toHaveBeenCalled();
    const { sut, post, repo, publications, mock } = setup({ post: { status: 'approved' }, role: 'admin' });
    publications.release.mockResolvedValue(2);
    await sut.overrideBlackout(principal(EDITOR), post.id, ' flood warning ');
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { blackoutOverrideReason: 'flood warning', blackoutOverrideBy: EDITOR });
    expect(publications.release).toHaveBeenCalledWith(INST, 'blackout', null, post.id);
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.blackout_overridden', data: { reason: 'flood warning', released: 2 } }),
    );
  });
});
