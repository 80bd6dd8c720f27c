import { describe, expect, it } from '@jest/globals';
import { toInstant, ZonedTimeError } from '#src/common/zoned-time.js';

describe('toInstant: a wall-clock time in a zone', () => {
  it('keeps 09:00 Europe/Bucharest at 09:00 local on both sides of the spring change (last Sunday of March 2027)', () => {
    expect(toInstant('2027-03-27T09:00:00', 'Europe/Bucharest').toISOString()).toBe('2027-03-27T07:00:00.000Z'); // EET, +02:00
    expect(toInstant('2027-03-28T09:00:00', 'Europe/Bucharest').toISOString()).toBe('2027-03-28T06:00:00.000Z'); // EEST, +03:00
  });

  it('and on both sides of the autumn change (last Sunday of October 2026)', () => {
    expect(toInstant('2026-10-24T09:00', 'Europe/Bucharest').toISOString()).toBe('2026-10-24T06:00:00.000Z');
    expect(toInstant('2026-10-25T09:00', 'Europe/Bucharest').toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('refuses a time the clocks skip, and one they repeat, rather than guess', () => {
    expect(() => toInstant('2027-03-28T03:30:00', 'Europe/Bucharest')).toThrow(/does not exist in Europe\/Bucharest/);
    expect(() => toInstant('2026-10-25T03:30:00', 'Europe/Bucharest')).toThrow(/happens twice in Europe\/Bucharest/);
    expect(() => toInstant('2026-10-25T03:30:00', 'Europe/Bucharest')).toThrow(ZonedTimeError);
  });

  it('takes a time with an offset as the instant it names, whatever the zone', () => {
    expect(toInstant('2026-10-25T03:30:00+03:00', 'Europe/Bucharest').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(toInstant('2026-12-01T09:00:00Z', 'America/New_York').toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });
});
