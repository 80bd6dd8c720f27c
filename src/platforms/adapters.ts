import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { BlueskyAdapter } from '#src/platforms/bluesky/bluesky.adapter.js';
import { FacebookAdapter } from '#src/platforms/facebook/facebook.adapter.js';
import { LinkedInAdapter } from '#src/platforms/linkedin/linkedin.adapter.js';
import { MastodonAdapter } from '#src/platforms/mastodon/mastodon.adapter.js';
import type { PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { platformOptions } from '#src/platforms/platform-options.js';
import { SandboxAdapter } from '#src/platforms/sandbox/sandbox.adapter.js';
import { TelegramAdapter } from '#src/platforms/telegram/telegram.adapter.js';
import { XAdapter } from '#src/platforms/x/x.adapter.js';

/** The adapter for a channel's platform: one instance each, built from configuration (base URLs, timeout). */
@Injectable()
export class PlatformAdapters {
  private readonly adapters: Record<Platform, PlatformAdapter>;

  constructor(sandbox: SandboxAdapter, @Inject(APP_CONFIG) config: AppConfig) {
    const options = platformOptions(config);
    this.adapters = {
      sandbox,
      x: new XAdapter(options),
      mastodon: new MastodonAdapter(options),
      bluesky: new BlueskyAdapter(options),
      facebook: new FacebookAdapter(options),
      linkedin: new LinkedInAdapter(options),
      telegram: new TelegramAdapter(options),
    };
  }

  for(platform: Platform): PlatformAdapter {
    return this.adapters[platform];
  }
}
