import { Injectable } from '@nestjs/common';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { PlatformError, type PlatformAdapter } from '#src/platforms/platform-adapter.js';
import { SandboxAdapter } from '#src/platforms/sandbox.adapter.js';

/** The adapter for a channel's platform. */
@Injectable()
export class PlatformAdapters {
  constructor(private readonly sandbox: SandboxAdapter) {}

  for(platform: Platform): PlatformAdapter {
    if (platform === 'sandbox') return this.sandbox;
    // Real platforms arrive with their adapters (issue 5); until then a target on one fails clearly.
    return {
      publish: async () => {
        throw new PlatformError('invalid', `publishing to ${platform} is not available in this version of CivicPost yet`);
      },
      findPublished: async () => null,
    };
  }
}
