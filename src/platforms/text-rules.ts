/**
 * Text and media limits of each platform, as pure functions: the API's validation endpoint and
 * the composer must give the same answer, so both call these. Sources: shared/reference/platform-apis.md.
 */
import twitterText from 'twitter-text';
import { escapeLittleText } from '#src/platforms/linkedin/linkedin-text.js';
import { descriptionsBlock } from '#src/platforms/telegram/telegram-caption.js';

export type Platform = 'x' | 'mastodon' | 'bluesky' | 'facebook' | 'linkedin' | 'telegram' | 'sandbox';

export interface MediaRef {
  url: string;
  /** Set when the image was uploaded to CivicPost: what real platforms need (they are sent the bytes). */
  mediaId?: string;
  mimeType?: string;
  /** Bytes and pixels, known for uploaded images. */
  size?: number;
  width?: number | null;
  height?: number | null;
  /** One text for every language, or one per language code. */
  altText?: Record<string, string> | string | null;
}

export interface ChannelRules {
  id: string;
  platform: Platform;
  settings?: { maxCharacters?: number } & Record<string, unknown>;
}

export interface VariantInput {
  language: string;
  text: string;
  /** Additional parts after the first, posted as replies. */
  thread?: string[];
}

export interface TextProblem {
  code: string;
  message: string;
  /** 0 for the main text, 1.. for thread parts; absent for problems of the post's media. */
  part?: number;
}

export interface ChannelLanguageReport {
  channelId: string;
  platform: Platform;
  language: string;
  count: number;
  limit: number;
  parts: Array<{ part: number; count: number; limit: number }>;
  problems: TextProblem[];
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

// The reference gives no unit for Telegram, LinkedIn, Facebook (or our sandbox): count Unicode
// code points, so an emoji outside the BMP counts 1 rather than 2 UTF-16 units.
function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const MASTODON_URL_LENGTH = 23;
// Mastodon's MENTION_RE for `@user@domain` (Ruby [[:word:]] = letters, marks, digits, connectors).
const REMOTE_MENTION =
  /(?<![=/\p{L}\p{M}\p{N}\p{Pc}])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\p{L}\p{M}\p{N}\p{Pc}.-]+[\p{L}\p{M}\p{N}\p{Pc}]/giu;

/** Mastodon's StatusLengthValidator: graphemes, every URL as 23, `@user@domain` as `@user`. */
function mastodonCount(text: string, settings?: ChannelRules['settings']): number {
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
  return graphemeCount(countable.replace(REMOTE_MENTION, '@$1'));
}

interface PlatformRule {
  name: string;
  /** What `count` counts, for messages. */
  unit: string;
  limit: number;
  maxMedia: number;
  /** Whether extra parts can be posted as replies. */
  threads: boolean;
  count: (text: string, settings?: ChannelRules['settings']) => number;
}

const RULES: Record<Platform, PlatformRule> = {
  // twitter-text weighs CJK and emoji 2, URLs 23.
  x: {
    name: 'X',
    unit: 'characters (weighted)',
    limit: 280,
    maxMedia: 4,
    threads: true,
    count: (t) => twitterText.parseTweet(t).weightedLength,
  },
  bluesky: { name: 'Bluesky', unit: 'graphemes', limit: 300, maxMedia: 4, threads: true, count: graphemeCount },
  mastodon: { name: 'Mastodon', unit: 'characters', limit: 500, maxMedia: 4, threads: true, count: mastodonCount },
  telegram: { name: 'Telegram', unit: 'characters', limit: 4096, maxMedia: 10, threads: true, count: codePointCount },
  // LinkedIn receives the text with its reserved characters escaped, and the escapes count.
  linkedin: {
    name: 'LinkedIn',
    unit: 'characters (reserved characters count twice: they are escaped)',
    limit: 3000,
    maxMedia: 9,
    threads: false,
    count: (t) => codePointCount(escapeLittleText(t)),
  },
  facebook: { name: 'Facebook', unit: 'characters', limit: 63206, maxMedia: 10, threads: false, count: codePointCount },
  sandbox: { name: 'Sandbox', unit: 'characters', limit: 5000, maxMedia: 10, threads: false, count: codePointCount },
};

/** What each platform accepts of an image (sources: platform-apis.md and each platform's media docs). */
export interface ImageRule {
  types: string[];
  maxBytes: number;
  /** Width x height, where the platform limits it. */
  maxPixels?: number;
}

const MB = 1024 * 1024;
const WEB_IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export const IMAGE_RULES: Record<Platform, ImageRule> = {
  // X: images up to 5 MB (docs.x.com media best practices).
  x: { types: WEB_IMAGES, maxBytes: 5 * MB },
  // Bluesky: app.bsky.embed.images blob maxSize 2,000,000 bytes (lexicon, as @atproto/api 0.19 ships it).
  bluesky: { types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], maxBytes: 2_000_000 },
  // Mastodon: 16 MB by default; an instance may say otherwise (settings.imageSizeLimit, read when the channel is verified).
  mastodon: { types: [...WEB_IMAGES, 'image/heic', 'image/avif'], maxBytes: 16 * MB },
  // Telegram sendPhoto: 10 MB, width + height at most 10000.
  telegram: { types: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * MB },
  // LinkedIn Images API: JPG, GIF, PNG, up to 36,152,320 pixels.
  linkedin: { types: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 20 * MB, maxPixels: 36_152_320 },
  // Facebook page photos: 10 MB.
  facebook: { types: ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/tiff', 'image/webp'], maxBytes: 10 * MB },
  sandbox: { types: [...WEB_IMAGES, 'image/heic', 'image/avif', 'image/bmp', 'image/tiff'], maxBytes: 20 * MB },
};

export function imageRuleFor(platform: Platform, settings?: ChannelRules['settings']): ImageRule {
  const rule = IMAGE_RULES[platform];
  const instanceLimit = settings?.imageSizeLimit;
  if (platform === 'mastodon' && typeof instanceLimit === 'number' && Number.isInteger(instanceLimit) && instanceLimit > 0)
    return { ...rule, maxBytes: instanceLimit };
  return rule;
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < MB ? 2 : 1)} MB`;
}

/** Telegram sends media with a caption, which is shorter than a text message. */
const TELEGRAM_CAPTION_LIMIT = 1024;

export function limitFor(platform: Platform, settings?: ChannelRules['settings'], opts?: { hasMedia?: boolean }): number {
  if (platform === 'mastodon') {
    // Instances set their own limit (GET /api/v2/instance → configuration.statuses.max_characters).
    const max = settings?.maxCharacters;
    if (typeof max === 'number' && Number.isInteger(max) && max > 0) return max;
  }
  if (platform === 'telegram' && opts?.hasMedia) return TELEGRAM_CAPTION_LIMIT;
  return RULES[platform].limit;
}

export function countFor(platform: Platform, text: string, settings?: ChannelRules['settings']): number {
  return RULES[platform].count(text, settings);
}

export function mediaLimitFor(platform: Platform): number {
  return RULES[platform].maxMedia;
}

export function supportsThreads(platform: Platform): boolean {
  return RULES[platform].threads;
}

function altTextIn(altText: MediaRef['altText'], language: string): string {
  const text = typeof altText === 'string' ? altText : altText?.[language];
  return typeof text === 'string' ? text : '';
}

function hasAltText(altText: MediaRef['altText'], language: string): boolean {
  return altTextIn(altText, language).trim() !== '';
}

/** Telegram has no alt text field: the adapter publishes the descriptions in the caption, so they count (telegram-caption.ts). */
function telegramCaption(text: string, media: MediaRef[], language: string): string {
  const block = descriptionsBlock(media.map((m) => ({ altText: altTextIn(m.altText, language) })));
  return [text.trim(), block].filter((t) => t !== '').join('\n\n');
}

type Override = { channelId: string; language?: string | null; text: string };

/** An override for this language wins over one for all languages. */
function overrideFor(overrides: Override[], channelId: string, language: string): string | undefined {
  const forChannel = overrides.filter((o) => o.channelId === channelId);
  return (forChannel.find((o) => o.language === language) ?? forChannel.find((o) => o.language == null))?.text;
}

function report(channel: ChannelRules, variant: VariantInput, media: MediaRef[], overrides: Override[]): ChannelLanguageReport {
  const { platform } = channel;
  const rule = RULES[platform];
  const thread = variant.thread ?? [];
  const problems: TextProblem[] = [];

  if (thread.length > 0 && !rule.threads) {
    problems.push({
      code: 'thread_not_supported',
      message: `${rule.name} has no threads; merge the ${thread.length} extra part(s) into the main text`,
    });
  }
  const texts = [overrideFor(overrides, channel.id, variant.language) ?? variant.text, ...(rule.threads ? thread : [])];
  const parts = texts.map((text, part) => {
    // Media go with the first part only; replies are plain text.
    const withMedia = part === 0 && media.length > 0;
    const limit = limitFor(platform, channel.settings, { hasMedia: withMedia });
    const count = countFor(
      platform,
      platform === 'telegram' && withMedia ? telegramCaption(text, media, variant.language) : text,
      channel.settings,
    );
    const where = part === 0 ? '' : `Thread part ${part}: `;
    if (text.trim() === '' && !withMedia) {
      problems.push({ code: 'text_empty', message: `${where}the text is empty`, part });
    } else if (count > limit) {
      const unit =
        withMedia && platform === 'telegram'
          ? `${rule.unit} in a caption with media (the images' alt text included: Telegram shows it there)`
          : rule.unit;
      problems.push({ code: 'text_too_long', message: `${where}${rule.name} allows ${limit} ${unit}; this text has ${count}`, part });
    }
    return { part, count, limit };
  });

  if (media.length > rule.maxMedia) {
    problems.push({
      code: 'media_too_many',
      message: `${rule.name} allows at most ${rule.maxMedia} media per post; this post has ${media.length}`,
    });
  }
  const images = imageRuleFor(platform, channel.settings);
  media.forEach((item, i) => {
    if (!hasAltText(item.altText, variant.language)) {
      problems.push({ code: 'media_alt_text_missing', message: `Media ${i + 1} has no alt text in language '${variant.language}'` });
    }
    if (platform !== 'sandbox' && !item.mediaId) {
      problems.push({
        code: 'media_not_uploaded',
        message: `Media ${i + 1} is an outside address: upload the image to CivicPost so it can be sent to ${rule.name}`,
      });
      return;
    }
    if (item.mimeType && !images.types.includes(item.mimeType)) {
      problems.push({
        code: 'media_type_not_accepted',
        message: `Media ${i + 1} is ${item.mimeType}; ${rule.name} accepts ${images.types.join(', ')}`,
      });
    }
    if (item.size !== undefined && item.size > images.maxBytes) {
      problems.push({
        code: 'media_too_large',
        message: `Media ${i + 1} is ${megabytes(item.size)}; ${rule.name} accepts images up to ${megabytes(images.maxBytes)}`,
      });
    }
    if (images.maxPixels && item.width && item.height && item.width * item.height > images.maxPixels) {
      problems.push({
        code: 'media_too_many_pixels',
        message: `Media ${i + 1} is ${item.width}x${item.height} pixels; ${rule.name} accepts at most ${images.maxPixels} pixels`,
      });
    }
    if (platform === 'telegram' && item.width && item.height && item.width + item.height > 10_000) {
      problems.push({
        code: 'media_too_many_pixels',
        message: `Media ${i + 1} is ${item.width}x${item.height} pixels; Telegram accepts width + height up to 10000`,
      });
    }
  });

  return { channelId: channel.id, platform, language: variant.language, count: parts[0].count, limit: parts[0].limit, parts, problems };
}

/** One report per (channel, variant language), in channel order then variant order. */
export function validateVariants(input: {
  channels: ChannelRules[];
  variants: VariantInput[];
  media: MediaRef[];
  overrides?: Array<{ channelId: string; language?: string | null; text: string }>;
}): ChannelLanguageReport[] {
  const { channels, variants, media, overrides = [] } = input;
  return channels.flatMap((channel) => variants.map((variant) => report(channel, variant, media, overrides)));
}
