import { describe, expect, it } from '@jest/globals';
import { checkRecurrence, occurrences } from '#src/common/recurrence.js';

describe('occurrences of a recurring post', () => {
  it('keeps "every Sunday at 09:00 Europe/Bucharest" at 09:00 local across the March change', () => {
    const first = new Date('2027-03-21T07:00:00Z'); // 09:00 EET
    const got = occurrences('FREQ=WEEKLY;BYDAY=SU;COUNT=3', first, 'Europe/Bucharest', first, new Date('2027-12-31T00:00:00Z'), 10);
    expect(got.map((d) => d.toISOString())).toEqual(['2027-03-21T07:00:00.000Z', '2027-03-28T06:00:00.000Z', '2027-04-04T06:00:00.000Z']);
  });

  it('gives only the occurrences inside the horizon, at most `max` of them', () => {
    const first = new Date('2026-12-01T08:00:00Z');
    const got = occurrences('FREQ=DAILY', first, 'Europe/Warsaw', new Date('2026-12-03T00:00:00Z'), new Date('2026-12-10T00:00:00Z'), 3);
    expect(got.map((d) => d.toISOString())).toEqual(['2026-12-03T08:00:00.000Z', '2026-12-04T08:00:00.000Z', '2026-12-05T08:00:00.000Z']);
  });

  it('moves a local time the clocks skip forward by the gap', () => {
    const first = new Date('2027-03-27T01:30:00Z'); // 03:30 EET on Saturday
    const got = occurrences('FREQ=DAILY;COUNT=2', first, 'Europe/Bucharest', first, new Date('2027-04-01T00:00:00Z'), 5);
    // Sunday 03:30 does not exist in Bucharest: 04:30 EEST, which is 01:30 UTC.
    expect(got.map((d) => d.toISOString())).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:30:00.000Z']);
  });
});

describe('checking a recurrence rule', () => {
  it.each([
    'FREQ=SECONDLY',
    'FREQ=MINUTELY;INTERVAL=30',
    'FREQ=HOURLY;BYMINUTE=0,30',
    'FREQ=HOURLY;BYMINUTE=0,1,2,3,4,5,6,7,8,9;BYSECOND=0,1,2,3,4,5,6,7,8,9',
    'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,30',
  ])('refuses %s: more often than once an hour', (rule) => {
    expect(checkRecurrence(rule)).toEqual({ problem: { kind: 'too_frequent' } });
  });

  it.each(['FREQ=HOURLY', 'FREQ=HOURLY;INTERVAL=2', 'FREQ=DAILY;BYHOUR=9,18', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'RRULE:FREQ=MONTHLY;COUNT=3'])(
    'accepts %s',
    (rule) => {
      expect(checkRecurrence(rule)).toEqual({ rule });
    },
  );
});
