import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import type { ChannelView } from '#src/modules/channels/channels.service.js';
import { errorSummary, field, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { csrfField } from '#src/web/layout.js';
import { platformName } from '#src/web/pages/channels-view.js';
import type { WebContext } from '#src/web/web-context.js';

export interface BlackoutFormValues {
  reason: string;
  startsAt: string;
  endsAt: string;
  scope: 'all' | 'some';
  channelIds: string[];
}

export const EMPTY_BLACKOUT: BlackoutFormValues = { reason: '', startsAt: '', endsAt: '', scope: 'all', channelIds: [] };

export interface BlackoutsPageState {
  blackouts: Blackout[];
  held: Map<string, number>;
  channels: ChannelView[];
  now: Date;
  form: BlackoutFormValues;
  formErrors: FormErrors;
  suspendReason: string;
  suspendErrors: FormErrors;
  /** After a redirect: how many posts a new window held, or a resume released. */
  created?: number;
  released?: number;
}

/** "Europe/Bucharest (Eastern European Standard Time)": the zone of every time on the page. */
export function zoneLabel(ctx: WebContext, at: Date): string {
  return `${ctx.requiredInstitution.timeZone} (${ctx.i18n.zoneName(at)})`;
}

function state(ctx: WebContext, b: Blackout, now: Date): SafeHtml {
  if (b.startsAt <= now && now < b.endsAt) return html`<span class="badge s-held">${ctx.t('blackouts.state.active')}</span>`;
  if (now < b.startsAt) return html`<span class="badge">${ctx.t('blackouts.state.upcoming')}</span>`;
  return html`<span class="badge muted">${ctx.t('blackouts.state.ended')}</span>`;
}

function windowsTable(ctx: WebContext, s: BlackoutsPageState): SafeHtml {
  if (!s.blackouts.length) return html`<p>${ctx.t('blackouts.list.none')}</p>`;
  const names = new Map(s.channels.map((c) => [c.id, c.displayName]));
  const manage = ctx.can('blackout.manage');
  const rows = s.blackouts.map((b) => {
    const held = s.held.get(b.id) ?? 0;
    const channels = b.channelIds.length
      ? html`<ul class="blackout-channels">${b.channelIds.map((id) => html`<li>${names.get(id) ?? ctx.t('blackouts.list.removedChannel')}</li>`)}</ul>`
      : html`${ctx.t('blackouts.list.allChannels')}`;
    return html`<tr id="blackout-${b.id}">
<th scope="row" class="blackout-reason">${b.reason}</th>
<td><time datetime="${b.startsAt.toISOString()}">${ctx.i18n.dateTime(b.startsAt)}</time></td>
<td><time datetime="${b.endsAt.toISOString()}">${ctx.i18n.dateTime(b.endsAt)}</time></td>
<td>${channels}</td>
<td class="n">${ctx.i18n.number(held)}</td>
<td>${state(ctx, b, s.now)}</td>
${
  manage
    ? html`<td><form method="post" action="${ctx.path(`/blackouts/${b.id}/delete`)}" data-confirm="${ctx.t('blackouts.delete.confirm', { reason: b.reason, held })}">${csrfField(ctx)}<button type="submit">${ctx.t('blackouts.delete.submit')}<span class="sr-only"> ${b.reason}</span></button></form></td>`
    : ''
}
</tr>`;
  });
  return html`<div class="table-wrap"><table class="blackouts">
<caption>${ctx.t('blackouts.list.caption', { zone: zoneLabel(ctx, s.now) })}</caption>
<thead><tr><th scope="col">${ctx.t('blackouts.col.reason')}</th><th scope="col">${ctx.t('blackouts.col.starts')}</th><th scope="col">${ctx.t('blackouts.col.ends')}</th><th scope="col">${ctx.t('blackouts.col.channels')}</th><th scope="col" class="n">${ctx.t('blackouts.col.held')}</th><th scope="col">${ctx.t('blackouts.col.state')}</th>${manage ? html`<th scope="col">${ctx.t('blackouts.col.actions')}</th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="hint">${ctx.t('blackouts.list.heldHint')}</p>`;
}

function channelChoice(ctx: WebContext, s: BlackoutsPageState): SafeHtml {
  const problems = s.formErrors.fields.channelIds ?? [];
  const v = s.form;
  const describedBy = ['channels-hint', problems.length ? 'channels-error' : ''].filter(Boolean).join(' ');
  return html`<fieldset class="blackout-scope${problems.length ? ' has-error' : ''}" id="f-channelIds" aria-describedby="${describedBy}">
<legend>${ctx.t('blackouts.field.channels')}</legend>
<p class="hint" id="channels-hint">${ctx.t('blackouts.hint.channels')}</p>
${problems.length ? html`<p class="field-error" id="channels-error">${problems.join('; ')}</p>` : ''}
<div class="bo-choice"><input type="radio" id="scope-all" name="scope" value="all"${v.scope === 'all' ? html` checked` : ''}><label for="scope-all">${ctx.t('blackouts.field.scopeAll')}</label></div>
<div class="bo-choice"><input type="radio" id="scope-some" name="scope" value="some"${v.scope === 'some' ? html` checked` : ''}><label for="scope-some">${ctx.t('blackouts.field.scopeSome')}</label></div>
<ul class="blackout-channel-list">${s.channels.map(
    (c) =>
      html`<li class="bo-choice"><input type="checkbox" id="bc-${c.id}" name="channelIds" value="${c.id}"${v.channelIds.includes(c.id) ? html` checked` : ''}><label for="bc-${c.id}">${c.displayName} <span class="muted">(${platformName(ctx, c.platform)})</span></label></li>`,
  )}</ul>
</fieldset>`;
}

function createForm(ctx: WebContext, s: BlackoutsPageState): SafeHtml {
  const zone = ctx.t('blackouts.hint.zone', { zone: zoneLabel(ctx, s.now) });
  const v = s.form;
  return html`<section aria-labelledby="blackout-new-h" class="blackout-new">
<h2 id="blackout-new-h">${ctx.t('blackouts.add.title')}</h2>
<p>${ctx.t('blackouts.add.explain')}</p>
${errorSummary(ctx.i18n, s.formErrors, { channelIds: 'f-channelIds' })}
<form method="post" action="${ctx.path('/blackouts')}" class="stack" novalidate>${csrfField(ctx)}
${field(s.formErrors, { name: 'reason', label: ctx.t('blackouts.field.reason'), hint: ctx.t('blackouts.hint.reason'), value: v.reason, required: true, attrs: html` maxlength="500"` })}
<div class="blackout-times">
${field(s.formErrors, { name: 'startsAt', label: ctx.t('blackouts.field.startsAt'), hint: zone, type: 'datetime-local', value: v.startsAt, required: true })}
${field(s.formErrors, { name: 'endsAt', label: ctx.t('blackouts.field.endsAt'), hint: zone, type: 'datetime-local', value: v.endsAt, required: true })}
</div>
${channelChoice(ctx, s)}
<button type="submit" class="primary">${ctx.t('blackouts.add.submit')}</button>
</form></section>`;
}

/** The kill switch: suspend every publication of the institution at once, or resume. */
function killSwitch(ctx: WebContext, s: BlackoutsPageState): SafeHtml {
  const inst = ctx.requiredInstitution;
  if (inst.suspendedAt) {
    return html`<section aria-labelledby="kill-h" class="kill-switch suspended">
<h2 id="kill-h">${ctx.t('blackouts.kill.title')}</h2>
${errorSummary(ctx.i18n, s.suspendErrors)}
<p><strong>${ctx.t('blackouts.kill.isSuspended', { since: ctx.i18n.dateTime(inst.suspendedAt) })}</strong>${inst.suspensionReason ? html` ${ctx.t('banner.reason')} ${inst.suspensionReason}` : ''}</p>
<p>${ctx.t('blackouts.kill.resumeExplain')}</p>
<form method="post" action="${ctx.path('/blackouts/resume')}" data-confirm="${ctx.t('blackouts.kill.resumeConfirm')}">${csrfField(ctx)}
<button type="submit" class="primary">${ctx.t('blackouts.kill.resume')}</button></form>
</section>`;
  }
  return html`<section aria-labelledby="kill-h" class="kill-switch">
<h2 id="kill-h">${ctx.t('blackouts.kill.title')}</h2>
<p>${ctx.t('blackouts.kill.explain')}</p>
${errorSummary(ctx.i18n, s.suspendErrors, { reason: 'f-suspend-reason' })}
<form method="post" action="${ctx.path('/blackouts/suspend')}" class="stack" novalidate data-confirm="${ctx.t('blackouts.kill.confirm')}">${csrfField(ctx)}
${field(s.suspendErrors, { name: 'reason', id: 'f-suspend-reason', label: ctx.t('blackouts.kill.reason'), hint: ctx.t('blackouts.kill.reasonHint'), value: s.suspendReason, required: true, rows: 2, attrs: html` maxlength="2000"` })}
<button type="submit" class="danger">${ctx.t('blackouts.kill.suspend')}</button>
</form></section>`;
}

export function blackoutsPage(ctx: WebContext, s: BlackoutsPageState): SafeHtml {
  return html`
${s.created !== undefined ? html`<div class="notice" role="status">${ctx.t('blackouts.created', { count: s.created })}</div>` : ''}
${s.released !== undefined ? html`<div class="notice" role="status">${ctx.t('blackouts.kill.released', { count: s.released })}</div>` : ''}
${ctx.can('institution.suspend') ? killSwitch(ctx, s) : ''}
<section aria-labelledby="blackouts-list-h">
<h2 id="blackouts-list-h">${ctx.t('blackouts.list.title')}</h2>
<p>${ctx.t('blackouts.list.explain')}</p>
${windowsTable(ctx, s)}
</section>
${ctx.can('blackout.manage') ? createForm(ctx, s) : ''}`;
}
