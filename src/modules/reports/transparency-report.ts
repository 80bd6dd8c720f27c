import type { Platform } from '#src/modules/channels/channel.entity.js';
import type { MetricName, MetricValues } from '#src/modules/reports/platform-metrics.js';

/**
 * The public transparency report, schema version 1.0 (docs/open-data.md): what report.json
 * serves as is, and what the page, the CSV and the PDF are rendered from. Only published
 * publications on real platforms appear; nobody's identity does.
 */
export interface TransparencyReport {
  schemaVersion: '1.0';
  licence: string;
  generatedAt: string;
  institution: { name: string; slug: string; timeZone: string };
  /** from <= published < to (instants); firstDay and lastDay in the institution's time zone. */
  period: { from: string; to: string; firstDay: string; lastDay: string };
  engagementAsOf: string;
  totals: { published: number; withdrawn: number; engagement: number | null } & MetricValues;
  publicationsByMonthAndChannel: Array<{ month: string; channel: string; platform: Platform; published: number; withdrawn: number } & MetricValues>;
  campaigns: Array<{ title: string; goal: string; startsOn: string; endsOn: string; partners: string[]; published: number; engagement: number | null } & MetricValues>;
  punctuality: {
    count: number;
    p50Seconds: number | null;
    p95Seconds: number | null;
    maxSeconds: number | null;
    byChannel: Array<{ channel: string; platform: Platform; count: number; p50Seconds: number | null; p95Seconds: number | null; maxSeconds: number | null }>;
  };
  topPublications: Array<{ publishedAt: string; channel: string; platform: Platform; campaign: string; language: string; text: string; url: string | null; engagement: number | null } & MetricValues>;
  withdrawn: Array<{ publishedAt: string; withdrawnAt: string | null; channel: string; platform: Platform; campaign: string }>;
  methodology: {
    engagementDefinition: string;
    collectionCadence: string;
    newestCollectionAt: string | null;
    platforms: Array<{ platform: Platform; name: string; provides: MetricName[]; note: string }>;
    notes: string[];
  };
}

/** A figure for people: "not available" for null, thousands grouped. */
export function figure(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'not available';
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n);
}

/** A lateness in seconds for people: 45 s, 3 min, 2.5 h. */
export function duration(seconds: number | null): string {
  if (seconds === null) return 'not available';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3_600) * 10) / 10} h`;
}
