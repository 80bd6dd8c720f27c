import type { AuditEvent } from '#src/modules/audit/audit-event.entity.js';
import type { VerifyResult } from '#src/modules/audit/audit.service.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { en as auditMessages } from '#src/web/i18n/audit.messages.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import type { WebContext } from '#src/web/web-context.js';

export const PAGE_SIZE = 50;

/** The actions the trail knows words for, by code (the filter offers these). */
export const KNOWN_ACTIONS = Object.keys(auditMessages)
  .filter((k) => k.startsWith('audit.action.'))
  .map((k) => k.slice('audit.action.'.length))
  .sort();

export type People = Map<string, { displayName: string; email: string }>;

export interface AuditPageData {
  events: AuditEvent[];
  total: number;
  page: number;
  pages: number;
  action: string;
  people: People;
  verify?: VerifyResult;
}

/** The action in words where CivicPost knows it; the code is always shown too. */
function actionWords(ctx: WebContext, action: string): string | null {
  const key = `audit.action.${action}`;
  return ctx.i18n.has(key) ? ctx.t(key) : null;
}

/** An address of this page with these query parameters (empty ones left out). */
function pageUrl(ctx: WebContext, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) q.set(k, String(v));
  const s = q.toString();
  return ctx.path(`/audit${s ? `?${s}` : ''}`);
}

export function auditPage(ctx: WebContext, d: AuditPageData): SafeHtml {
  return html`<p>${ctx.t('audit.intro')}</p>
${verifySection(ctx, d)}
<section aria-labelledby="events-h"><h2 id="events-h">${ctx.t('audit.events.heading')}</h2>
${filterForm(ctx, d)}
${d.events.length ? html`${eventsTable(ctx, d)}${pagination(ctx, d)}` : html`<p>${ctx.t(d.action ? 'audit.noneFiltered' : 'audit.none')}</p>${d.action ? html`<p><a href="${pageUrl(ctx, {})}">${ctx.t('audit.filter.clear')}</a></p>` : ''}`}
</section>`;
}

function verifySection(ctx: WebContext, d: AuditPageData): SafeHtml {
  return html`<section aria-labelledby="verify-h" class="verify"><h2 id="verify-h">${ctx.t('audit.verify.heading')}</h2>
<p>${ctx.t('audit.verify.explain')}</p>
<form method="get" action="${ctx.path('/audit')}" class="actions">
<input type="hidden" name="verify" value="1">
${d.action ? html`<input type="hidden" name="action" value="${d.action}">` : ''}
${d.page > 1 ? html`<input type="hidden" name="page" value="${d.page}">` : ''}
<button type="submit" class="primary">${ctx.t('audit.verify.submit')}</button>
</form>
${d.verify ? verifyResult(ctx, d) : ''}
</section>`;
}

function verifyResult(ctx: WebContext, d: AuditPageData): SafeHtml {
  const r = d.verify!;
  const inst = ctx.requiredInstitution;
  if (r.ok) {
    return html`<div class="verify-result intact" role="status"><h3>${ctx.t('audit.verify.resultHeading')}</h3>
<p><strong>${ctx.t('audit.verify.intact', { count: r.events })}</strong></p></div>`;
  }
  const ours = r.firstBad.institutionId === inst.id;
  const reason = /altered/.test(r.firstBad.reason) ? ctx.t('audit.verify.altered') : ctx.t('audit.verify.relinked');
  const onThisPage = ours && d.events.some((e) => e.seq === r.firstBad.seq);
  const words = actionWords(ctx, r.firstBad.action);
  const action = words ? `${words} (${r.firstBad.action})` : r.firstBad.action;
  return html`<div class="verify-result broken" role="alert"><h3>${ctx.t('audit.verify.resultHeading')}</h3>
${
  ours
    ? html`<p><strong>${ctx.t('audit.verify.broken', { seq: r.firstBad.seq, action })}</strong>${onThisPage ? html` <a href="#event-${r.firstBad.seq}">${ctx.t('audit.verify.brokenHere')}</a>` : ''}</p>
<p>${reason}</p>
<p>${ctx.t('audit.verify.checkedBefore', { count: r.events })}</p>`
    : html`<p><strong>${ctx.t('audit.verify.brokenElsewhere')}</strong></p>`
}
<p>${ctx.t('audit.verify.whatNow')}</p></div>`;
}

function filterForm(ctx: WebContext, d: AuditPageData): SafeHtml {
  const known = KNOWN_ACTIONS.includes(d.action) || d.action === '' ? KNOWN_ACTIONS : [d.action, ...KNOWN_ACTIONS];
  return html`<form method="get" action="${ctx.path('/audit')}" class="audit-filter" aria-label="${ctx.t('audit.filter.heading')}">
<div class="field"><label for="audit-action">${ctx.t('audit.filter.action')}</label>
<select id="audit-action" name="action"><option value="">${ctx.t('audit.filter.all')}</option>${known.map((a) => {
    const words = actionWords(ctx, a);
    return html`<option value="${a}"${a === d.action ? html` selected` : ''}>${words ? `${words} (${a})` : a}</option>`;
  })}</select></div>
<button type="submit">${ctx.t('audit.filter.submit')}</button>
${d.action ? html`<a href="${pageUrl(ctx, {})}">${ctx.t('audit.filter.clear')}</a>` : ''}
</form>`;
}

function eventsTable(ctx: WebContext, d: AuditPageData): SafeHtml {
  const inst = ctx.requiredInstitution;
  const first = (d.page - 1) * PAGE_SIZE + 1;
  const zone = `${ctx.i18n.zoneName()} (${inst.timeZone})`;
  const bad = d.verify && !d.verify.ok && d.verify.firstBad.institutionId === inst.id ? d.verify.firstBad.seq : null;
  return html`<div class="table-wrap"><table class="audit-table">
<caption>${ctx.t('audit.table.caption', { first: ctx.i18n.number(first), last: ctx.i18n.number(first + d.events.length - 1), total: ctx.i18n.number(d.total), zone })}</caption>
<thead><tr><th scope="col" class="n">${ctx.t('audit.col.seq')}</th><th scope="col">${ctx.t('audit.col.time')}</th><th scope="col">${ctx.t('audit.col.actor')}</th><th scope="col">${ctx.t('audit.col.action')}</th><th scope="col">${ctx.t('audit.col.target')}</th><th scope="col">${ctx.t('audit.col.data')}</th></tr></thead>
<tbody>${d.events.map((e) => {
    const words = actionWords(ctx, e.action);
    return html`<tr id="event-${e.seq}"${e.seq === bad ? html` class="broken"` : ''}>
<th scope="row" class="n">${e.seq}${e.seq === bad ? html` <strong class="badge s-failed">${ctx.t('audit.verify.brokenHere')}</strong>` : ''}</th>
<td><time datetime="${e.createdAt.toISOString()}">${ctx.i18n.format(e.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}</time></td>
<td>${actor(ctx, e.actorId, d.people)}</td>
<td>${words ? html`${words}<br>` : ''}<code>${e.action}</code></td>
<td>${target(ctx, e)}</td>
<td>${summary(ctx, e.data, d.people)}</td>
</tr>`;
  })}</tbody>
</table></div>`;
}

function actor(ctx: WebContext, actorId: string | null, people: People): SafeHtml {
  if (!actorId) return html`<span class="muted">${ctx.t('audit.actor.system')}</span>`;
  const who = people.get(actorId);
  if (!who) return html`${ctx.t('audit.actor.unknown')} <code class="id">${actorId}</code>`;
  return html`${who.displayName}<br><span class="muted email">${who.email}</span>`;
}

function target(ctx: WebContext, e: AuditEvent): SafeHtml {
  if (!e.targetType && !e.targetId) return html``;
  const key = `audit.target.${e.targetType}`;
  const type = e.targetType ? (ctx.i18n.has(key) ? ctx.t(key as MessageKey) : e.targetType) : '';
  return html`${type}${e.targetId ? html`<br><code class="id">${e.targetId}</code>` : ''}`;
}

const MAX_ENTRIES = 5;
const MAX_TEXT = 80;

const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** A short summary of the event's data: a few keys, long values cut, the people named by id shown by name. */
function summary(ctx: WebContext, data: Record<string, unknown> | null, people: People): SafeHtml {
  const entries = Object.entries(data ?? {});
  if (!entries.length) return html``;
  const shown = entries.slice(0, MAX_ENTRIES).map(([k, v]) => {
    const person = k === 'userId' && typeof v === 'string' ? people.get(v) : undefined;
    const value = person
      ? `${person.displayName} <${person.email}>`
      : typeof v === 'string'
        ? v
        : Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)
          ? v.join(', ')
          : JSON.stringify(v);
    return html`<li><span class="k">${k}:</span> ${cut(value)}</li>`;
  });
  const more = entries.length - MAX_ENTRIES;
  return html`<ul class="audit-data">${shown}${more > 0 ? html`<li class="muted">${ctx.t('audit.more', { count: more })}</li>` : ''}</ul>`;
}

function pagination(ctx: WebContext, d: AuditPageData): SafeHtml {
  if (d.pages <= 1) return html``;
  return html`<nav aria-label="${ctx.t('audit.pages.label')}" class="pages actions">
${d.page > 1 ? html`<a href="${pageUrl(ctx, { action: d.action, page: d.page - 1 })}" rel="prev">← ${ctx.t('audit.pages.newer')}</a>` : ''}
<span>${ctx.t('audit.pages.position', { page: ctx.i18n.number(d.page), pages: ctx.i18n.number(d.pages) })}</span>
${d.page < d.pages ? html`<a href="${pageUrl(ctx, { action: d.action, page: d.page + 1 })}" rel="next">${ctx.t('audit.pages.older')} →</a>` : ''}
</nav>`;
}
