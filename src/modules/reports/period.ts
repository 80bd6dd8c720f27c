import { DateTime } from 'luxon';
import { fieldError } from '#src/common/domain-error.js';

/** A report's period: publications with from <= published_at < to. */
export interface Period {
  from: Date;
  to: Date;
}

export const GROUP_BYS = ['day', 'week', 'month', 'channel', 'campaign', 'audience', 'language', 'platform'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const TOP_METRICS = ['likes', 'reposts', 'replies', 'impressions', 'engagement'] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

/** At most this long a period, so a day-by-day series stays a page of JSON. */
const MAX_DAYS = 3_700;

/**
 * A bound given as a date (2026-06-01: midnight in the institution's time zone) or an instant with
 * its offset (2026-06-01T08:00:00Z). Anything else answers 422 naming the field.
 */
export function parseBound(field: 'from' | 'to', value: string, timeZone: string): Date {
  const v = value.trim();
  let dt: DateTime | null = null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) dt = DateTime.fromISO(v, { zone: timeZone });
  else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(v)) dt = DateTime.fromISO(v, { setZone: true });
  if (!dt || !dt.isValid) throw fieldError(field, 'must be a date (2026-06-01) or a date and time with its offset (2026-06-01T08:00:00Z)');
  return dt.toJSDate();
}

/** from and to as asked, or the default span ending now; 422 naming the field when they make no period. */
export function resolvePeriod(q: { from?: string; to?: string }, timeZone: string, now: Date, defaultFrom: (to: Date) => Date): Period {
  const to = q.to !== undefined ? parseBound('to', q.to, timeZone) : now;
  const from = q.from !== undefined ? parseBound('from', q.from, timeZone) : defaultFrom(to);
  if (from.getTime() >= to.getTime()) throw fieldError('to', 'must be later than from');
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw fieldError('from', `must be at most ${MAX_DAYS} days before to`);
  return { from, to };
}

/** The internal reports' default: the last 30 days. */
export const last30Days = (to: Date) => new Date(to.getTime() - 30 * 86_400_000);

/** The public report's default: the last 12 months, from the start of the month 11 months ago (institution's time zone). */
export const last12Months = (timeZone: string) => (to: Date) =>
  DateTime.fromJSDate(to, { zone: timeZone }).startOf('month').minus({ months: 11 }).toJSDate();

export function parseChoice<T extends string>(field: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw fieldError(field, `must be one of ${choices.join(', ')}`);
}

export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw fieldError('limit', `must be a whole number from 1 to ${max}`);
  return Number(value);
}

/** The buckets of a time series from `from` to `to` in `timeZone`, so empty days, weeks or months show as 0. */
export function timeBuckets(groupBy: 'day' | 'week' | 'month', period: Period, timeZone: string): Array<{ key: string; label: string }> {
  const unit = groupBy === 'day' ? 'day' : groupBy === 'week' ? 'week' : 'month';
  let at = DateTime.fromJSDate(period.from, { zone: timeZone }).startOf(unit);
  const end = DateTime.fromJSDate(period.to, { zone: timeZone });
  const out: Array<{ key: string; label: string }> = [];
  while (at < end) {
    out.push(bucketOf(groupBy, at));
    at = at.plus({ [`${unit}s`]: 1 });
  }
  return out;
}

export function bucketOf(groupBy: 'day' | 'week' | 'month', at: DateTime): { key: string; label: string } {
  if (groupBy === 'day') return { key: at.toFormat('yyyy-MM-dd'), label: at.toFormat('yyyy-MM-dd') };
  if (groupBy === 'week') return { key: at.toFormat("kkkk-'W'WW"), label: `Week of ${at.startOf('week').toFormat('yyyy-MM-dd')}` };
  return { key: at.toFormat('yyyy-MM'), label: at.toFormat('LLLL yyyy', { locale: 'en' }) };
}
