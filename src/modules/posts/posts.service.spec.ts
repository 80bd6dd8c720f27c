import { randomUUID } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import type { DomainError } from '#src/common/domain-error.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { BLACKOUT_HOLD_PREFIX, BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import { MediaService } from '#src/modules/media/media.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import type { PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';
import { blackoutData, channelData, institutionData, postData, targetData } from '#test/factories/entities.js';
import { newTestService, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const AUTHOR = randomUUID();
const EDITOR = randomUUID();
const principal = (userId: string): Principal => ({ userId, email: `${userId}@test.example`, isSystemAdmin: false, sessionId: 's' });

interface Scene {
  post?: Partial<Post>;
  /** Channels of the post's targets (one target each), unless `targets` is given. */
  channels?: number;
  targets?: Array<Partial<PublicationTarget>>;
  authors?: string[];
  role?: MemberRole;
  blackouts?: Blackout[];
}

/**
 * PostsService with its repositories mocked from their real classes, and the real BlackoutsService
 * (over a mocked repository) so a blackout refusal comes from the rule itself. The repository answers
 * describe one post of one institution, as `scene` says.
 */
function setup(scene: Scene = {}) {
  const post = postData({ institutionId: INST, createdBy: AUTHOR, ...scene.post });
  const channels = Array.from({ length: scene.channels ?? 1 }, (_, i) =>
    channelData({ institutionId: INST, displayName: `Channel ${i + 1}` }),
  );
  const targets = (scene.targets ?? channels.map(() => ({}))).map((t, i) =>
    targetData({ institutionId: INST, postId: post.id, channelId: channels[i]?.id ?? randomUUID(), status: post.status, ...t }),
  );
  const blackouts = newTestService(BlackoutsService);
  blackouts
    .mock(BlackoutsRepository)
    .covering.mockImplementation(
      async (_i, channelId, at) =>
        (scene.blackouts ?? []).find(
          (b) => (b.channelIds.length === 0 || b.channelIds.includes(channelId)) && b.startsAt <= at && at < b.endsAt,
        ) ?? null,
    );
  const t = newTestService(PostsService, { use: [[BlackoutsService, blackouts.sut]] });
  const repo = t.mock(PostsRepository);
  repo.institutionOf.mockResolvedValue(INST);
  repo.find.mockResolvedValue(post);
  repo.findForUpdate.mockResolvedValue(post);
  repo.listTargets.mockResolvedValue(targets);
  // As the table would: a status given to all the post's targets is what the next read sees.
  repo.updateTargets.mockImplementation(async (_i, _p, patch) => {
    if (typeof patch.status === 'string') for (const target of targets) target.status = patch.status as PublicationTarget['status'];
  });
  repo.authors.mockResolvedValue(scene.authors ?? [AUTHOR]);
  repo.authorsOf.mockResolvedValue(new Map([[post.id, scene.authors ?? [AUTHOR]]]));
  const access = t.mock(InstitutionAccess);
  access.member.mockImplementation(async (p) => ({ userId: p.userId, institutionId: INST, role: scene.role ?? 'editor', partnerId: null }));
  access.authorize.mockImplementation(async (p) => ({
    userId: p.userId,
    institutionId: INST,
    role: scene.role ?? 'editor',
    partnerId: null,
  }));
  access.campaignVisible.mockResolvedValue(true);
  t.mock(TargetsRepository).events.mockResolvedValue([]);
  t.mock(TargetsRepository).transition.mockResolvedValue(true);
  t.mock(ChannelsRepository).findMany.mockImplementation(async (_i, ids) => channels.filter((c) => ids.includes(c.id)));
  t.mock(InstitutionsRepository).find.mockResolvedValue(institutionData({ id: INST, timeZone: 'Europe/Bucharest' }));
  t.mock(MediaService).attach.mockResolvedValue([]);
  t.mock(MediaService).refs.mockResolvedValue([]);
  return { ...t, post, channels, targets, repo, blackoutsRepo: blackouts.mock(BlackoutsRepository) };
}

/** The DomainError a call fails with, as the HTTP surface would answer it. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; message: string; details?: unknown }> {
  const err = (await call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  )) as DomainError;
  return { status: err.getStatus(), ...(err.getResponse() as { code: string; message: string; details?: unknown }) };
}

const election = (overrides: Partial<Blackout> = {}) =>
  blackoutData({
    institutionId: INST,
    reason: 'Election silence',
    startsAt: new Date('2026-06-20T21:00:00Z'),
    endsAt: new Date('2026-06-21T21:00:00Z'),
    ...overrides,
  });

describe('PostsService: approval', () => {
  it('refuses the author approving their own post (self_approval), and changes nothing', async () => {
    const { sut, repo, post } = setup({ post: { status: 'in_review' }, authors: [AUTHOR] });
    expect(await refusal(sut.approve(principal(AUTHOR), post.id))).toEqual({
      status: 403,
      code: 'self_approval',
      message: 'you wrote or edited this post: another editor must approve it',
    });
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('refuses an editor who edited the post, though someone else wrote it', async () => {
    const { sut, post } = setup({ post: { status: 'in_review' }, authors: [AUTHOR, EDITOR] });
    expect(await refusal(sut.approve(principal(EDITOR), post.id))).toMatchObject({ status: 403, code: 'self_approval' });
  });

  it('approves for an editor who neither wrote nor edited it: who and when recorded, targets approved, audited', async () => {
    const { sut, repo, post, mock } = setup({ post: { status: 'in_review' }, authors: [AUTHOR] });
    await sut.approve(principal(EDITOR), post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { approvedBy: EDITOR, approvedAt: UNIT_NOW });
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'approved' });
    expect(repo.updateTargets).toHaveBeenCalledWith(INST, post.id, { status: 'approved' });
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

  it('refuses to approve a post whose time falls in a blackout window, naming the window', async () => {
    const window = election();
    const { sut, post, repo } = setup({
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
    const { sut, post, targets, mock } = setup({ post: { status: 'in_review', scheduledAt: at } });
    await sut.approve(principal(EDITOR), post.id);
    expect(mock(TargetsRepository).transition).toHaveBeenCalledWith(
      INST,
      targets[0]!.id,
      expect.arrayContaining(['approved', 'scheduled', 'queued', 'held']),
      'scheduled',
      { at: UNIT_NOW, outcome: 'approved with its scheduled time' },
      expect.objectContaining({ scheduledAt: at }),
    );
  });

  it('materialises the occurrences of a recurring post on approval instead', async () => {
    const { sut, post, mock } = setup({
      post: { status: 'in_review', scheduledAt: new Date('2026-06-25T07:00:00Z'), recurrence: 'FREQ=WEEKLY;COUNT=4' },
    });
    await sut.approve(principal(EDITOR), post.id);
    expect(mock(RecurrenceService).materialize).toHaveBeenCalledWith(expect.objectContaining({ id: post.id }), UNIT_NOW);
    expect(mock(TargetsRepository).transition).not.toHaveBeenCalled();
  });

  it('refuses to reject a post not in review', async () => {
    const { sut, post } = setup({ post: { status: 'approved' } });
    expect(await refusal(sut.reject(principal(EDITOR), post.id, 'no'))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: 'only a post in review can be rejected; this one is approved',
    });
  });

  it('records the trimmed reason of a rejection', async () => {
    const { sut, post, repo } = setup({ post: { status: 'in_review' } });
    await sut.reject(principal(EDITOR), post.id, '  wrong date  ');
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { rejectionReason: 'wrong date' });
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'rejected' });
  });
});

describe('PostsService: edits', () => {
  it('sends an approved post back to review with a new revision, and clears the approval', async () => {
    const { sut, post, repo, mock } = setup({ post: { status: 'approved', revision: 3, approvedBy: EDITOR, approvedAt: UNIT_NOW } });
    await sut.update(principal(AUTHOR), post.id, { variants: [{ language: 'ro', text: 'Nou' }] });
    expect(repo.update).toHaveBeenCalledWith(
      INST,
      post.id,
      expect.objectContaining({ status: 'in_review', revision: 4, approvedBy: null, approvedAt: null }),
    );
    // Targets follow, with a raised revision so a job queued for the old text finds nothing to do.
    expect(repo.updateTargets).toHaveBeenCalledWith(
      INST,
      post.id,
      expect.objectContaining({ status: 'in_review', revision: expect.any(Function) }),
    );
    expect(mock(AuditService).record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'post.edited', data: expect.objectContaining({ revision: 4, from: 'approved', to: 'in_review' }) }),
    );
  });

  it('keeps a post in review in review, with a new revision', async () => {
    const { sut, post, repo } = setup({ post: { status: 'in_review', revision: 2 } });
    await sut.update(principal(AUTHOR), post.id, {});
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, expect.objectContaining({ status: 'in_review', revision: 3 }));
  });

  it.each(['draft', 'rejected'] as const)('leaves a %s post a draft, at the same revision', async (status) => {
    const { sut, post, repo } = setup({ post: { status, revision: 2 } });
    await sut.update(principal(AUTHOR), post.id, {});
    expect(repo.update).toHaveBeenCalledWith(
      INST,
      post.id,
      expect.objectContaining({ status: 'draft', revision: 2, rejectionReason: null }),
    );
    expect(repo.updateTargets).toHaveBeenCalledWith(INST, post.id, { status: 'draft', scheduledAt: null });
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

describe('PostsService: creating and submitting', () => {
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

  it.each(['in_review', 'approved', 'cancelled'] as const)('refuses to submit a post that is %s', async (status) => {
    const { sut, post } = setup({ post: { status } });
    expect(await refusal(sut.submit(principal(AUTHOR), post.id))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: `only a draft or rejected post can be submitted; this one is ${status}`,
    });
  });

  it('refuses to submit a post with no channel (post_invalid, no_channels)', async () => {
    const { sut, post } = setup({ post: { status: 'draft' }, targets: [] });
    const r = await refusal(sut.submit(principal(AUTHOR), post.id));
    expect(r).toMatchObject({ status: 422, code: 'post_invalid', message: expect.stringContaining('choose at least one channel') });
    expect(r.details).toMatchObject({ problems: [{ code: 'no_channels' }] });
  });

  it('refuses to submit a post missing a text in an official language', async () => {
    const { sut, post } = setup({ post: { status: 'draft', variants: [{ language: 'ro', text: 'Doar română' }] } });
    const r = await refusal(sut.submit(principal(AUTHOR), post.id));
    expect(r).toMatchObject({ status: 422, code: 'post_invalid' });
    expect(r.details).toMatchObject({ problems: [{ code: 'language_missing', language: 'hu' }] });
  });

  it('submits a complete draft: in review, targets too, and a snapshot of what was submitted', async () => {
    const { sut, post, repo } = setup({ post: { status: 'draft' } });
    await sut.submit(principal(AUTHOR), post.id);
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { status: 'in_review' });
    expect(repo.updateTargets).toHaveBeenCalledWith(INST, post.id, { status: 'in_review' });
    expect(repo.addRevision).toHaveBeenCalledWith(expect.objectContaining({ event: 'submitted' }));
  });
});

describe('PostsService: scheduling', () => {
  it.each(['draft', 'in_review', 'rejected', 'cancelled'] as const)('refuses to schedule a post that is %s', async (status) => {
    const { sut, post } = setup({ post: { status } });
    expect(await refusal(sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00'))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: expect.stringMatching(new RegExp(`^only an approved post can be scheduled; this one is ${status}`)),
    });
  });

  it('refuses to schedule into a blackout window on any of its channels, and moves nothing', async () => {
    const { sut, post, channels, repo, mock, blackoutsRepo } = setup({ post: { status: 'approved' }, channels: 2 });
    const window = election({ channelIds: [channels[1]!.id] });
    blackoutsRepo.covering.mockImplementation(async (_i, channelId) => (channelId === channels[1]!.id ? window : null));
    expect(await refusal(sut.schedule(principal(EDITOR), post.id, '2026-06-21T10:00:00'))).toMatchObject({
      status: 409,
      code: 'blackout',
      details: { blackout: { id: window.id, channelIds: [channels[1]!.id] } },
    });
    expect(blackoutsRepo.covering).toHaveBeenCalledTimes(2);
    expect(repo.update).not.toHaveBeenCalled();
    expect(mock(TargetsRepository).transition).not.toHaveBeenCalled();
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

  it('moves the targets nothing has sent, with a new revision for those that may have a job; leaves the rest', async () => {
    const { sut, post, targets, mock } = setup({
      post: { status: 'approved' },
      targets: [
        { status: 'scheduled', revision: 2 },
        { status: 'queued', revision: 2 },
        { status: 'held', revision: 5 },
        { status: 'publishing', revision: 1 },
        { status: 'published', revision: 1 },
        { status: 'scheduled', revision: 1, occurrenceAt: new Date('2026-07-01T07:00:00Z') },
      ],
    });
    await sut.schedule(principal(EDITOR), post.id, '2026-07-01T09:00:00');
    const transition = mock(TargetsRepository).transition;
    const moved = transition.mock.calls.map(([, id, , to, , patch]) => ({ id, to, revision: patch?.revision }));
    expect(moved).toEqual([
      { id: targets[0]!.id, to: 'scheduled', revision: 2 },
      { id: targets[1]!.id, to: 'scheduled', revision: 3 },
      { id: targets[2]!.id, to: 'scheduled', revision: 6 },
    ]);
  });
});

describe('PostsService: cancelling, settling and withdrawing', () => {
  it('refuses to cancel a cancelled post', async () => {
    const { sut, post } = setup({ post: { status: 'cancelled' } });
    expect(await refusal(sut.cancel(principal(EDITOR), post.id))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post is already cancelled',
    });
  });

  it('cancels the targets not yet claimed; one being published is the platform’s', async () => {
    const { sut, post, targets, mock } = setup({
      post: { status: 'approved' },
      targets: [{ status: 'scheduled' }, { status: 'queued' }, { status: 'publishing' }, { status: 'published' }],
    });
    await sut.cancel(principal(EDITOR), post.id);
    const transition = mock(TargetsRepository).transition;
    expect(transition.mock.calls.map((c) => c[1])).toEqual([targets[0]!.id, targets[1]!.id]);
    expect(transition).toHaveBeenCalledWith(INST, targets[0]!.id, expect.not.arrayContaining(['publishing', 'published']), 'cancelled', {
      at: UNIT_NOW,
      outcome: 'post cancelled',
    });
  });

  it('settles only a publication waiting for confirmation', async () => {
    const { sut, post, targets } = setup({ post: { status: 'approved' }, targets: [{ status: 'published' }] });
    expect(await refusal(sut.resolveTarget(principal(EDITOR), post.id, targets[0]!.id, { outcome: 'published' }))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'only a publication waiting for confirmation can be settled by a person; this one is published',
    });
  });

  it('answers 404 for a target that is not the post’s', async () => {
    const { sut, post } = setup({ post: { status: 'approved' } });
    expect(await refusal(sut.resolveTarget(principal(EDITOR), post.id, randomUUID(), { outcome: 'published' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('records a publication a person confirms as published', async () => {
    const { sut, post, targets, mock } = setup({ post: { status: 'approved' }, targets: [{ status: 'unconfirmed' }] });
    await sut.resolveTarget(principal(EDITOR), post.id, targets[0]!.id, { outcome: 'published', url: 'https://x.example/1' });
    expect(mock(TargetsRepository).transition).toHaveBeenCalledWith(
      INST,
      targets[0]!.id,
      ['unconfirmed'],
      'published',
      expect.objectContaining({ outcome: 'settled by a person: it is on the platform' }),
      expect.objectContaining({ publishedAt: UNIT_NOW, externalUrl: 'https://x.example/1' }),
    );
  });

  it('sends again, with a new revision, what a person says is not on the platform', async () => {
    const { sut, post, targets, mock } = setup({ post: { status: 'approved' }, targets: [{ status: 'unconfirmed', revision: 4 }] });
    await sut.resolveTarget(principal(EDITOR), post.id, targets[0]!.id, { outcome: 'not_published' });
    expect(mock(TargetsRepository).transition).toHaveBeenCalledWith(
      INST,
      targets[0]!.id,
      ['unconfirmed'],
      'scheduled',
      expect.objectContaining({ outcome: 'settled by a person: it is not on the platform; sending it again' }),
      expect.objectContaining({ scheduledAt: UNIT_NOW, revision: 5 }),
    );
  });

  it('refuses to withdraw what is not published, without calling the platform', async () => {
    const { sut, post, targets, mock } = setup({ post: { status: 'approved' }, targets: [{ status: 'scheduled' }] });
    expect(await refusal(sut.withdrawTarget(principal(EDITOR), post.id, targets[0]!.id, 'typo'))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'only a published post can be withdrawn; this one is scheduled',
    });
    expect(mock(PlatformAdapters).for).not.toHaveBeenCalled();
  });

  it('withdraws every part of a thread, last part first, then marks the target withdrawn', async () => {
    const parts = [1, 2, 3].map((n) => ({ externalId: `p${n}`, url: null }));
    const { sut, post, targets, mock } = setup({
      post: { status: 'approved' },
      targets: [{ status: 'published', externalId: 'p1', externalParts: parts }],
    });
    const adapter = { delete: jest.fn<PlatformAdapter['delete']>(async () => undefined) };
    mock(PlatformAdapters).for.mockReturnValue(adapter as unknown as PlatformAdapter);
    const connection = { credentials: { accessToken: 'opened' } } as unknown as Awaited<ReturnType<ChannelsService['connection']>>;
    mock(ChannelsService).connection.mockResolvedValue(connection);
    await sut.withdrawTarget(principal(EDITOR), post.id, targets[0]!.id, ' typo ');
    expect(adapter.delete).toHaveBeenCalledWith(connection, ['p3', 'p2', 'p1']);
    expect(mock(TargetsRepository).transition).toHaveBeenCalledWith(
      INST,
      targets[0]!.id,
      ['published'],
      'withdrawn',
      { at: UNIT_NOW, outcome: 'withdrawn from the platform: typo' },
      { withdrawnAt: UNIT_NOW, metricsNextAt: null },
    );
  });

  it('says so when someone else withdrew it meanwhile', async () => {
    const { sut, post, targets, mock } = setup({ post: { status: 'approved' }, targets: [{ status: 'published', externalId: 'p1' }] });
    mock(PlatformAdapters).for.mockReturnValue({ delete: async () => undefined } as unknown as PlatformAdapter);
    mock(TargetsRepository).transition.mockResolvedValue(false);
    expect(await refusal(sut.withdrawTarget(principal(EDITOR), post.id, targets[0]!.id, 'typo'))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post was withdrawn by someone else meanwhile',
    });
  });

  it('names the platform’s refusal of a withdrawal and leaves the target published', async () => {
    const { sut, post, targets, mock, channels } = setup({
      post: { status: 'approved' },
      targets: [{ status: 'published', externalId: 'p1' }],
    });
    mock(PlatformAdapters).for.mockReturnValue({
      delete: async () => {
        throw new PlatformError('auth', 'token expired');
      },
    } as unknown as PlatformAdapter);
    expect(await refusal(sut.withdrawTarget(principal(EDITOR), post.id, targets[0]!.id, 'typo'))).toEqual({
      status: 422,
      code: 'credentials_refused',
      message: `${channels[0]!.platform} refused the channel's credentials while deleting the post: token expired`,
    });
    expect(mock(TargetsRepository).transition).not.toHaveBeenCalled();
  });

  it('refuses a blackout override on a cancelled post', async () => {
    const { sut, post } = setup({ post: { status: 'cancelled' }, role: 'admin' });
    expect(await refusal(sut.overrideBlackout(principal(EDITOR), post.id, 'flood'))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post is cancelled',
    });
  });

  it('lets only an admin override blackouts; the override releases what the windows held', async () => {
    const asEditor = setup({ post: { status: 'approved' }, role: 'editor' });
    expect(await refusal(asEditor.sut.overrideBlackout(principal(EDITOR), asEditor.post.id, 'flood'))).toMatchObject({ status: 403 });
    const { sut, post, repo, mock } = setup({ post: { status: 'approved' }, role: 'admin' });
    await sut.overrideBlackout(principal(EDITOR), post.id, ' flood warning ');
    expect(repo.update).toHaveBeenCalledWith(INST, post.id, { blackoutOverrideReason: 'flood warning', blackoutOverrideBy: EDITOR });
    expect(mock(TargetsRepository).releaseHeldForPost).toHaveBeenCalledWith(INST, post.id, BLACKOUT_HOLD_PREFIX, UNIT_NOW);
  });
});
