import { createHash } from 'node:crypto';

/**
 * The queue contract. Queue names are stored in the queue backend: never rename
 * a value, only add. Payloads carry ids only, never whole entities.
 */
export const QUEUES = {
  /** Publishes one PublicationTarget at its scheduled time. */
  publish: 'publish',
  /** Fetches engagement for a batch of published targets of one channel. */
  metrics: 'metrics',
  /** Asks a platform whether an unconfirmed publication went out. */
  reconcile: 'reconcile',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

/** Payload of a publish job: ids only, never whole entities. */
export interface PublishJob {
  institutionId: string;
  targetId: string;
  revision: number;
  /** The target's attempt count when the job was added: only that state may be claimed by it. */
  attempts: number;
}

/** Payload of a reconcile job. */
export interface ReconcileJob {
  institutionId: string;
  targetId: string;
  revision: number;
}

/** Payload of a metrics job: published targets of one channel, at most its adapter's metricsBatchSize. */
export interface MetricsJob {
  institutionId: string;
  channelId: string;
  targetIds: string[];
  /**
   * The lease the cron gave these targets (ISO 8601): the job collects only targets still holding it,
   * so a job run twice (a retry after its result was lost) or after its lease passed to a newer job
   * collects nothing twice. Like a publish job's revision and attempts.
   */
  leasedUntil: string;
}

/**
 * Deterministic job ids (no `:`, which BullMQ reserves): adding the same
 * publication twice is a no-op, so the scheduler can re-add what it is unsure
 * of. The attempt count is part of the id: every claim raises it, so a target
 * that comes back to the queue after a claim gets a fresh job.
 */
export const jobIds = {
  publish: (targetId: string, revision: number, attempts: number) => `publish-${targetId}-r${revision}-a${attempts}`,
  reconcile: (targetId: string, revision: number, attempts: number) => `reconcile-${targetId}-r${revision}-a${attempts}`,
  /**
   * One collection round of a batch: the channel, and a digest of each target with the time it
   * was due. The same batch due at the same times is the same job; the next round is a new one.
   */
  metrics: (channelId: string, due: Array<{ targetId: string; dueAt: Date }>) => {
    const digest = createHash('sha256')
      .update(
        due
          .map((d) => `${d.targetId}@${d.dueAt.getTime()}`)
          .sort()
          .join(','),
      )
      .digest('hex')
      .slice(0, 32);
    return `metrics-${channelId}-${digest}`;
  },
};

/**
 * A platform's temporary failure or rate limit is handled by the publishing
 * service (a new delayed job per attempt). BullMQ's own retries cover only an
 * unexpected error of the job itself, such as the database being away.
 */
export const PUBLISH_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export const RECONCILE_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/**
 * A metrics job that fails unexpectedly (database away, a platform's temporary error) is retried
 * by BullMQ; after the last attempt its targets come back to the cron when their lease ends.
 */
export const METRICS_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** Metrics jobs one worker runs at once: reads, so a few in parallel, never enough to crowd out publishing. */
export const METRICS_CONCURRENCY = 4;

/**
 * Worker options of the publish and reconcile queues. A running job renews its
 * lock every half lockDuration, so a long platform call keeps it; a dead
 * worker's job is found stalled within lockDuration + stalledInterval and run
 * again, where the claim shows it was in flight and reconciliation decides.
 */
export const WORKER_OPTIONS = { lockDuration: 15_000, stalledInterval: 15_000, maxStalledCount: 5 } as const;
