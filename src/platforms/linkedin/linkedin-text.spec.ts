import { describe, expect, it } from '@jest/globals';
import { escapeLittleText, unescapeLittleText } from '#src/platforms/linkedin/linkedin-text.js';

describe('little text', () => {
  it('escapes every reserved character with a backslash', () => {
    expect(escapeLittleText('a|b{c}d@e[f]g(h)i<j>k*l_m~n\\o')).toBe('a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\*l\\_m\\~n\\\\o');
  });

  it('keeps hashtags as hashtags but escapes a lone #', () => {
    expect(escapeLittleText('Vote on #Budget2027 (see # 4)')).toBe('Vote on #Budget2027 \\(see \\# 4\\)');
    expect(escapeLittleText('#civic_post')).toBe('#civic\\_post');
    expect(escapeLittleText('#Ședință')).toBe('#Ședință');
  });

  it('leaves plain text and URLs without reserved characters alone', () => {
    expect(escapeLittleText('Read more: https://example.org/a-b?c=d')).toBe('Read more: https://example.org/a-b?c=d');
  });

  it('reads back what was escaped, hashtag templates and mentions included', () => {
    const text = 'Hours (new): 9-17 <Mon>, e-mail a@b.ro ~ *today* #Budget2027 \\o/';
    expect(unescapeLittleText(escapeLittleText(text))).toBe(text);
    expect(unescapeLittleText('Vote on {hashtag|\\#|Budget2027} \\(now\\)')).toBe('Vote on #Budget2027 (now)');
    expect(unescapeLittleText('Thanks @[City Hall](urn:li:organization:123)')).toBe('Thanks City Hall');
  });
});
