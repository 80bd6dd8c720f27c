import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notFound } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { can, type Action } from '#src/modules/access/policy.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import type { AuthenticatedRequest } from '#src/modules/auth/auth.decorators.js';
import { MeService } from '#src/modules/auth/me.service.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';
import { I18n, LANG_COOKIE, negotiate, STAFF_LOCALES, type Locale } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { renderPage, type PageOptions } from '#src/web/layout.js';
import { Csrf } from '#src/web/security.js';
import type { SafeHtml } from '#src/web/html.js';

export interface Membership {
  institutionId: string;
  institutionName: string;
  institutionSlug: string;
  role: Member['role'];
  partnerId: string | null;
}

/** Everything a staff page needs about this request: who, where, in which language, and how to answer. */
export class WebContext {
  constructor(
    readonly req: Request,
    readonly res: Response,
    readonly i18n: I18n,
    readonly csrf: string,
    readonly principal: Principal | null,
    readonly user: { id: string; email: string; displayName: string; mustChangePassword: boolean; isSystemAdmin: boolean } | null,
    readonly memberships: Membership[],
    readonly institution: Institution | null,
    readonly member: Member | null,
  ) {}

  get locale(): Locale {
    return this.i18n.locale;
  }

  t(key: MessageKey, values?: Record<string, string | number | Date>): string {
    return this.i18n.t(key, values);
  }

  /** Whether the caller's role in this institution allows `action` (the policy of the API, read for the page). */
  can(action: Action): boolean {
    return this.member !== null && can(this.member.role, action);
  }

  /** An address inside this institution's pages. */
  path(rest = ''): string {
    return `/app/${this.institution!.slug}${rest}`;
  }

  get requiredInstitution(): Institution {
    if (!this.institution) throw notFound('institution');
    return this.institution;
  }

  get requiredPrincipal(): Principal {
    return this.principal!;
  }

  /** The page, 200 (or `status`) as HTML. */
  render(title: string, body: SafeHtml, options: Omit<PageOptions, 'title' | 'body'> = {}, status = 200): void {
    this.res
      .status(status)
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(renderPage(this, { ...options, title, body }));
  }

  /** After a form was accepted: see the result at `to` (303, so reloading does not send the form again). */
  redirect(to: string, notice?: MessageKey): void {
    const url = notice ? `${to}${to.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}` : to;
    this.res.redirect(303, url);
  }

  /** The notice a redirect asked to show (only known message keys: the address cannot inject text). */
  get notice(): string | null {
    const key = this.req.query.notice;
    return typeof key === 'string' && key.startsWith('notice.') && this.i18n.has(key) ? this.i18n.t(key) : null;
  }
}

@Injectable()
export class WebContexts {
  constructor(
    private readonly me: MeService,
    private readonly institutions: InstitutionsService,
    private readonly csrf: Csrf,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** For pages without login (the login page itself). */
  anonymous(req: Request, res: Response): WebContext {
    return new WebContext(req, res, new I18n(this.locale(req)), this.csrf.token(req, res), null, null, [], null, null);
  }

  /** For a logged-in page; with `slug`, inside that institution (404 for someone who is not a member). */
  async of(req: Request, res: Response, slug?: string): Promise<WebContext> {
    const principal = (req as AuthenticatedRequest).principal!;
    const me = await this.me.describe(principal);
    const memberships = me.memberships as Membership[];
    let institution: Institution | null = null;
    let member: Member | null = null;
    if (slug !== undefined) {
      const m = memberships.find((x) => x.institutionSlug === slug);
      if (!m) throw notFound('institution');
      institution = await this.institutions.get(principal, m.institutionId);
      member = { userId: principal.userId, institutionId: m.institutionId, role: m.role, partnerId: m.partnerId };
    }
    const i18n = new I18n(this.locale(req), institution?.timeZone ?? 'UTC');
    const user = {
      id: me.id,
      email: me.email,
      displayName: me.displayName,
      mustChangePassword: me.mustChangePassword,
      isSystemAdmin: me.isSystemAdmin,
    };
    return new WebContext(req, res, i18n, this.csrf.token(req, res), principal, user, memberships, institution, member);
  }

  private locale(req: Request): Locale {
    const cookie = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
    return negotiate(STAFF_LOCALES, cookie, req.headers['accept-language']);
  }

  get secureCookies(): boolean {
    return this.config.publicBaseUrl?.startsWith('https:') ?? false;
  }
}
