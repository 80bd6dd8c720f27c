/**
 * Pure helpers of the Mastodon adapter: the Idempotency-Key of each part, the language code Mastodon
 * accepts, and the comparison of our plain text with the HTML `content` Mastodon renders.
 */
import { createHash } from 'node:crypto';
import twitterText from 'twitter-text';
import type { ChannelSettings } from '#src/platforms/platform-descriptor.js';
import { normalizeText } from '#src/platforms/matching.js';
import { graphemeCount } from '#src/platforms/text-count.js';

/**
 * One key per part, stable across retries of the same publication: Mastodon keeps a key (per account)
 * for up to an hour and answers a second POST with it by returning the first status. Hashed so the
 * header has a fixed length whatever the pipeline's key looks like.
 */
export function partIdempotencyKey(publicationKey: string, partIndex: number): string {
  return 'civicpost-' + createHash('sha256').update(`${publicationKey}\u0000${partIndex}`).digest('hex').slice(0, 40);
}

/**
 * Mastodon keeps `language` only when it is a code it knows (LanguagesHelper.valid_locale_or_nil) and
 * otherwise silently falls back to the account's default. It knows ISO 639-1/639-3 codes and a few regional
 * variants; `fr-BE` is not one of them, so send the primary subtag except for those variants.
 */
const REGIONAL = new Set(['zh-CN', 'zh-HK', 'zh-TW', 'zh-YUE', 'pt-BR', 'pt-PT', 'es-AR', 'es-MX', 'en-GB', 'sr-Latn', 'sv-FI']);

export function mastodonLanguage(language: string): string | null {
  const tag = language.trim().replace(/_/g, '-');
  if (tag === '') return null;
  const regional = [...REGIONAL].find((r) => r.toLowerCase() === tag.toLowerCase());
  return regional ?? tag.split('-')[0]!.toLowerCase();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * The plain text of a status' HTML `content` as Mastodon's TextFormatter builds it from plain text:
 * paragraphs `<p>` separated by a blank line, `<br />` for single newlines, links whose text is split
 * into `invisible` / `ellipsis` spans (all kept: the spans together are the full URL), then entities decoded.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

// `@user@domain` is displayed as `@user` in content (the h-card shows the username only).
const REMOTE_MENTION = /(^|[^\p{L}\p{N}_/=])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_])?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/giu;

/**
 * What survives Mastodon's rendering, for a first, loose comparison: remote mentions shortened to the
 * username, every run of blanks (newlines included) made one space. The exact comparison is then done
 * on the status' source (GET /api/v1/statuses/:id/source), which is our text as Mastodon stored it.
 */
export function looseKey(text: string): string {
  return normalizeText(text).replace(REMOTE_MENTION, '$1@$2').replace(/\s+/gu, ' ').trim();
}

export function contentMatches(contentHtml: string, text: string): boolean {
  return looseKey(htmlToText(contentHtml)) === looseKey(text);
}

const MASTODON_URL_LENGTH = 23;
// Mastodon's MENTION_RE for `@user@domain` (Ruby [[:word:]] = letters, marks, digits, connectors).
const COUNTED_MENTION =
  /(?<![=/\p{L}\p{M}\p{N}\p{Pc}])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\p{L}\p{M}\p{N}\p{Pc}.-]+[\p{L}\p{M}\p{N}\p{Pc}]/giu;

/** Mastodon's StatusLengthValidator: graphemes, every URL as 23, `@user@domain` as `@user`. */
export function mastodonCount(text: string, settings?: ChannelSettings): number {
  // An instance may weigh URLs differently (configuration.statuses.characters_reserved_per_url, read when verified).
  const reserved = settings?.charactersReservedPerUrl;
  const urlLength = typeof reserved === 'number' && Number.isInteger(reserved) && reserved >= 0 ? reserved : MASTODON_URL_LENGTH;
  let countable = '';
  let at = 0;
  // Mastodon only shortens URLs written with their protocol.
  for (const { indices } of twitterText.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    countable += text.slice(at, indices[0]) + 'x'.repeat(urlLength);
    at = indices[1];
  }
  countable += text.slice(at);
  return graphemeCount(countable.replace(COUNTED_MENTION, '@$1'));
}
