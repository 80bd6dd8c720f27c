import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { postSummary } from '#src/web/pages/post-bits.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

const LIMIT = 200;

/**
 * The review inbox: what waits for my review (posts in review I neither wrote nor edited, if my
 * role approves), my posts waiting for another reviewer, and my posts sent back to me with the reason.
 */
@ApiExcludeController()
@Controller('app/:slug')
export class ReviewPageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly views: PostViewsService,
    private readonly channels: ChannelsService,
  ) {}

  @Get('review')
  async inbox(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const inReview = (await this.views.list(p, inst.id, { status: 'in_review', limit: LIMIT, offset: 0 })).items;
    const rejected = (await this.views.list(p, inst.id, { status: 'rejected', limit: LIMIT, offset: 0 })).items;
    const forMe = ctx.can('post.approve') ? inReview.filter((post) => !post.authorIds.includes(p.userId)) : [];
    const mine = inReview.filter((post) => post.authorIds.includes(p.userId));
    const sentBack = rejected.filter((post) => post.authorIds.includes(p.userId));
    const names = await this.channelNames(ctx, [...forMe, ...mine, ...sentBack]);

    const body = html`
<section aria-labelledby="for-me-h"><h2 id="for-me-h">${ctx.t('review.forMe', { count: forMe.length })}</h2>
${ctx.can('post.approve') ? list(ctx, forMe, names, ctx.t('review.forMeNone')) : html`<p>${ctx.t('review.notReviewer')}</p>`}
</section>
<section aria-labelledby="mine-h"><h2 id="mine-h">${ctx.t('review.mine', { count: mine.length })}</h2>
${ctx.can('post.approve') && mine.length ? html`<p class="muted">${ctx.t('review.mineWhy')}</p>` : ''}
${list(ctx, mine, names, ctx.t('review.mineNone'))}
</section>
<section aria-labelledby="back-h"><h2 id="back-h">${ctx.t('review.sentBack', { count: sentBack.length })}</h2>
${
  sentBack.length
    ? html`<ul class="post-list">${sentBack.map(
        (post) => html`<li>${postSummary(ctx, post, names)}
<p class="reason-line"><strong>${ctx.t('review.reason')}</strong> <span class="reason">${post.rejectionReason ?? ''}</span></p></li>`,
      )}</ul>`
    : html`<p>${ctx.t('review.sentBackNone')}</p>`
}
</section>`;
    ctx.render(ctx.t('review.title'), body, { nav: 'review' });
  }

  /** Channel names for the lists; a contributor (who may not list channels) gets those of the posts shown. */
  private async channelNames(ctx: WebContext, posts: PostView[]): Promise<Map<string, string>> {
    const p = ctx.requiredPrincipal;
    const inst = ctx.requiredInstitution;
    if (ctx.can('channel.read'))
      return new Map((await this.channels.list(p, inst.id, { limit: 200, offset: 0 })).items.map((c) => [c.id, c.displayName]));
    const names = new Map<string, string>();
    for (const post of posts) {
      const labels = await this.views.labels(p, post.id, [], inst.id);
      for (const [id, c] of labels.channels) names.set(id, c.displayName);
    }
    return names;
  }
}

function list(ctx: WebContext, posts: PostView[], names: Map<string, string>, none: string): SafeHtml {
  if (!posts.length) return html`<p>${none}</p>`;
  return html`<ul class="post-list">${posts.map((post) => html`<li>${postSummary(ctx, post, names)}</li>`)}</ul>`;
}
