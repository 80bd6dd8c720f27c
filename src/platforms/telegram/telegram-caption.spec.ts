import { describe, expect, it } from '@jest/globals';
import { captionWithDescriptions, characterCount } from '#src/platforms/telegram/telegram-caption.js';
import { messageIds, messageUrl, toExternalId } from '#src/platforms/telegram/telegram-message-ids.js';

describe('captionWithDescriptions', () => {
  it('puts one image’s alt text under the text, unnumbered', () => {
    expect(captionWithDescriptions('Hello', [{ altText: ' A bridge at dusk ' }])).toBe('Hello\n\n🖼️ A bridge at dusk');
  });

  it('numbers the descriptions of an album by image position, skipping images without one', () => {
    expect(captionWithDescriptions('', [{ altText: 'First' }, { altText: '' }, { altText: 'Third' }])).toBe('🖼️ 1: First\n🖼️ 3: Third');
  });

  it('accepts exactly 1024 characters and refuses 1025, counting code points', () => {
    const block = '\n\n🖼️ alt'; // 🖼️ is two code points (U+1F5BC U+FE0F)
    const text = '😀'.repeat(1024 - characterCount(block));
    expect(characterCount(captionWithDescriptions(text, [{ altText: 'alt' }]))).toBe(1024);
    expect(() => captionWithDescriptions(`${text}x`, [{ altText: 'alt' }])).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});

describe('message ids', () => {
  it('round-trips an album and refuses what is not an id list', () => {
    expect(messageIds(toExternalId([12, 13, 14]))).toEqual([12, 13, 14]);
    expect(messageIds('7')).toEqual([7]);
    expect(() => messageIds('abc')).toThrow(expect.objectContaining({ kind: 'invalid' }));
    expect(messageUrl('city', 3)).toBe('https://t.me/city/3');
    expect(messageUrl(undefined, 3)).toBeNull();
  });
});
