import { diffWords } from 'diff';
import type { RevisionContent } from '#src/modules/posts/post-revision.entity.js';
import { html, type SafeHtml } from '#src/web/html.js';
import type { WebContext } from '#src/web/web-context.js';

/** How the page names what a snapshot refers to by id. */
export interface DiffNames {
  channels: Map<string, string>;
  campaigns: Map<string, string>;
  language: (tag: string) => string;
  /** A schedule as people read it: date, time and zone. */
  schedule: (c: RevisionContent) => string;
}

interface Change {
  label: string;
  /** The language of the compared text (a post variant), for the `lang` attribute. */
  lang?: string;
  body: SafeHtml;
}

/**
 * A word diff, not conveyed by colour or strikethrough alone: every removed or added run also
 * says so in words, for screen readers (in the page's language, whatever the text's language).
 */
export function wordDiff(ctx: WebContext, before: string, after: string): SafeHtml {
  return html`${diffWords(before, after).map((part) =>
    part.removed
      ? html`<del><span class="sr-only" lang="${ctx.locale}">${ctx.t('post.diff.removedWord')} </span>${part.value}</del>`
      : part.added
        ? html`<ins><span class="sr-only" lang="${ctx.locale}">${ctx.t('post.diff.addedWord')} </span>${part.value}</ins>`
        : part.value,
  )}`;
}

function textChange(
  ctx: WebContext,
  out: Change[],
  label: string,
  before: string | undefined,
  after: string | undefined,
  lang?: string,
): void {
  if ((before ?? '') === (after ?? '')) return;
  const body =
    before === undefined
      ? html`<ins><span class="sr-only" lang="${ctx.locale}">${ctx.t('post.diff.addedWord')} </span>${after}</ins>`
      : after === undefined
        ? html`<del><span class="sr-only" lang="${ctx.locale}">${ctx.t('post.diff.removedWord')} </span>${before}</del>`
        : wordDiff(ctx, before, after);
  out.push({ label, lang, body });
}

const mediaKey = (m: RevisionContent['media'][number]) => m.mediaId ?? m.url;

/** Everything that differs between two versions of a post, item by item. */
export function contentChanges(ctx: WebContext, before: RevisionContent, after: RevisionContent, names: DiffNames): Change[] {
  const out: Change[] = [];
  if (before.campaignId !== after.campaignId) {
    textChange(
      ctx,
      out,
      ctx.t('post.diff.campaign'),
      names.campaigns.get(before.campaignId) ?? '?',
      names.campaigns.get(after.campaignId) ?? '?',
    );
  }
  const languages = [...new Set([...after.variants.map((v) => v.language), ...before.variants.map((v) => v.language)])];
  for (const language of languages) {
    const a = before.variants.find((v) => v.language === language);
    const b = after.variants.find((v) => v.language === language);
    const langName = names.language(language);
    textChange(ctx, out, ctx.t('post.diff.text', { language: langName }), a?.text, b?.text, language);
    const parts = Math.max(a?.thread?.length ?? 0, b?.thread?.length ?? 0);
    for (let i = 0; i < parts; i++) {
      textChange(ctx, out, ctx.t('post.diff.threadPart', { n: i + 2, language: langName }), a?.thread?.[i], b?.thread?.[i], language);
    }
  }
  const images = Math.max(before.media.length, after.media.length);
  for (let i = 0; i < images; i++) {
    const a = before.media[i];
    const b = after.media[i];
    if (a && b && mediaKey(a) !== mediaKey(b))
      out.push({ label: ctx.t('post.diff.image', { n: i + 1 }), body: html`${ctx.t('post.diff.imageReplaced')}` });
    else if (!a && b) out.push({ label: ctx.t('post.diff.image', { n: i + 1 }), body: html`<ins>${ctx.t('post.diff.imageAdded')}</ins>` });
    else if (a && !b)
      out.push({ label: ctx.t('post.diff.image', { n: i + 1 }), body: html`<del>${ctx.t('post.diff.imageRemoved')}</del>` });
    const alts = [...new Set([...Object.keys(b?.altText ?? {}), ...Object.keys(a?.altText ?? {})])];
    for (const language of alts) {
      textChange(
        ctx,
        out,
        ctx.t('post.diff.altText', { n: i + 1, language: names.language(language) }),
        a?.altText[language],
        b?.altText[language],
        language,
      );
    }
  }
  const added = after.channelIds.filter((id) => !before.channelIds.includes(id));
  const removed = before.channelIds.filter((id) => !after.channelIds.includes(id));
  if (added.length || removed.length) {
    const name = (id: string) => names.channels.get(id) ?? '?';
    out.push({
      label: ctx.t('post.diff.channels'),
      body: html`${added.map((id) => html`<ins><span class="sr-only">${ctx.t('post.diff.addedWord')} </span>${name(id)}</ins> `)}${removed.map(
        (id) => html`<del><span class="sr-only">${ctx.t('post.diff.removedWord')} </span>${name(id)}</del> `,
      )}`,
    });
  }
  const overrideKey = (o: RevisionContent['channelOverrides'][number]) => `${o.channelId} ${o.language ?? ''}`;
  const overrides = [...new Set([...after.channelOverrides.map(overrideKey), ...before.channelOverrides.map(overrideKey)])];
  for (const key of overrides) {
    const a = before.channelOverrides.find((o) => overrideKey(o) === key);
    const b = after.channelOverrides.find((o) => overrideKey(o) === key);
    const o = (b ?? a)!;
    const label = ctx.t('post.diff.override', {
      channel: names.channels.get(o.channelId) ?? '?',
      language: o.language ? names.language(o.language) : ctx.t('post.allLanguages'),
    });
    textChange(ctx, out, label, a?.text, b?.text, o.language ?? undefined);
  }
  textChange(ctx, out, ctx.t('post.diff.schedule'), names.schedule(before), names.schedule(after));
  textChange(
    ctx,
    out,
    ctx.t('post.diff.recurrence'),
    before.recurrence ?? ctx.t('post.noRecurrence'),
    after.recurrence ?? ctx.t('post.noRecurrence'),
  );
  return out;
}

/** The changes as a list a reviewer reads top to bottom; each item named, each text in its language. */
export function renderChanges(ctx: WebContext, changes: Change[]): SafeHtml {
  if (!changes.length) return html`<p>${ctx.t('post.diff.none')}</p>`;
  return html`<p class="muted">${ctx.t('post.diff.legend')}</p>
<ul class="diff-list">${changes.map(
    (c) => html`<li><h3>${c.label}</h3><p class="diff"${c.lang ? html` lang="${c.lang}"` : ''}>${c.body}</p></li>`,
  )}</ul>`;
}
