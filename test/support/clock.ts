import { ShiftedClock } from '#src/common/clock.js';

/**
 * "Now" for every test that does not choose its own: Wednesday 9 December 2026, 09:30 in
 * Bucharest. The absolute dates tests write (campaigns 2026-12-01 to 2027-01-31, posts in 2027,
 * report periods of 2026) are chosen to agree with it: a test that needs "today" or "in a few
 * seconds" reads `api.clock.now()` instead. Tests of DST, month ends and midnight set their own.
 */
export const TEST_NOW = new Date('2026-12-09T09:30:00+02:00');

/**
 * A {@link ShiftedClock} that remembers each of its shifts. A queue counts a job's delay in real time from when the
 * job was added, so {@link advance} needs the clock's shift at that moment to know which delayed jobs the new time
 * has made due. Move it only through `set` and `advance` (or the helpers here).
 */
export class TestClock extends ShiftedClock {
  /** Real instant from which each shift holds (ms), and the shift (ms the clock reads ahead of the real time). */
  private readonly shifts: Array<{ from: number; shiftMs: number }>;

  constructor(start: Date) {
    super(start);
    this.shifts = [{ from: -Infinity, shiftMs: start.getTime() - Date.now() }];
  }

  override set(at: Date): void {
    super.set(at);
    this.shifts.push({ from: Date.now(), shiftMs: at.getTime() - Date.now() });
  }

  override advance(ms: number): void {
    super.advance(ms);
    this.shifts.push({ from: Date.now(), shiftMs: this.shifts.at(-1)!.shiftMs + ms });
  }

  /** What the clock read at the real instant `realMs`. */
  readingAt(realMs: number): number {
    return realMs + this.shifts.findLast((s) => s.from <= realMs)!.shiftMs;
  }
}

/** A clock that reads `at` now and runs on at the real rate, so the queues' real delays still hold. */
export const testClock = (at: Date = TEST_NOW): TestClock => new TestClock(at);

/**
 * CLOCK_START for a process a test starts, read from the test's clock at the moment it is called:
 * the child's clock starts there when it boots (it lags the test's by its boot time, a few seconds).
 */
export const clockStartEnv = (clock: { now(): Date } = testClock()): { CLOCK_START: string } => ({
  CLOCK_START: clock.now().toISOString(),
});

/**
 * A campaign's dates for tests whose clock follows the real time (platform rate-limit resets and
 * child processes are real instants): from a year before `now` to a year after, so the campaign
 * holds its posts whatever day the suite runs.
 */
export const campaignDatesAround = (now: Date): { startsOn: string; endsOn: string } => {
  const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return { startsOn: day(-366), endsOn: day(366) };
};
