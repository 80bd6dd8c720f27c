import type { AppConfig } from '#src/config/config.js';

/** What every adapter is built with: where each platform is, and how long a call may take. */
export interface PlatformOptions {
  baseUrls: AppConfig['platformBaseUrls'];
  timeoutMs: number;
}

export function platformOptions(config: AppConfig): PlatformOptions {
  return { baseUrls: config.platformBaseUrls, timeoutMs: config.platformTimeoutMs };
}
