import { describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { describeReport, expectSound, runChaos } from './chaos.js';

/**
 * The short form of the chaos run, in CI (`npm test` with DATABASE_URL and REDIS_URL set: the run brings its own
 * PostgreSQL and Redis, so that it can crash them, and needs the machine's postgresql and redis-server packages).
 * `npm run soak` runs the long form (test/chaos/chaos.soak-spec.ts). CHAOS_SEED repeats a run's random choices.
 */
const run = currentMode() === 'postgres+redis' ? describe : describe.skip;

run('chaos: worker kills, Redis and PostgreSQL crashes, platform faults', () => {
  it('publishes every post once or leaves it in a stated final state, none stuck, none later than the outages plus a minute', async () => {
    const report = await runChaos({
      posts: 600,
      channels: 10,
      workers: 3,
      burstShare: 0.3,
      spreadMs: 60_000,
      chaosMs: 75_000,
      infraFaults: 1,
      seed: Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31)),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${describeReport(report)}\n`);
    expectSound(report, 600);
    // /metrics saw posts overdue during the faults, and none at the end.
    expect(report.metrics.maxOverdueSeconds).toBeGreaterThan(0);
    expect(report.metrics.final).toMatchObject({
      civicpost_publication_overdue_seconds: 0,
      'civicpost_publications{status="queued"}': 0,
      'civicpost_publications{status="publishing"}': 0,
      'civicpost_publications{status="unconfirmed"}': 0,
      'civicpost_channels{status="active"}': 10,
    });
    // The run did what it says: every kind of fault happened.
    for (const what of ['worker SIGKILL', 'redis flush', 'redis restart', 'postgres restart'])
      expect(report.faults[what]).toBeGreaterThan(0);
    expect(report.statuses.published).toBeGreaterThan(0);
  }, 900_000);
});
