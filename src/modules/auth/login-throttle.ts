import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';

/**
 * Login throttling per client address (every attempt counts) and per account
 * (every attempt counts until it succeeds; a success clears the account's count). Counters live in this process:
 * behind several api processes the limits apply to each.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAddress: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.loginThrottle.perAddressPerMinute, duration: 60 });
    this.byAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: config.loginThrottle.perAccountPer15Minutes,
      duration: 15 * 60,
    });
  }

  /**
   * Call before checking the password: refuses with 429 and Retry-After when a
   * limit is spent. The attempt counts against the account now, as if it failed,
   * so that guesses sent all at once cannot pass before any of them is counted.
   */
  async before(address: string, email: string): Promise<void> {
    await consume(this.byAddress, address, 'too many login attempts from this address');
    await consume(this.byAccount, email.toLowerCase(), 'too many failed logins for this account');
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email.toLowerCase());
  }
}

export class TooManyAttemptsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', `${message}: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

async function consume(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes) throw tooMany(res, message);
    throw res;
  }
}

function tooMany(res: RateLimiterRes, message: string): TooManyAttemptsError {
  return new TooManyAttemptsError(message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
}
