import type { ChannelView } from '#src/modules/channels/channels.service.js';
import { MAX_UPLOAD_BYTES, type MediaView } from '#src/modules/media/media.service.js';
import type { PostView } from '#src/modules/posts/post-views.service.js';
import type { ValidationReport } from '#src/modules/posts/post-content.service.js';
import { errorSummary, field, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { I18n } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { PLATFORM_NAMES } from '#src/web/pages/channels-platforms.js';
import { csrfField } from '#src/web/layout.js';
import type { WebContext } from '#src/web/web-context.js';
import {
  altLanguages,
  columns,
  REPEATS,
  requiredLanguages,
  variantsToCheck,
  type ComposerState,
  type ReportProblem,
} from '#src/web/pages/composer-form.js';

export type ComposerTarget = { kind: 'new' } | { kind: 'edit'; post: PostView };

export interface ComposerModel {
  target: ComposerTarget;
  state: ComposerState;
  errors: FormErrors;
  report: ValidationReport | null;
  campaigns: Array<{ id: string; title: string }>;
  /** null: the person may not see channels (contributors). */
  channels: ChannelView[] | null;
  media: Map<string, MediaView>;
  /** What takes the focus when the page loads (after "Check" or "Add a thread part" without script). */
  focus?: { kind: 'report' } | { kind: 'part'; language: string; index: number };
}

/** A language's name in the page's language: "Romanian", "maghiară". */
export function languageName(ctx: WebContext, tag: string): string {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const capital = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** Every time zone the platform knows, and the ones the form already names. */
const ZONES = Intl.supportedValuesOf('timeZone');
function zoneOptions(extra: string[]): string[] {
  return [...new Set([...ZONES, 'UTC', ...extra])].sort();
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const composerUrls = (ctx: WebContext, target: ComposerTarget) => ({
  action: ctx.path(target.kind === 'new' ? '/posts/new' : `/posts/${target.post.id}/edit`),
  preview: ctx.path('/posts/preview'),
  csrf: `?_csrf=${encodeURIComponent(ctx.csrf)}`,
});

/** The id of the control each error key belongs to, for the links of the error summary. */
function fieldIds(m: ComposerModel, langs: string[]): Record<string, string> {
  const ids: Record<string, string> = {
    campaignId: 'f-campaignId',
    channelIds: m.channels?.length ? 'f-channel-0' : 'f-campaignId',
    media: 'f-upload',
    recurrence: 'f-rrule',
  };
  for (const key of Object.keys(m.errors.fields)) {
    let hit: RegExpExecArray | null;
    if ((hit = /^variants\.([^.]+)\.thread\.(\d+)/.exec(key))) ids[key] = `f-thread-${hit[1]}-${hit[2]}`;
    else if ((hit = /^variants\.([^.]+)/.exec(key))) ids[key] = `f-text-${langs.includes(hit[1]!) ? hit[1] : langs[0]}`;
    else if ((hit = /^media\.(\d+)\.altText\.([^.]+)$/.exec(key))) ids[key] = `f-media-${hit[1]}-alt-${hit[2]}`;
    else if ((hit = /^media\.(\d+)/.exec(key))) ids[key] = `media-${hit[1]}`;
    else if ((hit = /^newAlt\.(.+)$/.exec(key))) ids[key] = `f-newAlt-${hit[1]}`;
  }
  return ids;
}

/** The problems of keys under `prefix` that no field shows, shown at the top of a group. */
function groupErrors(errors: FormErrors, match: (key: string) => boolean, id?: string): SafeHtml {
  const problems = Object.entries(errors.fields)
    .filter(([k]) => match(k))
    .flatMap(([, p]) => p);
  return problems.length ? html`<p class="field-error"${id ? html` id="${id}"` : ''}>${problems.join('; ')}</p>` : html``;
}

export function composerBody(ctx: WebContext, m: ComposerModel): SafeHtml {
  const inst = ctx.requiredInstitution;
  const { state, errors } = m;
  const langs = columns(inst, state);
  const urls = composerUrls(ctx, m.target);
  const post = m.target.kind === 'edit' ? m.target.post : null;
  if (!m.campaigns.length) return html`<p>${ctx.t('composer.noCampaigns')}</p>`;

  const warning = post
    ? post.status === 'approved'
      ? html`<p class="banner warn">${ctx.t('composer.editApproved')}</p>`
      : post.status === 'in_review'
        ? html`<p class="banner warn">${ctx.t('composer.editInReview')}</p>`
        : post.status === 'rejected' && post.rejectionReason
          ? html`<p class="banner warn">${ctx.t('composer.editRejected', { reason: post.rejectionReason })}</p>`
          : ''
    : '';

  return html`${warning}
${errorSummary(ctx.i18n, errors, fieldIds(m, langs))}
${post ? '' : html`<p>${ctx.t('composer.intro')}</p>`}
<form method="post" action="${urls.action}${urls.csrf}" enctype="multipart/form-data" class="composer" novalidate>
<button type="submit" name="intent" value="check" formaction="${urls.preview}${urls.csrf}" hidden tabindex="-1">${ctx.t('composer.check')}</button>
${csrfField(ctx)}
${post ? html`<input type="hidden" name="postId" value="${post.id}">` : ''}
<div class="composer-live" hx-post="${urls.preview}" hx-trigger="input delay:600ms, change delay:600ms" hx-target="#composer-report" hx-swap="innerHTML" hx-sync="this:queue last">
${generalSection(ctx, m)}
${textsSection(ctx, m, langs)}
${reportSection(ctx, m, urls)}
${imagesSection(ctx, m, langs)}
${scheduleSection(ctx, m)}
</div>
<div class="actions">
${
  post && (post.status === 'approved' || post.status === 'in_review')
    ? html`<button type="submit" name="intent" value="draft" class="primary">${ctx.t('composer.saveChange')}</button>`
    : html`<button type="submit" name="intent" value="draft"${ctx.can('post.submit') ? '' : html` class="primary"`}>${ctx.t('composer.saveDraft')}</button>
${ctx.can('post.submit') ? html`<button type="submit" name="intent" value="submit" class="primary">${ctx.t('composer.saveSubmit')}</button>` : ''}`
}
</div>
${ctx.can('post.submit') ? '' : html`<p class="muted">${ctx.t('composer.contributorSaves')}</p>`}
</form>`;
}

function generalSection(ctx: WebContext, m: ComposerModel): SafeHtml {
  const { state, errors } = m;
  const campaign = field(errors, {
    name: 'campaignId',
    label: ctx.t('composer.campaign'),
    value: state.campaignId,
    required: true,
    options: [{ value: '', label: ctx.t('composer.campaignChoose') }, ...m.campaigns.map((c) => ({ value: c.id, label: c.title }))],
  });
  let channels: SafeHtml;
  if (m.channels === null) {
    channels = html`<p class="muted">${ctx.t('composer.channelsContributor')}</p>`;
  } else {
    // Connected channels, and any other the post already goes to (so that saving does not drop it silently).
    const shown = m.channels.filter((c) => c.status === 'active' || state.channelIds?.includes(c.id));
    const problems = Object.entries(errors.fields)
      .filter(([k]) => k === 'channelIds')
      .flatMap(([, p]) => p);
    channels = html`<fieldset class="channels"${problems.length ? html` aria-describedby="channels-error"` : ''}>
<legend>${ctx.t('composer.channels')}</legend>
<p class="hint">${ctx.t('composer.channelsHint')}</p>
${problems.length ? html`<p class="field-error" id="channels-error">${problems.join('; ')}</p>` : ''}
${
  shown.length
    ? html`<ul class="choices">${shown.map((c, i) => {
        const label =
          c.status === 'active'
            ? ctx.t('composer.channelLabel', { name: c.displayName, platform: PLATFORM_NAMES[c.platform] ?? c.platform })
            : ctx.t('composer.channelLabelStatus', {
                name: c.displayName,
                platform: PLATFORM_NAMES[c.platform] ?? c.platform,
                status: ctx.t(`status.channel.${c.status}` as MessageKey),
              });
        return html`<li><input type="checkbox" id="f-channel-${i}" name="channelIds" value="${c.id}"${state.channelIds?.includes(c.id) ? html` checked` : ''}> <label for="f-channel-${i}">${label}</label></li>`;
      })}</ul>`
    : html`<p>${ctx.t('composer.channelsNone')}</p>`
}
</fieldset>`;
  }
  return html`<section aria-labelledby="general-h"><h2 id="general-h">${ctx.t('composer.general')}</h2>
${campaign}
${channels}
</section>`;
}

function textsSection(ctx: WebContext, m: ComposerModel, langs: string[]): SafeHtml {
  const inst = ctx.requiredInstitution;
  const { state, errors } = m;
  const required = requiredLanguages(inst);
  const column = (lang: string) => {
    const name = languageName(ctx, lang);
    const parts = state.threads[lang] ?? [];
    const slots = Math.max(parts.length + 1, state.threadSlots[lang] ?? 0);
    const legend = capital(name) + ` (${lang})`;
    return html`<fieldset class="variant">
<legend>${required.includes(lang) ? ctx.t('composer.languageColumn', { language: legend }) : ctx.t('composer.languageOptional', { language: legend })}</legend>
${field(errors, { name: `text[${lang}]`, id: `f-text-${lang}`, errorKey: `variants.${lang}.text`, label: ctx.t('composer.mainText', { language: name }), value: state.texts[lang] ?? '', rows: 7, attrs: html` lang="${lang}"` })}
${Array.from({ length: slots }, (_, i) =>
  field(errors, {
    name: `thread[${lang}][${i}]`,
    id: `f-thread-${lang}-${i}`,
    errorKey: `variants.${lang}.thread.${i}`,
    label: ctx.t('composer.threadPart', { number: i + 1, language: name }),
    value: parts[i] ?? '',
    rows: 3,
    attrs: html` lang="${lang}"${m.focus?.kind === 'part' && m.focus.language === lang && m.focus.index === i ? html` autofocus` : ''}`,
  }),
)}
<button type="submit" name="intent" value="addPart:${lang}">${ctx.t('composer.addPart', { language: name })}</button>
</fieldset>`;
  };
  return html`<section aria-labelledby="texts-h"><h2 id="texts-h">${ctx.t('composer.texts')}</h2>
<p class="hint">${ctx.t('composer.textsHint')}</p>
<div class="composer-variants">${langs.map(column)}</div>
</section>`;
}

function reportSection(ctx: WebContext, m: ComposerModel, urls: ReturnType<typeof composerUrls>): SafeHtml {
  const focus = m.focus?.kind === 'report';
  return html`<section aria-labelledby="check-h" class="composer-check"><h2 id="check-h">${ctx.t('composer.report')}</h2>
<p class="hint" id="check-hint">${ctx.t('composer.reportHint')}</p>
<div id="composer-report" role="status" aria-live="polite"${focus ? html` tabindex="-1" autofocus` : ''}>${reportContent(ctx, m)}</div>
<p><button type="submit" name="intent" value="check" formaction="${urls.preview}${urls.csrf}" aria-describedby="check-hint">${ctx.t('composer.check')}</button></p>
<div id="composer-previews">${previews(ctx, m)}</div>
</section>`;
}

/** The live part: a sentence and, per channel and language, "123 / 500" with its problems. */
export function reportContent(ctx: WebContext, m: ComposerModel): SafeHtml {
  const r = m.report;
  if (!r) return html`<p>${ctx.t('composer.reportNoCheck')}</p>`;
  const names = channelNames(m);
  const count = r.problems.length + r.channels.reduce((n, c) => n + c.problems.length, 0);
  const general = r.problems.map((p) => describeProblem(ctx, m, { ...p }));
  const summary = count ? ctx.t('composer.reportProblems', { count }) : ctx.t('composer.reportOk');
  return html`<p class="report-summary ${count ? 'has-problems' : 'ready'}">${summary}</p>
${general.length ? html`<ul class="report-general">${general.map((g) => html`<li>${g}</li>`)}</ul>` : ''}
${
  r.channels.length
    ? html`<div class="table-wrap"><table class="counters">
<caption>${ctx.t('composer.reportCaption')}</caption>
<thead><tr><th scope="col">${ctx.t('composer.reportChannel')}</th><th scope="col">${ctx.t('composer.reportLanguage')}</th><th scope="col" class="n">${ctx.t('composer.reportLength')}</th><th scope="col">${ctx.t('composer.reportIssues')}</th></tr></thead>
<tbody>${r.channels.map(
        (c) => html`<tr${c.problems.length ? html` class="has-problems"` : ''}>
<th scope="row">${names.get(c.channelId) ?? PLATFORM_NAMES[c.platform]}</th>
<td>${capital(languageName(ctx, c.language))}</td>
<td class="n"><span class="counter" data-channel="${c.channelId}" data-language="${c.language}">${ctx.t('composer.counter', { count: ctx.i18n.number(c.count), limit: ctx.i18n.number(c.limit) })}</span>${
          c.parts.length > 1
            ? html`<br><span class="muted">${c.parts.slice(1).map((p, i) => html`${i ? html`<br>` : ''}${ctx.t('composer.counterPart', { number: p.part, count: ctx.i18n.number(p.count), limit: ctx.i18n.number(p.limit) })}`)}</span>`
            : ''
        }</td>
<td>${
          c.problems.length
            ? html`<ul class="problems">${c.problems.map((p) => html`<li>${describeProblem(ctx, m, { ...p, language: c.language, channelId: c.channelId, platform: c.platform, report: c })}</li>`)}</ul>`
            : ctx.t('composer.reportNone')
        }</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${m.state.channelIds === null ? ctx.t('composer.channelsContributor') : ctx.t('composer.reportNoChannels')}</p>`
}`;
}

function channelNames(m: ComposerModel): Map<string, string> {
  return new Map((m.channels ?? []).map((c) => [c.id, `${c.displayName} (${PLATFORM_NAMES[c.platform] ?? c.platform})`]));
}

/** A problem of the validation report in the person's language (the API's English for anything unforeseen). */
export function describeProblem(ctx: WebContext, m: ComposerModel, p: ReportProblem): string {
  const platform = p.platform ? (PLATFORM_NAMES[p.platform] ?? p.platform) : '';
  const language = p.language ? languageName(ctx, p.language) : '';
  const image = /Media (\d+)/.exec(p.message)?.[1];
  const part = p.part !== undefined && p.report ? p.report.parts.find((x) => x.part === p.part) : undefined;
  switch (p.code) {
    case 'text_too_long':
      if (part) {
        const values = {
          platform,
          count: ctx.i18n.number(part.count),
          limit: ctx.i18n.number(part.limit),
          over: ctx.i18n.number(part.count - part.limit),
        };
        return part.part === 0
          ? ctx.t('composer.problem.text_too_long', values)
          : ctx.t('composer.problem.part_too_long', { ...values, number: part.part });
      }
      break;
    case 'text_empty':
      return p.part ? ctx.t('composer.problem.part_empty', { number: p.part }) : ctx.t('composer.problem.text_empty');
    case 'thread_not_supported':
      return ctx.t('composer.problem.thread_not_supported', { platform });
    case 'media_too_many':
      return ctx.t('composer.problem.media_too_many', { platform, max: /at most (\d+)/.exec(p.message)?.[1] ?? '' });
    case 'media_alt_text_missing':
      if (image) return ctx.t('composer.problem.media_alt_text_missing', { number: image, language });
      break;
    case 'media_not_uploaded':
      if (image) return ctx.t('composer.problem.media_not_uploaded', { number: image, platform });
      break;
    case 'media_type_not_accepted':
    case 'media_too_large':
    case 'media_too_many_pixels':
      if (image) return ctx.t('composer.problem.media_other', { number: image, platform, detail: p.message.replace(/^Media \d+ /, '') });
      break;
    case 'language_missing':
      return ctx.t('composer.problem.language_missing', { language });
    case 'channel_unavailable':
      return ctx.t('composer.problem.channel_unavailable', { channel: (p.channelId && channelNames(m).get(p.channelId)) || '' });
    case 'no_channels':
      return ctx.t('composer.problem.no_channels');
  }
  return ctx.t('composer.problem.other', { detail: p.message });
}

/** Each channel's publication as it will go out: its parts, in each language, with their counts. */
function previews(ctx: WebContext, m: ComposerModel): SafeHtml {
  const r = m.report;
  const inst = ctx.requiredInstitution;
  const variants = new Map(variantsToCheck(inst, m.state).map((v) => [v.language, v]));
  const written = r?.channels.filter((c) => (variants.get(c.language)?.text ?? '').trim() !== '') ?? [];
  if (!written.length) return html`<p class="muted">${ctx.t('composer.previewNothing')}</p>`;
  const names = channelNames(m);
  const byChannel = [...new Set(written.map((c) => c.channelId))];
  return html`<h3>${ctx.t('composer.previews')}</h3>
<div class="previews">${byChannel.map((id) => {
    const reports = written.filter((c) => c.channelId === id);
    return html`<section class="preview" aria-labelledby="preview-${id}"><h4 id="preview-${id}">${names.get(id) ?? PLATFORM_NAMES[reports[0]!.platform]}</h4>
${reports.map((c) => {
  const v = variants.get(c.language)!;
  const texts = [v.text, ...(v.thread ?? [])].slice(0, c.parts.length);
  return html`<div class="preview-variant"><p class="preview-language">${capital(languageName(ctx, c.language))}</p>
${texts.map(
  (t, i) => html`<div class="preview-part${c.parts[i] && c.parts[i]!.count > c.parts[i]!.limit ? ' over' : ''}">
<p class="preview-count">${texts.length > 1 ? html`${ctx.t('composer.previewPart', { number: i + 1, total: texts.length })} · ` : ''}${ctx.t('composer.counter', { count: ctx.i18n.number(c.parts[i]?.count ?? 0), limit: ctx.i18n.number(c.parts[i]?.limit ?? 0) })}</p>
<p class="preview-text" lang="${c.language}">${t.trim() ? t : ctx.t('composer.previewEmpty')}</p></div>`,
)}</div>`;
})}</section>`;
  })}</div>`;
}

/** The fragment an htmx preview request swaps in: the live report, and the previews out of band. */
export function reportFragment(ctx: WebContext, m: ComposerModel): SafeHtml {
  return html`${reportContent(ctx, m)}
<div id="composer-previews" hx-swap-oob="true">${previews(ctx, m)}</div>`;
}

function imagesSection(ctx: WebContext, m: ComposerModel, langs: string[]): SafeHtml {
  const inst = ctx.requiredInstitution;
  const { state, errors } = m;
  const needed = altLanguages(inst, state);
  const items = state.media.map((item, k) => {
    const view = item.mediaId ? m.media.get(item.mediaId) : undefined;
    const altLang = langs.find((l) => (item.alt[l] ?? '').trim());
    const general = (key: string) => key.startsWith(`media.${k}`) && !/^media\.\d+\.altText\.[^.]+$/.test(key);
    return html`<fieldset class="media-item" id="media-${k}" tabindex="-1">
<legend>${ctx.t('composer.image', { number: k + 1 })}</legend>
${groupErrors(errors, general)}
<div class="media-row">
${
  item.mediaId
    ? html`<img class="thumb" src="/api/institutions/${inst.id}/media/${item.mediaId}/content" alt="${altLang ? item.alt[altLang]! : ctx.t('composer.imageUndescribed', { number: k + 1 })}"${altLang ? html` lang="${altLang}"` : ''}>
<input type="hidden" name="media[${k}][mediaId]" value="${item.mediaId}">`
    : html`<p>${ctx.t('composer.imageOutside', { url: item.url ?? '' })}</p><input type="hidden" name="media[${k}][url]" value="${item.url ?? ''}">`
}
<div class="media-fields">
${view ? html`<p class="muted">${view.width && view.height ? ctx.t('composer.imageFile', { name: view.fileName, width: view.width, height: view.height }) : view.fileName}</p>` : ''}
${langs.map((l) =>
  field(errors, {
    name: `media[${k}][alt][${l}]`,
    id: `f-media-${k}-alt-${l}`,
    errorKey: `media.${k}.altText.${l}`,
    label: ctx.t('composer.altText', { language: languageName(ctx, l) }),
    value: item.alt[l] ?? '',
    required: needed.includes(l),
    attrs: html` lang="${l}"`,
  }),
)}
<p class="choice"><input type="checkbox" id="f-media-${k}-remove" name="media[${k}][remove]" value="yes"> <label for="f-media-${k}-remove">${ctx.t('composer.removeImage', { number: k + 1 })}</label></p>
</div></div>
</fieldset>`;
  });
  const mb = Math.floor(MAX_UPLOAD_BYTES / (1024 * 1024));
  return html`<section aria-labelledby="images-h"><h2 id="images-h">${ctx.t('composer.images')}</h2>
<p class="hint">${ctx.t('composer.imagesHint')}</p>
${groupErrors(errors, (k) => k === 'media')}
${items}
<fieldset class="media-new">
<legend>${ctx.t('composer.newImage')}</legend>
${field(errors, { name: 'upload', id: 'f-upload', type: 'file', label: ctx.t('composer.upload'), hint: ctx.t('composer.uploadHint', { size: mb }), attrs: html` accept="image/png,image/jpeg,image/gif,image/webp" data-max-bytes="${MAX_UPLOAD_BYTES}" data-too-large="${ctx.t('composer.error.uploadTooLarge', { size: mb })}"` })}
<p class="field-error" id="f-upload-size" role="alert"></p>
${langs.map((l) =>
  field(errors, {
    name: `newAlt[${l}]`,
    id: `f-newAlt-${l}`,
    errorKey: `newAlt.${l}`,
    label: ctx.t('composer.altText', { language: languageName(ctx, l) }),
    hint: l === langs[0] ? ctx.t('composer.altHint') : undefined,
    value: state.newAlt[l] ?? '',
    attrs: html` lang="${l}"`,
  }),
)}
</fieldset>
</section>`;
}

function scheduleSection(ctx: WebContext, m: ComposerModel): SafeHtml {
  const inst = ctx.requiredInstitution;
  const { state, errors } = m;
  const zone = validZone(state.timeZone) ? state.timeZone : inst.timeZone;
  const when =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(state.scheduledAt) && !Number.isNaN(Date.parse(`${state.scheduledAt.slice(0, 16)}:00Z`))
      ? new Date(`${state.scheduledAt.slice(0, 16)}:00Z`)
      : new Date();
  const zoneName = new I18n(ctx.locale, zone).zoneName(when);
  const recurrenceOpen = Boolean(state.rrule) || Object.keys(errors.fields).some((k) => k === 'recurrence');
  return html`<section aria-labelledby="schedule-h"><h2 id="schedule-h">${ctx.t('composer.schedule')}</h2>
<div class="grid-2">
${field(errors, { name: 'scheduledAt', type: 'datetime-local', label: ctx.t('composer.scheduledAt'), hint: ctx.t('composer.scheduledAtHint', { zone: `${zone}, ${zoneName}` }), value: state.scheduledAt })}
${field(errors, {
  name: 'timeZone',
  label: ctx.t('composer.timeZone'),
  hint: ctx.t('composer.timeZoneHint', { zone: inst.timeZone, name: ctx.i18n.zoneName(when) }),
  value: state.timeZone,
  options: zoneOptions([inst.timeZone, zone]).map((z) => ({ value: z, label: z.replace(/_/g, ' ') })),
})}
</div>
<div class="grid-2">
${field(errors, { name: 'repeat', label: ctx.t('composer.recurrence'), value: state.repeat, options: REPEATS.map((r) => ({ value: r, label: ctx.t(`composer.repeat.${r}`) })) })}
${field(errors, { name: 'count', type: 'number', label: ctx.t('composer.count'), hint: ctx.t('composer.countHint'), value: state.count, attrs: html` min="1" max="366" inputmode="numeric"` })}
</div>
<details class="advanced"${recurrenceOpen ? html` open` : ''}><summary>${ctx.t('composer.advanced')}</summary>
${field(errors, { name: 'rrule', errorKey: 'recurrence', label: ctx.t('composer.rrule'), hint: ctx.t('composer.rruleHint'), value: state.rrule, attrs: html` autocomplete="off" spellcheck="false"` })}
</details>
</section>`;
}
