import { allows, type TargetStatus } from '#src/modules/publishing/target-transitions.js';
import { DateTime } from 'luxon';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import type { PostView } from '#src/modules/posts/post-views.service.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { excerpt, statusBadge } from '#src/web/pages/post-bits.js';
import type { WebContext } from '#src/web/web-context.js';

export type CalendarView = 'month' | 'week';

/** Whether a new time still applies to a target: the transition table's `rescheduled`, as the post's schedule moves it. */
const reschedulable = (t: { status: TargetStatus; occurrenceAt: Date | null }) => !t.occurrenceAt && allows('rescheduled', t.status);

/** What one calendar page shows: the period (days in the institution's zone), its posts and blackout windows. */
export interface CalendarModel {
  view: CalendarView;
  /** The day the page was asked for; its month or week is shown. */
  anchor: DateTime;
  today: DateTime;
  /** First day shown (a Monday) and the day after the last one, at midnight in the institution's zone. */
  start: DateTime;
  end: DateTime;
  posts: PostView[];
  blackouts: Blackout[];
  channelNames: Map<string, string>;
  /** The filter in force, kept in every link of the page. */
  filter: { channelId?: string; campaignId?: string };
}

/** `YYYY-MM-DD` as that day at midnight in `zone`, or null when it is not a real date. */
export function parseDay(value: unknown, zone: string): DateTime | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = DateTime.fromISO(value, { zone });
  return d.isValid ? d.startOf('day') : null;
}

/** The days of a month view: whole weeks, Monday first, around the month of `anchor`. */
export function monthRange(anchor: DateTime): { start: DateTime; end: DateTime } {
  const first = anchor.startOf('month');
  return { start: first.startOf('week'), end: first.endOf('month').startOf('week').plus({ weeks: 1 }) };
}

export function weekRange(anchor: DateTime): { start: DateTime; end: DateTime } {
  const start = anchor.startOf('week');
  return { start, end: start.plus({ weeks: 1 }) };
}

export function days(start: DateTime, end: DateTime): DateTime[] {
  const out: DateTime[] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 })) out.push(d);
  return out;
}

/** An address of the calendar with the filter kept. */
export function calendarHref(ctx: WebContext, view: CalendarView, date: DateTime | string, filter: CalendarModel['filter']): string {
  const q = new URLSearchParams({ view, date: typeof date === 'string' ? date : date.toISODate()! });
  if (filter.channelId) q.set('channelId', filter.channelId);
  if (filter.campaignId) q.set('campaignId', filter.campaignId);
  return `${ctx.path('/calendar')}?${q.toString()}`;
}

/** Whether this person may change this post's time, and the service would take it. */
export function canChangeTime(ctx: WebContext, post: PostView): boolean {
  switch (post.status) {
    case 'approved':
      return ctx.can('post.schedule') && (post.recurrence !== null || post.targets.some(reschedulable));
    case 'draft':
    case 'rejected':
      return ctx.can('post.write');
    case 'in_review':
      return ctx.can('post.write') && ctx.member?.role !== 'contributor';
    default:
      return false;
  }
}

/** The state a person cares about: an approved post's publications (scheduled, published, held ...), else the post's own. */
export function stateBadges(ctx: WebContext, post: PostView): SafeHtml {
  if (post.status === 'approved' && post.targets.length) {
    const states = [...new Set(post.targets.map((t) => t.status))];
    return html`${states.map((s, i) => html`${i ? ' ' : ''}${statusBadge(ctx, s, 'target')}`)}`;
  }
  return statusBadge(ctx, post.status, 'post');
}

/** A post's first words, marked with the language they are written in. */
export function postText(ctx: WebContext, post: PostView, max = 80): SafeHtml {
  const text = excerpt(post, max);
  const lang = post.variants[0]?.language;
  return text ? html`<span${lang ? html` lang="${lang}"` : ''}>${text}</span>` : html`${ctx.t('post.untitled')}`;
}

function channelsOf(post: PostView, names: Map<string, string>): string {
  return [...new Set(post.targets.map((t) => names.get(t.channelId)).filter((n): n is string => Boolean(n)))].join(', ');
}

function dayKey(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).toISODate()!;
}

/** Posts by the day (in the institution's zone) they are scheduled on, each day's by time. */
function postsByDay(posts: PostView[], zone: string): Map<string, PostView[]> {
  const out = new Map<string, PostView[]>();
  for (const post of [...posts].sort((a, b) => a.scheduledAt!.getTime() - b.scheduledAt!.getTime())) {
    const key = dayKey(post.scheduledAt!, zone);
    out.set(key, [...(out.get(key) ?? []), post]);
  }
  return out;
}

/** The blackout windows covering some of `day` (any moment of it, in the institution's zone). */
function blackoutsOn(blackouts: Blackout[], day: DateTime): Blackout[] {
  const from = day.toJSDate().getTime();
  const to = day.plus({ days: 1 }).toJSDate().getTime();
  return blackouts.filter((b) => b.startsAt.getTime() < to && b.endsAt.getTime() > from);
}

export function blackoutChannels(ctx: WebContext, b: Blackout, names: Map<string, string>): string {
  if (!b.channelIds.length) return ctx.t('calendar.allChannels');
  return b.channelIds.map((id) => names.get(id) ?? '?').join(', ');
}

function blackoutNote(ctx: WebContext, b: Blackout, names: Map<string, string>): SafeHtml {
  return html`<p class="cal-blackout"><span class="badge s-held">${ctx.t('calendar.blackout')}</span> ${b.reason} <span class="meta">(${blackoutChannels(ctx, b, names)})</span></p>`;
}

function postItem(ctx: WebContext, m: CalendarModel, post: PostView, withDate: boolean): SafeHtml {
  const at = post.scheduledAt!;
  const local = DateTime.fromJSDate(at, { zone: m.anchor.zone });
  const channels = channelsOf(post, m.channelNames);
  const movable = canChangeTime(ctx, post);
  const timeHref = `${ctx.path(`/calendar/posts/${post.id}/time`)}?view=${m.view}`;
  return html`<li class="cal-post"${movable ? html` draggable="true" data-post="${post.id}" data-action="${ctx.path(`/calendar/posts/${post.id}/time`)}" data-time="${local.toFormat('HH:mm')}"` : ''}>
<time datetime="${at.toISOString()}">${withDate ? ctx.i18n.dateTime(at) : ctx.i18n.time(at)}</time>
<a class="post-link" href="${ctx.path(`/posts/${post.id}`)}">${postText(ctx, post)}</a>
<span class="meta">${channels ? html`${channels} · ` : ''}${stateBadges(ctx, post)}${post.recurrence ? html` · ${ctx.t('calendar.repeats')}` : ''}</span>
${movable ? html`<a class="cal-move" href="${timeHref}">${ctx.t('calendar.changeTime')}<span class="sr-only"> ${ctx.t('calendar.changeTimeOf', { post: excerpt(post, 40) || ctx.t('post.untitled') })}</span></a>` : ''}
</li>`;
}

function newPostLink(ctx: WebContext, day: DateTime): SafeHtml {
  if (!ctx.can('post.write')) return html``;
  return html`<a class="cal-new" href="${ctx.path('/posts/new')}?date=${day.toISODate()!}">+ ${ctx.t('calendar.newOnDay')}<span class="sr-only"> ${ctx.t('calendar.newOnDayFull', { date: ctx.i18n.date(day.toJSDate()) })}</span></a>`;
}

/** A real table: weeks as rows, Monday first, every day its blackouts, posts, and a way to write one for it. */
export function monthTable(ctx: WebContext, m: CalendarModel): SafeHtml {
  const zone = m.anchor.zoneName!;
  const byDay = postsByDay(m.posts, zone);
  const all = days(m.start, m.end);
  const weeks: DateTime[][] = [];
  for (let i = 0; i < all.length; i += 7) weeks.push(all.slice(i, i + 7));
  const caption = ctx.i18n.format(m.anchor.set({ day: 1, hour: 12 }).toJSDate(), { month: 'long', year: 'numeric' });
  const head = weeks[0]!.map((d) => html`<th scope="col">${ctx.i18n.format(d.set({ hour: 12 }).toJSDate(), { weekday: 'long' })}</th>`);
  const cell = (d: DateTime) => {
    const key = d.toISODate()!;
    const posts = byDay.get(key) ?? [];
    const closed = blackoutsOn(m.blackouts, d);
    const outside = d.month !== m.anchor.month;
    const isToday = d.hasSame(m.today, 'day');
    const cls = ['cal-day', outside ? 'outside' : '', isToday ? 'today' : '', closed.length ? 'closed' : ''].filter(Boolean).join(' ');
    return html`<td class="${cls}" data-date="${key}">
<p class="cal-date"><time datetime="${key}">${outside ? ctx.i18n.format(d.set({ hour: 12 }).toJSDate(), { day: 'numeric', month: 'short' }) : d.day}</time>${isToday ? html` <strong class="cal-today">${ctx.t('calendar.today')}</strong>` : ''}</p>
${closed.map((b) => blackoutNote(ctx, b, m.channelNames))}
${posts.length ? html`<ul class="cal-posts">${posts.map((p) => postItem(ctx, m, p, false))}</ul>` : ''}
${newPostLink(ctx, d)}
</td>`;
  };
  return html`<div class="table-wrap"><table class="calendar month" data-zone="${zone}">
<caption>${caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${weeks.map((w) => html`<tr>${w.map(cell)}</tr>`)}</tbody>
</table></div>`;
}

/** Seven days, each a section with its blackouts and its posts by time. */
export function weekList(ctx: WebContext, m: CalendarModel): SafeHtml {
  const zone = m.anchor.zoneName!;
  const byDay = postsByDay(m.posts, zone);
  return html`<ol class="cal-week">${days(m.start, m.end).map((d) => {
    const key = d.toISODate()!;
    const posts = byDay.get(key) ?? [];
    const isToday = d.hasSame(m.today, 'day');
    const closed = blackoutsOn(m.blackouts, d);
    const title = ctx.i18n.format(d.set({ hour: 12 }).toJSDate(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    return html`<li class="cal-day${isToday ? ' today' : ''}${closed.length ? ' closed' : ''}" data-date="${key}">
<h3 id="day-${key}"><time datetime="${key}">${title}</time>${isToday ? html` <strong class="cal-today">${ctx.t('calendar.today')}</strong>` : ''}</h3>
${closed.map((b) => blackoutNote(ctx, b, m.channelNames))}
${posts.length ? html`<ul class="cal-posts">${posts.map((p) => postItem(ctx, m, p, false))}</ul>` : html`<p class="muted">${ctx.t('calendar.noPosts')}</p>`}
${newPostLink(ctx, d)}
</li>`;
  })}</ol>`;
}

/** The windows of the period in words: reason, exact times, channels. */
export function blackoutList(ctx: WebContext, m: CalendarModel): SafeHtml {
  if (!m.blackouts.length) return html`<p>${ctx.t('calendar.blackoutNone')}</p>`;
  return html`<ul class="cal-blackouts">${[...m.blackouts]
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .map(
      (b) =>
        html`<li><strong>${b.reason}</strong>: ${ctx.t('calendar.blackoutRange', { from: ctx.i18n.dateTime(b.startsAt), to: ctx.i18n.dateTime(b.endsAt) })} · ${blackoutChannels(ctx, b, m.channelNames)}</li>`,
    )}</ul>`;
}
