import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { platformOptions } from '#src/platforms/platform-options.js';
import { platformRegistry, type Platform } from '#src/platforms/platform-registry.js';
import { SANDBOX_STORE, type SandboxStore } from '#src/platforms/sandbox/sandbox-store.js';

/** The adapter for a channel's platform: one instance each, built by its descriptor from configuration (base URLs, timeout). */
@Injectable()
export class PlatformAdapters {
  private readonly adapters: Record<Platform, PlatformAdapter>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, clock: Clock, @Inject(SANDBOX_STORE) sandboxStore: SandboxStore) {
    const options = platformOptions(config, platformRegistry.baseUrls());
    this.adapters = platformRegistry.table((d) => d.adapter({ options, clock, sandboxStore }));
  }

  for(platform: Platform): PlatformAdapter {
    return this.adapters[platform];
  }
}
