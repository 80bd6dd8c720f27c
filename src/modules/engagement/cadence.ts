import type { CadenceStep } from '#src/config/config.js';

/**
 * When a published post's engagement is next collected, or null once collection has stopped.
 *
 * Collection times sit on a grid measured from the publication, not from the last collection:
 * with the default cadence (`15m:1d,1h:7d,1d:30d`) a post is read at +15 min, +30 min ... +24 h,
 * then +25 h ... +7 d, then +8 d ... +30 d, and never after. A collection that ran late (a busy
 * queue, a paused channel, a worker that was down) therefore catches up with the next grid point
 * instead of shifting every later one, and the last reading of a post is at exactly its last
 * step's age, whatever happened before. A step whose interval does not divide its span ends with
 * a reading at its boundary (`7m:1h` reads at 7, 14 ... 56 min and at 60 min).
 *
 * `after` is the moment of the collection just done (or of publication, for the first one); the
 * answer is the first grid point strictly after it.
 */
export function nextCollectionAt(publishedAt: Date, after: Date, cadence: readonly CadenceStep[]): Date | null {
  const age = after.getTime() - publishedAt.getTime();
  let stepStart = 0;
  for (const step of cadence) {
    if (age < step.untilAgeMs) {
      // The first point of this step's grid after `age` (only the first step can see an age before its start: a clock behind publication).
      const intervals = age < stepStart ? 1 : Math.floor((age - stepStart) / step.everyMs) + 1;
      const offset = Math.min(stepStart + intervals * step.everyMs, step.untilAgeMs);
      return new Date(publishedAt.getTime() + offset);
    }
    stepStart = step.untilAgeMs;
  }
  return null;
}
