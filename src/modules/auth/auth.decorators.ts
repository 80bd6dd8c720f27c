import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '#src/modules/access/principal.js';

export const IS_PUBLIC = 'civicpost:public';
/** Reachable without logging in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The logged-in caller (the auth guard has refused everyone else). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal!,
);

export const SESSION_COOKIE = 'civicpost_session';
