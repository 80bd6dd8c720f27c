import { describe, expect, it } from '@jest/globals';
import { DEFAULT_METRICS_CADENCE, parseCadence, type CadenceStep } from '#src/config/config.js';
import { nextCollectionAt } from '#src/modules/engagement/cadence.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const published = new Date('2026-11-30T22:50:00.000Z');
const at = (ageMs: number) => new Date(published.getTime() + ageMs);
const steps = (spec: string) => parseCadence(spec) as CadenceStep[];

describe('nextCollectionAt', () => {
  const cadence = steps(DEFAULT_METRICS_CADENCE);
  /** The age of the next collection after one at `ageMs`, or null. */
  const nextAge = (ageMs: number, c: CadenceStep[] = cadence) => {
    const next = nextCollectionAt(published, at(ageMs), c);
    return next === null ? null : next.getTime() - published.getTime();
  };

  it('first collects 15 minutes after publication by default', () => {
    expect(nextCollectionAt(published, published, cadence)).toEqual(new Date('2026-11-30T23:05:00.000Z'));
  });

  it('collects every 15 minutes in the first day, on a grid from the publication', () => {
    expect(nextAge(15 * MIN)).toBe(30 * MIN);
    expect(nextAge(16 * MIN)).toBe(30 * MIN); // a late collection catches up with the grid
    expect(nextAge(29 * MIN + 59_999)).toBe(30 * MIN);
    expect(nextAge(23 * HOUR + 45 * MIN)).toBe(DAY);
    expect(nextAge(23 * HOUR + 59 * MIN)).toBe(DAY);
  });

  it('switches to hourly at exactly 24 hours, and to daily at exactly 7 days', () => {
    expect(nextAge(DAY - 1)).toBe(DAY);
    expect(nextAge(DAY)).toBe(DAY + HOUR);
    expect(nextAge(DAY + 30 * MIN)).toBe(DAY + HOUR);
    expect(nextAge(7 * DAY - HOUR)).toBe(7 * DAY);
    expect(nextAge(7 * DAY - 1)).toBe(7 * DAY);
    expect(nextAge(7 * DAY)).toBe(8 * DAY);
    expect(nextAge(7 * DAY + 1)).toBe(8 * DAY);
  });

  it('reads a post for the last time at exactly 30 days, then stops', () => {
    expect(nextAge(29 * DAY)).toBe(30 * DAY);
    expect(nextAge(29 * DAY + 23 * HOUR)).toBe(30 * DAY);
    expect(nextAge(30 * DAY - 1)).toBe(30 * DAY);
    expect(nextAge(30 * DAY)).toBeNull();
    expect(nextAge(45 * DAY)).toBeNull();
  });

  it('skips the missed points of a collection that was days late, without a burst', () => {
    expect(nextAge(3 * DAY + 20 * MIN)).toBe(3 * DAY + HOUR);
    expect(nextAge(12 * DAY + 5 * HOUR)).toBe(13 * DAY);
  });

  it('collects 263 times in 30 days with the default cadence', () => {
    let n = 0;
    for (let age: number | null = 0; (age = nextAge(age)) !== null;) n++;
    expect(n).toBe(96 + 6 * 24 + 23);
  });

  it('treats a clock behind the publication as the publication itself', () => {
    expect(nextAge(-5 * MIN)).toBe(15 * MIN);
  });

  it('follows a custom cadence, ending a step whose interval does not divide it at its boundary', () => {
    const custom = steps('7m:1h,2h:5h');
    expect(nextAge(0, custom)).toBe(7 * MIN);
    expect(nextAge(56 * MIN, custom)).toBe(HOUR); // 63 min would leave the step: its boundary instead
    expect(nextAge(HOUR, custom)).toBe(3 * HOUR);
    expect(nextAge(3 * HOUR, custom)).toBe(5 * HOUR);
    expect(nextAge(4 * HOUR, custom)).toBe(5 * HOUR);
    expect(nextAge(5 * HOUR, custom)).toBeNull();
  });

  it('follows a one-step cadence', () => {
    const custom = steps('1d:3d');
    const ages: number[] = [];
    for (let age: number | null = 0; (age = nextAge(age, custom)) !== null;) ages.push(age);
    expect(ages).toEqual([DAY, 2 * DAY, 3 * DAY]);
  });
});
