import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '#src/web/i18n/locales.js';
import { MESSAGES, type MessageKey } from '#src/web/i18n/messages.js';

// The locales live in their own file, below the catalogs that are keyed by them; re-exported for callers.
export { LOCALE_NAMES, PUBLIC_LOCALES, STAFF_LOCALES, type Locale } from '#src/web/i18n/locales.js';

export const LANG_COOKIE = 'civicpost_lang';

/**
 * The first of `supported` the person asked for: an explicit choice (query or cookie) first,
 * then the browser's Accept-Language in its order of preference, then English.
 */
export function negotiate(supported: readonly Locale[], choice: string | undefined, acceptLanguage: string | undefined): Locale {
  const pick = (tag: string) => supported.find((l) => l === tag.toLowerCase().split('-')[0]);
  const chosen = choice ? pick(choice) : undefined;
  if (chosen) return chosen;
  const asked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((a) => a.tag && a.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const a of asked) {
    const found = pick(a.tag);
    if (found) return found;
  }
  return 'en';
}

type Values = Record<string, string | number | Date>;

const compiled = new Map<string, IntlMessageFormat>();

/**
 * Messages and formats of one locale, with dates and times in one time zone (the institution's).
 * Messages are ICU MessageFormat, so plurals follow each language's rules (Romanian, Polish and
 * Ukrainian have more than two forms); a message missing in a locale falls back to English.
 */
export class I18n {
  constructor(
    readonly locale: Locale,
    readonly timeZone: string = 'UTC',
  ) {}

  t(key: MessageKey, values?: Values): string {
    const source = MESSAGES[this.locale][key] ?? MESSAGES.en[key];
    const id = `${this.locale}\u0000${key}`;
    let format = compiled.get(id);
    if (!format) {
      format = new IntlMessageFormat(source, this.locale);
      compiled.set(id, format);
    }
    return String(format.format(values));
  }

  /** Whether this locale has its own text for `key` (else t() answers in English). */
  has(key: string): key is MessageKey {
    return key in MESSAGES[this.locale];
  }

  number(n: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.locale, options).format(n);
  }

  /** 3 Dec 2026, in the institution's zone. */
  date(d: Date): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: this.timeZone }).format(d);
  }

  /** 3 Dec 2026, 09:00, in the institution's zone. */
  dateTime(d: Date): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.timeZone }).format(d);
  }

  time(d: Date): string {
    return new Intl.DateTimeFormat(this.locale, { timeStyle: 'short', timeZone: this.timeZone }).format(d);
  }

  /** The zone's name as people read it, e.g. "Eastern European Standard Time" or "ora standard a Europei de Est". */
  zoneName(d: Date = new Date()): string {
    const part = new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, timeZoneName: 'long' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? this.timeZone;
  }

  format(d: Date, options: Intl.DateTimeFormatOptions): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: this.timeZone, ...options }).format(d);
  }
}
