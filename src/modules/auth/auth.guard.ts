import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '#src/common/domain-error.js';
import { IS_PUBLIC, SESSION_COOKIE, type AuthenticatedRequest } from '#src/modules/auth/auth.decorators.js';
import { AuthService } from '#src/modules/auth/auth.service.js';

/** Every route needs a live session (bearer token or cookie) unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7).trim()
      : (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const principal = token ? await this.auth.authenticate(token) : null;
    if (!principal) throw new DomainError('unauthenticated', 'log in first: no valid session (it may have expired or been logged out)');
    req.principal = principal;
    return true;
  }
}
