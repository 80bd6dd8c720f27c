/**
 * One CivicPost part can be several Telegram messages: an album (sendMediaGroup) is one message
 * per image. The part's externalId lists them all, comma-separated, first message first
 * ("12,13,14"), so delete removes the whole album; replies and links use the first one, which
 * carries the caption. A single message is just its id ("12").
 */
import { PlatformError } from '#src/platforms/platform-adapter.js';

export function toExternalId(messageIds: number[]): string {
  if (messageIds.length === 0) throw new Error('a published part has at least one message');
  return messageIds.join(',');
}

export function messageIds(externalId: string): number[] {
  const ids = externalId.split(',').map((s) => Number(s.trim()));
  if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    throw new PlatformError('invalid', `telegram: '${externalId}' is not a Telegram message id list`);
  }
  return ids;
}

export function firstMessageId(externalId: string): number {
  return messageIds(externalId)[0]!;
}

/** t.me links exist only for public channels (those with a username). */
export function messageUrl(username: string | undefined, messageId: number): string | null {
  return username ? `https://t.me/${username}/${messageId}` : null;
}
