import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import { DomainError } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { LoginThrottle } from '#src/modules/auth/login-throttle.js';
import { SessionsRepository } from '#src/modules/auth/sessions.repository.js';
import { hashPassword, verifyPassword } from '#src/modules/users/password-hasher.js';
import { Tx } from '#src/storage/tx.js';

// Verified against when the e-mail is unknown, so that a miss takes as long as a wrong password.
const DUMMY_HASH = hashPassword('civicpost-timing-equaliser');

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: { id: string; email: string; displayName: string; mustChangePassword: boolean };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditService,
    private readonly tx: Tx,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, from: { ip?: string; userAgent?: string }): Promise<LoginResult> {
    await this.throttle.before(from.ip ?? 'unknown', email);
    const user = await this.sessions.findUserByEmailWithHash(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
    if (!user || !ok) {
      await this.audit.record({
        institutionId: null,
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        data: { email: email.toLowerCase() },
      });
      throw new DomainError('invalid_credentials', 'e-mail or password is wrong');
    }
    await this.throttle.succeeded(email);
    // A fresh random token for every login: a token known before login (fixation) is never reused.
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionTtlMinutes * 60_000);
    await this.tx.run(async () => {
      const session = await this.sessions.create({
        userId: user.id,
        tokenHash: tokenHash(token),
        expiresAt,
        ip: from.ip ?? null,
        userAgent: from.userAgent?.slice(0, 500) ?? null,
      });
      await this.audit.record({ institutionId: null, actorId: user.id, action: 'auth.login', targetType: 'session', targetId: session.id });
    });
    return {
      token,
      expiresAt,
      user: { id: user.id, email: user.email, displayName: user.displayName, mustChangePassword: user.mustChangePassword },
    };
  }

  async logout(principal: Principal): Promise<void> {
    await this.tx.run(async () => {
      await this.sessions.revoke(principal.sessionId, this.clock.now());
      await this.audit.record({
        institutionId: null,
        actorId: principal.userId,
        action: 'auth.logout',
        targetType: 'session',
        targetId: principal.sessionId,
      });
    });
  }

  /** The principal for a bearer token or cookie value, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const found = await this.sessions.findLive(tokenHash(token), this.clock.now());
    if (!found) return null;
    return { userId: found.user.id, email: found.user.email, isSystemAdmin: found.user.isSystemAdmin, sessionId: found.session.id };
  }

  /** Changes the caller's password and ends their other sessions. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const user = await this.sessions.findUserWithHash(principal.userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      throw new DomainError('current_password_wrong', 'currentPassword is wrong', [{ field: 'currentPassword', problems: ['is wrong'] }]);
    }
    const hash = await hashPassword(next);
    await this.tx.run(async () => {
      await this.sessions.updatePassword(user.id, hash);
      await this.sessions.revokeAllForUser(user.id, this.clock.now(), principal.sessionId);
      await this.audit.record({
        institutionId: null,
        actorId: user.id,
        action: 'auth.password_changed',
        targetType: 'user',
        targetId: user.id,
      });
    });
  }
}

function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
