import type { Platform } from '#src/modules/channels/channel.entity.js';
import type { ChannelView } from '#src/modules/channels/channels.service.js';
import { PLATFORMS } from '#src/modules/channels/channel.entity.js';
import { limitFor, mediaLimitFor, supportsThreads } from '#src/platforms/text-rules.js';
import type { SandboxFeedItem } from '#src/modules/sandbox/sandbox.service.js';
import { errorSummary, field, fieldId, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { csrfField } from '#src/web/layout.js';
import { statusBadge } from '#src/web/pages/post-bits.js';
import { webLink } from '#src/common/web-link.js';
import { apiName, formName, PLATFORM_FIELDS, verifiedAccount } from '#src/web/pages/channels-platforms.js';
import type { WebContext } from '#src/web/web-context.js';

export const platformName = (ctx: WebContext, platform: string) => ctx.t(`channels.platform.${platform}` as MessageKey);

/** A refusal by the platform (or by CivicPost about a channel), said in the user's words, with the platform's own. */
export interface Refusal {
  channelName: string;
  /** The API's error code (credentials_refused, platform_unavailable ...). */
  code: string;
  /** The API's English message, with the platform's words. */
  detail: string;
}

export function refusalMessage(ctx: WebContext, code: string): string {
  const known: Record<string, MessageKey> = {
    credentials_refused: 'channels.refusal.credentials_refused',
    platform_refused: 'channels.refusal.platform_refused',
    platform_rate_limited: 'channels.refusal.platform_rate_limited',
    platform_unavailable: 'channels.refusal.platform_unavailable',
  };
  return ctx.t(known[code] ?? 'channels.refusal.other');
}

/** The platform's (English) words, marked as English when the page is not. */
export const inEnglish = (ctx: WebContext, text: string) => (ctx.locale === 'en' ? html`<q>${text}</q>` : html`<q lang="en">${text}</q>`);

function refusalBox(ctx: WebContext, r: Refusal): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="refusal-title">
<h2 id="refusal-title">${ctx.t('channels.verify.refusedTitle', { name: r.channelName })}</h2>
<p>${refusalMessage(ctx, r.code)}</p>
<p>${ctx.t('channels.refusal.platformSaid')} ${inEnglish(ctx, r.detail)}</p>
</div>`;
}

function accountCell(ctx: WebContext, c: ChannelView): SafeHtml {
  const account = verifiedAccount(c);
  if (!account) {
    return html`<span class="muted">${ctx.t('channels.account.unverified')}</span>${c.accountHandle ? html`<br><span class="muted">${ctx.t('channels.account.typed', { handle: c.accountHandle })}</span>` : ''}`;
  }
  const link = c.platform === 'sandbox' ? ctx.path(`/sandbox/${c.id}`) : webLink(account.url);
  const handle = link
    ? html`<a href="${link}"${c.platform === 'sandbox' ? '' : html` rel="noopener noreferrer"`}>${account.handle}</a>`
    : html`${account.handle}`;
  return html`${handle}${account.displayName && account.displayName !== account.handle ? html`<br><span class="muted">${account.displayName}</span>` : ''}`;
}

function duration(ctx: WebContext, seconds: number): string {
  if (seconds % 86_400 === 0) return ctx.t('channels.limits.days', { count: seconds / 86_400 });
  if (seconds % 3_600 === 0) return ctx.t('channels.limits.hours', { count: seconds / 3_600 });
  if (seconds % 60 === 0) return ctx.t('channels.limits.minutes', { count: seconds / 60 });
  return ctx.t('channels.limits.seconds', { count: seconds });
}

function limitsCell(ctx: WebContext, c: ChannelView, now: Date): SafeHtml {
  const p = c.platform as Platform;
  const settings = c.settings as { maxCharacters?: number } & Record<string, unknown>;
  const lines: Array<string | SafeHtml> = [
    ctx.t('channels.limits.text', { count: limitFor(p, settings) }),
    ctx.t('channels.limits.images', { count: mediaLimitFor(p) }),
    supportsThreads(p) ? ctx.t('channels.limits.threads') : ctx.t('channels.limits.noThreads'),
  ];
  if (c.rateLimitPosts && c.rateLimitWindowSeconds) {
    lines.push(ctx.t('channels.limits.rate', { count: c.rateLimitPosts, window: duration(ctx, c.rateLimitWindowSeconds) }));
  }
  if (c.rateLimitedUntil && c.rateLimitedUntil > now) {
    lines.push(html`<strong>${ctx.t('channels.limits.waiting', { until: ctx.i18n.dateTime(c.rateLimitedUntil) })}</strong>`);
  }
  return html`<ul class="channel-limits">${lines.map((l) => html`<li>${l}</li>`)}</ul>`;
}

function actionsCell(ctx: WebContext, c: ChannelView): SafeHtml {
  const links: SafeHtml[] = [];
  if (c.platform === 'sandbox')
    links.push(html`<a href="${ctx.path(`/sandbox/${c.id}`)}">${ctx.t('channels.action.feed', { name: c.displayName })}</a>`);
  if (ctx.can('channel.manage')) {
    links.push(
      html`<form method="post" action="${ctx.path(`/channels/${c.id}/verify`)}">${csrfField(ctx)}<button type="submit">${ctx.t('channels.action.verify')}<span class="sr-only"> ${c.displayName}</span></button></form>`,
    );
    if (c.platform !== 'sandbox') {
      links.push(
        html`<a href="${ctx.path(`/channels/${c.id}/reconnect`)}"${c.status === 'needs_reconnect' ? html` class="button primary"` : ''}>${ctx.t('channels.action.reconnect')}<span class="sr-only"> ${c.displayName}</span></a>`,
      );
    }
    links.push(
      c.status === 'disabled'
        ? html`<form method="post" action="${ctx.path(`/channels/${c.id}/status`)}">${csrfField(ctx)}<input type="hidden" name="status" value="active"><button type="submit">${ctx.t('channels.action.enable')}<span class="sr-only"> ${c.displayName}</span></button></form>`
        : html`<form method="post" action="${ctx.path(`/channels/${c.id}/status`)}" data-confirm="${ctx.t('channels.action.disableConfirm', { name: c.displayName })}">${csrfField(ctx)}<input type="hidden" name="status" value="disabled"><button type="submit">${ctx.t('channels.action.disable')}<span class="sr-only"> ${c.displayName}</span></button></form>`,
    );
  }
  return links.length
    ? html`<div class="channel-actions">${links}</div>`
    : html`<span class="muted">${ctx.t('channels.action.none')}</span>`;
}

function statusCell(ctx: WebContext, c: ChannelView, reason: { at: Date; message: string } | undefined): SafeHtml {
  if (c.status !== 'needs_reconnect') return statusBadge(ctx, c.status, 'channel');
  return html`${statusBadge(ctx, c.status, 'channel')}
<p class="reconnect-reason">${
    reason
      ? html`${ctx.t('channels.reconnect.reasonAt', { at: ctx.i18n.dateTime(reason.at) })} ${inEnglish(ctx, reason.message)}`
      : ctx.t('channels.reconnect.reasonUnknown')
  }</p>`;
}

export interface ChannelsPageState {
  channels: ChannelView[];
  reasons: Map<string, { at: Date; message: string }>;
  now: Date;
  /** Just verified: the row to say so about. */
  verified?: ChannelView;
  refusal?: Refusal;
}

export function channelsPage(ctx: WebContext, s: ChannelsPageState): SafeHtml {
  const manage = ctx.can('channel.manage');
  const rows = s.channels.map((c) => {
    const highlight = c.status === 'needs_reconnect';
    return html`<tr id="channel-${c.id}"${highlight ? html` class="attention"` : ''}>
<th scope="row">${c.displayName}</th>
<td>${platformName(ctx, c.platform)}</td>
<td>${accountCell(ctx, c)}</td>
<td>${statusCell(ctx, c, s.reasons.get(c.id))}</td>
<td>${limitsCell(ctx, c, s.now)}</td>
<td>${actionsCell(ctx, c)}</td>
</tr>`;
  });
  const verified = s.verified ? verifiedAccount(s.verified) : null;
  const needing = s.channels.filter((c) => c.status === 'needs_reconnect').length;
  return html`
${s.refusal ? refusalBox(ctx, s.refusal) : ''}
${
  s.verified
    ? html`<div class="notice" role="status">${
        verified
          ? ctx.t('channels.verify.done', { name: s.verified.displayName, handle: verified.handle })
          : ctx.t('channels.verify.doneNoAccount', { name: s.verified.displayName })
      }</div>`
    : ''
}
${needing ? html`<p class="banner warn">${ctx.t('channels.reconnect.count', { count: needing })}</p>` : ''}
${manage ? addChannelChooser(ctx) : html`<p class="muted">${ctx.t('channels.readOnly')}</p>`}
<section aria-labelledby="channels-list-h">
<h2 id="channels-list-h">${ctx.t('channels.list.title')}</h2>
${
  s.channels.length
    ? html`<div class="table-wrap"><table class="channels">
<caption>${ctx.t('channels.list.caption', { count: s.channels.length })}</caption>
<thead><tr><th scope="col">${ctx.t('channels.col.name')}</th><th scope="col">${ctx.t('channels.col.platform')}</th><th scope="col">${ctx.t('channels.col.account')}</th><th scope="col">${ctx.t('channels.col.status')}</th><th scope="col">${ctx.t('channels.col.limits')}</th><th scope="col">${ctx.t('channels.col.actions')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : html`<p>${ctx.t('channels.list.none')}</p>`
}
</section>`;
}

const platformOptions = (ctx: WebContext) => PLATFORMS.map((p) => ({ value: p, label: platformName(ctx, p) }));

/** Step one of adding a channel (a GET form: works without script): which platform. */
function addChannelChooser(ctx: WebContext): SafeHtml {
  return html`<section aria-labelledby="add-channel-h" class="add-channel">
<h2 id="add-channel-h">${ctx.t('channels.add.title')}</h2>
<form method="get" action="${ctx.path('/channels/new')}" class="channel-choose">
${field({ summary: null, fields: {} }, { name: 'platform', id: 'choose-platform', label: ctx.t('channels.field.platform'), options: platformOptions(ctx), value: 'sandbox', hint: ctx.t('channels.hint.platform') })}
<button type="submit" class="primary">${ctx.t('channels.add.continue')}</button>
</form></section>`;
}

export interface ChannelFormValues {
  displayName: string;
  accountHandle: string;
  rateLimitPosts: string;
  rateLimitMinutes: string;
  /** Non-secret platform fields by API name (settings.instanceUrl ...). */
  platform: Record<string, string>;
}

export const EMPTY_CHANNEL_FORM: ChannelFormValues = {
  displayName: '',
  accountHandle: '',
  rateLimitPosts: '',
  rateLimitMinutes: '',
  platform: {},
};

/** The platform's own fields: settings first, then credentials; secrets always empty. */
function platformFields(ctx: WebContext, platform: Platform, values: Record<string, string>, errors: FormErrors): SafeHtml {
  const fields = PLATFORM_FIELDS[platform];
  if (!fields.length) return html`<p class="banner warn">${ctx.t('channels.add.sandboxHint')}</p>`;
  const settings = fields.filter((f) => f.group === 'settings');
  const credentials = fields.filter((f) => f.group === 'credentials');
  const render = (f: (typeof fields)[number]) =>
    field(errors, {
      name: formName(f),
      id: fieldId(apiName(f)),
      errorKey: apiName(f),
      label: ctx.t(f.label) + (f.required ? '' : ` ${ctx.t('channels.optional')}`),
      hint: f.hint ? ctx.t(f.hint) : undefined,
      type: f.type,
      required: f.required,
      value: f.secret ? '' : (values[apiName(f)] ?? ''),
      attrs: f.autocomplete
        ? html` autocomplete="${f.autocomplete}" spellcheck="false"`
        : f.type === 'url'
          ? html` inputmode="url" spellcheck="false"`
          : undefined,
    });
  return html`${settings.length ? html`<fieldset><legend>${ctx.t('channels.add.whereLegend', { platform: platformName(ctx, platform) })}</legend>${settings.map(render)}</fieldset>` : ''}
<fieldset><legend>${ctx.t('channels.add.credentialsLegend')}</legend>
<p class="hint" id="secrets-hint">${ctx.t('channels.add.secretsHint')}</p>
${credentials.map(render)}</fieldset>`;
}

/** The ids of the fields by API name, for the links of the error summary. */
function summaryIds(platform: Platform): Record<string, string> {
  const ids: Record<string, string> = {
    displayName: 'f-displayName',
    accountHandle: 'f-accountHandle',
    'rateLimit.posts': 'f-rateLimitPosts',
    'rateLimit.windowSeconds': 'f-rateLimitMinutes',
    rateLimit: 'f-rateLimitPosts',
  };
  for (const f of PLATFORM_FIELDS[platform]) ids[apiName(f)] = fieldId(apiName(f));
  ids.credentials = PLATFORM_FIELDS[platform].find((f) => f.group === 'credentials')
    ? fieldId(apiName(PLATFORM_FIELDS[platform].find((f) => f.group === 'credentials')!))
    : 'f-displayName';
  return ids;
}

/** Step two: the whole form for one platform. */
export function newChannelForm(ctx: WebContext, platform: Platform, v: ChannelFormValues, errors: FormErrors): SafeHtml {
  return html`<div class="channel-form">
${errorSummary(ctx.i18n, errors, summaryIds(platform))}
<p>${ctx.t('channels.add.platformIs', { platform: platformName(ctx, platform) })} <a href="${ctx.path('/channels')}#add-channel-h">${ctx.t('channels.add.otherPlatform')}</a></p>
<form method="post" action="${ctx.path('/channels')}" class="stack" novalidate>${csrfField(ctx)}
<input type="hidden" name="platform" value="${platform}">
${field(errors, { name: 'displayName', label: ctx.t('channels.field.displayName'), hint: ctx.t('channels.hint.displayName'), value: v.displayName, required: true, attrs: html` maxlength="200"` })}
${field(errors, { name: 'accountHandle', label: `${ctx.t('channels.field.accountHandle')} ${ctx.t('channels.optional')}`, hint: ctx.t('channels.hint.accountHandle'), value: v.accountHandle, attrs: html` maxlength="200" spellcheck="false"` })}
${platformFields(ctx, platform, v.platform, errors)}
<fieldset><legend>${ctx.t('channels.add.rateLegend')}</legend>
<p class="hint">${ctx.t('channels.hint.rate')}</p>
<div class="rate-fields">
${field(errors, { name: 'rateLimitPosts', label: ctx.t('channels.field.ratePosts'), type: 'number', value: v.rateLimitPosts, errorKey: 'rateLimit.posts', attrs: html` min="1" max="100000" inputmode="numeric"` })}
${field(errors, { name: 'rateLimitMinutes', label: ctx.t('channels.field.rateMinutes'), type: 'number', value: v.rateLimitMinutes, errorKey: 'rateLimit.windowSeconds', attrs: html` min="1" max="10080" inputmode="numeric"` })}
</div></fieldset>
<div class="actions"><button type="submit" class="primary">${ctx.t('channels.add.submit')}</button> <a href="${ctx.path('/channels')}">${ctx.t('form.cancel')}</a></div>
</form></div>`;
}

/** New credentials (and, if it moved, where the account is) for a channel the platform stopped accepting. */
export function reconnectForm(
  ctx: WebContext,
  c: ChannelView,
  reason: { at: Date; message: string } | undefined,
  values: Record<string, string>,
  errors: FormErrors,
  refusal?: Refusal,
): SafeHtml {
  const platform = c.platform as Platform;
  return html`<div class="channel-form">
${refusal ? refusalBox(ctx, refusal) : errorSummary(ctx.i18n, errors, summaryIds(platform))}
<dl class="channel-facts">
<dt>${ctx.t('channels.col.platform')}</dt><dd>${platformName(ctx, c.platform)}</dd>
<dt>${ctx.t('channels.col.account')}</dt><dd>${accountCell(ctx, c)}</dd>
<dt>${ctx.t('channels.col.status')}</dt><dd>${statusCell(ctx, c, reason)}</dd>
</dl>
<p>${ctx.t('channels.reconnect.explain')}</p>
<form method="post" action="${ctx.path(`/channels/${c.id}/reconnect`)}" class="stack" novalidate>${csrfField(ctx)}
${platformFields(ctx, platform, values, errors)}
<div class="actions"><button type="submit" class="primary">${ctx.t('channels.reconnect.submit')}</button> <a href="${ctx.path('/channels')}">${ctx.t('form.cancel')}</a></div>
</form></div>`;
}

export interface FeedState {
  channel: ChannelView;
  items: SandboxFeedItem[];
  total: number;
  page: number;
  pageSize: number;
  /** The language the channel publishes in (its own, or the institution's first). */
  language: string;
}

/** The sandbox feed: what a training channel "published", unmistakably labelled. */
export function sandboxFeed(ctx: WebContext, s: FeedState): SafeHtml {
  const lang = s.language !== ctx.locale ? s.language : undefined;
  const entries = s.items.map((i) => {
    const e = i.engagement;
    const media = (i.media as Array<{ altText?: unknown; fileName?: unknown }>).filter((m) => m && typeof m === 'object');
    return html`<li><article id="${i.id}" class="sandbox-post" aria-labelledby="sp-${i.id}">
<h3 id="sp-${i.id}" class="sr-only">${ctx.t('channels.sandbox.entry', { at: ctx.i18n.dateTime(i.publishedAt) })}</h3>
<p class="meta"><span class="badge sandbox-tag">${ctx.t('channels.sandbox.tag')}</span> <time datetime="${i.publishedAt.toISOString()}">${ctx.i18n.dateTime(i.publishedAt)}</time></p>
<div class="sandbox-text"${lang ? html` lang="${lang}"` : ''}>${i.text}</div>
${media.length ? html`<ul class="sandbox-media">${media.map((m) => html`<li>${ctx.t('channels.sandbox.image')} <span${lang ? html` lang="${lang}"` : ''}>${typeof m.altText === 'string' && m.altText ? m.altText : ctx.t('channels.sandbox.noAlt')}</span></li>`)}</ul>` : ''}
${i.thread.length ? html`<ol class="sandbox-thread" aria-label="${ctx.t('channels.sandbox.thread')}">${i.thread.map((t) => html`<li${lang ? html` lang="${lang}"` : ''}>${t}</li>`)}</ol>` : ''}
<p class="engagement">${ctx.t('channels.sandbox.engagement', { views: e.views, likes: e.likes, reposts: e.reposts, replies: e.replies })}</p>
</article></li>`;
  });
  const pages = Math.max(1, Math.ceil(s.total / s.pageSize));
  const link = (page: number) => ctx.path(`/sandbox/${s.channel.id}${page > 1 ? `?page=${page}` : ''}`);
  return html`<p class="banner sandbox-banner"><strong>${ctx.t('channels.sandbox.banner')}</strong></p>
<p>${ctx.t('channels.sandbox.explain', { name: s.channel.displayName })}</p>
<section aria-labelledby="feed-h">
<h2 id="feed-h">${ctx.t('channels.sandbox.feedTitle', { count: s.total })}</h2>
${entries.length ? html`<ol class="sandbox-feed">${entries}</ol>` : html`<p>${ctx.t('channels.sandbox.empty')}</p>`}
${
  pages > 1
    ? html`<nav aria-label="${ctx.t('channels.sandbox.pages')}" class="actions">${s.page > 1 ? html`<a href="${link(s.page - 1)}">${ctx.t('channels.sandbox.newer')}</a>` : ''}
<span>${ctx.t('channels.sandbox.pageOf', { page: s.page, pages })}</span>${s.page < pages ? html`<a href="${link(s.page + 1)}">${ctx.t('channels.sandbox.older')}</a>` : ''}</nav>`
    : ''
}
</section>`;
}
