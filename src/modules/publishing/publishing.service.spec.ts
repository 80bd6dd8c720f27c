import { randomUUID } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import { MediaService } from '#src/modules/media/media.service.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { JOB_CHECK_MS, MAX_PUBLISH_ATTEMPTS, PublishingService } from '#src/modules/publishing/publishing.service.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { PlatformError, type PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { jobIds, QUEUES } from '#src/queue/queues.js';
import { blackoutData, channelData, institutionData, postData, targetData } from '#test/factories/entities.js';
import { automock, newTestService, UNIT_NOW } from '#test/support/unit.js';

const INST = randomUUID();
const NOW = UNIT_NOW.getTime();
const at = (offsetMs: number) => new Date(NOW + offsetMs);

interface Scene {
  target?: Partial<PublicationTarget>;
  post?: Partial<Post>;
  channel?: Partial<Channel>;
  institution?: Partial<Institution>;
  blackoutId?: string | null;
}

/**
 * PublishingService with its repositories, queues and platforms mocked from their real classes.
 * The claim answers one target of one channel, as `scene` says; the platform publishes one part.
 */
function setup(scene: Scene = {}) {
  const publishQueue = automock(Queue);
  const reconcileQueue = automock(Queue);
  const t = newTestService(PublishingService, {
    tokens: [
      [getQueueToken(QUEUES.publish), publishQueue],
      [getQueueToken(QUEUES.reconcile), reconcileQueue],
    ],
  });
  const channel = channelData({ institutionId: INST, displayName: 'Sandbox', ...scene.channel });
  const post = postData({ institutionId: INST, status: 'approved', ...scene.post });
  const target = targetData({
    institutionId: INST,
    postId: post.id,
    channelId: channel.id,
    status: 'publishing',
    revision: 2,
    attempts: 1,
    scheduledAt: UNIT_NOW,
    ...scene.target,
  });
  const institution = institutionData({ id: INST, ...scene.institution });
  const targets = t.mock(TargetsRepository);
  targets.claim.mockResolvedValue({ target, post, channel, institution, blackoutId: scene.blackoutId ?? null });
  targets.move.mockResolvedValue([target.id]);
  targets.takeWindowSlot.mockResolvedValue({ taken: true });
  targets.find.mockResolvedValue(target);
  targets.context.mockResolvedValue({ post, channel, institution });
  t.mock(MediaService).items.mockResolvedValue([]);
  const adapter = {
    publish: jest.fn<PlatformAdapter['publish']>(async () => [{ externalId: 'ext-1', url: 'https://sandbox.example/ext-1' }]),
    findPublished: jest.fn<PlatformAdapter['findPublished']>(),
  };
  t.mock(PlatformAdapters).for.mockReturnValue(adapter as unknown as PlatformAdapter);
  const job = { institutionId: INST, targetId: target.id, revision: target.revision, attempts: target.attempts - 1 };
  return { ...t, targets, target, channel, post, adapter, publishQueue, reconcileQueue, job };
}

/** The moves the service asked of the repository: along which transition, with what parameters and changes. */
function moves(targets: ReturnType<typeof setup>['targets']) {
  return targets.move.mock.calls.map(([, scope, code, event, patch, effects]) => ({
    scope,
    code,
    params: event.params,
    patch,
    ...(effects ? { effects } : {}),
  }));
}

/** The publish jobs added: id and delay. */
function publishJobs(queue: ReturnType<typeof setup>['publishQueue']) {
  return queue.addBulk.mock.calls.flatMap(([jobs]) => jobs.map((j) => ({ id: j.opts?.jobId, delay: j.opts?.delay })));
}
describe('PublishingService: what a claimed target may do', () => {
  it('does nothing for a stale job (the target was rescheduled, edited or done by another worker)', async () => {
    const { sut, targets, job, target, publishQueue, reconcileQueue } = setup();
    targets.claim.mockResolvedValue(null);
    targets.find.mockResolvedValue({ ...target, status: 'scheduled', revision: target.revision + 1 });
    await sut.publish(job);
    expect(targets.move).not.toHaveBeenCalled();
    expect(publishQueue.addBulk).not.toHaveBeenCalled();
    expect(reconcileQueue.addBulk).not.toHaveBeenCalled();
  });

  it('asks the platform about a target its own earlier run claimed and never settled (worker died mid-call)', async () => {
    const { sut, targets, job, target, reconcileQueue } = setup();
    targets.claim.mockResolvedValue(null);
    await sut.publish(job);
    expect(moves(targets)).toEqual([{ scope: { targetId: target.id }, code: 'worker_stopped', params: {}, patch: {} }]);
    expect(reconcileQueue.addBulk).toHaveBeenCalledWith([
      expect.objectContaining({ opts: expect.objectContaining({ jobId: jobIds.reconcile(target.id, target.revision, target.attempts) }) }),
    ]);
  });

  it('holds the target of a suspended institution, with the suspension’s reason, and sends nothing', async () => {
    const { sut, targets, job, adapter, target } = setup({ institution: { suspendedAt: at(-1000), suspensionReason: 'audit' } });
    await sut.publish(job);
    expect(moves(targets)).toEqual([
      {
        scope: { targetId: target.id },
        code: 'held_suspension',
        params: { reason: 'audit' },
        patch: { holdKind: 'suspension', holdRef: null },
      },
    ]);
    expect(adapter.publish).not.toHaveBeenCalled();
  });

  it('holds the target of a channel that needs reconnecting, the hold naming the channel', async () => {
    const { sut, targets, job, adapter, channel } = setup({ channel: { status: 'needs_reconnect', displayName: 'Mastodon' } });
    await sut.publish(job);
    expect(moves(targets)).toMatchObject([
      { code: 'held_channel', params: { channelStatus: 'needs_reconnect' }, patch: { holdKind: 'channel', holdRef: channel.id } },
    ]);
    expect(adapter.publish).not.toHaveBeenCalled();
  });

  it('holds a target whose time falls in a blackout window, naming the window', async () => {
    const window = blackoutData({ institutionId: INST, reason: 'Day of mourning' });
    const { sut, targets, job, adapter, mock, channel, target } = setup({ blackoutId: window.id });
    mock(BlackoutsRepository).covering.mockResolvedValue(window);
    await sut.publish(job);
    expect(mock(BlackoutsRepository).covering).toHaveBeenCalledWith(INST, channel.id, UNIT_NOW);
    expect(moves(targets)).toEqual([
      {
        scope: { targetId: target.id },
        code: 'held_blackout',
        params: { blackoutId: window.id, reason: 'Day of mourning' },
        patch: { holdKind: 'blackout', holdRef: window.id },
      },
    ]);
    expect(adapter.publish).not.toHaveBeenCalled();
  });

  it('publishes when the window the claim saw is gone by the time it is checked', async () => {
    const { sut, targets, job, adapter, mock } = setup({ blackoutId: randomUUID() });
    mock(BlackoutsRepository).covering.mockResolvedValue(null);
    await sut.publish(job);
    expect(adapter.publish).toHaveBeenCalledTimes(1);
    expect(moves(targets)).toMatchObject([{ code: 'published' }]);
  });

  it.each(['in_review', 'draft', 'cancelled'] as const)('cancels the target of a post that is %s by now', async (status) => {
    const { sut, targets, job, adapter } = setup({ post: { status } });
    await sut.publish(job);
    expect(moves(targets)).toMatchObject([{ code: 'post_not_approved', params: { postStatus: status } }]);
    expect(adapter.publish).not.toHaveBeenCalled();
  });

  it('records a publication: its platform id and address, when, and when to collect metrics', async () => {
    const { sut, targets, job, target } = setup();
    await sut.publish(job);
    const [move] = moves(targets);
    expect(move).toMatchObject({
      scope: { targetId: target.id },
      code: 'published',
      params: { parts: 1 },
      patch: { externalId: 'ext-1', externalUrl: 'https://sandbox.example/ext-1', publishedAt: UNIT_NOW, lastError: null },
    });
    expect(move!.patch?.metricsNextAt?.getTime()).toBeGreaterThan(NOW);
  });
});

describe('PublishingService: the channel rate window', () => {
  const HOUR = 3_600_000;
  const limited = { rateLimitPosts: 2, rateLimitWindowSeconds: 3600 };

  it('waits out a platform’s own reset first, without taking a slot', async () => {
    const until = at(10 * 60_000);
    const { sut, targets, job, adapter, publishQueue, target } = setup({ channel: { ...limited, rateLimitedUntil: until } });
    await sut.publish(job);
    expect(targets.takeWindowSlot).not.toHaveBeenCalled();
    expect(adapter.publish).not.toHaveBeenCalled();
    expect(moves(targets)).toEqual([
      {
        scope: { targetId: target.id },
        code: 'channel_rate_limit',
        params: { until: until.toISOString() },
        patch: { queuedAt: until },
      },
    ]);
    expect(publishJobs(publishQueue)).toEqual([{ id: jobIds.publish(target.id, target.revision, target.attempts), delay: 10 * 60_000 }]);
  });

  it('ignores a platform reset that has passed', async () => {
    const { sut, adapter, job } = setup({ channel: { rateLimitedUntil: at(-1) } });
    await sut.publish(job);
    expect(adapter.publish).toHaveBeenCalledTimes(1);
  });

  it('takes no slot on a channel without a limit', async () => {
    const { sut, targets, adapter, job } = setup({ channel: { rateLimitPosts: null, rateLimitWindowSeconds: null } });
    await sut.publish(job);
    expect(targets.takeWindowSlot).not.toHaveBeenCalled();
    expect(adapter.publish).toHaveBeenCalledTimes(1);
  });

  it('asks for a slot in the window that ends now, for this target, in a transaction', async () => {
    const { sut, targets, job, channel, target, tx } = setup({ channel: limited });
    await sut.publish(job);
    expect(targets.takeWindowSlot).toHaveBeenCalledWith(INST, channel.id, at(-HOUR), 2, target.id, UNIT_NOW);
    expect(tx.run).toHaveBeenCalled();
  });

  it('publishes when a slot is free', async () => {
    const { sut, targets, job, adapter } = setup({ channel: limited });
    await sut.publish(job);
    expect(adapter.publish).toHaveBeenCalledTimes(1);
    expect(moves(targets)).toMatchObject([{ code: 'published' }]);
  });

  it('waits, when the window is full, until the oldest publication that fills it leaves the window', async () => {
    const { sut, targets, job, adapter, publishQueue, target } = setup({ channel: limited });
    // Three in the last hour (the limit was lowered since): under the limit of two once the oldest two have left.
    const published = [at(-50 * 60_000), at(-20 * 60_000), at(-5 * 60_000)];
    targets.takeWindowSlot.mockResolvedValue({ taken: false, published });
    await sut.publish(job);
    const until = new Date(published[1]!.getTime() + HOUR);
    expect(adapter.publish).not.toHaveBeenCalled();
    expect(moves(targets)).toEqual([
      {
        scope: { targetId: target.id },
        code: 'channel_rate_limit',
        params: { until: until.toISOString() },
        patch: { queuedAt: until },
      },
    ]);
    expect(publishJobs(publishQueue)).toMatchObject([{ delay: 40 * 60_000 }]);
  });

  it('looks again in a second when the window is full of posts still in flight', async () => {
    const { sut, targets, job, adapter } = setup({ channel: limited });
    targets.takeWindowSlot.mockResolvedValue({ taken: false, published: [at(-30 * 60_000)] });
    await sut.publish(job);
    expect(adapter.publish).not.toHaveBeenCalled();
    expect(moves(targets)).toMatchObject([
      { code: 'channel_rate_limit', params: { until: at(1_000).toISOString() }, patch: { queuedAt: at(1_000) } },
    ]);
  });

  it('sends nothing more when its requeue finds the target moved by someone else', async () => {
    const { sut, targets, job, publishQueue } = setup({ channel: limited });
    targets.takeWindowSlot.mockResolvedValue({ taken: false, published: [] });
    targets.move.mockResolvedValue([]);
    await sut.publish(job);
    expect(publishQueue.addBulk).not.toHaveBeenCalled();
  });
});

describe('PublishingService: a platform’s failure decides the next state', () => {
  const failWith = (s: ReturnType<typeof setup>, err: unknown) => s.adapter.publish.mockRejectedValue(err);

  it('a platform rate limit: the channel waits until the reset, the target is queued for then', async () => {
    const s = setup();
    const reset = at(15 * 60_000);
    failWith(s, new PlatformError('rate_limit', 'slow down', reset));
    await s.sut.publish(s.job);
    expect(s.mock(ChannelsService).rateLimitedUntil).toHaveBeenCalledWith(INST, s.channel.id, reset);
    expect(moves(s.targets)).toMatchObject([
      { code: 'platform_rate_limit', params: { until: reset.toISOString() }, patch: { queuedAt: reset, lastError: 'slow down' } },
    ]);
  });

  it('a platform rate limit without a reset: a minute', async () => {
    const s = setup();
    failWith(s, new PlatformError('rate_limit', 'slow down'));
    await s.sut.publish(s.job);
    expect(s.mock(ChannelsService).rateLimitedUntil).toHaveBeenCalledWith(INST, s.channel.id, at(60_000));
  });

  it('refused credentials: the channel needs reconnecting and the target fails', async () => {
    const s = setup();
    failWith(s, new PlatformError('auth', 'token revoked'));
    await s.sut.publish(s.job);
    expect(s.mock(ChannelsService).markNeedsReconnect).toHaveBeenCalledWith(INST, s.channel.id);
    expect(moves(s.targets)).toMatchObject([{ code: 'credentials_refused', patch: { lastError: 'token revoked' } }]);
  });

  it('a refused post fails at once, without a retry, the platform’s words kept on its event', async () => {
    const s = setup();
    failWith(s, new PlatformError('invalid', 'too long'));
    await s.sut.publish(s.job);
    expect(moves(s.targets)).toEqual([
      { scope: { targetId: s.target.id }, code: 'post_refused', params: {}, patch: { lastError: 'too long' } },
    ]);
    expect(s.targets.move).toHaveBeenCalledWith(
      INST,
      { targetId: s.target.id },
      'post_refused',
      { at: UNIT_NOW, params: {}, error: 'too long' },
      { lastError: 'too long' },
    );
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
  });

  it.each([
    [1, 5_000],
    [2, 10_000],
    [4, 40_000],
  ])('a temporary failure at attempt %i retries after %i ms', async (attempts, delay) => {
    const s = setup({ target: { attempts } });
    failWith(s, new PlatformError('transient', '503'));
    await s.sut.publish(s.job);
    expect(moves(s.targets)).toMatchObject([
      { code: 'temporary_failure', params: { retryAt: at(delay).toISOString() }, patch: { queuedAt: at(delay), lastError: '503' } },
    ]);
    expect(publishJobs(s.publishQueue)).toEqual([{ id: jobIds.publish(s.target.id, s.target.revision, attempts), delay }]);
  });

  it(`a temporary failure at attempt ${MAX_PUBLISH_ATTEMPTS} gives up`, async () => {
    const s = setup({ target: { attempts: MAX_PUBLISH_ATTEMPTS } });
    failWith(s, new PlatformError('transient', '503'));
    await s.sut.publish(s.job);
    expect(moves(s.targets)).toMatchObject([{ code: 'gave_up', params: { attempts: MAX_PUBLISH_ATTEMPTS }, patch: { lastError: '503' } }]);
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
  });

  it.each([
    ['ambiguous', new PlatformError('ambiguous', 'socket hang up'), 'no_clear_answer'],
    ['duplicate', new PlatformError('duplicate', 'already posted'), 'platform_has_it'],
    ['unclassified', new Error('boom'), 'no_clear_answer'],
  ])('a failure of kind %s is not sent again but asked about', async (_kind, err, code) => {
    const s = setup();
    failWith(s, err);
    await s.sut.publish(s.job);
    expect(moves(s.targets)).toMatchObject([{ code }]);
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
    expect(s.reconcileQueue.addBulk).toHaveBeenCalledTimes(1);
  });
});

describe('PublishingService: reconciling an unconfirmed publication', () => {
  const unconfirmed = { status: 'unconfirmed' as const };

  it('ignores a job for an older revision', async () => {
    const s = setup({ target: unconfirmed });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision - 1 });
    expect(s.adapter.findPublished).not.toHaveBeenCalled();
  });

  it('records it as published when the platform has it (published now when nothing says when it was sent)', async () => {
    const s = setup({ target: unconfirmed });
    s.adapter.findPublished.mockResolvedValue({ status: 'found', part: { externalId: 'ext-9', url: null } });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision });
    expect(moves(s.targets)).toMatchObject([
      {
        scope: { targetId: s.target.id },
        code: 'reconciled_found',
        patch: { externalId: 'ext-9', publishedAt: UNIT_NOW, lastError: null },
      },
    ]);
  });

  it.each([
    ['when it was sent', { sendingAt: at(-90_000), claimedAt: at(-95_000) }, at(-90_000)],
    ['when it was claimed, if it never reached the send', { sendingAt: null, claimedAt: at(-95_000) }, at(-95_000)],
  ])('counts a found publication as published %s, not when it was found', async (_when, times, publishedAt) => {
    const s = setup({ target: { ...unconfirmed, ...times } });
    s.adapter.findPublished.mockResolvedValue({ status: 'found', part: { externalId: 'ext-9', url: null } });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision });
    const [move] = moves(s.targets);
    expect(move).toMatchObject({ code: 'reconciled_found', patch: { publishedAt } });
    // Metrics are still collected from now on, not for the time already passed.
    expect(move!.patch?.metricsNextAt?.getTime()).toBeGreaterThan(NOW);
  });

  it('sends the rest of a thread after the part the platform has', async () => {
    const s = setup({ target: unconfirmed, post: { variants: [{ language: 'ro', text: 'unu', thread: ['doi', 'trei'] }] } });
    s.adapter.findPublished.mockResolvedValue({ status: 'found', part: { externalId: 'ext-1', url: null } });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision });
    expect(moves(s.targets)).toMatchObject([
      {
        code: 'reconciled_partial',
        params: { part: 1 },
        patch: { externalParts: [{ externalId: 'ext-1', url: null }], externalId: 'ext-1', queuedAt: UNIT_NOW },
      },
    ]);
    expect(publishJobs(s.publishQueue)).toEqual([{ id: jobIds.publish(s.target.id, s.target.revision, s.target.attempts), delay: 0 }]);
  });

  it('sends it again when the platform does not have it', async () => {
    const s = setup({ target: unconfirmed });
    s.adapter.findPublished.mockResolvedValue({ status: 'absent' });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision });
    expect(moves(s.targets)).toMatchObject([{ code: 'reconciled_absent', patch: { queuedAt: UNIT_NOW } }]);
    expect(s.publishQueue.addBulk).toHaveBeenCalledTimes(1);
  });

  it('asks a person when the platform cannot tell', async () => {
    const s = setup({ target: unconfirmed });
    s.adapter.findPublished.mockResolvedValue({ status: 'unknown', reason: 'no search API' });
    await s.sut.reconcile({ institutionId: INST, targetId: s.target.id, revision: s.target.revision });
    expect(moves(s.targets)).toMatchObject([
      { code: 'person_asked', params: { reason: 'no search API' }, patch: { lastError: 'no search API', personAskedAt: UNIT_NOW } },
    ]);
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
  });
});

describe('PublishingService: a scheduler pass', () => {
  /** The pass runs only while it holds the scheduler's advisory lock (another process may). */
  function withLock(s: ReturnType<typeof setup>, locked: boolean) {
    s.targets.lockScheduler.mockResolvedValue(locked);
    s.mock(RecurrenceService).postsToExtend.mockResolvedValue([]);
    s.targets.promoteDue.mockResolvedValue([]);
    s.targets.queuedLongAgo.mockResolvedValue([]);
    s.targets.publishingSince.mockResolvedValue([]);
    s.targets.unconfirmedSince.mockResolvedValue([]);
  }
  const due = (scheduledAt: Date, attempts = 0) => ({ institutionId: INST, targetId: randomUUID(), revision: 1, attempts, scheduledAt });

  it('does nothing while another process holds the scheduler lock', async () => {
    const s = setup();
    withLock(s, false);
    expect(await s.sut.tick()).toBeUndefined();
    expect(s.targets.promoteDue).not.toHaveBeenCalled();
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
  });

  it('queues what is due within the window, each job delayed until its time', async () => {
    const s = setup();
    withLock(s, true);
    const soon = due(at(20_000));
    const late = due(at(-3_000)); // overdue: at once
    s.targets.promoteDue.mockResolvedValue([soon, late]);
    expect(await s.sut.tick()).toEqual({ queued: 2, requeued: 0, reconciled: 0 });
    expect(s.targets.promoteDue).toHaveBeenCalledWith(at(s.config.publishing.dueWindowSeconds * 1000), UNIT_NOW, expect.any(Number));
    expect(publishJobs(s.publishQueue)).toEqual([
      { id: jobIds.publish(soon.targetId, 1, 0), delay: 20_000 },
      { id: jobIds.publish(late.targetId, 1, 0), delay: 0 },
    ]);
  });

  it('sends a target left publishing by a worker gone for five minutes to be asked about, not sent again', async () => {
    const s = setup();
    withLock(s, true);
    const lost = due(at(-10 * 60_000), 1);
    s.targets.publishingSince.mockImplementation(async (before) => (before.getTime() === NOW - 5 * 60_000 ? [lost] : []));
    expect(await s.sut.tick()).toEqual({ queued: 0, requeued: 0, reconciled: 1 });
    // Only the claim it was left by: a target claimed again since (one more attempt) is not moved.
    expect(moves(s.targets)).toMatchObject([{ scope: { targetId: lost.targetId, attempts: 1 }, code: 'in_flight_too_long' }]);
    expect(s.reconcileQueue.addBulk).toHaveBeenCalledWith([
      expect.objectContaining({ opts: expect.objectContaining({ jobId: jobIds.reconcile(lost.targetId, 1, 1) }) }),
    ]);
    expect(s.publishQueue.addBulk).not.toHaveBeenCalled();
  });

  it('sends a target publishing whose job is gone from the queue to be asked about', async () => {
    const s = setup();
    withLock(s, true);
    const orphan = due(at(-20_000), 1);
    s.targets.publishingSince.mockImplementation(async (before) => (before.getTime() === NOW - JOB_CHECK_MS ? [orphan] : []));
    s.publishQueue.getJobState.mockResolvedValue('unknown');
    expect(await s.sut.tick()).toEqual({ queued: 0, requeued: 0, reconciled: 1 });
    // The claim raised the attempt count: the job it looked for was added for one fewer.
    expect(s.publishQueue.getJobState).toHaveBeenCalledWith(jobIds.publish(orphan.targetId, 1, 0));
    expect(moves(s.targets)).toMatchObject([{ scope: { targetId: orphan.targetId, attempts: 1 }, code: 'job_lost' }]);
    expect(s.reconcileQueue.addBulk).toHaveBeenCalledWith([
      expect.objectContaining({ opts: expect.objectContaining({ jobId: jobIds.reconcile(orphan.targetId, 1, 1) }) }),
    ]);
  });

  it('leaves a target publishing whose job is still running', async () => {
    const s = setup();
    withLock(s, true);
    const running = due(at(-20_000), 1);
    s.targets.publishingSince.mockImplementation(async (before) => (before.getTime() === NOW - JOB_CHECK_MS ? [running] : []));
    s.publishQueue.getJobState.mockResolvedValue('active');
    expect(await s.sut.tick()).toEqual({ queued: 0, requeued: 0, reconciled: 0 });
    expect(s.targets.move).not.toHaveBeenCalled();
  });
});
