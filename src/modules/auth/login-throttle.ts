import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';

/**
 * Login throttling per client address (every attempt counts) and per account
 * (failed attempts count; a success clears them). Counters live in this process:
 * behind several api processes the limits apply to each.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAddress: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: config.loginThrottle.perAddressPerMinute, duration: 60 });
    this.byAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: config.loginThrottle.perAccountPer15Minutes, duration: 15 * 60 });
  }

  /** Call before checking the password: refuses with 429 and Retry-After when a limit is spent. */
  async before(address: string, email: string): Promise<void> {
    const account = await this.byAccount.get(email.toLowerCase());
    if (account && account.remainingPoints <= 0) throw tooMany(account, 'too many failed logins for this account');
    try {
      await this.byAddress.consume(address);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw tooMany(res, 'too many login attempts from this address');
      throw res;
    }
  }

  async failed(email: string): Promise<void> {
    await this.byAccount.penalty(email.toLowerCase(), 1);
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
    super(429, 'too_many_requests', `${message}: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

function tooMany(res: RateLimiterRes, message: string): TooManyAttemptsError {
  return new TooManyAttemptsError(message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
}
