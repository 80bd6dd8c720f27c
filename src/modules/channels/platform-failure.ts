import { DomainError } from '#src/common/domain-error.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

/**
 * A platform's refusal or failure during a request a person is waiting for (verify, withdraw), as
 * an HTTP answer naming the platform's reason: refused credentials and refusals are 422, a rate
 * limit 429 with its reset, a platform that did not answer as expected 502.
 */
export function platformFailure(platform: string, err: unknown, doing: string): DomainError {
  const e = err instanceof PlatformError ? err : new PlatformError('transient', (err as Error)?.message ?? String(err));
  switch (e.kind) {
    case 'auth':
      return new DomainError('credentials_refused', `${platform} refused the channel's credentials while ${doing}: ${e.message}`);
    case 'invalid':
    case 'duplicate':
      return new DomainError('platform_refused', `${platform} refused ${doing}: ${e.message}`);
    case 'rate_limit':
      return new DomainError(
        'platform_rate_limited',
        `${platform} asks to wait${e.resetAt ? ` until ${e.resetAt.toISOString()}` : ''} before ${doing}`,
        e.resetAt ? { retryAt: e.resetAt } : undefined,
      );
    default:
      return new DomainError(
        'platform_unavailable',
        `${platform} did not answer as expected while ${doing} (${e.kind}): ${e.message}; try again later`,
      );
  }
}
