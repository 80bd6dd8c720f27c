import type { Request } from 'express';
import type { Action } from '#src/modules/access/policy.js';
import type { Member } from '#src/modules/access/principal.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import { assetUrl } from '#src/web/assets.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { type I18n, LOCALE_NAMES, type Locale, STAFF_LOCALES } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';

export type NavKey = 'home' | 'calendar' | 'compose' | 'review' | 'campaigns' | 'channels' | 'blackouts' | 'members' | 'audit';

/**
 * What the layout reads of a request's context. WebContext (web-context.ts) has all of it; declared
 * here so that the layout does not import the context that renders with it (no import cycle).
 */
export interface PageContext {
  readonly req: Request;
  readonly i18n: I18n;
  readonly csrf: string;
  readonly locale: Locale;
  readonly user: { displayName: string; isSystemAdmin: boolean } | null;
  readonly memberships: ReadonlyArray<{ institutionId: string }>;
  readonly institution: Pick<Institution, 'id' | 'name' | 'timeZone' | 'suspendedAt' | 'suspensionReason'> | null;
  readonly member: Pick<Member, 'role'> | null;
  readonly notice: string | null;
  t(key: MessageKey, values?: Record<string, string | number | Date>): string;
  can(action: Action): boolean;
  path(rest?: string): string;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  nav?: NavKey;
  /** Shown above the title: the way back (e.g. to the campaign a post belongs to). */
  back?: { href: string; label: string };
}

const NAV: Array<{ key: NavKey; href: string; label: MessageKey; action: Action }> = [
  { key: 'home', href: '', label: 'nav.home', action: 'institution.read' },
  { key: 'calendar', href: '/calendar', label: 'nav.calendar', action: 'post.read' },
  { key: 'compose', href: '/posts/new', label: 'nav.compose', action: 'post.write' },
  { key: 'review', href: '/review', label: 'nav.review', action: 'post.read' },
  { key: 'campaigns', href: '/campaigns', label: 'nav.campaigns', action: 'campaign.read' },
  { key: 'channels', href: '/channels', label: 'nav.channels', action: 'channel.read' },
  { key: 'blackouts', href: '/blackouts', label: 'nav.blackouts', action: 'blackout.read' },
  { key: 'members', href: '/members', label: 'nav.members', action: 'member.read' },
  { key: 'audit', href: '/audit', label: 'nav.audit', action: 'audit.read' },
];

/** The hidden field every state-changing form carries. */
export const csrfField = (ctx: Pick<PageContext, 'csrf'>) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

function header(ctx: PageContext, active: NavKey | undefined): SafeHtml {
  const inst = ctx.institution;
  const nav = inst
    ? html`<nav aria-label="${ctx.t('nav.label')}"><ul class="nav">${NAV.filter((n) => ctx.can(n.action)).map(
        (n) => html`<li><a href="${ctx.path(n.href)}"${n.key === active ? html` aria-current="page"` : ''}>${ctx.t(n.label)}</a></li>`,
      )}</ul></nav>`
    : '';
  const others = ctx.memberships.filter((m) => m.institutionId !== inst?.id);
  const user = ctx.user
    ? html`<div class="account">
<span>${ctx.user.displayName}${ctx.member ? html` <span class="role">(${ctx.t(`role.${ctx.member.role}` as MessageKey)})</span>` : ''}</span>
${others.length || ctx.user.isSystemAdmin ? html`<a href="/app?all">${ctx.t('nav.switchInstitution')}</a>` : ''}
<a href="/account/password">${ctx.t('nav.password')}</a>
<form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit" class="link">${ctx.t('nav.logout')}</button></form>
</div>`
    : '';
  return html`<header class="top">
<div class="bar"><p class="brand"><a href="${ctx.user ? '/app' : '/login'}">CivicPost</a>${inst ? html` <span class="inst">${inst.name}</span>` : ''}</p>
${languageForm(ctx)}${user}</div>
${nav}
</header>`;
}

function languageForm(ctx: PageContext): SafeHtml {
  return html`<form method="post" action="/lang" class="inline lang">${csrfField(ctx)}
<input type="hidden" name="next" value="${ctx.req.originalUrl}">
<label for="lang-select">${ctx.t('nav.language')}</label>
<select id="lang-select" name="lang">${STAFF_LOCALES.map((l) => html`<option value="${l}" lang="${l}"${l === ctx.locale ? html` selected` : ''}>${LOCALE_NAMES[l]}</option>`)}</select>
<button type="submit">${ctx.t('nav.changeLanguage')}</button></form>`;
}

function banners(ctx: PageContext): SafeHtml {
  const inst = ctx.institution;
  if (!inst?.suspendedAt) return html``;
  return html`<div class="banner danger" role="alert"><strong>${ctx.t('banner.suspended')}</strong> ${ctx.t('banner.suspendedSince', { since: ctx.i18n.dateTime(inst.suspendedAt) })}
${inst.suspensionReason ? html`<br>${ctx.t('banner.reason')} ${inst.suspensionReason}` : ''}</div>`;
}

export function renderPage(ctx: PageContext, o: PageOptions): string {
  const inst = ctx.institution;
  const notice = ctx.notice;
  const title = [o.title, inst?.name, 'CivicPost'].filter(Boolean).join(' · ');
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'>
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('app.css')}">
<link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml">
<script src="${assetUrl('htmx.min.js')}" defer></script>
<script src="${assetUrl('app.js')}" defer></script>
</head>
<body>
<a class="skip" href="#main">${ctx.t('nav.skip')}</a>
${header(ctx, o.nav)}
${banners(ctx)}
<main id="main" tabindex="-1">
${o.back ? html`<p class="back"><a href="${o.back.href}">← ${o.back.label}</a></p>` : ''}
<h1>${o.title}</h1>
${notice ? html`<div class="notice" role="status">${notice}</div>` : ''}
${o.body}
</main>
<footer class="foot"><p>CivicPost${inst ? html` · ${ctx.t('footer.timeZone', { zone: inst.timeZone })}` : ''}</p></footer>
</body>
</html>`.value;
}
