/**
 * Telegram shows no alt text: neither sendPhoto nor InputMediaPhoto has a field for it, so a
 * screen-reader user hears only "photo". A public body owes those readers the description, so
 * CivicPost publishes the alt texts in the caption, under the post's text, each line marked with
 * 🖼️ (read out as "framed picture", and free of any language: the alt text is already in the
 * post's language). When the text and the descriptions do not fit in one caption the post is
 * refused before anything is sent, rather than published with images that some readers cannot
 * perceive.
 */
import { PlatformError, type MediaItem } from '#src/platforms/platform-adapter.js';

/** sendPhoto / sendMediaGroup `caption`: 0-1024 characters after entity parsing. */
export const CAPTION_LIMIT = 1024;
/** sendMessage `text`: 1-4096 characters after entity parsing. */
export const TEXT_LIMIT = 4096;
/** "The photo must be at most 10 MB in size" (core.telegram.org/bots/api#sendphoto). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** sendMediaGroup takes 2-10 items. */
export const MEDIA_GROUP_MAX = 10;

const IMAGE_MARK = '🖼️';

/** Telegram's limits count characters; count code points as the composer does (text-rules.ts). */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The descriptions block appended to the caption: one line per image that has an alt text. */
export function descriptionsBlock(media: Pick<MediaItem, 'altText'>[]): string {
  const described = media.map((m, i) => ({ n: i + 1, alt: m.altText.trim() })).filter((m) => m.alt !== '');
  if (described.length === 0) return '';
  if (media.length === 1) return `${IMAGE_MARK} ${described[0]!.alt}`;
  return described.map((m) => `${IMAGE_MARK} ${m.n}: ${m.alt}`).join('\n');
}

/** The caption for the first part's images: the text, then the descriptions; refused when over the limit. */
export function captionWithDescriptions(text: string, media: Pick<MediaItem, 'altText'>[]): string {
  const block = descriptionsBlock(media);
  const body = text.trim();
  const caption = [body, block].filter((s) => s !== '').join('\n\n');
  const count = characterCount(caption);
  if (count > CAPTION_LIMIT) {
    throw new PlatformError(
      'invalid',
      `telegram: the text and the image descriptions make a caption of ${count} characters; Telegram allows ${CAPTION_LIMIT} with images. ` +
        'Telegram has no alt text field, so CivicPost publishes the alt text in the caption: shorten the text or the alt text.',
    );
  }
  return caption;
}
