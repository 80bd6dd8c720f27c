import type { Platform } from '#src/modules/channels/channel.entity.js';

export const METRICS = ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] as const;
export type MetricName = (typeof METRICS)[number];

/** Metric values; null: not available (the platform does not give it, or nothing was collected). */
export type MetricValues = Record<MetricName, number | null>;

export const PLATFORM_NAMES: Record<Platform, string> = {
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  facebook: 'Facebook',
  linkedin: 'LinkedIn',
  telegram: 'Telegram',
  sandbox: 'Sandbox (training, never published)',
};

/**
 * Which metrics each platform's API gives (see docs/platforms.md and each adapter's fetchMetrics):
 * what the methodology section of the transparency report states. Each platform's note is the
 * catalog message `transparency.platformNote.<platform>` (src/web/i18n/transparency.messages.ts, worded by src/web/transparency/),
 * in English in report.json and in the reader's language on the page.
 */
export const PLATFORM_METRICS: Record<Platform, { provides: MetricName[] }> = {
  x: { provides: ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'] },
  mastodon: { provides: ['likes', 'reposts', 'replies', 'quotes'] },
  bluesky: { provides: ['likes', 'reposts', 'replies', 'quotes'] },
  facebook: { provides: ['likes', 'reposts', 'replies', 'impressions', 'clicks'] },
  linkedin: { provides: ['likes', 'reposts', 'replies', 'impressions', 'clicks'] },
  telegram: { provides: [] },
  sandbox: { provides: ['likes', 'reposts', 'replies', 'impressions'] },
};

/** Sum where null means "not available": null only when every value is null. */
export function addNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a + b;
}

/** Likes, reposts, replies and quotes: the interactions every platform with metrics counts. */
export function engagementOf(m: Pick<MetricValues, 'likes' | 'reposts' | 'replies' | 'quotes'>): number | null {
  return [m.likes, m.reposts, m.replies, m.quotes].reduce<number | null>(addNullable, null);
}
