import { webLink } from '#src/common/web-link.js';
import type { CadenceStep } from '#src/config/config.js';
import { nextCollectionAt } from '#src/modules/engagement/cadence.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';

type Part = { externalId: string; url: string | null };

/**
 * What a target records when all of it is on the platform, however that was learnt (the platform's
 * answer, reconciliation, a person): its parts, the first one's id and link, when it went out, and
 * when its engagement is first read.
 */
export function publishedRecord(
  parts: Part[],
  publishedAt: Date,
  now: Date,
  cadence: readonly CadenceStep[],
  url: string | null = parts[0]?.url ?? null,
): Partial<PublicationTarget> {
  return {
    externalParts: parts.map((p) => ({ externalId: p.externalId, url: webLink(p.url) })),
    externalId: parts[0]?.externalId ?? null,
    externalUrl: webLink(url),
    publishedAt,
    lastError: null,
    metricsNextAt: nextCollectionAt(publishedAt, now, cadence),
  };
}
