import { describe, expect, it } from '@jest/globals';
import {
  countFor,
  limitFor,
  validateVariants,
  type ChannelRules,
  type MediaRef,
  type Platform,
  type VariantInput,
} from '#src/platforms/text-rules.js';

const channel = (platform: Platform, settings?: ChannelRules['settings']): ChannelRules => ({ id: `${platform}-1`, platform, settings });
/** An image uploaded to CivicPost (what real platforms are sent): 200 kB, 800x600 PNG. */
const image = (altText: MediaRef['altText'] = 'A photo', extra: Partial<MediaRef> = {}): MediaRef => ({
  url: '/api/institutions/i/media/m/content',
  mediaId: 'm',
  mimeType: 'image/png',
  size: 200_000,
  width: 800,
  height: 600,
  altText,
  ...extra,
});

/** The single report for one channel and one variant. */
function check(ch: ChannelRules, variant: VariantInput, media: MediaRef[] = []) {
  const [report] = validateVariants({ channels: [ch], variants: [variant], media });
  return report;
}
const codes = (r: { problems: Array<{ code: string }> }) => r.problems.map((p) => p.code);

const FAMILY = '👨‍👩‍👧‍👦';

describe('limits', () => {
  it('gives each platform its limit', () => {
    expect(limitFor('x')).toBe(280);
    expect(limitFor('bluesky')).toBe(300);
    expect(limitFor('mastodon')).toBe(500);
    expect(limitFor('telegram')).toBe(4096);
    expect(limitFor('linkedin')).toBe(3000);
    expect(limitFor('facebook')).toBe(63206);
    expect(limitFor('sandbox')).toBe(5000);
  });

  it("uses a Mastodon instance's own limit, ignoring a malformed one", () => {
    expect(limitFor('mastodon', { maxCharacters: 1000 })).toBe(1000);
    expect(limitFor('mastodon', { maxCharacters: 0 })).toBe(500);
    expect(limitFor('x', { maxCharacters: 1000 })).toBe(280);
  });

  it('limits a Telegram caption to 1024 when the post has media', () => {
    expect(limitFor('telegram', undefined, { hasMedia: true })).toBe(1024);
    expect(limitFor('telegram', undefined, { hasMedia: false })).toBe(4096);
  });
});

describe('counting', () => {
  it('weighs X text like X does: URLs 23, CJK and emoji 2', () => {
    expect(countFor('x', `see https://example.com/${'a'.repeat(100)}`)).toBe(4 + 23);
    expect(countFor('x', 'の'.repeat(140))).toBe(280);
    expect(countFor('x', '😀')).toBe(2);
  });

  it('counts an emoji family as one grapheme on Bluesky', () => {
    expect(countFor('bluesky', FAMILY)).toBe(1);
    expect(countFor('bluesky', `hi ${FAMILY}`)).toBe(4);
  });

  it('counts Mastodon URLs as 23 and remote mentions as @user', () => {
    expect(countFor('mastodon', 'https://a.io')).toBe(23);
    expect(countFor('mastodon', `read https://example.com/${'a'.repeat(200)}`)).toBe(5 + 23);
    expect(countFor('mastodon', 'hi @alice@social.example.org')).toBe('hi @alice'.length);
    expect(countFor('mastodon', 'hi @alice')).toBe(9);
    expect(countFor('mastodon', FAMILY)).toBe(1);
    // An instance that weighs URLs differently, as its verify answer said.
    expect(countFor('mastodon', 'read https://a.io', { charactersReservedPerUrl: 30 })).toBe(5 + 30);
  });

  it('counts code points on Telegram', () => {
    expect(countFor('telegram', '😀😀')).toBe(2);
  });
});

describe('validateVariants', () => {
  it('accepts 280 weighted characters on X and refuses 281 with a clear message', () => {
    expect(check(channel('x'), { language: 'en', text: 'a'.repeat(280) }).problems).toEqual([]);

    const r = check(channel('x'), { language: 'en', text: 'a'.repeat(281) });
    expect(r).toMatchObject({ count: 281, limit: 280 });
    expect(r.problems).toEqual([{ code: 'text_too_long', message: 'X allows 280 characters (weighted); this text has 281', part: 0 }]);
    expect(codes(check(channel('x'), { language: 'ja', text: 'の'.repeat(141) }))).toEqual(['text_too_long']);
  });

  it('accepts 300 graphemes on Bluesky even when they are emoji families, not 301', () => {
    expect(check(channel('bluesky'), { language: 'en', text: FAMILY.repeat(300) }).problems).toEqual([]);
    expect(codes(check(channel('bluesky'), { language: 'en', text: FAMILY.repeat(301) }))).toEqual(['text_too_long']);
  });

  it("respects a Mastodon instance's larger limit", () => {
    const text = 'a'.repeat(800);
    expect(codes(check(channel('mastodon'), { language: 'en', text }))).toEqual(['text_too_long']);
    expect(check(channel('mastodon', { maxCharacters: 1000 }), { language: 'en', text })).toMatchObject({ limit: 1000, problems: [] });
  });

  it('holds a Telegram caption to 1024 characters when the post has media', () => {
    const text = 'a'.repeat(2000);
    expect(check(channel('telegram'), { language: 'en', text }).problems).toEqual([]);

    const r = check(channel('telegram'), { language: 'en', text }, [image()]);
    expect(r.limit).toBe(1024);
    expect(r.problems).toEqual([
      {
        code: 'text_too_long',
        message:
          "Telegram allows 1024 characters in a caption with media (the images' alt text included: Telegram shows it there); this text has 2012",
        part: 0,
      },
    ]);
  });

  it("counts the images' alt text in a Telegram caption, where the adapter publishes it", () => {
    // 1000 characters fit alone; with "\n\n🖼️ " and a 30-character description they do not.
    const r = check(channel('telegram'), { language: 'en', text: 'a'.repeat(1000) }, [image({ en: 'b'.repeat(30) })]);
    expect(r.count).toBe(1000 + 2 + 3 + 30);
    expect(r.problems.map((p) => p.code)).toEqual(['text_too_long']);
    expect(check(channel('telegram'), { language: 'en', text: 'a'.repeat(980) }, [image({ en: 'b'.repeat(30) })]).problems).toEqual([]);
  });

  it('reports empty text unless the post has media', () => {
    expect(codes(check(channel('x'), { language: 'en', text: '  ' }))).toEqual(['text_empty']);
    expect(check(channel('x'), { language: 'en', text: '' }, [image()]).problems).toEqual([]);
  });

  it('asks for alt text in each language of the post', () => {
    const media = [image('Shared description'), image({ en: 'The mayor', fr: '  ' })];
    const [en, fr, de] = validateVariants({
      channels: [channel('mastodon')],
      variants: ['en', 'fr', 'de'].map((language) => ({ language, text: 'hello' })),
      media,
    });
    expect(en.problems).toEqual([]);
    expect(fr.problems).toEqual([{ code: 'media_alt_text_missing', message: "Media 2 has no alt text in language 'fr'" }]);
    expect(de.problems).toEqual([{ code: 'media_alt_text_missing', message: "Media 2 has no alt text in language 'de'" }]);
    expect(codes(check(channel('x'), { language: 'en', text: 'hi' }, [image(null)]))).toEqual(['media_alt_text_missing']);
  });

  it('refuses more media than the platform takes', () => {
    expect(
      codes(
        check(
          channel('x'),
          { language: 'en', text: 'hi' },
          Array.from({ length: 5 }, () => image()),
        ),
      ),
    ).toEqual(['media_too_many']);
    expect(
      check(
        channel('telegram'),
        { language: 'en', text: 'hi' },
        Array.from({ length: 10 }, () => image()),
      ).problems,
    ).toEqual([]);
  });

  it('counts each thread part on its own, and names the part that is too long', () => {
    const r = check(channel('x'), { language: 'en', text: 'intro', thread: ['a'.repeat(280), 'b'.repeat(300), ''] });
    expect(r.parts).toEqual([
      { part: 0, count: 5, limit: 280 },
      { part: 1, count: 280, limit: 280 },
      { part: 2, count: 300, limit: 280 },
      { part: 3, count: 0, limit: 280 },
    ]);
    expect(r.problems.map(({ code, part }) => ({ code, part }))).toEqual([
      { code: 'text_too_long', part: 2 },
      { code: 'text_empty', part: 3 },
    ]);
  });

  it('gives Telegram replies the text limit, not the caption limit', () => {
    const r = check(channel('telegram'), { language: 'en', text: 'caption', thread: ['a'.repeat(2000)] }, [image()]);
    expect(r.parts.map((p) => p.limit)).toEqual([1024, 4096]);
    expect(r.problems).toEqual([]);
  });

  it('refuses a thread on Facebook, LinkedIn and the sandbox', () => {
    for (const platform of ['facebook', 'linkedin', 'sandbox'] as const) {
      const r = check(channel(platform), { language: 'en', text: 'hello', thread: ['more'] });
      expect(codes(r)).toEqual(['thread_not_supported']);
      expect(r.parts).toHaveLength(1);
    }
  });

  it('replaces the main text with a channel override, a language-specific one first', () => {
    const channels = [channel('x'), channel('mastodon')];
    const variants = [
      { language: 'en', text: 'Hello', thread: ['more'] },
      { language: 'fr', text: 'Bonjour' },
    ];
    const overrides = [
      { channelId: 'x-1', language: null, text: 'a'.repeat(281) },
      { channelId: 'x-1', language: 'fr', text: 'Salut' },
    ];
    const reports = validateVariants({ channels, variants, media: [], overrides });

    expect(reports.map((r) => [r.channelId, r.language, r.count])).toEqual([
      ['x-1', 'en', 281],
      ['x-1', 'fr', 5],
      ['mastodon-1', 'en', 5],
      ['mastodon-1', 'fr', 7],
    ]);
    expect(codes(reports[0])).toEqual(['text_too_long']);
    expect(reports[0].parts[1]).toEqual({ part: 1, count: 4, limit: 280 });
  });

  it('asks for an upload before an outside image goes to a real platform, not to the sandbox', () => {
    const outside = image('A photo', { mediaId: undefined, url: 'https://cdn.example/a.png', size: undefined });
    expect(check(channel('mastodon'), { language: 'en', text: 'hi' }, [outside]).problems).toEqual([
      { code: 'media_not_uploaded', message: 'Media 1 is an outside address: upload the image to CivicPost so it can be sent to Mastodon' },
    ]);
    expect(check(channel('sandbox'), { language: 'en', text: 'hi' }, [outside]).problems).toEqual([]);
  });

  it("holds each image to its platform's size, type and pixel limits", () => {
    const big = image('A photo', { size: 6 * 1024 * 1024 });
    expect(check(channel('x'), { language: 'en', text: 'hi' }, [big]).problems).toEqual([
      { code: 'media_too_large', message: 'Media 1 is 6.0 MB; X accepts images up to 5.0 MB' },
    ]);
    expect(check(channel('mastodon'), { language: 'en', text: 'hi' }, [big]).problems).toEqual([]);
    expect(codes(check(channel('bluesky'), { language: 'en', text: 'hi' }, [image('A photo', { size: 2_000_001 })]))).toEqual([
      'media_too_large',
    ]);
    // An instance's own limit, read when the channel was verified, wins over Mastodon's default.
    expect(
      codes(
        check(channel('mastodon', { imageSizeLimit: 1_000_000 }), { language: 'en', text: 'hi' }, [image('A photo', { size: 1_500_000 })]),
      ),
    ).toEqual(['media_too_large']);
    expect(check(channel('telegram'), { language: 'en', text: 'hi' }, [image('A photo', { mimeType: 'image/gif' })]).problems).toEqual([
      { code: 'media_type_not_accepted', message: 'Media 1 is image/gif; Telegram accepts image/jpeg, image/png, image/webp' },
    ]);
    expect(codes(check(channel('linkedin'), { language: 'en', text: 'hi' }, [image('A photo', { width: 8000, height: 5000 })]))).toEqual([
      'media_too_many_pixels',
    ]);
    expect(codes(check(channel('telegram'), { language: 'en', text: 'hi' }, [image('A photo', { width: 9000, height: 1500 })]))).toEqual([
      'media_too_many_pixels',
    ]);
  });

  it('counts LinkedIn text as sent, with its reserved characters escaped', () => {
    // 2990 letters and 6 parentheses: 2996 characters typed, 3002 sent.
    const text = 'a'.repeat(2990) + '(x)(y)(z)'.replace(/[xyz]/g, '');
    expect(check(channel('linkedin'), { language: 'en', text }).problems.map((p) => p.code)).toEqual(['text_too_long']);
    expect(check(channel('linkedin'), { language: 'en', text: 'a'.repeat(2990) + '#civic' }).problems).toEqual([]);
  });
});
