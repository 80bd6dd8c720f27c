import { DateTime } from 'luxon';
import rrule from 'rrule';

/**
 * Occurrences of an RRULE whose first occurrence is `first`, as instants in
 * [from, until). The rule is expanded in the post's wall-clock time ("every
 * Sunday at 09:00" in its zone), then each occurrence is placed in the zone,
 * so it keeps its local hour across daylight-saving changes. A local time the
 * clocks skip moves forward by the gap, as calendars do.
 */
export function occurrences(rule: string, first: Date, timeZone: string, from: Date, until: Date, max: number): Date[] {
  const wall = DateTime.fromJSDate(first, { zone: timeZone });
  // rrule works in UTC; give it the wall-clock time as if it were UTC ("floating" time).
  const floating = (dt: DateTime) => new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second, dt.millisecond));
  const parsed = rrule.rrulestr(rule.startsWith('RRULE:') ? rule : `RRULE:${rule}`, { dtstart: floating(wall) });
  const out: Date[] = [];
  // Widen the floating range by a day each side: zones are at most 14 h from UTC.
  const candidates = parsed.between(
    new Date(floating(DateTime.fromJSDate(from, { zone: timeZone })).getTime() - 86_400_000),
    new Date(floating(DateTime.fromJSDate(until, { zone: timeZone })).getTime() + 86_400_000),
    true,
  );
  for (const c of candidates) {
    const instant = DateTime.fromObject(
      {
        year: c.getUTCFullYear(),
        month: c.getUTCMonth() + 1,
        day: c.getUTCDate(),
        hour: c.getUTCHours(),
        minute: c.getUTCMinutes(),
        second: c.getUTCSeconds(),
        millisecond: c.getUTCMilliseconds(),
      },
      { zone: timeZone },
    ).toJSDate();
    if (instant >= from && instant < until) out.push(instant);
    if (out.length >= max) break;
  }
  return out;
}

/** Why a recurrence text is refused: not an RRULE at all, a rule that never produces an occurrence, or one more often than hourly. */
export type RecurrenceProblem = { kind: 'invalid'; detail: string } | { kind: 'empty' } | { kind: 'too_frequent' };

/** A post repeats at most once an hour: more often is a mistake, and each occurrence is a publication on every channel. */
export const MAX_OCCURRENCES_PER_DAY = 24;

/** The trimmed rule, or null for none; throws nothing, answers what is wrong with it instead. */
export function checkRecurrence(text: string | null | undefined): { rule: string | null } | { problem: RecurrenceProblem } {
  const rule = text?.trim() || null;
  if (!rule) return { rule: null };
  let parsed: InstanceType<typeof rrule.RRule> | undefined;
  try {
    const any = rrule.rrulestr(rule.startsWith('RRULE:') || rule.includes('\n') ? rule : `RRULE:${rule}`);
    parsed = any instanceof rrule.RRule ? any : undefined;
  } catch (err) {
    return { problem: { kind: 'invalid', detail: (err as Error).message } };
  }
  // A rule that never produces an occurrence is a mistake, not a schedule.
  if (!parsed || parsed.options.interval < 1 || parsed.options.count === 0) return { problem: { kind: 'empty' } };
  // By its frequency (SECONDLY, MINUTELY), or by BY-parts that multiply an hourly or daily rule: the first day
  // is counted, stopping at the first occurrence too many, so that checking a hostile rule costs nothing.
  if (parsed.options.freq > rrule.RRule.HOURLY) return { problem: { kind: 'too_frequent' } };
  const start = new Date(Date.UTC(2000, 0, 1));
  const dayAfter = start.getTime() + 86_400_000;
  let inFirstDay = 0;
  new rrule.RRule({ ...parsed.origOptions, dtstart: start, until: null, count: null }).all((d) => {
    if (d.getTime() >= dayAfter) return false;
    inFirstDay += 1;
    return inFirstDay <= MAX_OCCURRENCES_PER_DAY;
  });
  if (inFirstDay > MAX_OCCURRENCES_PER_DAY) return { problem: { kind: 'too_frequent' } };
  return { rule };
}
