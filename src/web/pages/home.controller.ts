import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { Clock } from '#src/common/clock.js';
import { ChannelsService, type ChannelView } from '#src/modules/channels/channels.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';
import { postSummary, statusBadge } from '#src/web/pages/post-bits.js';

/** An institution's home: what goes out today, what waits for my review, what needs fixing. */
@ApiExcludeController()
@Controller('app/:slug')
export class HomePageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly views: PostViewsService,
    private readonly channels: ChannelsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const day = DateTime.fromJSDate(this.clock.now()).setZone(inst.timeZone).startOf('day');
    const channels = ctx.can('channel.read') ? (await this.channels.list(p, inst.id, { limit: 200, offset: 0 })).items : [];
    const names = new Map(channels.map((c) => [c.id, c.displayName]));
    const today = (
      await this.views.list(p, inst.id, { from: day.toUTC().toISO()!, to: day.plus({ days: 1 }).toUTC().toISO()!, limit: 100, offset: 0 })
    ).items;
    const inReview = (await this.views.list(p, inst.id, { status: 'in_review', limit: 100, offset: 0 })).items;
    const mine = inReview.filter((post) => post.authorIds.includes(p.userId));
    const forMe = ctx.can('post.approve') ? inReview.filter((post) => !post.authorIds.includes(p.userId)) : [];
    const reconnect = channels.filter((c) => c.status === 'needs_reconnect');

    const body = html`
${ctx.can('post.write') ? html`<p><a class="button primary" href="${ctx.path('/posts/new')}">${ctx.t('home.compose')}</a></p>` : ''}
<div class="grid-2">
<section aria-labelledby="today-h"><h2 id="today-h">${ctx.t('home.today', { date: ctx.i18n.date(day.toJSDate()) })}</h2>
${list(ctx, today, names, ctx.t('home.todayNone'))}</section>
<section aria-labelledby="review-h"><h2 id="review-h">${ctx.t('home.review')}</h2>
${ctx.can('post.approve') ? list(ctx, forMe, names, ctx.t('home.reviewNone')) : html`<p>${ctx.t('home.reviewNotYours')}</p>`}
${mine.length ? html`<p class="muted">${ctx.t('home.reviewMine', { count: mine.length })} <a href="${ctx.path('/review')}">${ctx.t('home.reviewInbox')}</a></p>` : ''}
</section>
</div>
${ctx.can('channel.read') ? channelsSection(ctx, reconnect) : ''}`;
    ctx.render(ctx.t('home.title'), body, { nav: 'home' });
  }
}

function list(ctx: WebContext, posts: PostView[], names: Map<string, string>, none: string): SafeHtml {
  if (!posts.length) return html`<p>${none}</p>`;
  return html`<ul class="post-list">${posts.map((post) => html`<li>${postSummary(ctx, post, names)}</li>`)}</ul>`;
}

function channelsSection(ctx: WebContext, reconnect: ChannelView[]): SafeHtml {
  return html`<section aria-labelledby="channels-h"><h2 id="channels-h">${ctx.t('home.channels')}</h2>
${
  reconnect.length
    ? html`<ul>${reconnect.map((c) => html`<li>${statusBadge(ctx, 'needs_reconnect', 'channel')} ${c.displayName} (${c.platform}) <a href="${ctx.path('/channels')}#channel-${c.id}">${ctx.t('home.reconnect')}</a></li>`)}</ul>`
    : html`<p>${ctx.t('home.channelsOk')}</p>`
}</section>`;
}
