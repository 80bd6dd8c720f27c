import { Injectable } from '@nestjs/common';

/** The time, injected so schedules, windows and DST can be tested with a chosen clock. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that reads a chosen instant at its start and runs at the real rate from there. Tests pick
 * "today" with it (TestApi.start({ clock }), or CLOCK_START in a process they start) while the
 * queues' real delays still hold; `set` and `advance` move it for a test that needs a later hour.
 */
export class ShiftedClock extends Clock {
  private offsetMs: number;

  constructor(start: Date) {
    super();
    this.offsetMs = start.getTime() - Date.now();
  }

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on the clock reads `at`, and runs on from there. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
