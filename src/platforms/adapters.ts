import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { PlatformError, type PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { platformOptions } from '#src/platforms/platform-options.js';
import { SandboxAdapter } from '#src/platforms/sandbox.adapter.js';

/** The adapter for a channel's platform. */
@Injectable()
export class PlatformAdapters {
  private readonly adapters: Partial<Record<Platform, PlatformAdapter>>;

  constructor(sandbox: SandboxAdapter, @Inject(APP_CONFIG) config: AppConfig) {
    const _options = platformOptions(config);
    this.adapters = { sandbox };
  }

  for(platform: Platform): PlatformAdapter {
    const adapter = this.adapters[platform];
    if (!adapter) throw new PlatformError('invalid', `publishing to ${platform} is not available in this version of CivicPost`);
    return adapter;
  }
}
