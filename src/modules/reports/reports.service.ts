import { webLink } from '#src/common/web-link.js';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Clock } from '#src/common/clock.js';
import { notFound } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig, type CadenceStep } from '#src/config/config.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { publicationText } from '#src/modules/publishing/publication-text.js';
import {
  GROUP_BYS,
  last12Months,
  last30Days,
  parseChoice,
  parseLimit,
  resolvePeriod,
  timeBuckets,
  TOP_METRICS,
  type GroupBy,
  type Period,
} from '#src/modules/reports/period.js';
import {
  addNullable,
  engagementOf,
  METRICS,
  PLATFORM_METRICS,
  PLATFORM_NAMES,
  type MetricValues,
} from '#src/modules/reports/platform-metrics.js';
import {
  ReportsRepository,
  type Audience,
  type GroupRow,
  type ReportInstitution,
  type TopRow,
} from '#src/modules/reports/reports.repository.js';
import type { TransparencyData } from '#src/modules/reports/transparency-data.js';

export interface PeriodQuery {
  from?: string;
  to?: string;
}

export type Figures = { posts: number } & MetricValues;

const EMPTY: MetricValues = { likes: null, reposts: null, replies: null, quotes: null, impressions: null, clicks: null };

/** Metric values of a row; with no publications there is nothing to engage with, so 0 rather than "not available". */
function figures(row: Partial<GroupRow> | undefined, posts = row?.posts ?? 0): Figures {
  const out = { posts } as Figures;
  for (const m of METRICS) out[m] = posts === 0 ? 0 : (row?.[m] ?? null);
  return out;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** Up to `max` characters of a post's text, cut at a word where one is near. */
export function excerpt(text: string, max = 200): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Internal analytics (editors and admins) and the public transparency report, both from the engagement rollups. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly access: InstitutionAccess,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async open(p: Principal, institutionId: string, q: PeriodQuery) {
    await this.access.authorize(p, institutionId, 'report.read');
    const institution = await this.reports.institution(institutionId);
    const now = this.clock.now();
    const period = resolvePeriod(q, institution.timeZone, now, last30Days);
    return { institution, period, asOf: this.asOf(period, now) };
  }

  /** A period that ended in the past is reported as of its end (daily rollup); one running now, with the newest values. */
  private asOf(period: Period, now: Date): Date | null {
    return period.to.getTime() < now.getTime() ? period.to : null;
  }

  async engagement(p: Principal, institutionId: string, q: PeriodQuery & { groupBy?: string }) {
    const groupBy = parseChoice<GroupBy>('groupBy', q.groupBy, GROUP_BYS, 'day');
    const { institution, period, asOf } = await this.open(p, institutionId, q);
    const rows = await this.reports.engagement(institutionId, period, asOf, groupBy);
    const totals = figures(rows.find((r) => r.total));
    let series = rows.filter((r) => !r.total).map((r) => ({ key: r.key, label: this.label(groupBy, r), ...figures(r) }));
    if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') {
      const byKey = new Map(series.map((s) => [s.key, s]));
      series = timeBuckets(groupBy, period, institution.timeZone).map((b) => ({
        ...(byKey.get(b.key) ?? { key: b.key, ...figures(undefined) }),
        label: b.label,
      }));
    } else {
      series.sort((a, b) => b.posts - a.posts || String(a.label).localeCompare(String(b.label)));
    }
    return { from: period.from, to: period.to, groupBy, timeZone: institution.timeZone, asOf: asOf ?? now(this.clock), totals, series };
  }

  private label(groupBy: GroupBy, r: GroupRow): string {
    if (groupBy === 'platform') return PLATFORM_NAMES[r.key as Platform] ?? String(r.key);
    if (groupBy === 'audience') return r.key ?? 'No target audience';
    if (groupBy === 'language' && r.key) {
      try {
        return LANGUAGE_NAMES.of(r.key) ?? r.key;
      } catch {
        return r.key;
      }
    }
    return r.label ?? String(r.key);
  }

  async topPosts(p: Principal, institutionId: string, q: PeriodQuery & { metric?: string; limit?: string }) {
    const metric = parseChoice('metric', q.metric, TOP_METRICS, 'engagement');
    const limit = parseLimit(q.limit, 10, 100);
    const { institution, period, asOf } = await this.open(p, institutionId, q);
    const rows = await this.reports.top(institutionId, period, asOf, metric, limit, 'staff');
    return { from: period.from, to: period.to, metric, items: rows.map((r) => this.topItem(institution, r)) };
  }

  private topItem(institution: ReportInstitution, r: TopRow) {
    const { language, text } = publicationText(
      { variants: r.variants, channelOverrides: r.channelOverrides },
      { id: r.channelId, settings: r.channelSettings },
      institution.languages[0] ?? '',
    );
    const metrics = Object.fromEntries(METRICS.map((m) => [m, r[m] === null ? null : Number(r[m])])) as MetricValues;
    return {
      targetId: r.targetId,
      postId: r.postId,
      status: r.status,
      publishedAt: r.publishedAt,
      url: webLink(r.url),
      language,
      excerpt: excerpt(text),
      channel: { id: r.channelId, name: r.channelName, platform: r.platform },
      campaign: { id: r.campaignId, title: r.campaignTitle },
      metrics: { ...metrics, engagement: engagementOf(metrics) },
    };
  }

  async campaigns(p: Principal, institutionId: string, q: PeriodQuery) {
    const { period, asOf } = await this.open(p, institutionId, q);
    const rows = await this.reports.campaigns(institutionId, period, asOf, 'staff');
    return {
      from: period.from,
      to: period.to,
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        startsOn: r.startsOn,
        endsOn: r.endsOn,
        planned: r.planned,
        published: r.published,
        failed: r.failed,
        cancelled: r.cancelled,
        engagement: { ...figures(r, r.published), total: r.published === 0 ? 0 : r.engagement },
        engagementPerPost: r.published === 0 || r.engagement === null ? null : Math.round((r.engagement / r.published) * 100) / 100,
      })),
    };
  }

  async punctuality(p: Principal, institutionId: string, q: PeriodQuery) {
    const { period } = await this.open(p, institutionId, q);
    return { from: period.from, to: period.to, ...(await this.lateness(institutionId, period, 'staff')) };
  }

  private async lateness(institutionId: string, period: Period, audience: Audience) {
    const rows = await this.reports.punctuality(institutionId, period, audience);
    const view = (r: (typeof rows)[number] | undefined) => ({
      count: r?.count ?? 0,
      p50Seconds: r?.p50Seconds ?? null,
      p95Seconds: r?.p95Seconds ?? null,
      maxSeconds: r?.maxSeconds ?? null,
    });
    return {
      lateness: view(rows.find((r) => r.total)),
      byChannel: rows
        .filter((r) => !r.total)
        .map((r) => ({ channel: { id: r.channelId!, name: r.channelName!, platform: r.platform! }, ...view(r) })),
    };
  }

  /** The public report of an institution that publishes one; any other slug is not found. */
  async transparency(slug: string, q: PeriodQuery): Promise<TransparencyData> {
    return this.transparencyOf(await this.publicInstitution(slug), q);
  }

  /**
   * The public report with what its page needs besides (not part of report.json): the institution's
   * official languages (the page's language when the reader states none) and the collection cadence
   * (to say it in the reader's language).
   */
  async transparencyPage(
    slug: string,
    q: PeriodQuery,
    withSandbox = false,
  ): Promise<{ report: TransparencyData; languages: string[]; cadence: CadenceStep[]; sandboxPublications: number }> {
    const institution = await this.publicInstitution(slug);
    const report = await this.transparencyOf(institution, q, withSandbox ? 'training' : 'public');
    const period = resolvePeriod(q, institution.timeZone, this.clock.now(), last12Months(institution.timeZone));
    const sandboxPublications = await this.reports.sandboxPublications(institution.id, period);
    return { report, languages: institution.languages ?? [], cadence: this.config.metrics.cadence, sandboxPublications };
  }

  private async publicInstitution(slug: string): Promise<ReportInstitution> {
    const institution = await this.reports.institutionBySlug(slug);
    if (!institution || !institution.transparencyEnabled) throw notFound('transparency report');
    return institution;
  }

  /**
   * The public report leaves sandbox (training) channels out: they never published anything. Only the
   * page's training preview (`training`) counts them, labelled as such; report.json, CSV and PDF never do.
   */
  private async transparencyOf(institution: ReportInstitution, q: PeriodQuery, audience: Audience = 'public'): Promise<TransparencyData> {
    const now = this.clock.now();
    const period = resolvePeriod(q, institution.timeZone, now, last12Months(institution.timeZone));
    const asOf = this.asOf(period, now);
    const id = institution.id;
    const [months, campaigns, lateness, top, withdrawn, newest] = [
      await this.reports.byMonthAndChannel(id, period, asOf, audience),
      await this.reports.campaigns(id, period, asOf, audience),
      await this.lateness(id, period, audience),
      await this.reports.top(id, period, asOf, 'engagement', 10, audience),
      await this.reports.withdrawn(id, period, audience),
      await this.reports.newestCollection(id),
    ];
    const totals: TransparencyData['totals'] = { published: 0, withdrawn: 0, ...EMPTY, engagement: null };
    for (const r of months) {
      totals.published += r.published;
      totals.withdrawn += r.withdrawn;
      for (const m of METRICS) totals[m] = addNullable(totals[m], r[m]);
    }
    totals.engagement = engagementOf(totals);
    const platforms = [...new Set(months.map((r) => r.platform))].sort();
    const metricsOf = (r: MetricValues) => Object.fromEntries(METRICS.map((m) => [m, r[m]])) as MetricValues;
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: institution.timeZone });
    return {
      schemaVersion: '1.0',
      licence: this.config.transparencyLicence,
      generatedAt: now.toISOString(),
      institution: { name: institution.name, slug: institution.slug, timeZone: institution.timeZone },
      period: {
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        firstDay: local(period.from).toISODate()!,
        lastDay: local(new Date(period.to.getTime() - 1)).toISODate()!,
      },
      engagementAsOf: (asOf ?? now).toISOString(),
      totals,
      publicationsByMonthAndChannel: months.map((r) => ({
        month: r.month,
        channel: r.channelName,
        platform: r.platform,
        published: r.published,
        withdrawn: r.withdrawn,
        ...metricsOf(r),
      })),
      campaigns: campaigns.map((c) => ({
        title: c.title,
        goal: c.goal,
        startsOn: c.startsOn,
        endsOn: c.endsOn,
        partners: c.partners,
        published: c.published,
        ...metricsOf(c),
        engagement: c.engagement,
      })),
      punctuality: {
        ...lateness.lateness,
        byChannel: lateness.byChannel.map((c) => ({
          channel: c.channel.name,
          platform: c.channel.platform,
          count: c.count,
          p50Seconds: c.p50Seconds,
          p95Seconds: c.p95Seconds,
          maxSeconds: c.maxSeconds,
        })),
      },
      topPublications: top.map((r) => {
        const item = this.topItem(institution, r);
        return {
          publishedAt: new Date(r.publishedAt).toISOString(),
          channel: r.channelName,
          platform: r.platform,
          campaign: r.campaignTitle,
          language: item.language,
          text: item.excerpt,
          url: webLink(r.url),
          ...item.metrics,
        };
      }),
      withdrawn: withdrawn.map((w) => ({
        publishedAt: new Date(w.publishedAt).toISOString(),
        withdrawnAt: w.withdrawnAt ? new Date(w.withdrawnAt).toISOString() : null,
        channel: w.channelName,
        platform: w.platform,
        campaign: w.campaignTitle,
      })),
      methodology: {
        cadence: this.config.metrics.cadence,
        newestCollectionAt: newest ? new Date(newest).toISOString() : null,
        platforms: platforms.map((pl) => ({
          platform: pl,
          name: PLATFORM_NAMES[pl],
          provides: PLATFORM_METRICS[pl].provides,
        })),
      },
    };
  }
}

function now(clock: Clock): Date {
  return clock.now();
}
