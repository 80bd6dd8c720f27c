import type { MessageKey } from '#src/web/i18n/messages.js';
import type { PostView } from '#src/modules/posts/post-views.service.js';
import { html, type SafeHtml } from '#src/web/html.js';
import type { WebContext } from '#src/web/web-context.js';

/** A status as a labelled badge; the colour only repeats what the word says. */
export function statusBadge(ctx: WebContext, status: string, kind: 'post' | 'target' | 'channel'): SafeHtml {
  const key = `status.${kind}.${status}`;
  return html`<span class="badge s-${status}">${ctx.i18n.has(key) ? ctx.t(key as MessageKey) : status}</span>`;
}

/** The start of a post's text, in the first language it has. */
export function excerpt(post: Pick<PostView, 'variants'>, max = 140): string {
  const text = post.variants[0]?.text ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One post in a list: its time, its words, its state, where it goes; the link leads to the post. */
export function postSummary(ctx: WebContext, post: PostView, channelNames: Map<string, string>): SafeHtml {
  const channels = [...new Set(post.targets.map((t) => channelNames.get(t.channelId) ?? '?'))];
  const language = post.variants[0]?.language;
  return html`<a class="post-link" href="${ctx.path(`/posts/${post.id}`)}"${language && excerpt(post) ? html` lang="${language}"` : ''}>${excerpt(post) || ctx.t('post.untitled')}</a>
<span class="meta">${post.scheduledAt ? html`<time datetime="${post.scheduledAt.toISOString()}">${ctx.i18n.dateTime(post.scheduledAt)}</time> · ` : ''}${statusBadge(ctx, post.status, 'post')}${channels.length ? html` · ${channels.join(', ')}` : ''}</span>`;
}
