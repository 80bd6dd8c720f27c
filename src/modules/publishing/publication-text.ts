import type { Post } from '#src/modules/posts/post.entity.js';

/**
 * What a channel publishes of a post: one language, the channel's own (`settings.language`) or the
 * institution's first, with the channel's override of the text if it has one.
 */
export function publicationText(
  post: Pick<Post, 'variants' | 'channelOverrides'>,
  channel: { id: string; settings: Record<string, unknown> },
  primaryLanguage: string,
): { language: string; text: string; thread: string[] } {
  const wanted = typeof channel.settings.language === 'string' ? channel.settings.language : primaryLanguage;
  const variant = post.variants.find((v) => v.language === wanted) ?? post.variants[0]!;
  const override =
    post.channelOverrides.find((o) => o.channelId === channel.id && o.language === variant.language) ??
    post.channelOverrides.find((o) => o.channelId === channel.id && o.language === null);
  return { language: variant.language, text: override?.text ?? variant.text, thread: variant.thread ?? [] };
}
