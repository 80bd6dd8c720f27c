import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BullModule, getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { startApp, type RunningApp } from '#src/app.js';
import { loadConfig } from '#src/config/config.js';
import { poll } from '#test/support/poll.js';
import { currentMode, provisionStorage, type TestStorage } from '#test/support/test-storage.js';

const QUEUE = 'probe-test';

@Processor(QUEUE, { concurrency: 4 })
class EchoProcessor extends WorkerHost {
  async process(job: Job<{ value: number }>): Promise<{ doubled: number; ranAt: number }> {
    return { doubled: job.data.value * 2, ranAt: Date.now() };
  }
}

@Module({ imports: [BullModule.registerQueue({ name: QUEUE })], providers: [EchoProcessor] })
class EchoModule {}

describe(`queue backend chosen by configuration (${currentMode()} storage)`, () => {
  let storage: TestStorage;
  let running: RunningApp;
  let queue: Queue;

  /**
   * The job's result once it has completed, read from the backend. Polled rather
   * than awaited through QueueEvents: under load in CI, a finish notification on
   * the PostgreSQL backend once failed to arrive within 30 s.
   */
  async function finished<T>(id: string, timeoutMs = 30_000): Promise<T> {
    const state = await poll(
      `job ${id} finished`,
      async () => {
        const job = await queue.getJob(id);
        return { state: await job?.getState(), failedReason: job?.failedReason };
      },
      ({ state }) => state === 'completed' || state === 'failed',
      timeoutMs,
      50,
    );
    if (state.state === 'failed') throw new Error(`job ${id} failed: ${state.failedReason}`);
    // Read again once completed: the job fetched before may predate its result.
    return (await queue.getJob(id))!.returnvalue as T;
  }

  beforeAll(async () => {
    storage = await provisionStorage();
    const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' });
    running = await startApp(config, { extraImports: [EchoModule] });
    queue = running.app.get<Queue>(getQueueToken(QUEUE), { strict: false });
  });

  afterAll(async () => {
    await running?.stop();
    await storage?.cleanup();
  });

  it('uses the backend the storage mode calls for', () => {
    expect(running.runtime.storage.queue.backend).toBe(storage.mode === 'postgres+redis' ? 'redis' : 'postgres');
  });

  it('processes jobs and keeps their results', async () => {
    const jobs = await queue.addBulk([1, 2, 3].map((value) => ({ name: 'echo', data: { value }, opts: { jobId: `echo-${value}` } })));
    const results = await Promise.all(jobs.map((job) => finished<{ doubled: number }>(job.id!)));
    expect(results.map((r: { doubled: number }) => r.doubled)).toEqual([2, 4, 6]);
    const stored = await queue.getJob('echo-2');
    expect(stored?.returnvalue).toMatchObject({ doubled: 4 });
  });

  it('does not add a second job with the same id', async () => {
    await queue.add('echo', { value: 10 }, { jobId: 'same-id' });
    await queue.add('echo', { value: 20 }, { jobId: 'same-id' });
    const job = await queue.getJob('same-id');
    expect(job?.data).toEqual({ value: 10 });
  });

  it('runs a delayed job no earlier than its delay', async () => {
    const addedAt = Date.now();
    const job = await queue.add('echo', { value: 7 }, { delay: 1_000, jobId: 'delayed-1' });
    const result = await finished<{ doubled: number; ranAt: number }>(job.id!);
    expect(result.doubled).toBe(14);
    expect(result.ranAt - addedAt).toBeGreaterThanOrEqual(1_000);
  });
});
