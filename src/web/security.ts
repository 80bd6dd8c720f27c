import { createHmac } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { DomainError } from '#src/common/domain-error.js';
import { SESSION_COOKIE } from '#src/modules/auth/auth.decorators.js';

/**
 * The staff pages' Content-Security-Policy: nothing but this origin, no inline script or style,
 * no framing. Pages that need less set their own (the transparency page: no script at all).
 */
export function securityHeaders(secure: boolean): RequestHandler {
  const strict = headers(secure, ["'self'"]);
  // Swagger UI (the API's documentation page, for developers) styles itself inline; its scripts still come from this origin only.
  const docs = headers(secure, ["'self'", "'unsafe-inline'"]);
  return (req, res, next) => {
    // API answers are one person's view of private data: no shared or browser cache keeps them (a route may say otherwise: an image).
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    (req.path.startsWith('/api/docs') ? docs : strict)(req, res, next);
  };
}

function headers(secure: boolean, styleSrc: string[]): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc,
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Only meaningful over TLS; harmless but misleading on a plain-HTTP office install.
    strictTransportSecurity: secure,
    referrerPolicy: { policy: 'same-origin' },
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for everything a cookie authenticates: the signed double-submit pattern of
 * csrf-csrf, bound to the session (a token from before login stops working after it). Forms carry
 * the token in `_csrf`, scripts in the `x-csrf-token` header. A request with a bearer token, an API
 * request with no session cookie, and the API's login carry no ambient authority and are not checked.
 */
export class Csrf {
  readonly cookieName: string;
  private readonly utils: ReturnType<typeof doubleCsrf>;

  constructor(key: Buffer, secure: boolean) {
    this.cookieName = secure ? '__Host-civicpost_csrf' : 'civicpost_csrf';
    const secret = createHmac('sha256', key).update('civicpost csrf').digest('base64url');
    this.utils = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? '',
      cookieName: this.cookieName,
      cookieOptions: { sameSite: 'strict', secure, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
        if (typeof fromBody === 'string') return fromBody;
        const header = req.headers['x-csrf-token'];
        if (typeof header === 'string') return header;
        // A multipart form is read after this check, so a file upload without script names its token in the address.
        const fromQuery = req.query?._csrf;
        return req.is('multipart/form-data') && typeof fromQuery === 'string' ? fromQuery : undefined;
      },
    });
  }

  /** The token for the forms of this response (set in its cookie too). */
  token(req: Request, res: Response): string {
    return this.utils.generateCsrfToken(req, res);
  }

  /** After login or logout the session changed: a new token, bound to the new session. */
  renew(req: Request, res: Response, sessionToken: string | undefined): string {
    const cookies = req.cookies as Record<string, string>;
    if (sessionToken) cookies[SESSION_COOKIE] = sessionToken;
    else delete cookies[SESSION_COOKIE];
    return this.utils.generateCsrfToken(req, res, { overwrite: true });
  }

  middleware(): RequestHandler {
    return (req: Request, _res: Response, next: NextFunction) => {
      if (SAFE_METHODS.has(req.method)) return next();
      // A bearer token on the API authenticates the request by itself (the guard then ignores the cookie), so
      // there is nothing to forge. Any other Authorization header, or one on a page (pages go by the cookie), is checked.
      if (req.path.startsWith('/api/') && /^Bearer \S/.test(req.headers.authorization ?? '')) return next();
      const hasSession = Boolean((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
      // The API's login uses no session (and takes JSON only, which a form on another site cannot send).
      if (req.path.startsWith('/api/') && (!hasSession || req.path === '/api/auth/login')) return next();
      if (this.utils.validateRequest(req)) return next();
      next(new DomainError('csrf_failed', 'the form is out of date or came from another site: reload the page and send it again'));
    };
  }
}
