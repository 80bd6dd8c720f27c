const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters (Bluesky, Mastodon). */
export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

// The reference gives no unit for Telegram, LinkedIn, Facebook (or our sandbox): count Unicode
// code points, so an emoji outside the BMP counts 1 rather than 2 UTF-16 units.
export function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export const MB = 1024 * 1024;
export const WEB_IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
