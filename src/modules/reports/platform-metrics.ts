import type { MetricName } from '#src/platforms/platform-descriptor.js';
import { platformRegistry, type Platform, type PlatformRegistry } from '#src/platforms/platform-registry.js';

export { METRICS, type MetricName } from '#src/platforms/platform-descriptor.js';

/** Metric values; null: not available (the platform does not give it, or nothing was collected). */
export type MetricValues = Record<MetricName, number | null>;

/** How reports name each platform (the public report says when a channel is only a training sandbox). */
export function platformNames<P extends string>(registry: PlatformRegistry<P>): Record<P, string> {
  return registry.table((d) => d.publicName ?? d.name);
}

/**
 * Which metrics each platform's API gives (its descriptor's `metrics`; see docs/platforms.md and each
 * adapter's fetchMetrics): what the methodology section of the transparency report states. Each
 * platform's note is the catalog message `transparency.platformNote.<platform>`
 * (src/web/i18n/transparency.messages.ts, worded by src/web/transparency/), in English in report.json and in the reader's language on the page.
 */
export function platformMetrics<P extends string>(registry: PlatformRegistry<P>): Record<P, { provides: MetricName[] }> {
  return registry.table((d) => ({ provides: [...d.metrics] }));
}

export const PLATFORM_NAMES: Record<Platform, string> = platformNames(platformRegistry);
export const PLATFORM_METRICS: Record<Platform, { provides: MetricName[] }> = platformMetrics(platformRegistry);

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
