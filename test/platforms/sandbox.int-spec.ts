/**
 * The sandbox adapter under the adapter contract. It publishes into CivicPost's own database (the
 * sandbox feed), so it runs on the storage of this test run (PGlite, or PostgreSQL when DATABASE_URL
 * is set), with one institution and one sandbox channel. Faults are its own `settings.sandbox`
 * behaviours. What it cannot have is declared in the harness: it reaches no network (no refused
 * connection, no hang: nothing waits on an answer), has no credentials to refuse, and has no reads or
 * deletes that fail.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { Clock, ShiftedClock } from '#src/common/clock.js';
import { loadConfig } from '#src/config/config.js';
import type { Connection, PublishRequest } from '#src/platforms/platform-adapter.js';
import { SandboxRepository } from '#src/modules/sandbox/sandbox.repository.js';
import { SandboxAdapter, type SandboxBehaviour } from '#src/platforms/sandbox/sandbox.adapter.js';
import { ENTITIES } from '#src/modules/entities.js';
import { createDataSource, migrate } from '#src/storage/data-source.js';
import { openStorage, type Storage } from '#src/storage/storage.js';
import { Tx } from '#src/storage/tx.js';
import { adapterContract, type ContractFault, type FaultTarget, type StoredPost } from '#test/platforms/adapter-contract.js';
import { provisionStorage, type TestStorage } from '#test/support/test-storage.js';

let storage: TestStorage;
let opened: Storage;
let dataSource: DataSource;
let tx: Tx;
let institutionId: string;
let channelId: string;
/** The behaviour the next request carries (a fault is for one publication, as on a fake). */
let pending: SandboxBehaviour = {};

beforeAll(async () => {
  storage = await provisionStorage();
  opened = await openStorage(loadConfig({ ...storage.env, LOG_LEVEL: 'warn' }));
  dataSource = createDataSource(opened.database, pino({ level: 'warn' }), ENTITIES);
  await dataSource.initialize();
  await migrate(dataSource);
  tx = new Tx(dataSource);
  const [institution] = (await dataSource.query(
    `INSERT INTO institutions (name, slug, time_zone) VALUES ('Town Hall', 'town-hall', 'Europe/Bucharest') RETURNING id`,
  )) as Array<{ id: string }>;
  institutionId = institution!.id;
  const [channel] = (await dataSource.query(
    `INSERT INTO channels (institution_id, platform, display_name, account_handle) VALUES ($1, 'sandbox', 'Sandbox', '@townhall') RETURNING id`,
    [institutionId],
  )) as Array<{ id: string }>;
  channelId = channel!.id;
});

afterAll(async () => {
  await dataSource?.destroy();
  await opened?.close();
  await storage?.cleanup();
});

function conn(behaviour: SandboxBehaviour = {}): Connection {
  return {
    channel: { id: channelId, institutionId, platform: 'sandbox', settings: { sandbox: behaviour }, accountHandle: '@townhall' },
    credentials: null,
  };
}

function request(key: string, text: string, more: Partial<PublishRequest> = {}): PublishRequest {
  const behaviour = pending;
  pending = {};
  return {
    ...conn(behaviour),
    idempotencyKey: key,
    targetId: `target-${key}`,
    language: 'en',
    text,
    thread: [],
    media: [],
    publishedParts: [],
    ...more,
  };
}

const FAULTS: Record<Exclude<ContractFault, 'hang'>, SandboxBehaviour> = {
  rate_limit: { fail: 'rate_limit', rateLimitResetSeconds: 60 },
  server_error: { fail: 'transient' },
  expired_token: { fail: 'auth' },
  accept_then_drop: { ambiguousAfterWrite: 1 },
  accept_then_error: { ambiguousAfterWrite: 1 },
};

function inject(fault: ContractFault, on: FaultTarget): void {
  if (fault === 'hang' || on !== 'create') throw new Error(`the sandbox has no ${fault} on a ${on}`);
  pending = FAULTS[fault];
}

adapterContract({
  name: 'Sandbox',
  reset: async () => {
    pending = {};
    await dataSource.query(`DELETE FROM sandbox_posts`);
  },
  adapter: () => new SandboxAdapter(new SandboxRepository(tx), new Clock()),
  conn: () => conn(),
  request,
  image: (altText) => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return { fileName: 'photo.png', mimeType: 'image/png', size: bytes.length, altText, read: async () => bytes };
  },
  posts: async (): Promise<StoredPost[]> => {
    const rows = (await dataSource.query(`SELECT id, text, media FROM sandbox_posts WHERE channel_id = $1 ORDER BY published_at, id`, [
      channelId,
    ])) as Array<{ id: string; text: string; media: Array<{ altText: string }> }>;
    return rows.map((r) => ({ id: r.id, text: r.text, replyTo: null, altTexts: r.media.map((m) => m.altText), imageHashes: [] }));
  },
  // Nothing leaves CivicPost.
  requestCount: () => 0,
  fail: inject,
  sawHungRequest: () => false,
  get account() {
    return { id: channelId, handle: '@townhall', displayName: 'Sandbox feed (nothing leaves CivicPost)', url: `/sandbox/${channelId}` };
  },
  postUrl: (post) => `/sandbox/${channelId}#${post.id}`,
  secrets: null,
  reportsParts: false,
  refusedCredentials: null,
  thread: 'one-entry',
  altText: 'field',
  reconcile: 'lookup',
  unconfirmable: (key, text) => ({ ...request(key, text), ...conn({ unconfirmable: true }) }),
  metrics: { kind: 'counts', unknownId: '00000000-0000-4000-8000-000000000000' },
  failingRead: null,
  failingDelete: false,
  imageBytes: false,
  unreachable: null,
  hang: null,
  createServerError: 'transient',
  lostAnswer: 'ambiguous',
  rateLimitReset: (now) => new Date(now.getTime() + 60_000),
  invalid: {
    request: (key) => ({ ...request(key, 'Refused'), ...conn({ fail: 'invalid' }) }),
    message: 'sandbox: injected invalid failure',
  },
  // The idempotency key is unique in the feed, as a platform's would be.
  duplicate: (first) => ({ ...first }),
});

describe('the sandbox only', () => {
  it("stamps a publication with the injected clock's time, not the machine's", async () => {
    const at = new Date('2027-03-28T00:59:50.000Z'); // ten seconds before Bucharest's clocks jump
    const adapter = new SandboxAdapter(new SandboxRepository(tx), new ShiftedClock(at));
    const [part] = await adapter.publish(request('clock-stamp', 'Stamped by the clock'));
    const [row] = (await dataSource.query(`SELECT published_at FROM sandbox_posts WHERE id = $1`, [part!.externalId])) as Array<{
      published_at: Date;
    }>;
    expect(row!.published_at.getTime() - at.getTime()).toBeGreaterThanOrEqual(0);
    expect(row!.published_at.getTime() - at.getTime()).toBeLessThan(60_000);
  });
});
