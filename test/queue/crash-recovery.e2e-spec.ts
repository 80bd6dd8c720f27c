import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AppProcess } from '#test/support/app-process.js';
import { Client } from '#test/support/api.js';
import { poll } from '#test/support/poll.js';
import { currentMode, provisionStorage, type TestStorage } from '#test/support/test-storage.js';
import { campaignDatesAround } from '#test/support/clock.js';

const ENV = {
  SCHEDULER_INTERVAL_MS: '250',
  DUE_WINDOW_SECONDS: '60',
  ADMIN_EMAIL: 'admin@crash.example',
  ADMIN_PASSWORD: 'correct horse battery staple',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
};

/** Sets up an institution with sandbox channels through the API of a running process. */
async function setUp(url: string, channelSettings: Array<Record<string, unknown>>) {
  const admin = new Client(url);
  admin.token = (await admin.post('/api/auth/login', { email: ENV.ADMIN_EMAIL, password: ENV.ADMIN_PASSWORD })).body.token;
  const inst = (await admin.post('/api/institutions', { name: 'Crash Town', slug: 'crash-town', timeZone: 'UTC', languages: ['en'] })).body;
  const base = `/api/institutions/${inst.id}`;
  const editor = new Client(url);
  const invited = (await admin.post(`${base}/members`, { email: 'editor@crash.example', role: 'editor' })).body;
  editor.token = (await editor.post('/api/auth/login', { email: 'editor@crash.example', password: invited.temporaryPassword })).body.token;
  const campaignId = (await admin.post(`${base}/campaigns`, { title: 'Crash campaign', ...campaignDatesAround(new Date()) })).body.id;
  const channels: string[] = [];
  for (const [i, settings] of channelSettings.entries()) {
    channels.push((await admin.post(`${base}/channels`, { platform: 'sandbox', displayName: `Sandbox ${i}`, settings })).body.id);
  }
  const post = async (channelIds: string[], inMs: number, text: string) => {
    const created = await admin.post(`${base}/posts`, {
      campaignId,
      channelIds,
      variants: [{ language: 'en', text }],
      scheduledAt: new Date(Date.now() + inMs).toISOString(),
    });
    await admin.post(`/api/posts/${created.body.id}/submit`);
    const approved = await editor.post(`/api/posts/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    return created.body.id as string;
  };
  return { admin, base, channels, post };
}

/**
 * Real processes killed and restarted: their time is real, and so is the recovery's (BullMQ finds a dead worker's job
 * stalled after its lock runs out; posts go out when they are due on the processes' clocks). The test polls; it cannot
 * run their passes for them.
 */
describe(`crash and queue loss (${currentMode()} storage)`, () => {
  let storage: TestStorage | undefined;
  const processes: AppProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    await storage?.cleanup();
  });

  it('a worker killed with SIGKILL mid-publish causes neither a duplicate nor a lost post', async () => {
    storage = await provisionStorage();
    const env: Record<string, string> = { ...storage.env, ...ENV };
    const first = new AppProcess(env);
    processes.push(first);
    const url = await first.url();
    // One platform still holding the call open when the worker dies; one that has stored the post but not answered.
    const { admin, base, channels, post } = await setUp(url, [
      { sandbox: { latencyMs: 8_000 } },
      { sandbox: { latencyAfterWriteMs: 8_000 } },
    ]);
    const postId = await post(channels, 500, 'Published exactly once, whatever happens');
    await poll(
      'both targets in flight',
      async () => (await admin.get(`/api/posts/${postId}`)).body.targets.map((t: { status: string }) => t.status),
      (s: string[]) => s.every((x) => x === 'publishing'),
      30_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = new AppProcess(env);
    processes.push(second);
    admin.baseUrl = await second.url();
    const done = await poll(
      'targets after the restart',
      async () =>
        (await admin.get(`/api/posts/${postId}`)).body.targets as Array<{
          status: string;
          channelId: string;
          events: Array<{ toStatus: string }>;
        }>,
      (ts) => ts.every((t) => t.status === 'published'),
      90_000,
    );
    for (const t of done) expect(t.events.map((e) => e.toStatus)).toContain('unconfirmed');
    for (const channelId of channels) {
      const feed = await admin.get(`${base}/channels/${channelId}/sandbox-feed`);
      expect(feed.body.total).toBe(1);
    }
  });

  if (currentMode() !== 'embedded') {
    it('posts due when the queue is wiped still go out, once each', async () => {
      storage = await provisionStorage();
      const env: Record<string, string> = { ...storage.env, ...ENV };
      const app = new AppProcess(env);
      processes.push(app);
      const { admin, base, channels, post } = await setUp(await app.url(), [{}]);
      // Due 15 s ahead: the poll below must see all 20 queued before the first is due, also on a loaded machine
      // (at 4 s, creating the 20 took long enough there that the first went out before the last was queued).
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => post(channels, 15_000, `Post ${i} of a burst`)));
      await poll(
        'all queued',
        async () => Promise.all(ids.map(async (id) => (await admin.get(`/api/posts/${id}`)).body.targets[0].status)),
        (s: string[]) => s.every((x) => x === 'queued'),
        30_000,
      );
      if (env.REDIS_URL) {
        // Lose every job of this run's queues, as a flushed or restarted-empty Redis would.
        const redis = new Redis(env.REDIS_URL);
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.QUEUE_PREFIX}*`, 'COUNT', 1000);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        redis.disconnect();
      } else {
        // BullMQ's PostgreSQL tables emptied: the same loss on the other backend.
        const db = new pg.Client({ connectionString: env.DATABASE_URL });
        await db.connect();
        await db.query('TRUNCATE bullmq.job CASCADE');
        await db.end();
      }

      await poll(
        'all published',
        async () => Promise.all(ids.map(async (id) => (await admin.get(`/api/posts/${id}`)).body.targets[0].status)),
        (s: string[]) => s.every((x) => x === 'published'),
        60_000,
      );
      const feed = await admin.get(`${base}/channels/${channels[0]}/sandbox-feed?limit=200`);
      expect(feed.body.total).toBe(20);
      expect(new Set(feed.body.items.map((i: { text: string }) => i.text)).size).toBe(20);
    });
  }

  if (currentMode() !== 'embedded') {
    it('a burst through an api and two workers, one killed mid-burst: every post once, none late by more than a minute', async () => {
      storage = await provisionStorage();
      const env: Record<string, string> = { ...storage.env, ...ENV };
      const api = new AppProcess({ ...env, ROLE: 'api' });
      processes.push(api);
      const workers = [new AppProcess({ ...env, ROLE: 'worker' }), new AppProcess({ ...env, ROLE: 'worker' })];
      processes.push(...workers);
      const { admin, base, channels, post } = await setUp(await api.url(), [
        { sandbox: { latencyMs: 150 } },
        { sandbox: { latencyMs: 150 } },
      ]);
      const N = 60;
      const due = Date.now() + 12_000;
      const ids: string[] = [];
      for (let i = 0; i < N; i += 10)
        ids.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(10, N - i) }, (_, k) => post(channels, due - Date.now(), `Burst post ${i + k}`)),
          )),
        );

      // Kill one worker once publishing has started, and start another.
      await poll(
        'publishing started',
        async () => (await admin.get(`${base}/channels/${channels[0]}/sandbox-feed?limit=1`)).body.total as number,
        (n) => n > 0,
        60_000,
      );
      workers[0]!.child.kill('SIGKILL');
      const replacement = new AppProcess({ ...env, ROLE: 'worker' });
      processes.push(replacement);

      const statuses = async () =>
        (
          await Promise.all(
            ids.map(
              async (id) =>
                (await admin.get(`/api/posts/${id}`)).body.targets as Array<{ status: string; publishedAt: string; scheduledAt: string }>,
            ),
          )
        ).flat();
      const targets = await poll('every target published', statuses, (ts) => ts.every((t) => t.status === 'published'), 120_000);
      expect(targets).toHaveLength(N * channels.length);
      for (const t of targets) expect(new Date(t.publishedAt).getTime() - new Date(t.scheduledAt).getTime()).toBeLessThan(60_000);
      for (const channelId of channels) {
        const feed = await admin.get(`${base}/channels/${channelId}/sandbox-feed?limit=200`);
        expect(feed.body.total).toBe(N);
        expect(new Set(feed.body.items.map((i: { text: string }) => i.text)).size).toBe(N);
      }
    });
  }
});
