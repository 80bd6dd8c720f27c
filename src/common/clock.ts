import { Injectable } from '@nestjs/common';

/** The time, injected so schedules, windows and DST can be tested with a fixed clock. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
