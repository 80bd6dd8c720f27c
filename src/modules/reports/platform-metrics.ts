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
 * what the methodology section of the transparency report states.
 */
export const PLATFORM_METRICS: Record<Platform, { provides: MetricName[]; note: string }> = {
  x: { provides: ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'], note: 'X API v2 public and organic metrics; link clicks only for the account\'s own posts.' },
  mastodon: { provides: ['likes', 'reposts', 'replies', 'quotes'], note: 'Favourites, boosts and replies; quotes where the server counts them; Mastodon counts no views or clicks.' },
  bluesky: { provides: ['likes', 'reposts', 'replies', 'quotes'], note: 'Bluesky counts no views or clicks.' },
  facebook: { provides: ['likes', 'reposts', 'replies', 'impressions', 'clicks'], note: 'Reactions count as likes, shares as reposts, comments as replies; media views as impressions.' },
  linkedin: { provides: ['likes', 'reposts', 'replies', 'impressions', 'clicks'], note: 'Organisation share statistics.' },
  telegram: { provides: [], note: 'The Telegram Bot API gives no engagement figures: none are collected.' },
  sandbox: { provides: ['likes', 'reposts', 'replies', 'impressions'], note: 'Simulated engagement for training.' },
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
