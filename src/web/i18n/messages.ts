import type { Locale } from '#src/web/i18n/locales.js';
import * as audit from '#src/web/i18n/audit.messages.js';
import * as blackouts from '#src/web/i18n/blackouts.messages.js';
import * as calendar from '#src/web/i18n/calendar.messages.js';
import * as campaigns from '#src/web/i18n/campaigns.messages.js';
import * as channels from '#src/web/i18n/channels.messages.js';
import * as common from '#src/web/i18n/common.messages.js';
import * as composer from '#src/web/i18n/composer.messages.js';
import * as members from '#src/web/i18n/members.messages.js';
import * as outcome from '#src/web/i18n/outcome.messages.js';
import * as post from '#src/web/i18n/post.messages.js';
import * as review from '#src/web/i18n/review.messages.js';
import * as transparency from '#src/web/i18n/transparency.messages.js';

/** Every message, by area (one file each). English is complete and the reference; Romanian is complete (the compiler checks). */
const en = {
  ...common.en,
  ...composer.en,
  ...post.en,
  ...outcome.en,
  ...calendar.en,
  ...campaigns.en,
  ...channels.en,
  ...blackouts.en,
  ...members.en,
  ...audit.en,
  ...review.en,
  ...transparency.en,
};
export type MessageKey = keyof typeof en;

const ro: Record<MessageKey, string> = {
  ...common.ro,
  ...composer.ro,
  ...post.ro,
  ...outcome.ro,
  ...calendar.ro,
  ...campaigns.ro,
  ...channels.ro,
  ...blackouts.ro,
  ...members.ro,
  ...audit.ro,
  ...review.ro,
  ...transparency.ro,
};

/** Polish, Bosnian and Ukrainian: the public transparency page (and whatever else an area translated). */
const partial = (locale: 'pl' | 'bs' | 'uk'): Partial<Record<MessageKey, string>> => ({
  ...((transparency as { [k: string]: unknown })[locale] as Partial<Record<MessageKey, string>> | undefined),
});

export const MESSAGES: Record<Locale, Partial<Record<MessageKey, string>>> & { en: Record<MessageKey, string> } = {
  en,
  ro,
  pl: partial('pl'),
  bs: partial('bs'),
  uk: partial('uk'),
};
