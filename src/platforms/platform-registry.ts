import { blueskyPlatform } from '#src/platforms/bluesky/bluesky.platform.js';
import { facebookPlatform } from '#src/platforms/facebook/facebook.platform.js';
import { linkedinPlatform } from '#src/platforms/linkedin/linkedin.platform.js';
import { mastodonPlatform } from '#src/platforms/mastodon/mastodon.platform.js';
import type { PlatformDescriptor } from '#src/platforms/platform-descriptor.js';
import type { BaseUrlVariable } from '#src/platforms/platform-options.js';
import { sandboxPlatform } from '#src/platforms/sandbox/sandbox.platform.js';
import { telegramPlatform } from '#src/platforms/telegram/telegram.platform.js';
import { xPlatform } from '#src/platforms/x/x.platform.js';

/** Every platform CivicPost publishes to, one line each, in the order forms list them. */
export const PLATFORM_DESCRIPTORS = [
  xPlatform,
  mastodonPlatform,
  blueskyPlatform,
  facebookPlatform,
  linkedinPlatform,
  telegramPlatform,
  sandboxPlatform,
] as const;

export type Platform = (typeof PLATFORM_DESCRIPTORS)[number]['id'];

/** A set of descriptors, looked up by id: the application's (`platformRegistry`), or a test's. */
export class PlatformRegistry<P extends string = string> {
  readonly ids: readonly P[];
  private readonly byId: ReadonlyMap<string, PlatformDescriptor<P>>;

  constructor(readonly descriptors: readonly PlatformDescriptor<P>[]) {
    this.ids = descriptors.map((d) => d.id);
    this.byId = new Map(descriptors.map((d) => [d.id, d]));
    if (this.byId.size !== descriptors.length) throw new Error(`two platform descriptors have one id: ${this.ids.join(', ')}`);
  }

  get(platform: P): PlatformDescriptor<P> {
    const descriptor = this.byId.get(platform);
    if (!descriptor) throw new Error(`no platform '${platform}'`);
    return descriptor;
  }

  has(value: unknown): value is P {
    return typeof value === 'string' && this.byId.has(value);
  }

  /** One value per platform, as a table keyed by platform. */
  table<T>(value: (descriptor: PlatformDescriptor<P>) => T): Record<P, T> {
    return Object.fromEntries(this.descriptors.map((d) => [d.id, value(d)])) as Record<P, T>;
  }

  /** Every base-URL variable, by the name adapters read it under (`PlatformOptions.baseUrls`). */
  baseUrls(): Array<BaseUrlVariable & { key: string }> {
    return this.descriptors.flatMap((d) => Object.entries(d.baseUrls).map(([key, v]) => ({ key, ...v })));
  }
}

export const platformRegistry = new PlatformRegistry<Platform>(PLATFORM_DESCRIPTORS);

/** The platform ids, in the registry's order. */
export const PLATFORMS: readonly Platform[] = platformRegistry.ids;

export const isPlatform = (value: unknown): value is Platform => platformRegistry.has(value);
