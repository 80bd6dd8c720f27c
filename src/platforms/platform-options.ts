import type { AppConfig } from '#src/config/config.js';

/** What every adapter is built with: where each platform is, and how long a call may take. */
export interface PlatformOptions {
  /** By the name each platform's descriptor gives it (`x`, `xUpload`, `telegram`...). */
  baseUrls: Readonly<Record<string, string>>;
  timeoutMs: number;
}

/** An environment variable that moves a platform's API (tests point real clients at fake servers). */
export interface BaseUrlVariable {
  /** The name of the variable, e.g. X_API_BASE_URL. */
  variable: string;
  default: string;
}

/** The options from the configuration: each base URL from its variable when set, else the platform's default. */
export function platformOptions(config: AppConfig, variables: ReadonlyArray<BaseUrlVariable & { key: string }>): PlatformOptions {
  return {
    baseUrls: Object.fromEntries(variables.map((v) => [v.key, config.platformBaseUrls[v.variable] ?? v.default])),
    timeoutMs: config.platformTimeoutMs,
  };
}
