import { DateTime } from 'luxon';
import { fieldError } from '#src/common/domain-error.js';

export class ZonedTimeError extends Error {}

/**
 * The instant a scheduled time means. With a UTC offset (…+02:00, …Z) it is
 * that instant; without one it is a wall-clock time in `timeZone`, so that
 * "09:00 Europe/Bucharest" is 09:00 there on either side of a daylight-saving
 * change. A wall-clock time that does not exist (skipped by a spring-forward)
 * or happens twice (repeated by a fall-back) is refused rather than guessed.
 */
export function toInstant(value: string, timeZone: string): Date {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) throw new ZonedTimeError(`${value} is not a valid date and time`);
    return dt.toJSDate();
  }
  const wall = DateTime.fromISO(value, { zone: 'UTC' });
  if (!wall.isValid) throw new ZonedTimeError(`${value} is not a valid date and time`);
  // Every offset the zone uses around that day, tried: the instants that show this wall time there.
  const offsets = new Set([-1, 0, 1].map((d) => DateTime.fromMillis(wall.toMillis() + d * 86_400_000, { zone: timeZone }).offset));
  const instants = [...offsets]
    .map((offset) => wall.toMillis() - offset * 60_000)
    .filter(
      (ms) => DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss.SSS') === wall.toFormat('yyyy-MM-dd HH:mm:ss.SSS'),
    );
  if (instants.length === 0)
    throw new ZonedTimeError(`${value} does not exist in ${timeZone} (the clocks skip it for daylight saving time)`);
  if (instants.length > 1) throw new ZonedTimeError(`${value} happens twice in ${timeZone} (the clocks go back): give the UTC offset`);
  return new Date(instants[0]!);
}

/** toInstant for a request field: a time that cannot be placed answers 422 naming the field. */
export function instantOfField(field: string, value: string, timeZone: string): Date {
  try {
    return toInstant(value, timeZone);
  } catch (err) {
    if (err instanceof ZonedTimeError) throw fieldError(field, [err.message], `${field} ${err.message}`);
    throw err;
  }
}
