import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { Public, SESSION_COOKIE, type AuthenticatedRequest } from '#src/modules/auth/auth.decorators.js';
import { AuthService } from '#src/modules/auth/auth.service.js';
import { CreateInstitutionDto } from '#src/modules/institutions/dto/institution.dto.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';
import { toDto } from '#src/common/validation.js';
import { ChangePasswordDto } from '#src/modules/auth/dto/login.dto.js';
import { errorSummary, field, formErrors, NO_ERRORS, str, type FormErrors } from '#src/web/forms.js';
import { html } from '#src/web/html.js';
import { LANG_COOKIE, STAFF_LOCALES, type Locale } from '#src/web/i18n/i18n.js';
import { csrfField } from '#src/web/layout.js';
import { Csrf } from '#src/web/security.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

/** Only an address on this site (a path), so a login link cannot send people elsewhere afterwards. */
export function safeNext(next: unknown, fallback = '/app'): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : fallback;
}

/** Login, logout, password change, language choice, and the list of one's institutions. */
@ApiExcludeController()
@Controller()
export class SessionPagesController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly auth: AuthService,
    private readonly csrf: Csrf,
    private readonly institutions: InstitutionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  root(@Res() res: Response): void {
    res.redirect(303, '/app');
  }

  @Public()
  @Get('login')
  loginPage(@Req() req: Request, @Res() res: Response): void {
    const ctx = this.contexts.anonymous(req, res);
    this.renderLogin(ctx, safeNext(req.query.next), '', NO_ERRORS);
  }

  @Public()
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const ctx = this.contexts.anonymous(req, res);
    const email = str(body.email).trim();
    const next = safeNext(body.next);
    try {
      const result = await this.auth.login(email, str(body.password), { ip: req.ip, userAgent: req.headers['user-agent'] });
      res.cookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.contexts.secureCookies,
        path: '/',
        // A lifetime, not an instant: the browser judges Expires by its own clock, which need not be the app's.
        maxAge: this.config.sessionTtlMinutes * 60_000,
      });
      this.csrf.renew(req, res, result.token);
      ctx.redirect(result.user.mustChangePassword ? `/account/password?next=${encodeURIComponent(next)}` : next);
    } catch (err) {
      // 401 here is the answer to the form (wrong password), not a missing session.
      const errors = formErrors(err, ctx.i18n, [401]);
      this.renderLogin(ctx, next, email, errors, (err as { getStatus(): number }).getStatus());
    }
  }

  private renderLogin(ctx: WebContext, next: string, email: string, errors: FormErrors, status = 200): void {
    const body = html`<div class="narrow">${errorSummary(ctx.i18n, errors)}
<form method="post" action="/login" class="stack" novalidate>${csrfField(ctx)}
<input type="hidden" name="next" value="${next}">
${field(errors, { name: 'email', label: ctx.t('login.email'), type: 'email', value: email, required: true, attrs: html` autocomplete="username"` })}
${field(errors, { name: 'password', label: ctx.t('login.password'), type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
<button type="submit" class="primary">${ctx.t('login.submit')}</button>
</form>
<p class="muted">${ctx.t('login.firstStart')}</p></div>`;
    ctx.render(ctx.t('login.title'), body, {}, status);
  }

  @Post('logout')
  async logout(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.auth.logout(req.principal!);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    this.csrf.renew(req, res, undefined);
    res.redirect(303, '/login?notice=notice.loggedOut');
  }

  /** The language of the pages, remembered for a year in a cookie (no account needed, works before login). */
  @Public()
  @Post('lang')
  language(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): void {
    const lang = str(body.lang);
    if ((STAFF_LOCALES as readonly string[]).includes(lang)) {
      res.cookie(LANG_COOKIE, lang as Locale, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.contexts.secureCookies,
        path: '/',
        maxAge: 365 * 24 * 3600_000,
      });
    }
    res.redirect(303, safeNext(body.next, '/app'));
  }

  @Get('account/password')
  async passwordPage(@Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = await this.contexts.of(req, res);
    this.renderPassword(ctx, NO_ERRORS);
  }

  @Post('account/password')
  async changePassword(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const ctx = await this.contexts.of(req, res);
    const next = str(body.newPassword);
    if (next !== str(body.confirmPassword)) {
      return this.renderPassword(ctx, { summary: null, fields: { confirmPassword: [ctx.t('password.mismatch')] } }, 422);
    }
    try {
      const dto = await toDto(ChangePasswordDto, { currentPassword: str(body.currentPassword), newPassword: next });
      await this.auth.changePassword(req.principal!, dto.currentPassword, dto.newPassword);
      ctx.redirect(safeNext(req.query.next), 'notice.passwordChanged');
    } catch (err) {
      this.renderPassword(ctx, formErrors(err, ctx.i18n), 422);
    }
  }

  private renderPassword(ctx: WebContext, errors: FormErrors, status = 200): void {
    const body = html`<div class="narrow">
${ctx.user?.mustChangePassword ? html`<p class="banner warn">${ctx.t('password.mustChange')}</p>` : ''}
${errorSummary(ctx.i18n, errors)}
<form method="post" class="stack" novalidate>${csrfField(ctx)}
${field(errors, { name: 'currentPassword', label: ctx.t('password.current'), type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
${field(errors, { name: 'newPassword', label: ctx.t('password.new'), type: 'password', required: true, hint: ctx.t('password.rules'), attrs: html` autocomplete="new-password" minlength="12"` })}
${field(errors, { name: 'confirmPassword', label: ctx.t('password.confirm'), type: 'password', required: true, attrs: html` autocomplete="new-password"` })}
<button type="submit" class="primary">${ctx.t('password.submit')}</button>
</form></div>`;
    ctx.render(ctx.t('password.title'), body, {}, status);
  }

  /** One's institutions; with only one, straight to it. A system administrator also creates institutions here. */
  @Get('app')
  async institutionsPage(@Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = await this.contexts.of(req, res);
    if (ctx.user?.mustChangePassword) return ctx.redirect('/account/password');
    const notice = typeof req.query.notice === 'string' ? `?notice=${encodeURIComponent(req.query.notice)}` : '';
    if (ctx.memberships.length === 1 && req.query.all === undefined)
      return ctx.redirect(`/app/${ctx.memberships[0]!.institutionSlug}${notice}`);
    this.renderInstitutions(ctx, {}, NO_ERRORS);
  }

  @Post('app/institutions')
  async createInstitution(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const ctx = await this.contexts.of(req, res);
    const values = {
      name: str(body.name).trim(),
      slug: str(body.slug).trim(),
      timeZone: str(body.timeZone).trim(),
      languages: str(body.languages),
    };
    try {
      const dto = await toDto(CreateInstitutionDto, {
        name: values.name,
        slug: values.slug,
        timeZone: values.timeZone,
        languages: values.languages.split(/[\s,]+/).filter(Boolean),
        transparencyEnabled: str(body.transparencyEnabled) === 'on',
      });
      const created = await this.institutions.create(req.principal!, dto);
      ctx.redirect(`/app/${created.slug}`, 'notice.institutionCreated');
    } catch (err) {
      this.renderInstitutions(ctx, values, formErrors(err, ctx.i18n), 422);
    }
  }

  private renderInstitutions(ctx: WebContext, values: Record<string, string>, errors: FormErrors, status = 200): void {
    const list = ctx.memberships.length
      ? html`<ul class="cards">${ctx.memberships.map(
          (m) =>
            html`<li><a href="/app/${m.institutionSlug}">${m.institutionName}</a> <span class="muted">${ctx.t(`role.${m.role}`)}</span></li>`,
        )}</ul>`
      : html`<p>${ctx.t('institutions.none')}</p>`;
    const create = ctx.user?.isSystemAdmin
      ? html`<section aria-labelledby="new-inst-h" class="narrow"><h2 id="new-inst-h">${ctx.t('institutions.new')}</h2>
${errorSummary(ctx.i18n, errors)}
<form method="post" action="/app/institutions" novalidate>${csrfField(ctx)}
${field(errors, { name: 'name', label: ctx.t('institutions.name'), value: values.name, required: true })}
${field(errors, { name: 'slug', label: ctx.t('institutions.slug'), value: values.slug, required: true, hint: ctx.t('institutions.slugHint') })}
${field(errors, { name: 'timeZone', label: ctx.t('institutions.timeZone'), value: values.timeZone ?? 'Europe/Bucharest', required: true, hint: ctx.t('institutions.timeZoneHint') })}
${field(errors, { name: 'languages', label: ctx.t('institutions.languages'), value: values.languages ?? 'ro', required: true, hint: ctx.t('institutions.languagesHint') })}
<div class="field"><label><input type="checkbox" name="transparencyEnabled"> ${ctx.t('institutions.transparency')}</label></div>
<button type="submit" class="primary">${ctx.t('institutions.create')}</button>
</form></section>`
      : '';
    ctx.render(ctx.t('institutions.title'), html`${list}${create}`, {}, status);
  }
}
