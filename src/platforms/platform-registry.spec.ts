/**
 * A platform is described once: a registry with one more descriptor must be all that the platform
 * list, the text rules, the channel form, the metrics and names tables, the base-URL configuration
 * and the adapter map need. Each check below would fail if one of them kept a list of its own.
 */
import { describe, expect, it } from '@jest/globals';
import { Clock } from '#src/common/clock.js';
import { ConfigError, loadConfig } from '#src/config/config.js';
import { PLATFORMS as CHANNEL_PLATFORMS } from '#src/modules/channels/channel.entity.js';
import { checkSettings } from '#src/modules/channels/channels.service.js';
import { platformMetrics, platformNames, PLATFORM_METRICS } from '#src/modules/reports/platform-metrics.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import type { PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { platformOptions } from '#src/platforms/platform-options.js';
import { PLATFORM_DESCRIPTORS, PLATFORMS, platformRegistry, PlatformRegistry } from '#src/platforms/platform-registry.js';
import type { SandboxStore } from '#src/platforms/sandbox/sandbox-store.js';
import { codePointCount } from '#src/platforms/text-count.js';
import { IMAGE_RULES, textRules } from '#src/platforms/text-rules.js';
import { MESSAGES } from '#src/web/i18n/messages.js';
import { PLATFORM_FIELDS, platformFields } from '#src/web/pages/channels-platforms.js';

/** A platform that exists only here: what a new platform's folder would hold. */
const pigeon = definePlatform({
  id: 'pigeon',
  name: 'Pigeon Post',
  text: { unit: 'characters', limit: 42, count: codePointCount },
  media: { maxItems: 1, images: { types: ['image/png'], maxBytes: 1000 } },
  threads: false,
  metrics: ['likes', 'replies'],
  fields: [
    {
      group: 'settings',
      key: 'loft',
      label: 'channels.field.pageId',
      type: 'text',
      secret: false,
      required: true,
      check: { kind: 'pattern', pattern: /^\d+$/, problem: 'must be a number' },
    },
    secretField('ring', 'channels.field.botToken'),
  ],
  baseUrls: { pigeon: { variable: 'PIGEON_API_BASE_URL', default: 'https://api.pigeon.example' } },
  reconciliation: { answers: 'unknown', how: 'pigeons do not answer' },
  adapter: ({ options }) => ({ platform: 'pigeon', metricsBatchSize: 1, baseUrl: options.baseUrls.pigeon }) as unknown as PlatformAdapter,
});

const withPigeon = new PlatformRegistry<string>([...PLATFORM_DESCRIPTORS, pigeon]);

describe('a registry with one more descriptor', () => {
  it('lists the platform after the others', () => {
    expect(withPigeon.ids).toEqual([...PLATFORMS, 'pigeon']);
    expect(withPigeon.has('pigeon')).toBe(true);
    expect(platformRegistry.has('pigeon')).toBe(false);
  });

  it("checks text and media against the platform's own rules", () => {
    const rules = textRules(withPigeon);
    expect(rules.limitFor('pigeon')).toBe(42);
    expect(rules.mediaLimitFor('pigeon')).toBe(1);
    expect(rules.supportsThreads('pigeon')).toBe(false);
    expect(rules.imageRules.pigeon).toEqual({ types: ['image/png'], maxBytes: 1000 });
    const [report] = rules.validateVariants({
      channels: [{ id: 'c1', platform: 'pigeon' }],
      variants: [{ language: 'en', text: 'a'.repeat(43), thread: ['more'] }],
      media: [],
    });
    expect(report!.problems).toEqual([
      { code: 'thread_not_supported', message: 'Pigeon Post has no threads; merge the 1 extra part(s) into the main text' },
      { code: 'text_too_long', message: 'Pigeon Post allows 42 characters; this text has 43', part: 0 },
    ]);
    // The platforms already there keep their limits.
    expect(rules.limitFor('x')).toBe(280);
  });

  it("gives the channel form the platform's fields", () => {
    const fields = platformFields(withPigeon).pigeon;
    expect(fields.map((f) => [f.group, f.key, f.label, f.type, f.secret, f.required])).toEqual([
      ['settings', 'loft', 'channels.field.pageId', 'text', false, true],
      ['credentials', 'ring', 'channels.field.botToken', 'password', true, true],
    ]);
  });

  it('gives the reports its name and the metrics it provides', () => {
    expect(platformNames(withPigeon).pigeon).toBe('Pigeon Post');
    expect(platformMetrics(withPigeon).pigeon).toEqual({ provides: ['likes', 'replies'] });
  });

  it('reads its base URL from its variable, checked when the configuration loads', () => {
    expect(withPigeon.baseUrls()).toContainEqual({ key: 'pigeon', variable: 'PIGEON_API_BASE_URL', default: 'https://api.pigeon.example' });
    const set = platformOptions(loadConfig({ PIGEON_API_BASE_URL: 'http://127.0.0.1:9' }), withPigeon.baseUrls());
    expect(set.baseUrls.pigeon).toBe('http://127.0.0.1:9');
    expect(platformOptions(loadConfig({}), withPigeon.baseUrls()).baseUrls.pigeon).toBe('https://api.pigeon.example');
    for (const bad of ['ftp://pigeon', 'not a url']) {
      // ConfigError's message starts with the variable it names.
      expect(() => loadConfig({ PIGEON_API_BASE_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ PIGEON_API_BASE_URL: bad })).toThrow(/^PIGEON_API_BASE_URL /);
    }
  });

  it('has the channels service check its settings as its fields say', () => {
    expect(checkSettings('pigeon', { loft: ' 12 ' }, withPigeon)).toEqual({ loft: '12' });
    expect(() => checkSettings('pigeon', { loft: 'the roof' }, withPigeon)).toThrow('settings.loft must be a number');
  });

  it('builds its adapter with its base URL', () => {
    const options = platformOptions(loadConfig({}), withPigeon.baseUrls());
    const adapters = withPigeon.table((d) => d.adapter({ options, clock: new Clock(), sandboxStore: {} as SandboxStore }));
    expect(adapters.pigeon).toMatchObject({ platform: 'pigeon', baseUrl: 'https://api.pigeon.example' });
  });

  it('refuses two descriptors with one id', () => {
    expect(() => new PlatformRegistry([...PLATFORM_DESCRIPTORS, pigeon, pigeon])).toThrow(/one id/);
  });
});

describe("the application's registry", () => {
  it('is the platform list everywhere', () => {
    expect(CHANNEL_PLATFORMS).toBe(PLATFORMS);
    expect(PLATFORMS).toEqual(['x', 'mastodon', 'bluesky', 'facebook', 'linkedin', 'telegram', 'sandbox']);
    expect(Object.keys(PLATFORM_FIELDS)).toEqual(PLATFORMS);
    expect(Object.keys(PLATFORM_METRICS)).toEqual(PLATFORMS);
    expect(Object.keys(IMAGE_RULES)).toEqual(PLATFORMS);
  });

  it('builds one adapter per platform, each of its platform', () => {
    const adapters = new PlatformAdapters(loadConfig({}), new Clock(), {} as SandboxStore);
    for (const platform of PLATFORMS) expect(adapters.for(platform).platform).toBe(platform);
  });

  it('keeps the base-URL variables the documentation names', () => {
    expect(platformRegistry.baseUrls().map((u) => [u.key, u.variable])).toEqual([
      ['x', 'X_API_BASE_URL'],
      ['xUpload', 'X_UPLOAD_BASE_URL'],
      ['facebookGraph', 'FACEBOOK_GRAPH_BASE_URL'],
      ['linkedin', 'LINKEDIN_API_BASE_URL'],
      ['telegram', 'TELEGRAM_API_BASE_URL'],
    ]);
  });

  // What a new platform adds to the message catalogs: its name, its methodology note, its form's words.
  it.each(PLATFORMS)('%s has its messages in the English and Romanian catalogs', (platform) => {
    const keys = [
      `channels.platform.${platform}`,
      `transparency.platformNote.${platform}`,
      ...platformRegistry.get(platform).fields.flatMap((f) => [f.label, ...(f.hint ? [f.hint] : [])]),
    ];
    for (const locale of ['en', 'ro'] as const) {
      const catalog = MESSAGES[locale] as Record<string, string | undefined>;
      expect(keys.filter((k) => typeof catalog[k] !== 'string')).toEqual([]);
    }
  });
});
