/**
 * X does not give back the text it was sent: links become t.co links (the original in
 * `entities.urls[].expanded_url`), `&`, `<` and `>` come HTML-escaped, and a tweet with media gets the
 * t.co link of its photo appended. To find our post again by its text, undo that, and compare links by
 * what they point to (X also adds `http://` to links written without a scheme).
 */
import twitterText from 'twitter-text';
import { normalizeText } from '#src/platforms/matching.js';

export interface XUrlEntity {
  url: string;
  expanded_url?: string;
  media_key?: string;
}

/** The link X adds for a tweet's own photos and videos. */
const OWN_MEDIA_LINK = /^https?:\/\/(?:x|twitter)\.com\/[^/]+\/status\/\d+\/(?:photo|video)\/\d+$/i;

/** The text as it was written, from X's stored form. */
export function originalText(text: string, urls: XUrlEntity[] = []): string {
  let out = text;
  for (const u of urls) {
    const isOwnMedia = u.media_key !== undefined || (u.expanded_url !== undefined && OWN_MEDIA_LINK.test(u.expanded_url));
    out = out.split(u.url).join(isOwnMedia ? '' : (u.expanded_url ?? u.url));
  }
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function canonicalUrl(url: string): string {
  return url
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Normalised text with every link in its canonical form, for comparing X's text with ours. */
export function comparableText(text: string): string {
  const normalized = normalizeText(text);
  let out = '';
  let at = 0;
  for (const { url, indices } of twitterText.extractUrlsWithIndices(normalized)) {
    out += normalized.slice(at, indices[0]) + canonicalUrl(url);
    at = indices[1];
  }
  return out + normalized.slice(at);
}

/** Whether a tweet as X returns it is the text we sent. */
export function sameTweetText(sent: string, stored: string, urls?: XUrlEntity[]): boolean {
  return comparableText(sent) === comparableText(originalText(stored, urls));
}
