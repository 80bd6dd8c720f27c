import type { ReportsService } from '#src/modules/reports/reports.service.js';
import { barChart } from '#src/web/charts.js';
import { html, type SafeHtml } from '#src/web/html.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import type { WebContext } from '#src/web/web-context.js';

type CampaignRow = Awaited<ReturnType<ReportsService['campaigns']>>['items'][number];
type TopItem = Awaited<ReturnType<ReportsService['topPosts']>>['items'][number];

/** A campaign's engagement as the reports give it: summed figures and its publications by engagement. */
export interface Engagement {
  from: Date;
  to: Date;
  published: number;
  totals: CampaignRow['engagement'];
  top: TopItem[];
}

const KINDS = ['likes', 'reposts', 'replies', 'quotes'] as const;
const ALL = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;
/** Bars in the per-publication chart (the table lists them all). */
const BARS = 10;

/** Two charts, each followed by a table with the same figures (a chart alone says nothing to a screen reader user). */
export function engagementSection(ctx: WebContext, e: Engagement | null): SafeHtml {
  const heading = html`<h2 id="engagement-h">${ctx.t('campaigns.engagementTitle')}</h2>`;
  if (!e) return html`<section aria-labelledby="engagement-h">${heading}<p>${ctx.t('campaigns.engagementNone')}</p></section>`;
  const value = (v: number | null) =>
    v === null ? html`<span class="muted">${ctx.t('campaigns.notAvailable')}</span>` : ctx.i18n.number(v);
  const metric = (m: string) => ctx.t(`campaigns.metric.${m}` as MessageKey);

  const kinds = KINDS.filter((k) => e.totals[k] !== null).map((k) => ({ label: metric(k), value: e.totals[k]! }));
  const kindsChart = barChart('eng-kinds', ctx.t('campaigns.kindsTitle'), ctx.t('campaigns.kindsDesc', { count: e.published }), kinds);
  const kindsTable = html`<div class="table-wrap"><table class="engagement-figures">
<caption>${ctx.t('campaigns.kindsCaption')}</caption>
<thead><tr><th scope="col">${ctx.t('campaigns.colFigure')}</th><th scope="col" class="n">${ctx.t('campaigns.colValue')}</th></tr></thead>
<tbody>
<tr><th scope="row">${metric('posts')}</th><td class="n">${ctx.i18n.number(e.published)}</td></tr>
${ALL.map((m) => html`<tr><th scope="row">${metric(m)}</th><td class="n">${value(e.totals[m])}</td></tr>`)}
<tr><th scope="row">${metric('engagement')}</th><td class="n">${value(e.totals.total)}</td></tr>
</tbody></table></div>`;

  const top = e.top;
  const topPart = top.length
    ? html`<h3>${ctx.t('campaigns.topTitle')}</h3>
${
  top.some((t) => t.metrics.engagement !== null)
    ? barChart(
        'eng-top',
        ctx.t('campaigns.topTitle'),
        ctx.t('campaigns.topDesc', { count: Math.min(BARS, top.length) }),
        top.slice(0, BARS).map((t, i) => ({ label: String(i + 1), value: t.metrics.engagement ?? 0 })),
      )
    : ''
}
<div class="table-wrap"><table class="engagement-top">
<caption>${ctx.t('campaigns.topCaption')}</caption>
<thead><tr><th scope="col" class="n">${ctx.t('campaigns.colRank')}</th><th scope="col">${ctx.t('campaigns.colPublication')}</th><th scope="col">${ctx.t('campaigns.colChannel')}</th><th scope="col">${ctx.t('campaigns.colPublished')}</th>
${KINDS.map((k) => html`<th scope="col" class="n">${metric(k)}</th>`)}<th scope="col" class="n">${ctx.t('campaigns.colEngagement')}</th></tr></thead>
<tbody>${top.map(
        (t, i) => html`<tr><td class="n">${i + 1}</td>
<th scope="row"><a href="${ctx.path(`/posts/${t.postId}`)}"><span lang="${t.language}">${t.excerpt}</span></a></th>
<td>${t.channel.name}</td>
<td><time datetime="${new Date(t.publishedAt).toISOString()}">${ctx.i18n.dateTime(new Date(t.publishedAt))}</time></td>
${KINDS.map((k) => html`<td class="n">${value(t.metrics[k])}</td>`)}<td class="n">${value(t.metrics.engagement)}</td></tr>`,
      )}</tbody></table></div>`
    : '';

  return html`<section aria-labelledby="engagement-h">${heading}
<p class="muted">${ctx.t('campaigns.engagementPeriod', { from: ctx.i18n.date(e.from), to: ctx.i18n.dateTime(e.to) })}</p>
<h3>${ctx.t('campaigns.kindsTitle')}</h3>
${kinds.length ? kindsChart : ''}
${kindsTable}
${topPart}
</section>`;
}
