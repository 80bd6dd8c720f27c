import { describe, expect, it } from '@jest/globals';
import { originalText, sameTweetText } from '#src/platforms/x/x-text.js';

describe('originalText', () => {
  it('expands t.co links and unescapes &, <, >', () => {
    const stored = 'Works &amp; closures &lt;north&gt;: https://t.co/abc123';
    expect(originalText(stored, [{ url: 'https://t.co/abc123', expanded_url: 'https://example.org/roads?a=1&b=2' }])).toBe(
      'Works & closures <north>: https://example.org/roads?a=1&b=2',
    );
  });

  it('drops the link X appends to a tweet with media', () => {
    const stored = 'Library reopening https://t.co/pic999';
    expect(
      originalText(stored, [{ url: 'https://t.co/pic999', expanded_url: 'https://x.com/town/status/1890000000000000001/photo/1' }]).trim(),
    ).toBe('Library reopening');
  });
});

describe('sameTweetText', () => {
  it('matches a link written without scheme against the expanded http:// form', () => {
    expect(
      sameTweetText('Map: example.com/map', 'Map: https://t.co/x1', [{ url: 'https://t.co/x1', expanded_url: 'http://example.com/map' }]),
    ).toBe(true);
  });

  it('matches across line-ending and trailing-blank differences', () => {
    expect(sameTweetText('Line one  \r\nLine two', 'Line one\nLine two')).toBe(true);
  });

  it('does not match a different text or a different link', () => {
    expect(sameTweetText('Pool closed Monday', 'Pool closed Tuesday')).toBe(false);
    expect(
      sameTweetText('See https://example.org/a', 'See https://t.co/x2', [
        { url: 'https://t.co/x2', expanded_url: 'https://example.org/b' },
      ]),
    ).toBe(false);
  });
});
