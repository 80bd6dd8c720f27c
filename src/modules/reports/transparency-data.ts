import type { CadenceStep } from '#src/config/config.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import type { MetricName, MetricValues } from '#src/modules/reports/platform-metrics.js';

/**
 * The figures of the public transparency report (schema version 1.0, docs/open-data.md): data only.
 * The web layer words it (src/web/transparency/transparency-report.ts: the methodology's sentences,
 * in English in report.json) and renders the page, the CSV and the PDF from it. Only published
 * publications on real platforms appear; nobody's identity does.
 */
export interface TransparencyData {
  schemaVersion: '1.0';
  licence: string;
  generatedAt: string;
  institution: { name: string; slug: string; timeZone: string };
  /** from <= published < to (instants); firstDay and lastDay in the institution's time zone. */
  period: { from: string; to: string; firstDay: string; lastDay: string };
  engagementAsOf: string;
  totals: { published: number; withdrawn: number; engagement: number | null } & MetricValues;
  publicationsByMonthAndChannel: Array<
    { month: string; channel: string; platform: Platform; published: number; withdrawn: number } & MetricValues
  >;
  campaigns: Array<
    {
      title: string;
      goal: string;
      startsOn: string;
      endsOn: string;
      partners: string[];
      published: number;
      engagement: number | null;
    } & MetricValues
  >;
  punctuality: {
    count: number;
    p50Seconds: number | null;
    p95Seconds: number | null;
    maxSeconds: number | null;
    byChannel: Array<{
      channel: string;
      platform: Platform;
      count: number;
      p50Seconds: number | null;
      p95Seconds: number | null;
      maxSeconds: number | null;
    }>;
  };
  topPublications: Array<
    {
      publishedAt: string;
      channel: string;
      platform: Platform;
      campaign: string;
      language: string;
      text: string;
      url: string | null;
      engagement: number | null;
    } & MetricValues
  >;
  withdrawn: Array<{ publishedAt: string; withdrawnAt: string | null; channel: string; platform: Platform; campaign: string }>;
  /** What the methodology section states; its sentences are the web layer's (catalog messages). */
  methodology: {
    /** The engagement collection cadence, said in words by the web layer. */
    cadence: CadenceStep[];
    newestCollectionAt: string | null;
    platforms: Array<{ platform: Platform; name: string; provides: MetricName[] }>;
  };
}
