import { Injectable } from '@nestjs/common';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import type { ChannelOverride, PostVariant } from '#src/modules/posts/post.entity.js';
import type { GroupBy, Period, TopMetric } from '#src/modules/reports/period.js';
import type { MetricValues } from '#src/modules/reports/platform-metrics.js';
import { Tx } from '#src/storage/tx.js';

/**
 * Which publications a query sees: staff see every channel; the public report leaves sandbox channels out
 * (never published); `training` is the public report's rules with sandbox channels in (its page's training preview).
 */
export type Audience = 'staff' | 'public' | 'training';

export interface ReportInstitution {
  id: string;
  name: string;
  slug: string;
  timeZone: string;
  languages: string[];
  transparencyEnabled: boolean;
}

export interface GroupRow extends MetricValues {
  total: boolean;
  key: string | null;
  label: string | null;
  posts: number;
}

export interface TopRow extends MetricValues {
  targetId: string;
  postId: string;
  status: 'published' | 'withdrawn';
  publishedAt: Date;
  url: string | null;
  channelId: string;
  channelName: string;
  platform: Platform;
  channelSettings: Record<string, unknown>;
  campaignId: string;
  campaignTitle: string;
  variants: PostVariant[];
  channelOverrides: ChannelOverride[];
  engagement: number | null;
}

export interface CampaignRow extends MetricValues {
  id: string;
  title: string;
  goal: string;
  startsOn: string;
  endsOn: string;
  partners: string[];
  planned: number;
  published: number;
  failed: number;
  cancelled: number;
  engagement: number | null;
}

export interface PunctualityRow {
  total: boolean;
  channelId: string | null;
  channelName: string | null;
  platform: Platform | null;
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
  maxSeconds: number | null;
}

export interface MonthChannelRow extends MetricValues {
  month: string;
  channelId: string;
  channelName: string;
  platform: Platform;
  published: number;
  withdrawn: number;
}

export interface WithdrawnRow {
  publishedAt: Date;
  withdrawnAt: Date | null;
  channelName: string;
  platform: Platform;
  campaignTitle: string;
}

const METRIC_COLS = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;
/** Interactions: likes + reposts + replies + quotes, null when the platform gives none of them. */
const ENGAGEMENT = (e: string) =>
  `CASE WHEN num_nonnulls(${e}.likes, ${e}.reposts, ${e}.replies, ${e}.quotes) = 0 THEN NULL
        ELSE coalesce(${e}.likes, 0) + coalesce(${e}.reposts, 0) + coalesce(${e}.replies, 0) + coalesce(${e}.quotes, 0) END`;
/** Sums as float8 (exact to 2^53): pg answers bigint and numeric as strings. A sum over only nulls stays null. */
const SUMS = (from: string, filter = '') => METRIC_COLS.map((c) => `sum(${from}.${c}) ${filter}::float8 AS ${c}`).join(', ');
const PUBLISHED = `('published', 'withdrawn')`;

/**
 * Reads for reports: always from the rollups (engagement_latest, engagement_daily), never from raw
 * metric_snapshots, joined to the publications of one institution in one period. Parameters $1..$4
 * are the institution, from, to, and the "as of" instant when the period ended in the past.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly tx: Tx) {}

  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.tx.manager.query(sql, params);
  }

  /** The institution a public slug names. Not tenant data behind a login: the public report's entry point. */
  async institutionBySlug(slug: string): Promise<ReportInstitution | null> {
    const [row] = await this.query<ReportInstitution>(
      `SELECT id, name, slug, time_zone AS "timeZone", languages, transparency_enabled AS "transparencyEnabled" FROM institutions WHERE slug = $1`,
      [slug],
    );
    return row ?? null;
  }

  async institution(institutionId: string): Promise<ReportInstitution> {
    const [row] = await this.query<ReportInstitution>(
      `SELECT id, name, slug, time_zone AS "timeZone", languages, transparency_enabled AS "transparencyEnabled" FROM institutions WHERE id = $1`,
      [institutionId],
    );
    return row!;
  }

  /**
   * A target's engagement as `e`: the newest values (engagement_latest), or, for a period that
   * ended in the past, the newest daily row collected before its end ($4).
   */
  private engagementJoin(target: string, asOf: Date | null): string {
    const cols = METRIC_COLS.join(', ');
    if (!asOf) return `LEFT JOIN engagement_latest e ON e.target_id = ${target}.id`;
    return `LEFT JOIN LATERAL (SELECT collected_at, ${cols} FROM engagement_daily d
              WHERE d.target_id = ${target}.id AND d.day <= ($4::timestamptz AT TIME ZONE 'UTC')::date AND d.collected_at < $4
              ORDER BY d.day DESC LIMIT 1) e ON true`;
  }

  private params(institutionId: string, period: Period, asOf: Date | null): unknown[] {
    return asOf ? [institutionId, period.from, period.to, asOf] : [institutionId, period.from, period.to];
  }

  /** Publications (targets published in the period, withdrawn ones included) with their engagement. */
  private publications(asOf: Date | null, audience: Audience): string {
    return `SELECT t.id, t.status, t.post_id, t.channel_id, t.published_at, t.scheduled_at, t.withdrawn_at, t.external_url,
                   p.campaign_id, p.variants, p.channel_overrides, ch.platform, ch.display_name AS channel_name, ch.settings AS channel_settings,
                   (t.published_at AT TIME ZONE i.time_zone) AS local_at,
                   coalesce((SELECT v->>'language' FROM jsonb_array_elements(p.variants) v
                              WHERE v->>'language' = coalesce(ch.settings->>'language', i.languages[1]) LIMIT 1),
                            p.variants->0->>'language') AS language,
                   e.collected_at, ${METRIC_COLS.map((c) => `e.${c}`).join(', ')}
              FROM publication_targets t
              JOIN institutions i ON i.id = t.institution_id
              JOIN posts p ON p.id = t.post_id AND p.institution_id = t.institution_id
              JOIN channels ch ON ch.id = t.channel_id AND ch.institution_id = t.institution_id
              ${this.engagementJoin('t', asOf)}
             WHERE t.institution_id = $1 AND t.status IN ${PUBLISHED} AND t.published_at >= $2 AND t.published_at < $3
                   ${audience === 'public' ? `AND ch.platform <> 'sandbox'` : ''}`;
  }

  /** Totals (the row with total = true) and one row per group, in one statement. */
  async engagement(institutionId: string, period: Period, asOf: Date | null, groupBy: GroupBy): Promise<GroupRow[]> {
    const groups: Record<GroupBy, { key: string; label: string; join?: string }> = {
      day: { key: `to_char(pub.local_at, 'YYYY-MM-DD')`, label: `to_char(pub.local_at, 'YYYY-MM-DD')` },
      week: { key: `to_char(pub.local_at, 'IYYY-"W"IW')`, label: `'Week of ' || to_char(date_trunc('week', pub.local_at), 'YYYY-MM-DD')` },
      month: { key: `to_char(pub.local_at, 'YYYY-MM')`, label: `to_char(pub.local_at, 'YYYY-MM')` },
      channel: { key: `pub.channel_id::text`, label: `pub.channel_name` },
      campaign: {
        key: `pub.campaign_id::text`,
        label: `cp.title`,
        join: `JOIN campaigns cp ON cp.id = pub.campaign_id AND cp.institution_id = $1`,
      },
      // A post counts under each audience of its campaign; a campaign without audiences under none (null).
      audience: {
        key: `a.audience`,
        label: `a.audience`,
        join: `JOIN campaigns cp ON cp.id = pub.campaign_id AND cp.institution_id = $1
               CROSS JOIN LATERAL unnest(CASE WHEN cardinality(cp.target_audiences) = 0 THEN ARRAY[NULL::text] ELSE cp.target_audiences END) AS a(audience)`,
      },
      language: { key: `pub.language`, label: `pub.language` },
      platform: { key: `pub.platform`, label: `pub.platform` },
    };
    const g = groups[groupBy];
    return this.query<GroupRow>(
      `WITH pub AS (${this.publications(asOf, 'staff')})
       SELECT true AS total, NULL AS key, NULL AS label, count(*)::int AS posts, ${SUMS('pub')} FROM pub
       UNION ALL
       SELECT false, ${g.key}, ${g.label}, count(*)::int, ${SUMS('pub')} FROM pub ${g.join ?? ''} GROUP BY 2, 3`,
      this.params(institutionId, period, asOf),
    );
  }

  /** The top publications by one metric (withdrawn ones only for staff). */
  async top(
    institutionId: string,
    period: Period,
    asOf: Date | null,
    metric: TopMetric,
    limit: number,
    audience: Audience,
  ): Promise<TopRow[]> {
    const order = metric === 'engagement' ? ENGAGEMENT('pub') : `pub.${metric}`;
    const rows = await this.query<TopRow & { impressions: number | string | null }>(
      `WITH pub AS (${this.publications(asOf, audience)})
       SELECT pub.id AS "targetId", pub.post_id AS "postId", pub.status, pub.published_at AS "publishedAt", pub.external_url AS url,
              pub.channel_id AS "channelId", pub.channel_name AS "channelName", pub.platform, pub.channel_settings AS "channelSettings",
              pub.campaign_id AS "campaignId", cp.title AS "campaignTitle", pub.variants, pub.channel_overrides AS "channelOverrides",
              ${METRIC_COLS.map((c) => `pub.${c}${c === 'impressions' ? '::float8' : ''}`).join(', ')}, (${ENGAGEMENT('pub')})::float8 AS engagement
         FROM pub JOIN campaigns cp ON cp.id = pub.campaign_id AND cp.institution_id = $1
        ${audience !== 'staff' ? `WHERE pub.status = 'published'` : ''}
        ORDER BY ${order} DESC NULLS LAST, pub.published_at DESC, pub.id
        LIMIT ${Math.trunc(limit)}`,
      this.params(institutionId, period, asOf),
    );
    return rows as TopRow[];
  }

  /**
   * Per campaign: targets planned in the period (scheduled in it, in any state after approval),
   * published in it, failed; engagement of those published. Campaigns running in the period are
   * listed even without publications (staff), or only those with publications (public).
   */
  async campaigns(institutionId: string, period: Period, asOf: Date | null, audience: Audience): Promise<CampaignRow[]> {
    const inPeriod = (col: string) => `t.${col} >= $2 AND t.${col} < $3`;
    const published = `t.status IN ${PUBLISHED} AND ${inPeriod('published_at')}`;
    const scheduled = inPeriod('scheduled_at');
    const channelFilter = audience === 'public' ? `AND ch.platform <> 'sandbox'` : '';
    return this.query<CampaignRow>(
      `SELECT cp.id, cp.title, cp.goal, to_char(cp.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(cp.ends_on, 'YYYY-MM-DD') AS "endsOn",
              coalesce((SELECT array_agg(pa.name ORDER BY pa.name) FROM campaign_partners cpa JOIN partners pa ON pa.id = cpa.partner_id
                         WHERE cpa.campaign_id = cp.id), '{}') AS partners,
              count(*) FILTER (WHERE ${scheduled} AND t.status NOT IN ('draft', 'in_review', 'rejected')
                               AND NOT (t.status = 'cancelled' AND p.approved_at IS NULL))::int AS planned,
              count(*) FILTER (WHERE ${published})::int AS published,
              count(*) FILTER (WHERE ${scheduled} AND t.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE ${scheduled} AND t.status = 'cancelled' AND p.approved_at IS NOT NULL)::int AS cancelled,
              ${SUMS('e', `FILTER (WHERE ${published})`)},
              sum(${ENGAGEMENT('e')}) FILTER (WHERE ${published})::float8 AS engagement
         FROM campaigns cp
         LEFT JOIN posts p ON p.campaign_id = cp.id AND p.institution_id = $1
         LEFT JOIN publication_targets t ON t.post_id = p.id AND t.institution_id = $1 AND (${scheduled} OR ${inPeriod('published_at')})
              AND t.channel_id IN (SELECT ch.id FROM channels ch WHERE ch.institution_id = $1 ${channelFilter})
         ${this.engagementJoin('t', asOf)}
        WHERE cp.institution_id = $1
        GROUP BY cp.id
       HAVING count(*) FILTER (WHERE ${published}) > 0
              ${audience === 'staff' ? `OR count(t.id) > 0 OR (cp.starts_on < ($3::timestamptz AT TIME ZONE 'UTC')::date + 1 AND cp.ends_on >= ($2::timestamptz AT TIME ZONE 'UTC')::date - 1)` : ''}
        ORDER BY cp.starts_on, cp.title`,
      this.params(institutionId, period, asOf),
    );
  }

  /** Lateness (published_at - scheduled_at) of publications in the period: overall (total) and per channel. */
  async punctuality(institutionId: string, period: Period, audience: Audience): Promise<PunctualityRow[]> {
    return this.query<PunctualityRow>(
      `SELECT GROUPING(ch.id) = 1 AS total, ch.id AS "channelId", ch.display_name AS "channelName", ch.platform,
              count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY l.seconds) AS "p50Seconds",
              percentile_cont(0.95) WITHIN GROUP (ORDER BY l.seconds) AS "p95Seconds",
              max(l.seconds) AS "maxSeconds"
         FROM (SELECT t.channel_id, greatest(0, extract(epoch FROM t.published_at - t.scheduled_at))::float8 AS seconds
                 FROM publication_targets t
                WHERE t.institution_id = $1 AND t.status IN ${PUBLISHED} AND t.published_at >= $2 AND t.published_at < $3
                      AND t.scheduled_at IS NOT NULL) l
         JOIN channels ch ON ch.id = l.channel_id AND ch.institution_id = $1 ${audience === 'public' ? `AND ch.platform <> 'sandbox'` : ''}
        GROUP BY GROUPING SETS ((ch.id, ch.display_name, ch.platform), ())
        ORDER BY 1 DESC, 3`,
      [institutionId, period.from, period.to],
    );
  }

  /** Public report: publications per month (institution's time zone) and channel, with their engagement. */
  async byMonthAndChannel(
    institutionId: string,
    period: Period,
    asOf: Date | null,
    audience: Audience = 'public',
  ): Promise<MonthChannelRow[]> {
    return this.query<MonthChannelRow>(
      `WITH pub AS (${this.publications(asOf, audience)})
       SELECT to_char(pub.local_at, 'YYYY-MM') AS month, pub.channel_id AS "channelId", pub.channel_name AS "channelName", pub.platform,
              count(*)::int AS published, count(*) FILTER (WHERE pub.status = 'withdrawn')::int AS withdrawn, ${SUMS('pub')}
         FROM pub GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 2`,
      this.params(institutionId, period, asOf),
    );
  }

  /** Public report: publications later withdrawn, without their text. */
  async withdrawn(institutionId: string, period: Period, audience: Audience = 'public'): Promise<WithdrawnRow[]> {
    return this.query<WithdrawnRow>(
      `SELECT t.published_at AS "publishedAt", t.withdrawn_at AS "withdrawnAt", ch.display_name AS "channelName", ch.platform, cp.title AS "campaignTitle"
         FROM publication_targets t
         JOIN channels ch ON ch.id = t.channel_id AND ch.institution_id = $1 ${audience === 'public' ? `AND ch.platform <> 'sandbox'` : ''}
         JOIN posts p ON p.id = t.post_id AND p.institution_id = $1
         JOIN campaigns cp ON cp.id = p.campaign_id AND cp.institution_id = $1
        WHERE t.institution_id = $1 AND t.status = 'withdrawn' AND t.published_at >= $2 AND t.published_at < $3
        ORDER BY t.published_at`,
      [institutionId, period.from, period.to],
    );
  }

  /** How many publications of the period went to sandbox (training) channels, which the public report leaves out. */
  async sandboxPublications(institutionId: string, period: Period): Promise<number> {
    const [row] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM publication_targets t JOIN channels ch ON ch.id = t.channel_id AND ch.institution_id = $1 AND ch.platform = 'sandbox'
        WHERE t.institution_id = $1 AND t.status IN ${PUBLISHED} AND t.published_at >= $2 AND t.published_at < $3`,
      [institutionId, period.from, period.to],
    );
    return row?.n ?? 0;
  }

  /** When engagement was last collected for any of the institution's publications. */
  async newestCollection(institutionId: string): Promise<Date | null> {
    const [row] = await this.query<{ at: Date | null }>(`SELECT max(collected_at) AS at FROM engagement_latest WHERE institution_id = $1`, [
      institutionId,
    ]);
    return row?.at ?? null;
  }
}
