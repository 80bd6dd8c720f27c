/**
 * Text and media limits of each platform, as pure functions: the API's validation endpoint and
 * the composer must give the same answer, so both call these. The limits themselves are in each
 * platform's descriptor (platforms/<p>/<p>.platform.ts); sources: shared/reference/platform-apis.md.
 */
import type { ChannelSettings, ImageRule } from '#src/platforms/platform-descriptor.js';
import { platformRegistry, type Platform, type PlatformRegistry } from '#src/platforms/platform-registry.js';
import { MB } from '#src/platforms/text-count.js';

export type { Platform } from '#src/platforms/platform-registry.js';
export type { ImageRule } from '#src/platforms/platform-descriptor.js';

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

export interface ChannelRules<P extends string = Platform> {
  id: string;
  platform: P;
  settings?: ChannelSettings;
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

export interface ChannelLanguageReport<P extends string = Platform> {
  channelId: string;
  platform: P;
  language: string;
  count: number;
  limit: number;
  parts: Array<{ part: number; count: number; limit: number }>;
  problems: TextProblem[];
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < MB ? 2 : 1)} MB`;
}

function altTextIn(altText: MediaRef['altText'], language: string): string {
  const text = typeof altText === 'string' ? altText : altText?.[language];
  return typeof text === 'string' ? text : '';
}

function hasAltText(altText: MediaRef['altText'], language: string): boolean {
  return altTextIn(altText, language).trim() !== '';
}

type Override = { channelId: string; language?: string | null; text: string };

/** An override for this language wins over one for all languages. */
function overrideFor(overrides: Override[], channelId: string, language: string): string | undefined {
  const forChannel = overrides.filter((o) => o.channelId === channelId);
  return (forChannel.find((o) => o.language === language) ?? forChannel.find((o) => o.language == null))?.text;
}

/** The rules of a registry's platforms: the application's below, a test's with its own descriptors. */
export function textRules<P extends string>(registry: PlatformRegistry<P>) {
  function imageRuleFor(platform: P, settings?: ChannelSettings): ImageRule {
    const { media } = registry.get(platform);
    return media.imagesFor?.(settings) ?? media.images;
  }

  function limitFor(platform: P, settings?: ChannelSettings, opts?: { hasMedia?: boolean }): number {
    const { text } = registry.get(platform);
    return text.limitFor?.(settings, { hasMedia: opts?.hasMedia ?? false }) ?? text.limit;
  }

  function countFor(platform: P, text: string, settings?: ChannelSettings): number {
    return registry.get(platform).text.count(text, settings);
  }

  function mediaLimitFor(platform: P): number {
    return registry.get(platform).media.maxItems;
  }

  function supportsThreads(platform: P): boolean {
    return registry.get(platform).threads;
  }

  function report(channel: ChannelRules<P>, variant: VariantInput, media: MediaRef[], overrides: Override[]): ChannelLanguageReport<P> {
    const { platform } = channel;
    const rule = registry.get(platform);
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
      const captioned = withMedia ? rule.text.withMedia : undefined;
      const limit = limitFor(platform, channel.settings, { hasMedia: withMedia });
      const count = countFor(
        platform,
        captioned
          ? captioned.text(
              text,
              media.map((m) => altTextIn(m.altText, variant.language)),
            )
          : text,
        channel.settings,
      );
      const where = part === 0 ? '' : `Thread part ${part}: `;
      if (text.trim() === '' && !withMedia) {
        problems.push({ code: 'text_empty', message: `${where}the text is empty`, part });
      } else if (count > limit) {
        const unit = captioned ? captioned.unit : rule.text.unit;
        problems.push({ code: 'text_too_long', message: `${where}${rule.name} allows ${limit} ${unit}; this text has ${count}`, part });
      }
      return { part, count, limit };
    });

    if (media.length > rule.media.maxItems) {
      problems.push({
        code: 'media_too_many',
        message: `${rule.name} allows at most ${rule.media.maxItems} media per post; this post has ${media.length}`,
      });
    }
    const images = imageRuleFor(platform, channel.settings);
    const maxWidthPlusHeight = rule.media.maxWidthPlusHeight;
    media.forEach((item, i) => {
      if (!hasAltText(item.altText, variant.language)) {
        problems.push({ code: 'media_alt_text_missing', message: `Media ${i + 1} has no alt text in language '${variant.language}'` });
      }
      if (!rule.media.acceptsOutsideUrls && !item.mediaId) {
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
      if (maxWidthPlusHeight && item.width && item.height && item.width + item.height > maxWidthPlusHeight) {
        problems.push({
          code: 'media_too_many_pixels',
          message: `Media ${i + 1} is ${item.width}x${item.height} pixels; ${rule.name} accepts width + height up to ${maxWidthPlusHeight}`,
        });
      }
    });

    return { channelId: channel.id, platform, language: variant.language, count: parts[0].count, limit: parts[0].limit, parts, problems };
  }

  /** One report per (channel, variant language), in channel order then variant order. */
  function validateVariants(input: {
    channels: ChannelRules<P>[];
    variants: VariantInput[];
    media: MediaRef[];
    overrides?: Override[];
  }): ChannelLanguageReport<P>[] {
    const { channels, variants, media, overrides = [] } = input;
    return channels.flatMap((channel) => variants.map((variant) => report(channel, variant, media, overrides)));
  }

  /** What each platform accepts of an image, by default (an upload is checked against all of them). */
  const imageRules = registry.table((d) => d.media.images);

  return { imageRuleFor, limitFor, countFor, mediaLimitFor, supportsThreads, validateVariants, imageRules };
}

const rules = textRules(platformRegistry);

export const { imageRuleFor, limitFor, countFor, mediaLimitFor, supportsThreads, validateVariants } = rules;
/** What each platform accepts of an image (before a channel's own settings). */
export const IMAGE_RULES: Record<Platform, ImageRule> = rules.imageRules;
