import { HttpException } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import type { PostView } from '#src/modules/posts/post-views.service.js';
import type { ValidationReport } from '#src/modules/posts/post-content.service.js';
import type { FormErrors } from '#src/web/forms.js';
import type { I18n } from '#src/web/i18n/i18n.js';

/**
 * The composer's form as typed: read from a multipart (full page) or urlencoded (htmx preview) body,
 * or from a saved post, and turned into the API's DTO. Field names are keyed by language, not by
 * position, so a refused form comes back exactly as it was:
 * `text[ro]`, `thread[ro][0]`, `media[0][mediaId]`, `media[0][alt][ro]`, `newAlt[ro]`, `scheduledAt` ...
 */
export interface ComposerState {
  campaignId: string;
  /** null: the person may not choose channels (contributors see none); the post keeps what it has. */
  channelIds: string[] | null;
  /** Per language: the main text. */
  texts: Record<string, string>;
  /** Per language: the thread parts after the main text, empty ones dropped. */
  threads: Record<string, string[]>;
  /** Per language: how many part fields to show (the parts, one empty, and any asked for). */
  threadSlots: Record<string, number>;
  /** Images kept with the post (one ticked "remove" is gone from the next rendering). */
  media: Array<{ mediaId?: string; url?: string; alt: Record<string, string> }>;
  /** Alt texts typed for the image being uploaded with this submission. */
  newAlt: Record<string, string>;
  scheduledAt: string;
  timeZone: string;
  repeat: Repeat;
  count: string;
  rrule: string;
}

export const REPEATS = ['none', 'daily', 'weekly', 'monthly'] as const;
export type Repeat = (typeof REPEATS)[number];

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIMPLE_RULE = /^(?:RRULE:)?FREQ=(DAILY|WEEKLY|MONTHLY);COUNT=(\d+)$/;

/** Entries of a parsed nested field (qs and multer give arrays or objects), in key order. */
function entries(v: unknown): Array<[string, unknown]> {
  return v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>) : [];
}

function text(v: unknown): string {
  if (Array.isArray(v)) return text(v[0]);
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n') : '';
}

function byLanguage(v: unknown): Record<string, string> {
  return Object.fromEntries(
    entries(v)
      .filter(([lang]) => LANG.test(lang))
      .map(([lang, t]) => [lang, text(t)]),
  );
}

/** The languages of the composer's columns: the institution's, then any other the post has. */
export function columns(inst: Institution, state: ComposerState): string[] {
  const extra = [...Object.keys(state.texts), ...Object.keys(state.threads)].filter((l) => !inst.languages.includes(l));
  return [...new Set([...inst.languages, ...extra])];
}

/** Languages a text must be written in before submitting. */
export const requiredLanguages = (inst: Institution) => inst.languages.filter((l) => !inst.optionalLanguages.includes(l));

/** An empty composer, with what the address asked for (`?campaignId=`, `?date=`). */
export function emptyState(inst: Institution, prefill: { campaignId?: unknown; date?: unknown }): ComposerState {
  const date =
    typeof prefill.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(prefill.date) && DateTime.fromISO(prefill.date).isValid
      ? prefill.date
      : '';
  return {
    campaignId: typeof prefill.campaignId === 'string' && UUID.test(prefill.campaignId) ? prefill.campaignId : '',
    channelIds: [],
    texts: {},
    threads: {},
    threadSlots: {},
    media: [],
    newAlt: {},
    scheduledAt: date ? `${date}T09:00` : '',
    timeZone: inst.timeZone,
    repeat: 'none',
    count: '',
    rrule: '',
  };
}

/** The composer filled with a saved post. */
export function stateOfPost(inst: Institution, post: PostView): ComposerState {
  const zone = post.timeZone ?? inst.timeZone;
  const simple = post.recurrence ? SIMPLE_RULE.exec(post.recurrence) : null;
  return {
    campaignId: post.campaignId,
    channelIds: [...new Set(post.targets.filter((t) => !t.occurrenceAt).map((t) => t.channelId))],
    texts: Object.fromEntries(post.variants.map((v) => [v.language, v.text])),
    threads: Object.fromEntries(post.variants.map((v) => [v.language, v.thread ?? []])),
    threadSlots: {},
    media: post.media.map((m) => ({ ...(m.mediaId ? { mediaId: m.mediaId } : { url: m.url }), alt: { ...m.altText } })),
    newAlt: {},
    scheduledAt: post.scheduledAt ? DateTime.fromJSDate(post.scheduledAt).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : '',
    timeZone: zone,
    repeat: simple ? (simple[1]!.toLowerCase() as Repeat) : 'none',
    count: simple ? simple[2]! : '',
    rrule: post.recurrence && !simple ? post.recurrence : '',
  };
}

/** What the person sent. `canChooseChannels`: whether the form had the channel checkboxes. */
export function stateOfBody(inst: Institution, body: Record<string, unknown>, canChooseChannels: boolean): ComposerState {
  const threadsTyped = Object.fromEntries(
    entries(body.thread)
      .filter(([lang]) => LANG.test(lang))
      .map(([lang, parts]) => [
        lang,
        Array.isArray(parts) || (parts && typeof parts === 'object') ? entries(parts).map(([, p]) => text(p)) : [text(parts)],
      ]),
  );
  const threads = Object.fromEntries(Object.entries(threadsTyped).map(([lang, parts]) => [lang, parts.filter((p) => p.trim() !== '')]));
  const threadSlots = Object.fromEntries(Object.entries(threadsTyped).map(([lang, parts]) => [lang, parts.length]));
  const channels = Array.isArray(body.channelIds) ? body.channelIds : typeof body.channelIds === 'string' ? [body.channelIds] : [];
  const repeat = text(body.repeat);
  return {
    campaignId: text(body.campaignId),
    channelIds: canChooseChannels ? [...new Set(channels.filter((c): c is string => typeof c === 'string' && UUID.test(c)))] : null,
    texts: byLanguage(body.text),
    threads,
    threadSlots,
    media: entries(body.media)
      .map(([, m]) => m as Record<string, unknown>)
      .filter((m) => m && typeof m === 'object')
      .map((m) => {
        const mediaId = text(m.mediaId);
        const url = text(m.url);
        if (text(m.remove) === 'yes') return null;
        const item: ComposerState['media'][number] = { alt: byLanguage(m.alt) };
        if (UUID.test(mediaId)) item.mediaId = mediaId;
        else if (/^https?:\/\//.test(url)) item.url = url;
        return item;
      })
      .filter((m): m is ComposerState['media'][number] => m !== null && Boolean(m.mediaId || m.url)),
    newAlt: byLanguage(body.newAlt),
    scheduledAt: text(body.scheduledAt).trim(),
    timeZone: text(body.timeZone).trim() || inst.timeZone,
    repeat: (REPEATS as readonly string[]).includes(repeat) ? (repeat as Repeat) : 'none',
    count: text(body.count).trim(),
    rrule: text(body.rrule).trim(),
  };
}

/** The variants the post is saved with: every language with some text (one, empty, when there is none). */
export function variantsToSave(inst: Institution, state: ComposerState) {
  const langs = columns(inst, state);
  const written = langs.filter((l) => (state.texts[l] ?? '').trim() !== '' || (state.threads[l] ?? []).length > 0);
  const chosen = written.length ? written : [langs[0]!];
  return chosen.map((language) => ({
    language,
    text: state.texts[language] ?? '',
    ...((state.threads[language] ?? []).length ? { thread: state.threads[language] } : {}),
  }));
}

/** The variants the live report counts: those with text, and the required ones even when empty. */
export function variantsToCheck(inst: Institution, state: ComposerState) {
  const required = requiredLanguages(inst);
  return variantsToSave(inst, state)
    .filter((v) => v.text.trim() !== '' || v.thread?.length || required.includes(v.language))
    .concat(required.filter((l) => !variantsToSave(inst, state).some((v) => v.language === l)).map((language) => ({ language, text: '' })));
}

/** Languages every image must be described in: the required ones and every one the post is written in. */
export function altLanguages(inst: Institution, state: ComposerState): string[] {
  const written = variantsToSave(inst, state)
    .filter((v) => v.text.trim() !== '' || v.thread?.length)
    .map((v) => v.language);
  return columns(inst, state).filter((l) => requiredLanguages(inst).includes(l) || written.includes(l));
}

export function mediaToSave(state: ComposerState) {
  return state.media.map((m) => ({
    ...(m.mediaId ? { mediaId: m.mediaId } : { url: m.url }),
    altText: Object.fromEntries(
      Object.entries(m.alt)
        .filter(([, t]) => t.trim() !== '')
        .map(([l, t]) => [l, t.trim()]),
    ),
  }));
}

/** The RRULE of the form: the advanced field wins; else the simple choice with its count. */
export function recurrenceOf(state: ComposerState): { value: string | null; countError: boolean } {
  if (state.rrule) return { value: state.rrule, countError: false };
  if (state.repeat === 'none') return { value: null, countError: false };
  const n = /^\d{1,3}$/.test(state.count) ? Number(state.count) : 0;
  if (n < 1 || n > 366) return { value: null, countError: true };
  return { value: `FREQ=${state.repeat.toUpperCase()};COUNT=${n}`, countError: false };
}

/** The body of a create or update, as the API's DTO expects it. */
export function dtoOf(inst: Institution, state: ComposerState, recurrence: string | null, overrides?: PostView['channelOverrides']) {
  return {
    campaignId: state.campaignId,
    variants: variantsToSave(inst, state),
    ...(state.channelIds ? { channelIds: state.channelIds } : {}),
    ...(overrides && state.channelIds ? { channelOverrides: overrides.filter((o) => state.channelIds!.includes(o.channelId)) } : {}),
    media: mediaToSave(state),
    scheduledAt: state.scheduledAt || null,
    ...(state.scheduledAt ? { timeZone: state.timeZone } : {}),
    recurrence,
  };
}

/**
 * The API's field paths in the composer's terms: `variants.<index>` becomes `variants.<language>`
 * (the index of the variants sent), times and rules are said in the person's language.
 */
export function composerErrors(errors: FormErrors, sent: Array<{ language: string }>, i18n: I18n): FormErrors {
  const fields: Record<string, string[]> = {};
  for (const [field, problems] of Object.entries(errors.fields)) {
    let key = field.replace(/^variants\.(\d+)/, (whole, i: string) => (sent[Number(i)] ? `variants.${sent[Number(i)]!.language}` : whole));
    if (key === 'file') key = 'upload';
    if (/^channelIds\./.test(key)) key = 'channelIds';
    (fields[key] ??= []).push(...problems.map((p) => localizeComposerProblem(key, p, i18n)));
  }
  return { summary: errors.summary, fields };
}

function localizeComposerProblem(field: string, problem: string, i18n: I18n): string {
  if (field === 'scheduledAt') {
    if (/does not exist in/.test(problem)) return i18n.t('composer.error.timeSkipped');
    if (/happens twice/.test(problem)) return i18n.t('composer.error.timeTwice');
    if (/is required with recurrence/.test(problem)) return i18n.t('composer.error.recurrenceNeedsTime');
  }
  if (field === 'recurrence') {
    if (/not a valid RRULE/.test(problem)) return i18n.t('composer.error.recurrenceInvalid');
    if (/no occurrences/.test(problem)) return i18n.t('composer.error.recurrenceEmpty');
  }
  if (field === 'timeZone' && /IANA/.test(problem)) return i18n.t('composer.error.badZone');
  return problem;
}

/** A blackout window refused the time: said next to the time, with the window's reason. */
export function blackoutError(err: unknown, i18n: I18n): FormErrors | null {
  if (!(err instanceof HttpException) || err.getStatus() !== 409) return null;
  const body = err.getResponse() as { code?: string; details?: { blackout?: { reason?: string } } };
  if (body.code !== 'blackout') return null;
  const problem = i18n.t('composer.error.blackout', { reason: body.details?.blackout?.reason ?? '' });
  return { summary: i18n.t('composer.refused'), fields: { scheduledAt: [problem] } };
}

/**
 * A report's problems as field errors, to refuse a submission: each next to the text, thread part
 * or image it is about, in the person's language.
 */
export function reportErrors(
  report: ValidationReport,
  state: ComposerState,
  describe: (p: ReportProblem) => string,
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    const list = (fields[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const p of report.problems) {
    const message = describe({ code: p.code, language: p.language, channelId: p.channelId, message: p.message });
    if (p.code === 'language_missing' && p.language) add(`variants.${p.language}.text`, message);
    else add('channelIds', message);
  }
  for (const c of report.channels) {
    for (const pr of c.problems) {
      const message = describe({ ...pr, code: pr.code, language: c.language, channelId: c.channelId, platform: c.platform, report: c });
      const image = /Media (\d+)/.exec(pr.message);
      if (pr.part === 0) add(`variants.${c.language}.text`, message);
      else if (pr.part !== undefined) add(`variants.${c.language}.thread.${pr.part - 1}`, message);
      else if (pr.code === 'thread_not_supported') add(`variants.${c.language}.thread`, message);
      else if (pr.code === 'media_alt_text_missing' && image) add(`media.${Number(image[1]) - 1}.altText.${c.language}`, message);
      else if (image && Number(image[1]) <= state.media.length) add(`media.${Number(image[1]) - 1}.file`, message);
      else add('media', message);
    }
  }
  return fields;
}

export interface ReportProblem {
  code: string;
  message: string;
  part?: number;
  language?: string;
  channelId?: string;
  platform?: string;
  report?: ValidationReport['channels'][number];
}
