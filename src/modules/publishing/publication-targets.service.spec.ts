import { randomUUID } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { TARGET_STATUSES } from '#src/modules/publishing/target-transitions.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { PlatformError, type PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { blackoutData, channelData, postData, targetData } from '#test/factories/entities.js';
import { newTestService, refusal, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const NOW = UNIT_NOW.getTime();
const at = (offsetMs: number) => new Date(NOW + offsetMs);
/** The original due time of the publications below: well before now, as a late one's is. */
const DUE = at(-10 * 60_000);

interface Scene {
  post?: Partial<Post>;
  target?: Partial<PublicationTarget>;
  channel?: Partial<Channel>;
}

/** PublicationTargetsService with its repository, channels and platforms mocked from their real classes; one post, one target. */
function setup(scene: Scene = {}) {
  const t = newTestService(PublicationTargetsService);
  const channel = channelData({ institutionId: INST, displayName: 'Sandbox', ...scene.channel });
  const post = postData({ institutionId: INST, status: 'approved', scheduledAt: DUE, ...scene.post });
  const target = targetData({
    institutionId: INST,
    postId: post.id,
    channelId: channel.id,
    status: 'failed',
    revision: 3,
    attempts: 5,
    scheduledAt: DUE,
    ...scene.target,
  });
  const repo = t.mock(TargetsRepository);
  repo.move.mockResolvedValue([target.id]);
  repo.find.mockResolvedValue(target);
  return { ...t, repo, post, target, channel };
}

describe('PublicationTargetsService: a post’s targets follow it', () => {
  it('moves the post’s own targets along its review, clearing holds, at the post’s time', async () => {
    const { sut, repo, post } = setup({ post: { status: 'in_review' } });
    await sut.followReview(post, 'approved');
    expect(repo.setReviewTime).toHaveBeenCalledWith(INST, post.id, DUE);
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { postId: post.id, templatesOnly: true },
      'approved',
      { at: UNIT_NOW },
      { holdKind: null, holdRef: null, queuedAt: null },
      { raiseRevision: false },
    );
  });

  it('gives an edit after submission the post’s new time and a new revision (no queued job survives it)', async () => {
    const { sut, repo, post } = setup({ post: { scheduledAt: at(3_600_000) } });
    await sut.followReview(post, 'edited_review', true);
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { postId: post.id, templatesOnly: true },
      'edited_review',
      { at: UNIT_NOW },
      { holdKind: null, holdRef: null, queuedAt: null, scheduledAt: at(3_600_000) },
      { raiseRevision: true },
    );
  });

  it('gives the post’s own targets a time: a new revision where a job may exist, attempts afresh, holds and errors cleared; says how many took it', async () => {
    const { sut, repo, post } = setup();
    repo.move.mockResolvedValue(['a', 'b']);
    const when = new Date('2026-07-01T06:00:00Z');
    expect(await sut.schedule(INST, post.id, when, 'rescheduled')).toBe(2);
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { postId: post.id, templatesOnly: true },
      'rescheduled',
      { at: UNIT_NOW, params: { at: '2026-07-01T06:00:00.000Z' } },
      { scheduledAt: when, holdKind: null, holdRef: null, queuedAt: null, lastError: null },
      { raiseRevision: 'if_job', resetAttempts: true },
    );
  });

  it('says none took the time when nothing could move', async () => {
    const { sut, repo, post } = setup();
    repo.move.mockResolvedValue([]);
    expect(await sut.schedule(INST, post.id, at(60_000), 'scheduled')).toBe(0);
  });

  it('cancels what has not gone out of all the post’s targets, occurrences too, and names them', async () => {
    const { sut, repo, post } = setup();
    repo.move.mockResolvedValue(['t1', 't2']);
    expect(await sut.cancel(INST, post.id)).toEqual(['t1', 't2']);
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { postId: post.id, nothingSent: true },
      'cancelled',
      { at: UNIT_NOW },
      { holdKind: null, holdRef: null },
    );
  });

  it('names the targets that have gone out (or may have)', async () => {
    const { sut, repo, post } = setup();
    const targets = TARGET_STATUSES.map((status) => targetData({ institutionId: INST, postId: post.id, status }));
    repo.listForPosts.mockResolvedValue(targets);
    expect((await sut.goneOut(INST, post.id)).map((t) => t.status).sort()).toEqual(['published', 'publishing', 'unconfirmed', 'withdrawn']);
    expect(repo.listForPosts).toHaveBeenCalledWith(INST, [post.id]);
  });

  // A thread interrupted after its first part (a refusal or a temporary failure at part 2) is `failed`
  // or `queued` with part 1 live on the platform: it is not cancelled, and its post is not edited.
  it('counts a thread part of which is already on the platform as gone out, whatever its status', async () => {
    const { sut, repo, post } = setup();
    const onPlatform = [{ externalId: 'p1', url: 'https://x.example/p1' }];
    repo.listForPosts.mockResolvedValue([
      targetData({ institutionId: INST, postId: post.id, status: 'failed', externalParts: onPlatform, externalId: 'p1' }),
      targetData({ institutionId: INST, postId: post.id, status: 'queued', externalParts: onPlatform, externalId: 'p1' }),
    ]);
    expect(await sut.goneOut(INST, post.id)).toHaveLength(2);
    await sut.cancel(INST, post.id);
    expect(repo.move).toHaveBeenCalledWith(INST, { postId: post.id, nothingSent: true }, 'cancelled', { at: UNIT_NOW }, expect.anything());
  });

  it('holds for a new blackout window and releases holds at the clock’s time', async () => {
    const { sut, repo, post } = setup();
    const window = blackoutData({ institutionId: INST });
    repo.holdForBlackout.mockResolvedValue(4);
    repo.release.mockResolvedValue(2);
    expect(await sut.holdForBlackout(window)).toBe(4);
    expect(repo.holdForBlackout).toHaveBeenCalledWith(window, UNIT_NOW);
    expect(await sut.release(INST, 'blackout', null, post.id)).toBe(2);
    expect(repo.release).toHaveBeenCalledWith(INST, 'blackout', null, UNIT_NOW, post.id);
  });
});

describe('PublicationTargetsService: retrying a failed publication', () => {
  it('sends it again at the next pass: a new revision, attempts counted afresh, the error cleared, the due time kept', async () => {
    const { sut, repo, target, channel } = setup({ target: { status: 'failed', lastError: 'token revoked' } });
    await sut.retry(INST, target, channel);
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'retried',
      { at: UNIT_NOW },
      { queuedAt: null, lastError: null },
      { raiseRevision: true, resetAttempts: true },
    );
    // Punctuality counts from the original due time: a retry does not move it.
    expect(repo.move.mock.calls[0]![4]).not.toHaveProperty('scheduledAt');
  });

  it.each(TARGET_STATUSES.filter((s) => s !== 'failed').map((s) => [s]))(
    'refuses to retry a publication that is %s, naming its state',
    async (status) => {
      const { sut, repo, target, channel } = setup({ target: { status } });
      expect(await refusal(sut.retry(INST, target, channel))).toEqual({
        status: 409,
        code: 'invalid_transition',
        message: `only a failed publication can be retried; this one is ${status}`,
        details: { status },
      });
      expect(repo.move).not.toHaveBeenCalled();
    },
  );

  it.each(['needs_reconnect', 'disabled'] as const)('refuses to retry on a channel that is %s, until it is reconnected', async (status) => {
    const { sut, repo, target, channel } = setup({ channel: { status, displayName: 'Mastodon' } });
    expect(await refusal(sut.retry(INST, target, channel))).toEqual({
      status: 409,
      code: 'channel_not_active',
      message: `channel Mastodon is ${status}: reconnect it before retrying`,
      details: { channelStatus: status },
    });
    expect(repo.move).not.toHaveBeenCalled();
  });

  it('says so when someone else moved it meanwhile', async () => {
    const { sut, repo, target, channel } = setup();
    repo.move.mockResolvedValue([]);
    expect(await refusal(sut.retry(INST, target, channel))).toMatchObject({
      status: 409,
      code: 'invalid_transition',
      message: 'the publication was changed by someone else meanwhile',
    });
  });
});

describe('PublicationTargetsService: a person settles an unconfirmed publication', () => {
  const unconfirmed = { status: 'unconfirmed' as const };

  it.each(TARGET_STATUSES.filter((s) => s !== 'unconfirmed').map((s) => [s]))(
    'settles only a publication waiting for confirmation, not one that is %s',
    async (status) => {
      const { sut, repo, post, target, channel } = setup({ target: { status } });
      expect(await refusal(sut.settle(post, target, channel, 'ro', { outcome: 'published' }))).toEqual({
        status: 409,
        code: 'invalid_transition',
        message: `only a publication waiting for confirmation can be settled by a person; this one is ${status}`,
        details: { status },
      });
      expect(repo.move).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['when it was sent', { sendingAt: at(-9 * 60_000), claimedAt: at(-9.5 * 60_000) }, at(-9 * 60_000)],
    ['when it was claimed, if nothing says when it was sent', { sendingAt: null, claimedAt: at(-9.5 * 60_000) }, at(-9.5 * 60_000)],
    ['now, if nothing says when it was claimed', { sendingAt: null, claimedAt: null }, UNIT_NOW],
  ])('records a publication a person confirms as published, counted as published %s', async (_when, times, publishedAt) => {
    const { sut, repo, post, target, channel } = setup({ target: { ...unconfirmed, ...times } });
    await sut.settle(post, target, channel, 'ro', { outcome: 'published', url: 'https://x.example/1' });
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'settled_published',
      { at: UNIT_NOW },
      expect.objectContaining({ publishedAt, externalUrl: 'https://x.example/1', externalParts: [], externalId: null, lastError: null }),
    );
    const patch = repo.move.mock.calls[0]![4]!;
    // The due time stays: the report counts its lateness from there.
    expect(patch).not.toHaveProperty('scheduledAt');
    expect(patch.metricsNextAt!.getTime()).toBeGreaterThan(NOW);
  });

  it('records the part a person names, as the publication’s platform id and address', async () => {
    const { sut, repo, post, target, channel } = setup({ target: unconfirmed });
    await sut.settle(post, target, channel, 'ro', { outcome: 'published', externalId: '1234', url: 'https://t.me/p/1234' });
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'settled_published',
      { at: UNIT_NOW },
      expect.objectContaining({
        externalParts: [{ externalId: '1234', url: 'https://t.me/p/1234' }],
        externalId: '1234',
        externalUrl: 'https://t.me/p/1234',
      }),
    );
  });

  it('sends again what a person says is not on the platform: a new revision, its original due time kept', async () => {
    const { sut, repo, post, target, channel } = setup({ target: { ...unconfirmed, revision: 4, lastError: 'socket hang up' } });
    await sut.settle(post, target, channel, 'ro', { outcome: 'not_published' });
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'settled_not_published',
      { at: UNIT_NOW, params: {} },
      { externalParts: [], externalId: null, externalUrl: null, queuedAt: null, lastError: null },
      { raiseRevision: true },
    );
    // Not "now": a publication settled late and sent again keeps its real lateness in the report.
    expect(repo.move.mock.calls[0]![4]).not.toHaveProperty('scheduledAt');
    expect(repo.move.mock.calls[0]![4]).not.toHaveProperty('publishedAt');
  });

  it('resumes a thread after the part a person confirms, the rest sent at the next pass', async () => {
    const first = { externalId: 'p1', url: 'https://x.example/p1' };
    const { sut, repo, post, target, channel } = setup({
      post: { variants: [{ language: 'ro', text: 'unu', thread: ['doi', 'trei'] }] },
      target: { ...unconfirmed, externalParts: [first], externalId: 'p1', externalUrl: first.url },
    });
    await sut.settle(post, target, channel, 'ro', { outcome: 'published', externalId: 'p2', url: 'https://x.example/p2' });
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'settled_partial',
      { at: UNIT_NOW, params: { part: 2 } },
      {
        externalParts: [first, { externalId: 'p2', url: 'https://x.example/p2' }],
        externalId: 'p1',
        externalUrl: first.url,
        queuedAt: null,
        lastError: null,
      },
      { raiseRevision: true },
    );
  });

  it('counts a thread as published once a person confirms its last part', async () => {
    const parts = [
      { externalId: 'p1', url: null },
      { externalId: 'p2', url: null },
    ];
    const { sut, repo, post, target, channel } = setup({
      post: { variants: [{ language: 'ro', text: 'unu', thread: ['doi', 'trei'] }] },
      target: { ...unconfirmed, externalParts: parts, sendingAt: at(-60_000) },
    });
    await sut.settle(post, target, channel, 'ro', { outcome: 'published', externalId: 'p3' });
    expect(repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: target.id },
      'settled_published',
      { at: UNIT_NOW },
      expect.objectContaining({ externalParts: [...parts, { externalId: 'p3', url: null }], externalId: 'p1', publishedAt: at(-60_000) }),
    );
  });
});

describe('PublicationTargetsService: withdrawing a publication', () => {
  const published = { status: 'published' as const, externalId: 'p1' };

  function withPlatform(s: ReturnType<typeof setup>, remove: PlatformAdapter['delete']) {
    const adapter = { delete: jest.fn<PlatformAdapter['delete']>(remove) };
    s.mock(PlatformAdapters).for.mockReturnValue(adapter as unknown as PlatformAdapter);
    const connection = { credentials: { accessToken: 'opened' } } as unknown as Awaited<ReturnType<ChannelsService['connection']>>;
    s.mock(ChannelsService).connection.mockResolvedValue(connection);
    return { adapter, connection };
  }

  it.each(TARGET_STATUSES.filter((s) => s !== 'published').map((s) => [s]))(
    'refuses to withdraw what is %s, without calling the platform',
    async (status) => {
      const s = setup({ target: { status } });
      const record = jest.fn(async () => undefined);
      expect(await refusal(s.sut.withdraw(INST, s.target, s.channel, 'typo', record))).toEqual({
        status: 409,
        code: 'invalid_transition',
        message: `only a published post can be withdrawn; this one is ${status}`,
        details: { status },
      });
      expect(s.mock(PlatformAdapters).for).not.toHaveBeenCalled();
      expect(record).not.toHaveBeenCalled();
    },
  );

  it('withdraws every part of a thread, last part first, then marks the target withdrawn with the reason, in one transaction with the record', async () => {
    const parts = [1, 2, 3].map((n) => ({ externalId: `p${n}`, url: null }));
    const s = setup({ target: { ...published, externalParts: parts } });
    const { adapter, connection } = withPlatform(s, async () => undefined);
    const record = jest.fn(async (_ids: string[]) => undefined);
    await s.sut.withdraw(INST, s.target, s.channel, 'typo', record);
    expect(s.mock(ChannelsService).connection).toHaveBeenCalledWith(s.channel);
    expect(adapter.delete).toHaveBeenCalledWith(connection, ['p3', 'p2', 'p1']);
    expect(s.repo.move).toHaveBeenCalledWith(
      INST,
      { targetId: s.target.id },
      'withdrawn',
      { at: UNIT_NOW, params: { reason: 'typo' } },
      { withdrawnAt: UNIT_NOW, metricsNextAt: null },
    );
    expect(record).toHaveBeenCalledWith(['p3', 'p2', 'p1']);
    expect(s.tx.run).toHaveBeenCalledTimes(1);
  });

  it('withdraws a publication of one part by its platform id', async () => {
    const s = setup({ target: published });
    const { adapter } = withPlatform(s, async () => undefined);
    await s.sut.withdraw(INST, s.target, s.channel, 'typo', async () => undefined);
    expect(adapter.delete).toHaveBeenCalledWith(expect.anything(), ['p1']);
  });

  it('says so when someone else withdrew it meanwhile, and records nothing', async () => {
    const s = setup({ target: published });
    withPlatform(s, async () => undefined);
    s.repo.move.mockResolvedValue([]);
    const record = jest.fn(async () => undefined);
    expect(await refusal(s.sut.withdraw(INST, s.target, s.channel, 'typo', record))).toEqual({
      status: 409,
      code: 'invalid_transition',
      message: 'the post was withdrawn by someone else meanwhile',
    });
    expect(record).not.toHaveBeenCalled();
  });

  it('names the platform’s refusal of a withdrawal and leaves the target published', async () => {
    const s = setup({ target: published });
    withPlatform(s, async () => {
      throw new PlatformError('auth', 'token expired');
    });
    const record = jest.fn(async () => undefined);
    expect(await refusal(s.sut.withdraw(INST, s.target, s.channel, 'typo', record))).toEqual({
      status: 422,
      code: 'credentials_refused',
      message: `${s.channel.platform} refused the channel's credentials while deleting the post: token expired`,
    });
    expect(s.repo.move).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
  });
});

describe('PublicationTargetsService: finding a post’s publication', () => {
  it('finds a target of the post', async () => {
    const { sut, repo, post, target } = setup();
    expect(await sut.find(INST, post.id, target.id)).toBe(target);
    expect(repo.find).toHaveBeenCalledWith(INST, target.id);
  });

  it('answers 404 for a target that is not the post’s, or none', async () => {
    const { sut, repo, target } = setup();
    expect(await refusal(sut.find(INST, randomUUID(), target.id))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'publication target not found',
    });
    repo.find.mockResolvedValue(null);
    expect(await refusal(sut.find(INST, target.postId, randomUUID()))).toMatchObject({ status: 404, code: 'not_found' });
  });
});
