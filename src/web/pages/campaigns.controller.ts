import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { Clock } from '#src/common/clock.js';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import type { CampaignView } from '#src/modules/campaigns/campaigns.repository.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { CreateCampaignDto, UpdateCampaignDto } from '#src/modules/campaigns/dto/campaign.dto.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import type { Partner } from '#src/modules/partners/partner.entity.js';
import { PartnersService } from '#src/modules/partners/partners.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { ReportsService } from '#src/modules/reports/reports.service.js';
import { NO_ERRORS, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { campaignErrors, campaignForm, EMPTY_FORM, formOf, plainOf, readForm, type CampaignForm } from '#src/web/pages/campaigns-form.js';
import { engagementSection, type Engagement } from '#src/web/pages/campaigns-engagement.js';
import { postText } from '#src/web/pages/calendar-view.js';
import { statusBadge } from '#src/web/pages/post-bits.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

const PAGE = 200;
const MAX_POSTS = 1000;

/** A campaign's calendar dates (YYYY-MM-DD, in the institution's zone) in the user's words. */
function day(ctx: WebContext, d: string): string {
  return ctx.i18n.date(DateTime.fromISO(d, { zone: ctx.requiredInstitution.timeZone }).set({ hour: 12 }).toJSDate());
}

/** The campaigns of an institution, one campaign's page (posts per channel, engagement), creating and changing them. */
@ApiExcludeController()
@Controller('app/:slug')
export class CampaignPagesController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly campaigns: CampaignsService,
    private readonly partners: PartnersService,
    private readonly views: PostViewsService,
    private readonly channels: ChannelsService,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  @Get('campaigns')
  async list(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.renderList(ctx, EMPTY_FORM, NO_ERRORS);
  }

  @Post('campaigns')
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const form = readForm(body);
    try {
      const dto = await toDto(CreateCampaignDto, plainOf(form));
      const campaign = await this.campaigns.create(ctx.requiredPrincipal, ctx.requiredInstitution.id, dto);
      ctx.redirect(ctx.path(`/campaigns/${campaign.id}`), 'notice.campaignCreated');
    } catch (err) {
      await this.renderList(ctx, form, campaignErrors(ctx, err), (err as HttpException).getStatus());
    }
  }

  @Get('campaigns/:campaignId')
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('campaignId', uuid('campaignId')) campaignId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const campaign = await this.campaigns.get(ctx.requiredPrincipal, ctx.requiredInstitution.id, campaignId);
    await this.renderCampaign(ctx, campaign, formOf(campaign), NO_ERRORS);
  }

  @Post('campaigns/:campaignId')
  async update(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('campaignId', uuid('campaignId')) campaignId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const campaign = await this.campaigns.get(ctx.requiredPrincipal, inst.id, campaignId);
    const form = readForm(body);
    try {
      const dto = await toDto(UpdateCampaignDto, plainOf(form));
      await this.campaigns.update(ctx.requiredPrincipal, inst.id, campaign.id, dto);
      ctx.redirect(ctx.path(`/campaigns/${campaign.id}`), 'notice.campaignSaved');
    } catch (err) {
      await this.renderCampaign(ctx, campaign, form, campaignErrors(ctx, err), (err as HttpException).getStatus());
    }
  }

  private async partnerList(ctx: WebContext): Promise<Partner[]> {
    return ctx.can('partner.read')
      ? (await this.partners.list(ctx.requiredPrincipal, ctx.requiredInstitution.id, { limit: PAGE, offset: 0 })).items
      : [];
  }

  private async renderList(ctx: WebContext, form: CampaignForm, errors: FormErrors, status = 200): Promise<void> {
    const inst = ctx.requiredInstitution;
    const campaigns = (await this.campaigns.list(ctx.requiredPrincipal, inst.id, { limit: PAGE, offset: 0 })).items;
    const partners = await this.partnerList(ctx);
    const names = new Map(partners.map((p) => [p.id, p.name]));
    const showPartners = ctx.can('partner.read');
    const table = campaigns.length
      ? html`<div class="table-wrap"><table class="campaigns">
<caption>${ctx.t('campaigns.tableCaption', { institution: inst.name })}</caption>
<thead><tr><th scope="col">${ctx.t('campaigns.colTitle')}</th><th scope="col">${ctx.t('campaigns.colDates')}</th><th scope="col">${ctx.t('campaigns.colGoal')}</th>${showPartners ? html`<th scope="col">${ctx.t('campaigns.colPartners')}</th>` : ''}</tr></thead>
<tbody>${campaigns.map(
          (c) => html`<tr><th scope="row"><a href="${ctx.path(`/campaigns/${c.id}`)}">${c.title}</a></th>
<td>${ctx.t('campaigns.dates', { from: day(ctx, c.startsOn), to: day(ctx, c.endsOn) })}</td>
<td>${c.goal}</td>
${showPartners ? html`<td>${c.partnerIds.length ? c.partnerIds.map((id) => names.get(id) ?? '?').join(', ') : html`<span class="muted">${ctx.t('campaigns.noPartners')}</span>`}</td>` : ''}</tr>`,
        )}</tbody></table></div>`
      : html`<p>${ctx.member?.role === 'contributor' ? ctx.t('campaigns.noneShared') : ctx.t('campaigns.none')}</p>`;
    const create = ctx.can('campaign.write')
      ? html`<section aria-labelledby="new-campaign-h" class="narrow"><h2 id="new-campaign-h">${ctx.t('campaigns.newTitle')}</h2>
${campaignForm(ctx, ctx.path('/campaigns'), form, errors, partners, ctx.t('campaigns.create'), 'new')}</section>`
      : '';
    ctx.render(ctx.t('campaigns.title'), html`${table}${create}`, { nav: 'campaigns' }, status);
  }

  private async renderCampaign(
    ctx: WebContext,
    campaign: CampaignView,
    form: CampaignForm,
    errors: FormErrors,
    status = 200,
  ): Promise<void> {
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const partners = await this.partnerList(ctx);
    const partnerNames = new Map(partners.map((x) => [x.id, x.name]));
    const channels = ctx.can('channel.read') ? (await this.channels.list(p, inst.id, { limit: PAGE, offset: 0 })).items : [];
    const channelNames = new Map(channels.map((c) => [c.id, c.displayName]));

    const posts: PostView[] = [];
    let total = 0;
    do {
      const got = await this.views.list(p, inst.id, { campaignId: campaign.id, limit: PAGE, offset: posts.length });
      posts.push(...got.items);
      total = got.total;
      if (!got.items.length) break;
    } while (posts.length < total && posts.length < MAX_POSTS);

    const none = html`<span class="muted">${ctx.t('campaigns.nothing')}</span>`;
    const details = html`<section aria-labelledby="about-h"><h2 id="about-h">${ctx.t('campaigns.details')}</h2>
<dl class="campaign-facts">
<dt>${ctx.t('campaigns.colDates')}</dt><dd>${ctx.t('campaigns.dates', { from: day(ctx, campaign.startsOn), to: day(ctx, campaign.endsOn) })}</dd>
<dt>${ctx.t('campaigns.colGoal')}</dt><dd>${campaign.goal || none}</dd>
<dt>${ctx.t('campaigns.audiences')}</dt><dd>${campaign.targetAudiences.length ? campaign.targetAudiences.join(', ') : none}</dd>
<dt>${ctx.t('campaigns.hashtags')}</dt><dd>${campaign.hashtags.length ? campaign.hashtags.join(' ') : none}</dd>
${ctx.can('partner.read') ? html`<dt>${ctx.t('campaigns.partners')}</dt><dd>${campaign.partnerIds.length ? campaign.partnerIds.map((id) => partnerNames.get(id) ?? '?').join(', ') : none}</dd>` : ''}
</dl>
<p class="actions">
${ctx.can('post.write') ? html`<a class="button primary" href="${ctx.path('/posts/new')}?campaignId=${campaign.id}">${ctx.t('campaigns.newPost')}</a>` : ''}
<a href="${ctx.path('/calendar')}?view=month&amp;date=${campaign.startsOn}&amp;campaignId=${campaign.id}">${ctx.t('campaigns.inCalendar')}</a>
</p></section>`;

    const body = html`${details}
${this.postsTable(ctx, campaign, posts, total, channelNames)}
${ctx.can('report.read') ? engagementSection(ctx, await this.engagement(ctx, campaign, posts)) : ''}
${
  ctx.can('campaign.write')
    ? html`<section aria-labelledby="edit-campaign-h" class="narrow"><h2 id="edit-campaign-h">${ctx.t('campaigns.editTitle')}</h2>
${campaignForm(ctx, ctx.path(`/campaigns/${campaign.id}`), form, errors, partners, ctx.t('campaigns.save'), 'edit')}</section>`
    : ''
}`;
    ctx.render(campaign.title, body, { nav: 'campaigns', back: { href: ctx.path('/campaigns'), label: ctx.t('campaigns.back') } }, status);
  }

  /** One row per post, one column per channel any of them goes to, each cell that publication's state. */
  private postsTable(
    ctx: WebContext,
    campaign: CampaignView,
    posts: PostView[],
    total: number,
    channelNames: Map<string, string>,
  ): SafeHtml {
    const heading = html`<h2 id="campaign-posts-h">${ctx.t('campaigns.postsTitle')}</h2>`;
    if (!posts.length) return html`<section aria-labelledby="campaign-posts-h">${heading}<p>${ctx.t('campaigns.noPosts')}</p></section>`;
    const channelIds = [...new Set(posts.flatMap((p) => p.targets.map((t) => t.channelId)))].sort((a, b) =>
      (channelNames.get(a) ?? a).localeCompare(channelNames.get(b) ?? b),
    );
    const label = (id: string, i: number) => channelNames.get(id) ?? ctx.t('campaigns.channelN', { n: i + 1 });
    const row = (post: PostView) => html`<tr><th scope="row">
<a class="post-link" href="${ctx.path(`/posts/${post.id}`)}">${postText(ctx, post, 100)}</a>
<span class="meta">${post.scheduledAt ? html`<time datetime="${post.scheduledAt.toISOString()}">${ctx.i18n.dateTime(post.scheduledAt)}</time>` : ctx.t('campaigns.noTime')} · ${statusBadge(ctx, post.status, 'post')}</span></th>
${channelIds.map((id) => {
  const targets = post.targets.filter((t) => t.channelId === id);
  return targets.length
    ? html`<td>${[...new Set(targets.map((t) => t.status))].map((s, i) => html`${i ? ' ' : ''}${statusBadge(ctx, s, 'target')}`)}</td>`
    : html`<td><span aria-hidden="true">—</span><span class="sr-only">${ctx.t('campaigns.notOnChannel')}</span></td>`;
})}</tr>`;
    return html`<section aria-labelledby="campaign-posts-h">${heading}
${total > posts.length ? html`<p class="banner warn">${ctx.t('campaigns.truncated', { shown: posts.length, total })}</p>` : ''}
<div class="table-wrap"><table class="campaign-posts">
<caption>${ctx.t('campaigns.postsCaption', { title: campaign.title })}</caption>
<thead><tr><th scope="col">${ctx.t('campaigns.colPost')}</th>${channelIds.map((id, i) => html`<th scope="col">${label(id, i)}</th>`)}</tr></thead>
<tbody>${posts.map(row)}</tbody></table></div></section>`;
  }

  /**
   * The campaign's engagement from the reports: since its first day (or its first publication, if earlier) until now.
   * Nothing published yet: nothing to ask.
   */
  private async engagement(ctx: WebContext, campaign: CampaignView, posts: PostView[]): Promise<Engagement | null> {
    const inst = ctx.requiredInstitution;
    const now = this.clock.now();
    const published = posts
      .flatMap((p) => p.targets)
      .map((t) => t.publishedAt)
      .filter((d): d is Date => d !== null);
    if (!published.length) return null;
    const first = DateTime.min(
      DateTime.fromISO(campaign.startsOn, { zone: inst.timeZone }),
      ...published.map((d) => DateTime.fromJSDate(d, { zone: inst.timeZone }).startOf('day')),
    )!;
    // Reports span at most 3,700 days.
    const from = DateTime.max(first, DateTime.fromJSDate(now).minus({ days: 3650 }))!;
    if (from.toMillis() >= now.getTime()) return null;
    const q = { from: from.toUTC().toISO()!, to: now.toISOString() };
    const row = (await this.reports.campaigns(ctx.requiredPrincipal, inst.id, q)).items.find((c) => c.id === campaign.id);
    const top = (await this.reports.topPosts(ctx.requiredPrincipal, inst.id, { ...q, metric: 'engagement', limit: '100' })).items.filter(
      (t) => t.campaign.id === campaign.id,
    );
    if (!row || row.published === 0) return null;
    return { from: from.toJSDate(), to: now, totals: row.engagement, published: row.published, top };
  }
}
