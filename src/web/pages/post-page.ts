import { webLink } from '#src/common/web-link.js';
import { DateTime } from 'luxon';
import type { CampaignView } from '#src/modules/campaigns/campaigns.repository.js';
import type { Comment } from '#src/modules/posts/post.entity.js';
import { revisionContent, type PostRevision, type RevisionContent } from '#src/modules/posts/post-revision.entity.js';
import type { PostView } from '#src/modules/posts/post-views.service.js';
import { allows, hasGoneOut } from '#src/modules/publishing/target-transitions.js';
import { errorSummary, field, NO_ERRORS, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { I18n } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { PLATFORM_NAMES } from '#src/web/pages/channels-platforms.js';
import { csrfField } from '#src/web/layout.js';
import { statusBadge } from '#src/web/pages/post-bits.js';
import { contentChanges, renderChanges } from '#src/web/pages/post-diff.js';
import type { WebContext } from '#src/web/web-context.js';

export type PostForm = 'submit' | 'approve' | 'reject' | 'schedule' | 'cancel' | 'override' | 'resolve' | 'retry' | 'withdraw' | 'comment';

/** A refused form of the page: which one, what was wrong, and what the person had typed. */
export interface FormState {
  form: PostForm;
  targetId?: string;
  errors: FormErrors;
  values: Record<string, string>;
  /** Problems that belong to no field (a post that cannot be submitted yet), said one by one. */
  problems?: string[];
}

export interface PostPageData {
  post: PostView;
  campaign: CampaignView;
  /** Titles of campaigns an earlier version was in (for the diff). */
  campaigns: Map<string, string>;
  revisions: PostRevision[];
  comments: Comment[];
  people: Map<string, string>;
  channels: Map<string, { displayName: string; platform: string }>;
}

/** The language's name in the page's language, with its tag (Hungarian (hu)). */
export function languageName(ctx: WebContext, tag: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(tag);
  } catch {
    name = undefined;
  }
  return name && name !== tag ? `${name} (${tag})` : tag;
}

/** The same name starting with a capital letter, for a heading or a label (romanian → Română). */
export function capitalized(ctx: WebContext, text: string): string {
  return text.charAt(0).toLocaleUpperCase(ctx.locale) + text.slice(1);
}

/** A time in the zone it was written in, with the zone said. */
export function zonedTime(ctx: WebContext, at: Date, zone: string): string {
  return `${ctx.i18n.format(at, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone })} (${zone})`;
}

const timeEl = (ctx: WebContext, at: Date, zone?: string | null) =>
  html`<time datetime="${at.toISOString()}">${zone ? zonedTime(ctx, at, zone) : ctx.i18n.dateTime(at)}</time>`;

/** The value of a datetime-local field for an instant, as the wall-clock time in `zone`. */
export function wallClock(at: Date | null, zone: string): string {
  return at ? DateTime.fromJSDate(at).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

function timeZones(first: string[]): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...first, 'UTC', ...all])];
}

function errorsFor(state: FormState | undefined, form: PostForm, targetId?: string): FormErrors {
  return state && state.form === form && state.targetId === targetId ? state.errors : NO_ERRORS;
}

function valueOf(state: FormState | undefined, form: PostForm, name: string, targetId?: string): string | undefined {
  return state && state.form === form && state.targetId === targetId ? state.values[name] : undefined;
}

export function renderPostPage(ctx: WebContext, d: PostPageData, state?: FormState): { title: string; body: SafeHtml } {
  const { post } = d;
  const me = ctx.requiredPrincipal.userId;
  const person = (id: string | null) => (id ? (d.people.get(id) ?? ctx.t('post.someone')) : '');
  const channelName = (id: string) => d.channels.get(id)?.displayName ?? '?';
  const title = ctx.t('post.title', { campaign: d.campaign.title });
  const inst = ctx.requiredInstitution;

  const facts = html`<dl class="post-facts">
<dt>${ctx.t('post.status')}</dt><dd>${statusBadge(ctx, post.status, 'post')}${post.revision > 1 ? html` <span class="muted">${ctx.t('post.revisionNo', { n: post.revision })}</span>` : ''}</dd>
<dt>${ctx.t('post.campaign')}</dt><dd><a href="${ctx.path(`/campaigns/${d.campaign.id}`)}">${d.campaign.title}</a></dd>
<dt>${ctx.t('post.schedule')}</dt><dd>${post.scheduledAt ? timeEl(ctx, post.scheduledAt, post.timeZone ?? inst.timeZone) : ctx.t('post.notScheduled')}</dd>
<dt>${ctx.t('post.recurrence')}</dt><dd>${post.recurrence ? html`<code>${post.recurrence}</code>` : ctx.t('post.noRecurrence')}</dd>
<dt>${ctx.t('post.authors')}</dt><dd>${post.authorIds.map(person).join(', ')}</dd>
${post.approvedBy && post.approvedAt ? html`<dt>${ctx.t('post.approvedBy')}</dt><dd>${ctx.t('post.approvedByOn', { name: person(post.approvedBy), date: ctx.i18n.dateTime(post.approvedAt) })}</dd>` : ''}
${post.blackoutOverrideReason ? html`<dt>${ctx.t('post.override')}</dt><dd>${ctx.t('post.overrideBy', { name: person(post.blackoutOverrideBy) })} ${post.blackoutOverrideReason}</dd>` : ''}
</dl>
${post.status === 'rejected' && post.rejectionReason ? html`<div class="banner warn" role="note"><strong>${ctx.t('post.rejectedBecause')}</strong> <span class="reason">${post.rejectionReason}</span></div>` : ''}`;

  const body = html`
${state ? errorSummary(ctx.i18n, state.errors, fieldIdsOf(state)) : ''}
${state?.problems?.length ? html`<ul class="problems" aria-label="${ctx.t('post.problemsLabel')}">${state.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
${facts}
${post.status === 'in_review' ? diffSection(ctx, d) : ''}
${actions(ctx, d, state)}
${contentSection(ctx, post, channelName)}
${mediaSection(ctx, post)}
${targetsSection(ctx, d, state, channelName)}
${historySection(ctx, d, person)}
${commentsSection(ctx, d, state, person, me)}`;
  return { title, body };
}

/** The ids of the fields of the refused form, so each item of the error summary leads to its field. */
function fieldIdsOf(state: FormState): Record<string, string> {
  const prefix = state.targetId ? `f-${state.form}-${state.targetId}` : `f-${state.form}`;
  return Object.fromEntries(Object.keys(state.errors.fields).map((f) => [f, `${prefix}-${f}`]));
}

function actions(ctx: WebContext, d: PostPageData, state: FormState | undefined): SafeHtml {
  const { post } = d;
  const base = ctx.path(`/posts/${post.id}`);
  const mine = post.authorIds.includes(ctx.requiredPrincipal.userId);
  const contributorLocked = ctx.member?.role === 'contributor' && post.status !== 'draft' && post.status !== 'rejected';
  const parts: SafeHtml[] = [];
  const buttons: SafeHtml[] = [];

  // What has gone out is a record: it is neither edited nor cancelled (the service refuses both too).
  const goneOut = post.targets.some(hasGoneOut);
  const cancellable = post.targets.length === 0 || post.targets.some((t) => allows('cancelled', t.status) && !hasGoneOut(t));
  if (ctx.can('post.write') && post.status !== 'cancelled' && !contributorLocked && !goneOut) {
    buttons.push(html`<a class="button" href="${base}/edit">${ctx.t('post.edit')}</a>`);
  }
  if (ctx.can('post.submit') && (post.status === 'draft' || post.status === 'rejected')) {
    buttons.push(
      html`<form method="post" action="${base}/submit" class="inline">${csrfField(ctx)}<button type="submit" class="primary">${post.status === 'rejected' || d.revisions.length ? ctx.t('post.resubmit') : ctx.t('post.submit')}</button></form>`,
    );
  }
  if (ctx.can('post.approve') && post.status === 'in_review' && !mine) {
    buttons.push(
      html`<form method="post" action="${base}/approve" class="inline">${csrfField(ctx)}<button type="submit" class="primary">${ctx.t('post.approve')}</button></form>`,
    );
  }
  if (ctx.can('post.cancel') && post.status !== 'cancelled' && cancellable) {
    buttons.push(
      html`<form method="post" action="${base}/cancel" class="inline" data-confirm="${ctx.t('post.cancelConfirm')}">${csrfField(ctx)}<button type="submit" class="danger">${ctx.t('post.cancel')}</button></form>`,
    );
  }
  if (buttons.length) parts.push(html`<div class="actions">${buttons}</div>`);
  if (ctx.can('post.approve') && post.status === 'in_review' && mine) {
    parts.push(html`<p class="banner warn" id="self-approval">${ctx.t('post.selfApprovalHidden')}</p>`);
  }

  if (ctx.can('post.reject') && post.status === 'in_review') {
    const errors = errorsFor(state, 'reject');
    parts.push(html`<form method="post" action="${base}/reject" class="stack post-form" novalidate>${csrfField(ctx)}
<h3>${ctx.t('post.rejectTitle')}</h3>
${field(errors, { name: 'reason', id: 'f-reject-reason', label: ctx.t('post.rejectReason'), hint: ctx.t('post.rejectHint'), rows: 3, required: true, value: valueOf(state, 'reject', 'reason') })}
<button type="submit">${ctx.t('post.reject')}</button></form>`);
  }

  if (ctx.can('post.schedule') && post.status === 'approved') {
    const errors = errorsFor(state, 'schedule');
    const zone = valueOf(state, 'schedule', 'timeZone') ?? post.timeZone ?? ctx.requiredInstitution.timeZone;
    parts.push(html`<form method="post" action="${base}/schedule" class="stack post-form" novalidate>${csrfField(ctx)}
<h3>${post.scheduledAt ? ctx.t('post.rescheduleTitle') : ctx.t('post.scheduleTitle')}</h3>
<div class="grid-2">
${field(errors, { name: 'scheduledAt', id: 'f-schedule-scheduledAt', label: ctx.t('post.scheduledAt'), type: 'datetime-local', required: true, hint: ctx.t('post.scheduledAtHint'), value: valueOf(state, 'schedule', 'scheduledAt') ?? wallClock(post.scheduledAt, zone) })}
${field(errors, { name: 'timeZone', id: 'f-schedule-timeZone', label: ctx.t('post.timeZone'), hint: ctx.t('post.timeZoneHint', { zone: ctx.requiredInstitution.timeZone }), value: zone, options: timeZones([zone, ctx.requiredInstitution.timeZone]).map((z) => ({ value: z, label: z })) })}
</div>
<button type="submit" class="primary">${post.scheduledAt ? ctx.t('post.reschedule') : ctx.t('post.scheduleSubmit')}</button></form>`);
  }

  if (ctx.can('post.override_blackout') && post.status !== 'cancelled' && !post.blackoutOverrideReason) {
    const errors = errorsFor(state, 'override');
    parts.push(html`<form method="post" action="${base}/blackout-override" class="stack post-form" novalidate>${csrfField(ctx)}
<h3>${ctx.t('post.overrideTitle')}</h3>
${field(errors, { name: 'reason', id: 'f-override-reason', label: ctx.t('post.overrideReason'), hint: ctx.t('post.overrideHint'), rows: 2, required: true, value: valueOf(state, 'override', 'reason') })}
<button type="submit">${ctx.t('post.overrideSubmit')}</button></form>`);
  }

  if (!parts.length)
    return html`<section aria-labelledby="actions-h"><h2 id="actions-h">${ctx.t('post.actions')}</h2><p>${ctx.t('post.noActions')}</p></section>`;
  return html`<section aria-labelledby="actions-h"><h2 id="actions-h">${ctx.t('post.actions')}</h2>${parts}</section>`;
}

function diffSection(ctx: WebContext, d: PostPageData): SafeHtml {
  const reviewed = [...d.revisions].reverse().find((r) => r.event === 'approved' || r.event === 'rejected');
  if (!reviewed) return html``;
  const channelIds = d.post.targets.filter((t) => !t.occurrenceAt).map((t) => t.channelId);
  const now = revisionContent(d.post, channelIds);
  const zone = ctx.requiredInstitution.timeZone;
  const changes = contentChanges(ctx, reviewed.content, now, {
    channels: new Map([...d.channels].map(([id, c]) => [id, c.displayName])),
    campaigns: d.campaigns,
    language: (tag) => languageName(ctx, tag),
    schedule: (c: RevisionContent) =>
      c.scheduledAt ? zonedTime(ctx, new Date(c.scheduledAt), c.timeZone ?? zone) : ctx.t('post.notScheduled'),
  });
  const who = d.people.get(reviewed.recordedBy) ?? ctx.t('post.someone');
  return html`<section aria-labelledby="diff-h" class="diff-section"><h2 id="diff-h">${ctx.t('post.diff.title')}</h2>
<p>${ctx.t(reviewed.event === 'approved' ? 'post.diff.sinceApproved' : 'post.diff.sinceRejected', { name: who, date: ctx.i18n.dateTime(reviewed.recordedAt) })}</p>
${reviewed.reason ? html`<p>${ctx.t('post.diff.reasonWas')} <span class="reason">${reviewed.reason}</span></p>` : ''}
${renderChanges(ctx, changes)}</section>`;
}

function contentSection(ctx: WebContext, post: PostView, channelName: (id: string) => string): SafeHtml {
  if (!post.variants.length)
    return html`<section aria-labelledby="content-h"><h2 id="content-h">${ctx.t('post.content')}</h2><p>${ctx.t('post.untitled')}</p></section>`;
  return html`<section aria-labelledby="content-h"><h2 id="content-h">${ctx.t('post.content')}</h2>
<div class="grid-2 variants">${post.variants.map((v) => {
    const id = `variant-${v.language}`;
    return html`<section class="variant" aria-labelledby="${id}"><h3 id="${id}">${capitalized(ctx, languageName(ctx, v.language))}</h3>
<div class="post-text" lang="${v.language}">${v.text}</div>
${v.thread?.length ? html`<h4>${ctx.t('post.thread')}</h4><ol class="thread" start="2">${v.thread.map((t) => html`<li><span class="sr-only">${ctx.t('post.threadPart')} </span><div class="post-text" lang="${v.language}">${t}</div></li>`)}</ol>` : ''}
</section>`;
  })}</div>
${post.channelOverrides.length ? html`<h3>${ctx.t('post.overrides')}</h3><ul>${post.channelOverrides.map((o) => html`<li>${ctx.t('post.overrideFor', { channel: channelName(o.channelId), language: o.language ? languageName(ctx, o.language) : ctx.t('post.allLanguages') })}<div class="post-text"${o.language ? html` lang="${o.language}"` : ''}>${o.text}</div></li>`)}</ul>` : ''}
</section>`;
}

function mediaSection(ctx: WebContext, post: PostView): SafeHtml {
  if (!post.media.length) return html``;
  const inst = ctx.requiredInstitution;
  return html`<section aria-labelledby="media-h"><h2 id="media-h">${ctx.t('post.media')}</h2>
<ul class="media-list">${post.media.map((m, i) => {
    const langs = Object.keys(m.altText);
    // The alt text in the page's language, else in the institution's first language, else any.
    const altLang = [ctx.locale, ...inst.languages].find((l) => langs.includes(l)) ?? langs[0];
    const alt = altLang ? m.altText[altLang]! : '';
    const src = m.mediaId ? `/api/institutions/${inst.id}/media/${m.mediaId}/content` : null;
    return html`<li><figure>
${src ? html`<img src="${src}" alt="${alt}"${altLang ? html` lang="${altLang}"` : ''}>` : html`<p><a href="${m.url}" rel="noopener noreferrer">${ctx.t('post.outsideImage', { n: i + 1 })}</a></p>`}
<figcaption><span class="muted">${ctx.t('post.altTexts')}</span>
<dl>${langs.map((l) => html`<dt>${capitalized(ctx, languageName(ctx, l))}</dt><dd lang="${l}">${m.altText[l]}</dd>`)}</dl>
${langs.length === 0 ? html`<p class="field-error">${ctx.t('post.noAltText')}</p>` : ''}</figcaption>
</figure></li>`;
  })}</ul></section>`;
}

function targetsSection(ctx: WebContext, d: PostPageData, state: FormState | undefined, channelName: (id: string) => string): SafeHtml {
  const { post } = d;
  const inst = ctx.requiredInstitution;
  const zone = post.timeZone ?? inst.timeZone;
  if (!post.targets.length)
    return html`<section aria-labelledby="targets-h"><h2 id="targets-h">${ctx.t('post.targets')}</h2><p>${ctx.t('post.noTargets')}</p></section>`;
  const rows = post.targets.map((t) => {
    const platform = d.channels.get(t.channelId)?.platform;
    const when = t.publishedAt
      ? html`${ctx.t('post.publishedAt')} ${timeEl(ctx, t.publishedAt, zone)}`
      : t.scheduledAt || t.occurrenceAt
        ? timeEl(ctx, (t.scheduledAt ?? t.occurrenceAt)!, zone)
        : html`<span class="muted">${ctx.t('post.notScheduled')}</span>`;
    return html`<tr id="target-${t.id}">
<th scope="row">${channelName(t.channelId)}${platform ? html` <span class="muted">(${PLATFORM_NAMES[platform] ?? platform})</span>` : ''}${t.occurrenceAt ? html`<br><span class="muted">${ctx.t('post.occurrence')}</span>` : ''}</th>
<td>${statusBadge(ctx, t.status, 'target')}${t.status === 'held' && t.holdKind ? html`<br><span class="muted">${ctx.t(`hold.${t.holdKind}`)}</span>` : ''}${t.withdrawnAt ? html`<br><span class="muted">${ctx.t('post.withdrawnAt')} ${timeEl(ctx, t.withdrawnAt, zone)}</span>` : ''}</td>
<td>${when}</td>
<td>${webLink(t.externalUrl) ? html`<a href="${webLink(t.externalUrl)}" rel="noopener noreferrer">${ctx.t('post.viewOn', { channel: channelName(t.channelId) })}</a>` : html`<span class="muted">${ctx.t('post.noLink')}</span>`}</td>
<td>${t.lastError ? html`<span class="error-text">${t.lastError}</span>` : html`<span class="muted">${ctx.t('post.noError')}</span>`}</td>
<td class="n">${ctx.i18n.number(t.attempts)}</td>
<td>${
      t.events.length
        ? html`<details><summary>${ctx.t('post.events', { count: t.events.length })}<span class="sr-only"> ${channelName(t.channelId)}</span></summary><ol class="events">${t.events.map(
            (e) =>
              html`<li>${timeEl(ctx, e.at, zone)}: ${e.fromStatus ? html`${statusText(ctx, e.fromStatus)} → ` : ''}${statusText(ctx, e.toStatus)}${e.attempt ? html` · ${ctx.t('post.attempt', { n: e.attempt })}` : ''}${e.outcome ? html` · ${outcomeText(ctx, e, zone)}` : ''}${e.error ? html` · <span class="error-text">${e.error}</span>` : ''}</li>`,
          )}</ol></details>`
        : html`<span class="muted">${ctx.t('post.noEvents')}</span>`
    }</td>
</tr>`;
  });
  const forms = post.targets.flatMap((t) => {
    const out: SafeHtml[] = [];
    const base = ctx.path(`/posts/${post.id}/targets/${t.id}`);
    if (t.status === 'unconfirmed' && ctx.can('post.resolve')) {
      const errors = errorsFor(state, 'resolve', t.id);
      const v = (n: string) => valueOf(state, 'resolve', n, t.id);
      const outcome = v('outcome') ?? '';
      const idp = `f-resolve-${t.id}`;
      out.push(html`<form method="post" action="${base}/resolve" class="stack post-form" novalidate>${csrfField(ctx)}
<h3>${ctx.t('post.resolveTitle', { channel: channelName(t.channelId) })}</h3>
<p>${ctx.t('post.resolveHint')}</p>
<fieldset${errors.fields.outcome ? html` aria-describedby="${idp}-outcome-error"` : ''}><legend>${ctx.t('post.resolveOutcome')}</legend>
${errors.fields.outcome ? html`<p class="field-error" id="${idp}-outcome-error">${errors.fields.outcome.join('; ')}</p>` : ''}
<div><input type="radio" id="${idp}-outcome" name="outcome" value="published"${outcome === 'published' ? html` checked` : ''}> <label for="${idp}-outcome">${ctx.t('post.resolvePublished')}</label></div>
<div><input type="radio" id="${idp}-outcome-no" name="outcome" value="not_published"${outcome === 'not_published' ? html` checked` : ''}> <label for="${idp}-outcome-no">${ctx.t('post.resolveNotPublished')}</label></div>
</fieldset>
${field(errors, { name: 'url', id: `${idp}-url`, label: ctx.t('post.resolveUrl'), type: 'url', hint: ctx.t('post.resolveUrlHint'), value: v('url') })}
${field(errors, { name: 'externalId', id: `${idp}-externalId`, label: ctx.t('post.resolveExternalId'), hint: ctx.t('post.resolveExternalIdHint'), value: v('externalId') })}
${field(errors, { name: 'note', id: `${idp}-note`, label: ctx.t('post.resolveNote'), rows: 2, value: v('note') })}
<button type="submit" class="primary">${ctx.t('post.resolveSubmit')}</button></form>`);
    }
    if (t.status === 'failed' && post.status === 'approved' && !t.occurrenceAt && ctx.can('post.retry')) {
      const errors = errorsFor(state, 'retry', t.id);
      out.push(html`<form method="post" action="${base}/retry" class="stack post-form" novalidate>${csrfField(ctx)}
<h3>${ctx.t('post.retryTitle', { channel: channelName(t.channelId) })}</h3>
${errors.summary ? html`<p class="field-error" role="alert">${errors.summary}</p>` : ''}
<p>${ctx.t('post.retryHint')}</p>
<button type="submit" class="primary">${ctx.t('post.retrySubmit', { channel: channelName(t.channelId) })}</button></form>`);
    }
    if (t.status === 'published' && ctx.can('post.withdraw')) {
      const errors = errorsFor(state, 'withdraw', t.id);
      out.push(html`<form method="post" action="${base}/withdraw" class="stack post-form" novalidate data-confirm="${ctx.t('post.withdrawConfirm', { channel: channelName(t.channelId) })}">${csrfField(ctx)}
<h3>${ctx.t('post.withdrawTitle', { channel: channelName(t.channelId) })}</h3>
${field(errors, { name: 'reason', id: `f-withdraw-${t.id}-reason`, label: ctx.t('post.withdrawReason'), hint: ctx.t('post.withdrawHint'), rows: 2, required: true, value: valueOf(state, 'withdraw', 'reason', t.id) })}
<button type="submit" class="danger">${ctx.t('post.withdrawSubmit', { channel: channelName(t.channelId) })}</button></form>`);
    }
    return out;
  });
  return html`<section aria-labelledby="targets-h"><h2 id="targets-h">${ctx.t('post.targets')}</h2>
<div class="table-wrap"><table>
<caption>${ctx.t('post.targetsCaption', { zone })}</caption>
<thead><tr><th scope="col">${ctx.t('post.col.channel')}</th><th scope="col">${ctx.t('post.col.status')}</th><th scope="col">${ctx.t('post.col.time')}</th><th scope="col">${ctx.t('post.col.link')}</th><th scope="col">${ctx.t('post.col.error')}</th><th scope="col" class="n">${ctx.t('post.col.attempts')}</th><th scope="col">${ctx.t('post.col.history')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${forms}</section>`;
}

/** An event's outcome in the page's language, its times in the institution's zone. */
function outcomeText(ctx: WebContext, e: PostView['targets'][number]['events'][number], zone: string): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(e.params ?? {})) {
    if (name === 'until' || name === 'retryAt' || name === 'at') values[name] = new I18n(ctx.locale, zone).dateTime(new Date(value));
    else if (name === 'postStatus')
      values[name] = ctx.i18n.has(`status.post.${value}`) ? ctx.t(`status.post.${value}` as MessageKey) : String(value);
    else if (name === 'channelStatus')
      values[name] = ctx.i18n.has(`status.channel.${value}`) ? ctx.t(`status.channel.${value}` as MessageKey) : String(value);
    else if (name === 'kind') values[name] = ctx.i18n.has(`hold.kind.${value}`) ? ctx.t(`hold.kind.${value}` as MessageKey) : String(value);
    else values[name] = value;
  }
  const key = `outcome.${e.outcome}`;
  if (!ctx.i18n.has(key)) return e.outcome;
  // Placeholders a stored event lacks are filled in, so an old or partial event still reads.
  for (const name of ['reason', 'part', 'parts', 'attempts', 'until', 'retryAt', 'text', 'kind', 'postStatus', 'channelStatus'])
    values[name] ??= name === 'part' || name === 'parts' || name === 'attempts' ? 0 : '';
  return ctx.t(key as MessageKey, values);
}

function statusText(ctx: WebContext, status: string): string {
  const key = `status.target.${status}`;
  return ctx.i18n.has(key) ? ctx.t(key as MessageKey) : status;
}

function historySection(ctx: WebContext, d: PostPageData, person: (id: string | null) => string): SafeHtml {
  if (!d.revisions.length) return html``;
  return html`<section aria-labelledby="history-h"><h2 id="history-h">${ctx.t('post.history')}</h2>
<ol class="review-history">${d.revisions.map(
    (r) =>
      html`<li>${ctx.t(`post.event.${r.event}` as MessageKey, { name: person(r.recordedBy), date: ctx.i18n.dateTime(r.recordedAt) })}${r.reason ? html` <span class="reason">${r.reason}</span>` : ''}</li>`,
  )}</ol></section>`;
}

function commentsSection(
  ctx: WebContext,
  d: PostPageData,
  state: FormState | undefined,
  person: (id: string | null) => string,
  me: string,
): SafeHtml {
  const errors = errorsFor(state, 'comment');
  return html`<section aria-labelledby="comments-h" id="comments"><h2 id="comments-h">${ctx.t('post.comments', { count: d.comments.length })}</h2>
${
  d.comments.length
    ? html`<ol class="comments">${d.comments.map(
        (c) =>
          html`<li><p class="meta"><strong>${c.authorId === me ? ctx.t('post.you') : person(c.authorId)}</strong> · ${timeEl(ctx, c.createdAt)}</p><div class="post-text">${c.body}</div></li>`,
      )}</ol>`
    : html`<p>${ctx.t('post.noComments')}</p>`
}
${
  ctx.can('post.comment')
    ? html`<form method="post" action="${ctx.path(`/posts/${d.post.id}/comments`)}" class="stack post-form" novalidate>${csrfField(ctx)}
${field(errors, { name: 'body', id: 'f-comment-body', label: ctx.t('post.commentLabel'), rows: 3, required: true, value: valueOf(state, 'comment', 'body') })}
<button type="submit">${ctx.t('post.commentSubmit')}</button></form>`
    : ''
}
</section>`;
}
