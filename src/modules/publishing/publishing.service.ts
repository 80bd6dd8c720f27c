import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '#src/common/clock.js';
import { CredentialsCipher } from '#src/common/crypto/credentials-cipher.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { TargetsRepository, type DueTarget } from '#src/modules/publishing/targets.repository.js';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import type { OutcomeParams, TransitionCode } from '#src/modules/publishing/target-transitions.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { PlatformError, type ChannelRef, type PublishedPart, type PublishRequest } from '#src/platforms/platform-adapter.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { MediaService } from '#src/modules/media/media.service.js';
import { publishedRecord } from '#src/modules/publishing/published-record.js';
import { publicationText } from '#src/modules/publishing/publication-text.js';
import { jobIds, PUBLISH_JOB_OPTIONS, QUEUES, RECONCILE_JOB_OPTIONS, type PublishJob, type ReconcileJob } from '#src/queue/queues.js';
import { Tx } from '#src/storage/tx.js';

const BATCH = 5_000;
/** Jobs per addBulk call. */
const ADD_CHUNK = 500;
/** A claim older than this with no outcome means its worker died mid-call. */
const IN_FLIGHT_TIMEOUT_MS = 5 * 60_000;
/**
 * How often, and after how long, the scheduler checks that a target `publishing` or `unconfirmed` still has
 * a job that will settle it (the queue can lose jobs: Redis flushed or restarted empty; a job can end
 * without recording an outcome: PostgreSQL away through all its retries). A live job (waiting, delayed,
 * active) is never touched, so the check can be frequent: one queue lookup per such target. At 15 s, the
 * chaos runs saw a lost job add up to 30 s to a post's lateness.
 */
export const JOB_CHECK_MS = 5_000;

/** Publish attempts per target before a temporary failure becomes final. */
export const MAX_PUBLISH_ATTEMPTS = 5;
/** Backoff after a temporary failure: 5 s, 10 s, 20 s, 40 s. */
const backoffMs = (attempts: number) => 5_000 * 2 ** Math.max(0, attempts - 1);

@Injectable()
export class PublishingService {
  private readonly log = new Logger(PublishingService.name);

  constructor(
    private readonly targets: TargetsRepository,
    private readonly blackouts: BlackoutsRepository,
    private readonly recurrence: RecurrenceService,
    private readonly adapters: PlatformAdapters,
    private readonly channels: ChannelsService,
    private readonly cipher: CredentialsCipher,
    private readonly media: MediaService,
    private readonly tx: Tx,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.publish) private readonly publishQueue: Queue<PublishJob>,
    @InjectQueue(QUEUES.reconcile) private readonly reconcileQueue: Queue<ReconcileJob>,
  ) {}

  /**
   * One scheduler pass (one process at a time, by advisory lock): queue what is
   * due within the window as delayed jobs; re-add jobs for targets queued long
   * ago (the queue may have lost them: Redis flushed); send targets left
   * `publishing` by a dead worker to reconciliation. Jobs are added after the
   * commit, so a job never runs before its target is `queued`.
   */
  async tick(): Promise<{ queued: number; requeued: number; reconciled: number } | undefined> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.publishing.dueWindowSeconds * 1000);
    const result = await this.tx.run(async () => {
      if (!(await this.targets.lockScheduler())) return undefined;
      // Recurring posts' next occurrences first, so those due now are queued in this same pass.
      for (const post of await this.recurrence.postsToExtend(now, 100)) await this.recurrence.materialize(post, now);
      const fresh = await this.targets.promoteDue(until, now, BATCH);
      const stale = await this.targets.queuedLongAgo(
        until,
        new Date(now.getTime() - 2 * this.config.publishing.schedulerIntervalMs),
        BATCH,
      );
      const lost = await this.targets.publishingSince(new Date(now.getTime() - IN_FLIGHT_TIMEOUT_MS), BATCH);
      for (const t of lost) {
        await this.targets.move(t.institutionId, { targetId: t.targetId, attempts: t.attempts }, 'in_flight_too_long', { at: now });
      }
      const check = now.getTime() - this.lastJobCheck >= JOB_CHECK_MS;
      if (check) this.lastJobCheck = now.getTime();
      const since = new Date(now.getTime() - JOB_CHECK_MS);
      const unsettled = check
        ? { publishing: await this.targets.publishingSince(since, BATCH), unconfirmed: await this.targets.unconfirmedSince(since, BATCH) }
        : undefined;
      return { fresh, stale, lost, unsettled };
    });
    if (!result) return undefined;
    await this.enqueuePublish([...result.fresh, ...result.stale]);
    const orphans = result.unsettled ? await this.withoutJob(result.unsettled.publishing, result.unsettled.unconfirmed, now) : [];
    await this.enqueueReconcile([...result.lost, ...orphans]);
    return { queued: result.fresh.length, requeued: result.stale.length, reconciled: result.lost.length + orphans.length };
  }
  private lastJobCheck = 0;

  /**
   * Targets that no job will settle: `publishing` while the job that claimed it is gone from the queue or
   * ended (they become `unconfirmed`), and `unconfirmed` without a live reconcile job. Returns them, to be
   * reconciled. A job still waiting, delayed or active is left to finish (a stalled one is rerun by BullMQ).
   */
  private async withoutJob(publishing: DueTarget[], unconfirmed: DueTarget[], now: Date): Promise<DueTarget[]> {
    const ended = (state: string) => state === 'unknown' || state === 'completed' || state === 'failed';
    const orphans: DueTarget[] = [];
    for (const t of publishing) {
      // The claim raised the attempt count: the job that made it was added for one fewer.
      if (!ended(await this.publishQueue.getJobState(jobIds.publish(t.targetId, t.revision, t.attempts - 1)))) continue;
      const moved = await this.targets.move(t.institutionId, { targetId: t.targetId, attempts: t.attempts }, 'job_lost', { at: now });
      if (moved.length) orphans.push(t);
    }
    for (const t of unconfirmed) {
      const id = jobIds.reconcile(t.targetId, t.revision, t.attempts);
      const state = await this.reconcileQueue.getJobState(id);
      // Failed: its retries ran out (the platform away for long): it is asked again, with a fresh job.
      if (state === 'failed') await this.reconcileQueue.remove(id);
      if (state === 'unknown' || state === 'failed') orphans.push(t);
    }
    if (orphans.length) this.log.warn(`${orphans.length} publication(s) had no job to settle them: sent to reconciliation`);
    return orphans;
  }

  /**
   * The publish job: claim, check, call the platform, record the outcome. A
   * target that must wait (rate limit, temporary failure) goes back to `queued`
   * with a new delayed job for its new attempt count; this job then ends.
   */
  async publish(job: PublishJob): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.targets.claim(job.institutionId, job.targetId, job.revision, job.attempts, now);
    if (!claimed) return this.afterFailedClaim(job);

    const { target, post, channel, institution } = claimed;
    if (institution.suspendedAt)
      return void (await this.move(
        target,
        'held_suspension',
        { holdKind: 'suspension', holdRef: null },
        { reason: institution.suspensionReason ?? '' },
      ));
    if (channel.status !== 'active')
      return void (await this.move(
        target,
        'held_channel',
        { holdKind: 'channel', holdRef: channel.id },
        { channelStatus: channel.status },
      ));
    const blackout = claimed.blackoutId ? await this.blackouts.covering(job.institutionId, channel.id, now) : null;
    if (blackout)
      return void (await this.move(
        target,
        'held_blackout',
        { holdKind: 'blackout', holdRef: blackout.id },
        { blackoutId: blackout.id, reason: blackout.reason },
      ));
    if (post.status !== 'approved') return void (await this.move(target, 'post_not_approved', {}, { postStatus: post.status }));

    const wait = await this.rateLimitWait(target, channel, now);
    if (wait) return this.requeue(target, wait, 'channel_rate_limit', { until: wait.toISOString() });

    const request = await this.request(target, post, channel, institution.languages[0]!);
    // Each part is recorded as soon as the platform has it: a thread interrupted at part 3 resumes there.
    const parts = [...request.publishedParts];
    const recordPart = async (part: PublishedPart, index: number) => {
      parts[index] = part;
      await this.targets.recordParts(target.institutionId, target.id, parts);
    };
    try {
      const published = await this.adapters.for(channel.platform).publish(request, recordPart);
      const publishedAt = this.clock.now();
      await this.move(target, 'published', publishedRecord(published, publishedAt, publishedAt, this.config.metrics.cadence), {
        parts: published.length,
      });
    } catch (err) {
      return this.failed(target, channel, err);
    }
  }

  /**
   * After an ambiguous outcome: ask the platform about the part that was in flight before anything
   * is sent again. Found: recorded, and the rest of a thread (if any) is sent by a new publish job.
   * Absent: sent again. Unknown (the platform cannot tell): the target waits for a person.
   */
  async reconcile(job: ReconcileJob): Promise<void> {
    const target = await this.targets.find(job.institutionId, job.targetId);
    if (!target || target.status !== 'unconfirmed' || target.revision !== job.revision) return;
    const { post, channel, institution } = await this.targets.context(job.institutionId, target);
    const request = await this.request(target, post, channel, institution.languages[0]!);
    const answer = await this.adapters.for(channel.platform).findPublished(request);
    const now = this.clock.now();
    if (answer.status === 'unknown') {
      await this.move(target, 'person_asked', { lastError: answer.reason, personAskedAt: now }, { reason: answer.reason });
      return;
    }
    if (answer.status === 'found') {
      const parts = [...request.publishedParts, answer.part];
      if (parts.length >= 1 + request.thread.length) {
        // It went out when it was sent, not when reconciliation found it: the report's lateness counts that.
        const publishedAt = target.sendingAt ?? target.claimedAt ?? now;
        await this.move(target, 'reconciled_found', publishedRecord(parts, publishedAt, now, this.config.metrics.cadence));
        return;
      }
      const resumed = await this.move(
        target,
        'reconciled_partial',
        { externalParts: parts, externalId: parts[0]!.externalId, externalUrl: parts[0]!.url, queuedAt: now },
        { part: parts.length },
      );
      if (resumed)
        await this.enqueuePublish([
          {
            institutionId: target.institutionId,
            targetId: target.id,
            revision: target.revision,
            attempts: target.attempts,
            scheduledAt: now,
          },
        ]);
      return;
    }
    const requeued = await this.move(target, 'reconciled_absent', { queuedAt: now });
    if (requeued)
      await this.enqueuePublish([
        {
          institutionId: target.institutionId,
          targetId: target.id,
          revision: target.revision,
          attempts: target.attempts,
          scheduledAt: now,
        },
      ]);
  }

  private async afterFailedClaim(job: PublishJob): Promise<void> {
    const target = await this.targets.find(job.institutionId, job.targetId);
    // Claimed by an earlier run of this very job (same revision, one attempt on) whose worker died
    // during the call: only the platform knows whether it went out.
    if (target?.status === 'publishing' && target.revision === job.revision && target.attempts === job.attempts + 1) {
      await this.move(target, 'worker_stopped');
      await this.enqueueReconcile([
        {
          institutionId: target.institutionId,
          targetId: target.id,
          revision: target.revision,
          attempts: target.attempts,
          scheduledAt: target.scheduledAt!,
        },
      ]);
    }
    // Otherwise the job is stale (rescheduled, edited, cancelled, or done by another worker): nothing to do.
  }

  /** Back to `queued` until `at`, with a delayed job for the attempt count the claim left. */
  private async requeue(
    target: PublicationTarget,
    at: Date,
    code: 'channel_rate_limit' | 'platform_rate_limit' | 'temporary_failure',
    params: OutcomeParams,
    lastError?: string,
  ): Promise<void> {
    // queuedAt in the future: the scheduler does not take a deliberate wait for a lost job.
    if (await this.move(target, code, { queuedAt: at, ...(lastError ? { lastError } : {}) }, params)) {
      await this.enqueuePublish([
        { institutionId: target.institutionId, targetId: target.id, revision: target.revision, attempts: target.attempts, scheduledAt: at },
      ]);
    }
  }

  private async failed(
    target: PublicationTarget,
    channel: { institutionId: string; id: string; displayName: string },
    err: unknown,
  ): Promise<void> {
    const now = this.clock.now();
    const e = err instanceof PlatformError ? err : new PlatformError('ambiguous', (err as Error)?.message ?? String(err));
    switch (e.kind) {
      case 'rate_limit': {
        const until = e.resetAt ?? new Date(now.getTime() + 60_000);
        await this.channels.rateLimitedUntil(channel.institutionId, channel.id, until);
        return this.requeue(target, until, 'platform_rate_limit', { until: until.toISOString() }, e.message);
      }
      case 'auth':
        await this.channels.markNeedsReconnect(channel.institutionId, channel.id);
        await this.move(target, 'credentials_refused', { lastError: e.message });
        return;
      case 'invalid':
        await this.move(target, 'post_refused', { lastError: e.message });
        return;
      case 'transient': {
        if (target.attempts >= MAX_PUBLISH_ATTEMPTS) {
          await this.move(target, 'gave_up', { lastError: e.message }, { attempts: target.attempts });
          return;
        }
        const retryAt = new Date(now.getTime() + backoffMs(target.attempts));
        return this.requeue(target, retryAt, 'temporary_failure', { retryAt: retryAt.toISOString() }, e.message);
      }
      case 'duplicate':
      case 'ambiguous':
        await this.move(target, e.kind === 'duplicate' ? 'platform_has_it' : 'no_clear_answer', { lastError: e.message });
        await this.enqueueReconcile([
          {
            institutionId: target.institutionId,
            targetId: target.id,
            revision: target.revision,
            attempts: target.attempts,
            scheduledAt: now,
          },
        ]);
    }
  }

  /** Records a transition of the table; false (and a warning) when the target was no longer where it allows. */
  private async move(
    target: PublicationTarget,
    code: TransitionCode,
    patch: Partial<PublicationTarget> = {},
    params: OutcomeParams = {},
  ): Promise<boolean> {
    const moved = await this.targets.move(
      target.institutionId,
      { targetId: target.id },
      code,
      { at: this.clock.now(), params, error: patch.lastError ?? null },
      patch,
    );
    if (!moved.length) this.log.warn({ targetId: target.id, code }, 'target moved by someone else first');
    return moved.length > 0;
  }

  /** The platform's own reset, then CivicPost's per-channel limit (posts per window). */
  private async rateLimitWait(
    target: PublicationTarget,
    channel: { rateLimitedUntil: Date | null; rateLimitPosts: number | null; rateLimitWindowSeconds: number | null; id: string },
    now: Date,
  ): Promise<Date | undefined> {
    if (channel.rateLimitedUntil && channel.rateLimitedUntil > now) return channel.rateLimitedUntil;
    if (!channel.rateLimitPosts || !channel.rateLimitWindowSeconds) return undefined;
    const windowMs = channel.rateLimitWindowSeconds * 1000;
    const limit = channel.rateLimitPosts;
    return this.tx.run(async () => {
      const slot = await this.targets.takeWindowSlot(
        target.institutionId,
        channel.id,
        new Date(now.getTime() - windowMs),
        limit,
        target.id,
        now,
      );
      if (slot.taken) return undefined;
      // The window frees a slot when the oldest post in it leaves; while others are in flight, look again soon.
      const { published } = slot;
      if (published.length >= limit) return new Date(published[published.length - limit]!.getTime() + windowMs);
      return new Date(now.getTime() + 1_000);
    });
  }

  private async request(
    target: PublicationTarget,
    post: Pick<Post, 'variants' | 'channelOverrides' | 'media'>,
    channel: ChannelRef & { credentialsEncrypted: Buffer | null; credentialsKeyId: string | null },
    primaryLanguage: string,
  ): Promise<PublishRequest> {
    const { language, text, thread } = publicationText(post, channel, primaryLanguage);
    return {
      idempotencyKey: `${target.id}-r${target.revision}`,
      targetId: target.id,
      channel: {
        id: channel.id,
        institutionId: channel.institutionId,
        platform: channel.platform,
        settings: channel.settings,
        accountHandle: channel.accountHandle,
      },
      credentials: channel.credentialsEncrypted
        ? this.cipher.open<Record<string, string>>(channel.credentialsEncrypted, channel.credentialsKeyId)
        : null,
      language,
      text,
      thread,
      media: await this.media.items(target.institutionId, post.media, language),
      publishedParts: target.externalParts ?? [],
    };
  }

  private async enqueuePublish(due: DueTarget[]): Promise<void> {
    // In chunks: one addBulk of a whole pass (5,000 jobs) builds every command at once and raised the worker's peak memory.
    for (let i = 0; i < due.length; i += ADD_CHUNK) {
      // BullMQ counts a delay from when the job is added: measured from the start of the pass, every job fired late by the time the pass took to get there.
      const now = this.clock.now().getTime();
      await this.publishQueue.addBulk(
        due.slice(i, i + ADD_CHUNK).map((t) => ({
          name: 'publish',
          data: { institutionId: t.institutionId, targetId: t.targetId, revision: t.revision, attempts: t.attempts },
          opts: {
            ...PUBLISH_JOB_OPTIONS,
            jobId: jobIds.publish(t.targetId, t.revision, t.attempts),
            delay: Math.max(0, t.scheduledAt.getTime() - now),
          },
        })),
      );
    }
  }

  private async enqueueReconcile(targets: DueTarget[]): Promise<void> {
    if (targets.length === 0) return;
    await this.reconcileQueue.addBulk(
      targets.map((t) => ({
        name: 'reconcile',
        data: { institutionId: t.institutionId, targetId: t.targetId, revision: t.revision },
        opts: { ...RECONCILE_JOB_OPTIONS, jobId: jobIds.reconcile(t.targetId, t.revision, t.attempts) },
      })),
    );
  }
}
