import { describe, it } from '@jest/globals';
import { describeReport, expectSound, runChaos } from './chaos.js';

/**
 * The long form of the chaos run, by hand: `npm run soak` (needs the machine's postgresql and redis-server
 * packages; the run starts its own servers). SOAK_MINUTES (default 10) is how long posts fall due and faults go
 * on; SOAK_POSTS (default 300 a minute), SOAK_WORKERS (default 3) and CHAOS_SEED (to repeat a run's choices).
 * Redis is flushed, Redis restarted and PostgreSQL restarted once every two minutes, at random moments.
 */
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const posts = Number(process.env.SOAK_POSTS ?? 300 * minutes);

describe('soak: chaos for a given duration', () => {
  it(
    `publishes ${posts} posts due over ${minutes} minutes exactly once, through faults`,
    async () => {
      const report = await runChaos({
        posts,
        channels: 20,
        workers: Number(process.env.SOAK_WORKERS ?? 3),
        burstShare: 0.2,
        spreadMs: minutes * 60_000,
        chaosMs: minutes * 60_000 + 15_000,
        infraFaults: Math.max(1, Math.round(minutes / 2)),
        seed: Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31)),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`${describeReport(report)}\n`);
      expectSound(report, posts);
    },
    (minutes * 60 + 900) * 1000,
  );
});
