import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobType, Queue } from 'bullmq';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';
import { JOB_CHECK_MS, PublishingService } from '#src/modules/publishing/publishing.service.js';
import { ALL_QUEUES, type QueueName } from '#src/queue/queues.js';
import type { TestApi } from '#test/support/api.js';
import { TestClock } from '#test/support/clock.js';
import { poll } from '#test/support/poll.js';

/**
 * The worker's periodic work, run by a test when it chooses instead of waited for: one scheduler pass, one metrics
 * pass, one job check, the queues drained, and time moved on through the app's clock. A test that uses them starts the
 * app with long SCHEDULER_INTERVAL_MS and METRICS_INTERVAL_MS, so that the crons do not run by themselves, and with a
 * {@link TestClock} to let time pass without waiting for it.
 */

function clockOf(api: TestApi): TestClock {
  const clock = api.clock;
  if (!(clock instanceof TestClock))
    throw new Error('the TestApi runs on a clock of its own: start it with a TestClock (the default) to move its time');
  return clock;
}

/** The app's BullMQ queues, all of them by default. */
function queues(api: TestApi, names: readonly QueueName[] = ALL_QUEUES): Queue[] {
  return names.map((name) => api.running.app.get<Queue>(getQueueToken(name)));
}

/** One pass of the publishing scheduler now, as its cron runs it (retried while another pass holds the lock); what it did. */
export async function schedulerPass(api: TestApi): Promise<{ queued: number; requeued: number; reconciled: number }> {
  const publishing = api.running.app.get(PublishingService);
  const done = await poll('a scheduler pass (another one holds the lock)', () => publishing.tick(), Boolean, 10_000, 20);
  return done!;
}

/** One pass of the engagement cron now (or at `at`), retried while another pass holds the lock; what it leased and queued. */
export async function metricsPass(api: TestApi, at?: Date): Promise<{ targets: number; jobs: number }> {
  const engagement = api.running.app.get(EngagementService);
  const done = await poll('a metrics pass (another one holds the lock)', () => engagement.tick(at), Boolean, 10_000, 20);
  return done!;
}

/**
 * One job check of the scheduler: the clock moved on by its interval (so that the check is due, and what went
 * unsettled since then is old enough to be checked), then a scheduler pass, which runs it.
 */
export async function jobCheckPass(api: TestApi): Promise<{ queued: number; requeued: number; reconciled: number }> {
  await advance(api, JOB_CHECK_MS);
  return schedulerPass(api);
}

/**
 * Moves the app's clock on by `ms`, and the queues with it: every delayed job due by the new time is made to run now
 * (its due time on the app's clock is when it was added, read on the clock then, plus its delay).
 */
export async function advance(api: TestApi, ms: number): Promise<void> {
  const clock = clockOf(api);
  clock.advance(ms);
  await promoteDue(api, clock);
}

/** Runs now the delayed jobs due by the clock's time. */
async function promoteDue(api: TestApi, clock: TestClock): Promise<void> {
  const now = clock.now().getTime();
  for (const queue of queues(api)) {
    const delayed: Job[] = await queue.getJobs(['delayed']);
    for (const job of delayed) {
      if (clock.readingAt(job.timestamp) + (job.delay ?? job.opts.delay ?? 0) > now) continue;
      // Moved on by the queue meanwhile (its real delay ran out): nothing to do.
      await job.promote().catch(() => undefined);
    }
  }
}

/**
 * Waits until the app's queues (all by default) have no job waiting or running: every job that can run now has run,
 * and the jobs it added too. Delayed jobs stay (their time has not come: {@link advance} brings it); `delayedToo`
 * waits for them as well (a job retried after a backoff). Seen empty twice in a row, since a running job may add one
 * to a queue already looked at.
 */
export async function drainQueues(
  api: TestApi,
  options: { queues?: readonly QueueName[]; delayedToo?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const states: JobType[] = ['waiting', 'active', 'prioritized', 'waiting-children', ...(options.delayedToo ? (['delayed'] as const) : [])];
  let emptyRounds = 0;
  await poll(
    'queues drained',
    async () => {
      const busy: Record<string, Record<string, number>> = {};
      for (const queue of queues(api, options.queues)) {
        const counts = await queue.getJobCounts(...states);
        if (Object.values(counts).some((n) => n > 0)) busy[queue.name] = counts;
      }
      emptyRounds = Object.keys(busy).length ? 0 : emptyRounds + 1;
      return busy;
    },
    () => emptyRounds >= 2,
    options.timeoutMs ?? 30_000,
    25,
  );
}

/**
 * Lets `ms` pass on the app's clock as the worker would live it: in steps of `stepMs` (the whole of `ms` by default),
 * each the clock moved on, a scheduler pass (as the cron would run it), and every job due by then run to its end.
 * Starts with a pass and the queues drained, for what is due already.
 */
export async function elapse(api: TestApi, ms: number, stepMs = ms): Promise<void> {
  await schedulerPass(api);
  await drainQueues(api);
  const step = Math.max(1, stepMs);
  for (let left = ms; left > 0; left -= step) {
    await advance(api, Math.min(step, left));
    await schedulerPass(api);
    await drainQueues(api);
  }
}
