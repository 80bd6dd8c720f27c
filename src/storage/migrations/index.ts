import { InitialSchema1763856000000 } from '#src/storage/migrations/1763856000000-initial-schema.js';
import { Domain1763942400000 } from '#src/storage/migrations/1763942400000-domain.js';
import { Publishing1764028800000 } from '#src/storage/migrations/1764028800000-publishing.js';
import { Blackouts1764115200000 } from '#src/storage/migrations/1764115200000-blackouts.js';
import { Occurrences1764201600000 } from '#src/storage/migrations/1764201600000-occurrences.js';
import { Platforms1764288000000 } from '#src/storage/migrations/1764288000000-platforms.js';
import { Engagement1764374400000 } from '#src/storage/migrations/1764374400000-engagement.js';
import { PostRevisions1764460800000 } from '#src/storage/migrations/1764460800000-post-revisions.js';
import { TargetProgress1764547200000 } from '#src/storage/migrations/1764547200000-target-progress.js';
import { TargetCodes1764633600000 } from '#src/storage/migrations/1764633600000-target-codes.js';
import { PlatformRegistry1764720000000 } from '#src/storage/migrations/1764720000000-platform-registry.js';

/** Every migration, in order. Committed; never generated at run time, and `synchronize` is never on. */
export const MIGRATIONS = [
  InitialSchema1763856000000,
  Domain1763942400000,
  Publishing1764028800000,
  Blackouts1764115200000,
  Occurrences1764201600000,
  Platforms1764288000000,
  Engagement1764374400000,
  PostRevisions1764460800000,
  TargetProgress1764547200000,
  TargetCodes1764633600000,
  PlatformRegistry1764720000000,
];
