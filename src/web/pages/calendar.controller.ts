import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { Clock } from '#src/common/clock.js';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { SchedulePostDto } from '#src/modules/posts/dto/post.dto.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { errorSummary, field, formErrors, NO_ERRORS, str, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { csrfField } from '#src/web/layout.js';
import {
  blackoutList,
  calendarHref,
  canChangeTime,
  monthRange,
  monthTable,
  parseDay,
  postText,
  stateBadges,
  weekList,
  weekRange,
  type CalendarModel,
  type CalendarView,
} from '#src/web/pages/calendar-view.js';
import { statusBadge } from '#src/web/pages/post-bits.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Posts fetched for one page at most (five pages of the service's largest). */
const MAX_POSTS = 1000;
const PAGE = 200;

const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')];

const viewOf = (v: unknown): CalendarView => (v === 'week' ? 'week' : 'month');
/** A filter value only when it names something in the list (anything else shows everything). */
const pick = (v: unknown, known: string[]) => (typeof v === 'string' && UUID.test(v) && known.includes(v) ? v : undefined);

/** The calendar of an institution (month and week), and changing a post's time from it. */
@ApiExcludeController()
@Controller('app/:slug')
export class CalendarPageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly posts: PostsService,
    private readonly review: PostReviewService,
    private readonly views: PostViewsService,
    private readonly channels: ChannelsService,
    private readonly campaigns: CampaignsService,
    private readonly blackouts: BlackoutsService,
    private readonly clock: Clock,
  ) {}

  @Get('calendar')
  async page(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const zone = inst.timeZone;
    const today = DateTime.fromJSDate(this.clock.now(), { zone }).startOf('day');
    const view = viewOf(req.query.view);
    const anchor = parseDay(req.query.date, zone) ?? today;
    const { start, end } = view === 'month' ? monthRange(anchor) : weekRange(anchor);

    const channels = ctx.can('channel.read') ? (await this.channels.list(p, inst.id, { limit: PAGE, offset: 0 })).items : [];
    const campaigns = (await this.campaigns.list(p, inst.id, { limit: PAGE, offset: 0 })).items;
    const filter = {
      channelId: pick(
        req.query.channelId,
        channels.map((c) => c.id),
      ),
      campaignId: pick(
        req.query.campaignId,
        campaigns.map((c) => c.id),
      ),
    };

    const posts: PostView[] = [];
    let total = 0;
    do {
      const got = await this.views.list(p, inst.id, {
        from: start.toUTC().toISO()!,
        to: end.toUTC().toISO()!,
        ...filter,
        limit: PAGE,
        offset: posts.length,
      });
      posts.push(...got.items);
      total = got.total;
      if (!got.items.length) break;
    } while (posts.length < total && posts.length < MAX_POSTS);

    const windows = ctx.can('blackout.read') ? (await this.blackouts.list(p, inst.id, { limit: PAGE, offset: 0 })).items : [];
    const blackouts = windows.filter(
      (b) =>
        b.startsAt < end.toJSDate() &&
        b.endsAt > start.toJSDate() &&
        (!filter.channelId || !b.channelIds.length || b.channelIds.includes(filter.channelId)),
    );
    const m: CalendarModel = {
      view,
      anchor,
      today,
      start,
      end,
      posts,
      blackouts,
      channelNames: new Map(channels.map((c) => [c.id, c.displayName])),
      filter,
    };

    const monthName = (d: DateTime) => ctx.i18n.format(d.set({ day: 1, hour: 12 }).toJSDate(), { month: 'long', year: 'numeric' });
    const step = view === 'month' ? { months: 1 } : { weeks: 1 };
    const prev = anchor.minus(step);
    const next = anchor.plus(step);
    const periodNav = html`<nav class="cal-nav" aria-label="${ctx.t('calendar.navLabel')}">
<ul class="cal-views" aria-label="${ctx.t('calendar.viewLabel')}">
<li><a href="${calendarHref(ctx, 'month', anchor, filter)}"${view === 'month' ? html` aria-current="page"` : ''}>${ctx.t('calendar.viewMonth')}</a></li>
<li><a href="${calendarHref(ctx, 'week', anchor, filter)}"${view === 'week' ? html` aria-current="page"` : ''}>${ctx.t('calendar.viewWeek')}</a></li>
</ul>
<ul class="cal-steps">
<li><a href="${calendarHref(ctx, view, prev, filter)}" rel="prev">← ${view === 'month' ? ctx.t('calendar.previousMonth', { month: monthName(prev) }) : ctx.t('calendar.previousWeek')}</a></li>
<li><a href="${calendarHref(ctx, view, today, filter)}">${view === 'month' ? ctx.t('calendar.thisMonth') : ctx.t('calendar.thisWeek')}</a></li>
<li><a href="${calendarHref(ctx, view, next, filter)}" rel="next">${view === 'month' ? ctx.t('calendar.nextMonth', { month: monthName(next) }) : ctx.t('calendar.nextWeek')} →</a></li>
</ul>
</nav>`;

    const options = (items: Array<{ id: string; label: string }>) => [
      { value: '', label: ctx.t('calendar.filterAll') },
      ...items.map((i) => ({ value: i.id, label: i.label })),
    ];
    const filterForm = html`<form method="get" action="${ctx.path('/calendar')}" class="cal-filter" role="search" aria-label="${ctx.t('calendar.filterTitle')}">
<input type="hidden" name="view" value="${view}"><input type="hidden" name="date" value="${anchor.toISODate()!}">
${channels.length ? field(NO_ERRORS, { name: 'channelId', label: ctx.t('calendar.filterChannel'), value: filter.channelId ?? '', options: options(channels.map((c) => ({ id: c.id, label: c.displayName }))) }) : ''}
${field(NO_ERRORS, { name: 'campaignId', label: ctx.t('calendar.filterCampaign'), value: filter.campaignId ?? '', options: options(campaigns.map((c) => ({ id: c.id, label: c.title }))) })}
<div class="actions"><button type="submit">${ctx.t('calendar.filterApply')}</button>
${filter.channelId || filter.campaignId ? html`<a href="${calendarHref(ctx, view, anchor, {})}">${ctx.t('calendar.filterClear')}</a>` : ''}</div>
</form>`;

    const weekTitle = ctx.t('calendar.weekOf', {
      from: ctx.i18n.date(start.toJSDate()),
      to: ctx.i18n.date(end.minus({ days: 1 }).toJSDate()),
    });
    const body = html`${periodNav}
${filterForm}
<p class="muted">${ctx.t('calendar.timesIn', { zone: ctx.i18n.zoneName(anchor.toJSDate()), id: zone })}</p>
${total > posts.length ? html`<p class="banner warn" role="status">${ctx.t('calendar.truncated', { shown: posts.length, total })}</p>` : ''}
${
  view === 'month'
    ? html`<h2 class="sr-only">${monthName(anchor)}</h2>
<p class="muted cal-drag-hint" hidden>${ctx.t('calendar.dragHint')}</p>
<p class="cal-live" role="status" aria-live="polite" data-moving="${ctx.t('calendar.dragMoving')}" data-failed="${ctx.t('calendar.dragFailed')}" data-refused="${ctx.t('calendar.dragRefused', { reason: '{reason}' })}"></p>
${monthTable(ctx, m)}`
    : html`<h2>${weekTitle}</h2>${weekList(ctx, m)}`
}
${ctx.can('blackout.read') ? html`<section aria-labelledby="cal-blackouts-h"><h2 id="cal-blackouts-h">${ctx.t('calendar.blackoutsTitle')}</h2>${blackoutList(ctx, m)}</section>` : ''}
${view === 'month' ? csrfField(ctx) : ''}`;
    ctx.render(ctx.t('calendar.title'), body, { nav: 'calendar' });
  }

  @Get('calendar/posts/:postId/time')
  async timeForm(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const post = await this.views.get(ctx.requiredPrincipal, postId, inst.id);
    const scheduledAt = post.scheduledAt
      ? DateTime.fromJSDate(post.scheduledAt, { zone: inst.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm")
      : '';
    await this.renderTime(ctx, post, { scheduledAt, timeZone: inst.timeZone }, viewOf(req.query.view), NO_ERRORS);
  }

  @Post('calendar/posts/:postId/time')
  async changeTime(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const post = await this.views.get(p, postId, inst.id);
    const values = { scheduledAt: str(body.scheduledAt).trim(), timeZone: str(body.timeZone).trim() || inst.timeZone };
    const view = viewOf(body.view);
    try {
      const dto = await toDto(SchedulePostDto, values);
      // An approved post is rescheduled (its publications move); a draft's time is part of its content.
      if (post.status === 'approved') await this.review.schedule(p, post.id, dto.scheduledAt, dto.timeZone);
      else await this.posts.update(p, post.id, { scheduledAt: dto.scheduledAt, timeZone: dto.timeZone }, inst.id);
      const moved = await this.views.get(p, post.id, inst.id);
      const day = DateTime.fromJSDate(moved.scheduledAt!, { zone: inst.timeZone }).toISODate()!;
      ctx.redirect(calendarHref(ctx, view, day, {}), 'notice.calendarRescheduled');
    } catch (err) {
      const errors = timeErrors(ctx, err);
      await this.renderTime(ctx, post, values, view, errors, (err as HttpException).getStatus());
    }
  }

  private async renderTime(
    ctx: WebContext,
    post: PostView,
    values: { scheduledAt: string; timeZone: string },
    view: CalendarView,
    errors: FormErrors,
    status = 200,
  ): Promise<void> {
    const inst = ctx.requiredInstitution;
    const names = ctx.can('channel.read')
      ? new Map(
          (await this.channels.list(ctx.requiredPrincipal, inst.id, { limit: PAGE, offset: 0 })).items.map((c) => [c.id, c.displayName]),
        )
      : new Map<string, string>();
    const channels = [...new Set(post.targets.map((t) => names.get(t.channelId)).filter(Boolean))].join(', ');
    const back = calendarHref(
      ctx,
      view,
      post.scheduledAt
        ? DateTime.fromJSDate(post.scheduledAt, { zone: inst.timeZone })
        : DateTime.fromJSDate(this.clock.now(), { zone: inst.timeZone }),
      {},
    );
    const zoneName = ctx.i18n.zoneName(post.scheduledAt ?? this.clock.now());
    const allowed = canChangeTime(ctx, post);
    const note: SafeHtml | string =
      post.status === 'approved'
        ? ctx.t('calendar.timeApprovedNote')
        : post.status === 'in_review'
          ? ctx.t('calendar.timeReviewNote')
          : ctx.t('calendar.timeDraftNote');
    const zones = ZONES.includes(values.timeZone) ? ZONES : [values.timeZone, ...ZONES];
    const form = html`<form method="post" action="${ctx.path(`/calendar/posts/${post.id}/time`)}" class="stack" novalidate>${csrfField(ctx)}
<input type="hidden" name="view" value="${view}">
${field(errors, { name: 'scheduledAt', label: ctx.t('calendar.timeField'), type: 'datetime-local', value: values.scheduledAt, required: true, hint: ctx.t('calendar.timeFieldHint') })}
${field(errors, { name: 'timeZone', label: ctx.t('calendar.zoneField'), value: values.timeZone, required: true, hint: ctx.t('calendar.zoneHint', { zone: zoneName, id: inst.timeZone }), options: zones.map((z) => ({ value: z, label: z })) })}
<div class="actions"><button type="submit" class="primary">${ctx.t('calendar.timeSubmit')}</button> <a href="${back}">${ctx.t('form.cancel')}</a></div>
</form>`;
    const refusal =
      !ctx.can(post.status === 'approved' ? 'post.schedule' : 'post.write') ||
      (post.status === 'in_review' && ctx.member?.role === 'contributor')
        ? ctx.t('calendar.timeNotAllowed')
        : ctx.t('calendar.timeNotNow', { status: ctx.t(`status.post.${post.status}`) });
    const body = html`<div class="narrow">
${errorSummary(ctx.i18n, errors)}
<section aria-labelledby="time-post-h"><h2 id="time-post-h">${ctx.t('calendar.timePost')}</h2>
<p><a href="${ctx.path(`/posts/${post.id}`)}">${postText(ctx, post, 200)}</a></p>
<p class="meta">${channels ? html`${channels} · ` : ''}${post.status === 'approved' ? stateBadges(ctx, post) : statusBadge(ctx, post.status, 'post')}</p>
<p>${post.scheduledAt ? ctx.t('calendar.timeCurrent', { time: `${ctx.i18n.dateTime(post.scheduledAt)} (${inst.timeZone})` }) : ctx.t('calendar.timeUnscheduled')}</p>
</section>
${allowed ? html`<p class="banner warn">${note}</p>${form}` : html`<p>${refusal}</p>`}
</div>`;
    ctx.render(ctx.t('calendar.timeTitle'), body, { nav: 'calendar', back: { href: back, label: ctx.t('calendar.timeBack') } }, status);
  }
}

/** A refused time, said next to the field: a blackout window in words, a time the clocks skip, a zone not in the list. */
function timeErrors(ctx: WebContext, err: unknown): FormErrors {
  if (err instanceof HttpException) {
    const body = err.getResponse() as {
      code?: string;
      details?: { blackout?: { reason: string; startsAt: string | Date; endsAt: string | Date } };
    };
    const b = body.details?.blackout;
    if (body.code === 'blackout' && b) {
      const problem = ctx.t('calendar.inBlackout', {
        reason: b.reason,
        from: ctx.i18n.dateTime(new Date(b.startsAt)),
        to: ctx.i18n.dateTime(new Date(b.endsAt)),
      });
      return { summary: null, fields: { scheduledAt: [problem] } };
    }
    if (body.code === 'invalid_transition') return { summary: ctx.t('calendar.cannotReschedule'), fields: {} };
  }
  const errors = formErrors(err, ctx.i18n);
  const fields: Record<string, string[]> = {};
  for (const [name, problems] of Object.entries(errors.fields)) {
    const said = problems.map((problem) =>
      /does not exist in/.test(problem)
        ? ctx.t('calendar.timeSkipped')
        : /happens twice in/.test(problem)
          ? ctx.t('calendar.timeTwice')
          : name === 'timeZone'
            ? ctx.t('calendar.badZone')
            : problem,
    );
    fields[name] = [...new Set(said)];
  }
  return { summary: Object.keys(fields).length ? null : errors.summary, fields };
}
