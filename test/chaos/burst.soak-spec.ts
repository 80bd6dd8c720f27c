import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { AppProcess } from '../support/app-process.js';
import { Client } from '../support/api.js';
import { provisionStorage, type TestStorage } from '../support/test-storage.js';

/**
 * Issue 4's check, by hand (`npm run soak`, PostgreSQL + Redis): SOAK_POSTS posts
 * (default 1,000) on sandbox channels due within the same minute; workers
 * SIGKILLed at random and replaced, the run's Redis keys flushed once. Every
 * post must be published exactly once, none lost, all within two minutes of
 * their time. Prints lateness percentiles.
 */
const N = Number(process.env.SOAK_POSTS ?? 1000);
const ENV = { SCHEDULER_INTERVAL_MS: '1000', ADMIN_EMAIL: 'admin@soak.example', ADMIN_PASSWORD: 'correct horse battery staple', SEED_DEMO: 'false', LOG_LEVEL: 'warn', LOGIN_MAX_PER_ADDRESS: '1000' };

describe('burst under chaos', () => {
  let storage: TestStorage | undefined;
  const processes: AppProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await storage?.cleanup();
  });

  it(`publishes ${N} posts due in one minute exactly once, through worker kills and a Redis flush`, async () => {
    if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('set DATABASE_URL and REDIS_URL: the soak runs on PostgreSQL + Redis');
    storage = await provisionStorage('postgres+redis');
    const env: Record<string, string> = { ...storage.env, ...ENV };
    const api = new AppProcess({ ...env, ROLE: 'api' });
    processes.push(api);
    const worker = () => {
      const w = new AppProcess({ ...env, ROLE: 'worker' });
      processes.push(w);
      return w;
    };
    let workers = [worker(), worker()];
    const url = await api.url();

    const admin = new Client(url);
    admin.token = (await admin.post('/api/auth/login', { email: ENV.ADMIN_EMAIL, password: ENV.ADMIN_PASSWORD })).body.token;
    const inst = (await admin.post('/api/institutions', { name: 'Soak Town', slug: 'soak-town', timeZone: 'UTC', languages: ['en'] })).body;
    const base = `/api/institutions/${inst.id}`;
    const invited = (await admin.post(`${base}/members`, { email: 'editor@soak.example', role: 'editor' })).body;
    const editor = new Client(url);
    editor.token = (await editor.post('/api/auth/login', { email: 'editor@soak.example', password: invited.temporaryPassword })).body.token;
    const campaignId = (await admin.post(`${base}/campaigns`, { title: 'Soak', startsOn: '2026-01-01', endsOn: '2030-12-31' })).body.id;
    const channels: string[] = [];
    for (let i = 0; i < 10; i++) channels.push((await admin.post(`${base}/channels`, { platform: 'sandbox', displayName: `Sandbox ${i}`, settings: { sandbox: { latencyMs: 20 } } })).body.id);

    // Due within one minute, starting after the posts have been written (about 20 posts/s here).
    const minute = Math.ceil((Date.now() + 30_000 + N * 60) / 60_000) * 60_000;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 20) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, N - i) }, async (_, k) => {
            const n = i + k;
            const created = await admin.post(`${base}/posts`, { campaignId, channelIds: [channels[n % channels.length]], variants: [{ language: 'en', text: `Soak post ${n}` }], scheduledAt: new Date(minute + ((n * 59_000) / N)).toISOString() });
            await admin.post(`/api/posts/${created.body.id}/submit`);
            const approved = await editor.post(`/api/posts/${created.body.id}/approve`);
            if (approved.status !== 200) throw new Error(`approve ${n}: ${JSON.stringify(approved.body)}`);
            return created.body.id as string;
          }),
        )),
      );
    }
    process.stdout.write(`${N} posts approved; due from ${new Date(minute).toISOString()} over one minute\n`);

    // Chaos until the last post is due plus a minute: kill a random worker every 3-8 s, flush Redis once.
    let flushed = false;
    const chaosEnd = minute + 120_000;
    while (Date.now() < chaosEnd) {
      await new Promise((r) => setTimeout(r, 3_000 + Math.random() * 5_000));
      const victim = workers[Math.floor(Math.random() * workers.length)]!;
      victim.child.kill('SIGKILL');
      workers = [...workers.filter((w) => w !== victim), worker()];
      if (!flushed && Date.now() > minute + 20_000) {
        const redis = new Redis(env.REDIS_URL!);
        const keys = await redis.keys(`${env.QUEUE_PREFIX}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
        flushed = true;
        process.stdout.write(`flushed ${keys.length} Redis keys\n`);
      }
    }

    const deadline = Date.now() + 5 * 60_000;
    let targets: Array<{ status: string; scheduledAt: string; publishedAt: string | null }> = [];
    for (;;) {
      targets = (await Promise.all(ids.map(async (id) => (await admin.get(`/api/posts/${id}`)).body.targets))).flat();
      if (targets.every((t) => t.status === 'published') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const late = targets.filter((t) => t.publishedAt).map((t) => new Date(t.publishedAt!).getTime() - new Date(t.scheduledAt).getTime()).sort((a, b) => a - b);
    const pct = (p: number) => late[Math.min(late.length - 1, Math.floor((p / 100) * late.length))];
    process.stdout.write(`lateness ms: p50 ${pct(50)} p95 ${pct(95)} p99 ${pct(99)} max ${late[late.length - 1]}\n`);

    expect(targets.filter((t) => t.status !== 'published')).toEqual([]);
    let feedTotal = 0;
    const texts = new Set<string>();
    for (const channelId of channels) {
      for (let offset = 0; ; offset += 200) {
        const feed = (await admin.get(`${base}/channels/${channelId}/sandbox-feed?limit=200&offset=${offset}`)).body;
        if (offset === 0) feedTotal += feed.total;
        for (const item of feed.items) texts.add(item.text);
        if (feed.items.length < 200) break;
      }
    }
    expect(feedTotal).toBe(N); // never twice
    expect(texts.size).toBe(N); // never lost
    expect(late[late.length - 1]).toBeLessThan(120_000); // on time: within two minutes
  });
});
