import { randomUUID } from 'node:crypto';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import type { Post } from '#src/modules/posts/post.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';

/**
 * Entities as plain objects, whole and valid, with `overrides` on top: what a mocked repository
 * answers in a unit test, and the defaults the database factories (test/factories/index.ts) save.
 * Times are fixed instants, never "now": a test that needs one relative to its clock says so.
 */
const AT = new Date('2026-06-01T08:00:00.000Z');

export function institutionData(overrides: Partial<Institution> = {}): Institution {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    name: 'Primăria Test',
    slug: `inst-${id.slice(0, 8)}`,
    timeZone: 'Europe/Bucharest',
    languages: ['ro', 'hu'],
    optionalLanguages: [],
    suspendedAt: null,
    suspensionReason: null,
    transparencyEnabled: false,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export function channelData(overrides: Partial<Channel> = {}): Channel {
  return {
    id: randomUUID(),
    institutionId: randomUUID(),
    platform: 'sandbox',
    displayName: 'Sandbox',
    accountHandle: null,
    credentialsEncrypted: null,
    credentialsKeyId: null,
    settings: {},
    status: 'active',
    rateLimitPosts: null,
    rateLimitWindowSeconds: null,
    rateLimitedUntil: null,
    metricsPausedUntil: null,
    metricsLastError: null,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export function postData(overrides: Partial<Post> = {}): Post {
  return {
    id: randomUUID(),
    institutionId: randomUUID(),
    campaignId: randomUUID(),
    status: 'draft',
    revision: 1,
    variants: [
      { language: 'ro', text: 'Program de lucru cu publicul' },
      { language: 'hu', text: 'Ügyfélfogadási program' },
    ],
    channelOverrides: [],
    media: [],
    scheduledAt: null,
    timeZone: null,
    recurrence: null,
    rejectionReason: null,
    createdBy: randomUUID(),
    approvedBy: null,
    approvedAt: null,
    blackoutOverrideReason: null,
    blackoutOverrideBy: null,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export function targetData(overrides: Partial<PublicationTarget> = {}): PublicationTarget {
  return {
    id: randomUUID(),
    institutionId: randomUUID(),
    postId: randomUUID(),
    channelId: randomUUID(),
    status: 'draft',
    revision: 1,
    scheduledAt: null,
    externalId: null,
    externalUrl: null,
    externalParts: [],
    lastError: null,
    attempts: 0,
    queuedAt: null,
    claimedAt: null,
    sendingAt: null,
    personAskedAt: null,
    publishedAt: null,
    withdrawnAt: null,
    metricsNextAt: null,
    occurrenceAt: null,
    holdKind: null,
    holdRef: null,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

export function blackoutData(overrides: Partial<Blackout> = {}): Blackout {
  return {
    id: randomUUID(),
    institutionId: randomUUID(),
    channelIds: [],
    startsAt: new Date('2026-06-20T21:00:00.000Z'),
    endsAt: new Date('2026-06-21T21:00:00.000Z'),
    reason: 'Election silence',
    createdBy: randomUUID(),
    createdAt: AT,
    ...overrides,
  };
}
