import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '#src/common/clock.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { nextCollectionAt } from '#src/modules/engagement/cadence.js';
import { EngagementRepository, type DueForMetrics } from '#src/modules/engagement/engagement.repository.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { PlatformError, type Metrics } from '#src/platforms/platform-adapter.js';
import { jobIds, METRICS_JOB_OPTIONS, QUEUES, type MetricsJob } from '#src/queue/queues.js';
import { Tx } from '#src/storage/tx.js';

/** Targets leased per cron pass; the rest wait for the next pass. */
const PASS_LIMIT = 5_000;
/**
 * How long a target handed to a job is left alone by later passes. The job sets the real next time
 * when it runs; if the job is lost (queue flushed) or fails for good, the target is due again after this.
 */
export const COLLECTION_LEASE_MS = 10 * 60_000;
/** A platform that refuses the credentials (or a read permission) for metrics is asked again after this. */
export const METRICS_AUTH_PAUSE_MS = 60 * 60_000;
/** A metrics rate limit without a reset time pauses the channel's collection this long. */
const METRICS_RATE_LIMIT_DEFAULT_MS = 15 * 60_000;

export type CollectOutcome =
  | { status: 'collected'; snapshots: number; targets: number }
  | { status: 'skipped'; reason: string }
  | { status: 'paused'; until: Date; reason: string };

/**
 * Engagement collection: the cron's pass (lease what is due, enqueue batches per channel) and the
 * metrics job (ask the platform, append snapshots, set each target's next time by its age).
 * Nothing here touches what publishing reads: a metrics failure pauses metrics only.
 */
@Injectable()
export class EngagementService {
  private readonly log = new Logger(EngagementService.name);

  constructor(
    private readonly repo: EngagementRepository,
    private readonly adapters: PlatformAdapters,
    private readonly channels: ChannelsService,
    private readonly tx: Tx,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.metrics) private readonly queue: Queue<MetricsJob>,
  ) {}

  /**
   * One collection pass (one process at a time, by advisory lock): lease the targets due now and
   * add one job per batch of a channel, as many ids as the platform takes in one call. Jobs are
   * added after the commit; their ids are deterministic, so adding a batch twice adds one job.
   */
  async tick(now: Date = this.clock.now()): Promise<{ targets: number; jobs: number } | undefined> {
    const leasedUntil = new Date(now.getTime() + COLLECTION_LEASE_MS);
    const due = await this.tx.run(async () => {
      if (!(await this.repo.tryCollectionLock())) return undefined;
      return this.repo.leaseDue(now, leasedUntil, PASS_LIMIT);
    });
    if (!due) return undefined;
    const jobs = this.batches(due, leasedUntil);
    if (jobs.length)
      await this.queue.addBulk(jobs.map((j) => ({ name: 'metrics', data: j.data, opts: { ...METRICS_JOB_OPTIONS, jobId: j.id } })));
    return { targets: due.length, jobs: jobs.length };
  }

  /**
   * The metrics job: one platform call for a batch of one channel. Every target the platform
   * answered for gets a snapshot at `now` (a metric it does not give stays null); every target of
   * the batch gets its next collection time by its age, or none once it is older than the cadence.
   * A rate limit or a refusal pauses this channel's collection, and nothing else.
   */
  async collect(job: MetricsJob): Promise<CollectOutcome> {
    const now = this.clock.now();
    const channel = await this.repo.channel(job.institutionId, job.channelId);
    if (!channel) return { status: 'skipped', reason: 'the channel is gone' };
    // Another batch of this channel met a rate limit first: these targets come back after the pause.
    if (channel.metricsPausedUntil && channel.metricsPausedUntil > now)
      return { status: 'skipped', reason: `metrics paused until ${channel.metricsPausedUntil.toISOString()}` };
    const leasedUntil = new Date(job.leasedUntil);
    const targets = await this.repo.collectable(job.institutionId, job.channelId, job.targetIds, leasedUntil);
    if (targets.length === 0) return { status: 'skipped', reason: 'no target is collected any more' };

    const adapter = this.adapters.for(channel.platform);
    let answered: Map<string, Metrics>;
    try {
      answered = await adapter.fetchMetrics(await this.channels.connection(channel), [...new Set(targets.map((t) => t.externalId))]);
    } catch (err) {
      const paused = await this.pauseFor(job, err, now);
      if (paused) return paused;
      throw err; // temporary: BullMQ retries the job; after its last attempt the lease ends and the cron takes the targets again
    }
    const snapshots = targets.flatMap((t) => {
      const metrics = answered.get(t.externalId);
      return metrics ? [{ targetId: t.id, collectedAt: now, metrics }] : [];
    });
    const written = await this.tx.run(async () => {
      // The lease is given up and the snapshots appended in one transaction: a concurrent run of the same job appends nothing.
      const next = await this.repo.scheduleNext(
        job.institutionId,
        leasedUntil,
        targets.map((t) => ({ targetId: t.id, at: nextCollectionAt(t.publishedAt, now, this.config.metrics.cadence) })),
      );
      const held = new Set(next);
      const n = await this.repo.appendSnapshots(
        job.institutionId,
        snapshots.filter((s) => held.has(s.targetId)),
      );
      if (channel.metricsLastError) await this.repo.clearChannelError(job.institutionId, job.channelId);
      return n;
    });
    return { status: 'collected', snapshots: written, targets: targets.length };
  }

  /** Rate limits and refusals pause metrics on the channel (publishing reads neither); anything else is temporary. */
  private async pauseFor(job: MetricsJob, err: unknown, now: Date): Promise<CollectOutcome | undefined> {
    if (!(err instanceof PlatformError)) return undefined;
    let until: Date;
    if (err.kind === 'rate_limit')
      until = err.resetAt && err.resetAt > now ? err.resetAt : new Date(now.getTime() + METRICS_RATE_LIMIT_DEFAULT_MS);
    // A refused token or a missing read permission: posting may still work, so the channel is not marked for reconnecting.
    else if (err.kind === 'auth' || err.kind === 'invalid') until = new Date(now.getTime() + METRICS_AUTH_PAUSE_MS);
    else return undefined;
    const reason = `${err.kind}: ${err.message}`;
    await this.tx.run(() => this.repo.pauseChannel(job.institutionId, job.channelId, until, reason));
    this.log.warn({ channelId: job.channelId, until, kind: err.kind }, 'metrics collection paused on a channel');
    return { status: 'paused', until, reason };
  }

  /** Per channel, ids sorted, in batches of the platform's metricsBatchSize; each with its deterministic job id. */
  private batches(due: DueForMetrics[], leasedUntil: Date): Array<{ id: string; data: MetricsJob }> {
    const byChannel = new Map<string, DueForMetrics[]>();
    for (const d of due) {
      const rows = byChannel.get(d.channelId);
      if (rows) rows.push(d);
      else byChannel.set(d.channelId, [d]);
    }
    const jobs: Array<{ id: string; data: MetricsJob }> = [];
    for (const [channelId, rows] of byChannel) {
      rows.sort((a, b) => (a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0));
      const size = Math.max(1, this.adapters.for(rows[0]!.platform).metricsBatchSize);
      for (let i = 0; i < rows.length; i += size) {
        const batch = rows.slice(i, i + size);
        jobs.push({
          id: jobIds.metrics(channelId, batch),
          data: {
            institutionId: batch[0]!.institutionId,
            channelId,
            targetIds: batch.map((b) => b.targetId),
            leasedUntil: leasedUntil.toISOString(),
          },
        });
      }
    }
    return jobs;
  }
}
