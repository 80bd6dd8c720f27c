import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { AppProcess, waitForHealthy } from '#test/support/app-process.js';
import { Client } from '#test/support/api.js';
import { poll } from '#test/support/poll.js';
import { currentMode, provisionStorage, type TestStorage } from '#test/support/test-storage.js';
import { campaignDatesAround } from '#test/support/clock.js';

/**
 * BullMQ on a three-node Redis Cluster: one api and two workers publish a burst due at one moment,
 * each post exactly once, and the queue's keys live in the cluster's one hash slot of the prefix.
 * Only in postgres+redis mode (the other modes have no Redis); needs redis-server and redis-cli.
 */

const ENV = {
  SCHEDULER_INTERVAL_MS: '500',
  DUE_WINDOW_SECONDS: '60',
  ADMIN_EMAIL: 'admin@cluster.example',
  ADMIN_PASSWORD: 'correct horse battery staple',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
};
const POSTS = 120;
const CHANNELS = 3;

/** A loopback port that is free, with its cluster bus port (port + 10000) free as well. */
async function freePortPair(taken: Set<number>): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await free(port)) && (await free(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
}

/** Three cluster-enabled redis-servers on loopback, joined into one cluster with no replicas. */
class LocalRedisCluster {
  readonly servers: ChildProcess[] = [];
  readonly ports: number[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'civicpost-cluster-'));
  output = '';

  async start(): Promise<void> {
    const taken = new Set<number>();
    for (let i = 0; i < 3; i++) this.ports.push(await freePortPair(taken));
    for (const port of this.ports) {
      const server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(this.dir, `nodes-${port}.conf`),
          '--dir',
          this.dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      server.stdout!.setEncoding('utf8').on('data', (d: string) => (this.output += d));
      server.stderr!.setEncoding('utf8').on('data', (d: string) => (this.output += d));
      this.servers.push(server);
    }
    for (const port of this.ports)
      await poll(
        `redis-server on ${port}`,
        () => this.ping(port),
        (ok) => ok,
        20_000,
        100,
      );
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed (${create.status}):\n${create.stdout}\n${create.stderr}\n${this.output}`);
    for (const port of this.ports) {
      await poll(
        `cluster_state:ok on ${port}`,
        () => this.command(port, 'CLUSTER', 'INFO'),
        (info) => /cluster_state:ok/.test(String(info)),
        30_000,
        200,
      );
    }
  }

  private async ping(port: number): Promise<boolean> {
    try {
      return (await this.command(port, 'PING')) === 'PONG';
    } catch {
      return false;
    }
  }

  /** One command to one node (not through the cluster client: asks that node only). */
  async command(port: number, ...args: string[]): Promise<unknown> {
    const node = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await node.connect();
      return await node.call(args[0]!, ...args.slice(1));
    } finally {
      node.disconnect();
    }
  }

  /** Every key of `prefix` held by the node on `port`. */
  async keysOn(port: number, prefix: string): Promise<string[]> {
    const node = new Redis({ host: '127.0.0.1', port });
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      return keys;
    } finally {
      node.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.exitCode !== null || s.signalCode !== null) return resolve();
            s.once('exit', () => resolve());
            s.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Under CI the tools must be there (.ci/run installs redis-server): a missing one fails there instead of skipping.
const haveRedisTools =
  process.env.CI === 'true' ||
  (spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0);
const applies = currentMode() === 'postgres+redis';
if (!applies)
  console.info(`redis-cluster test skipped: it needs PostgreSQL + Redis mode (DATABASE_URL and REDIS_URL); this run is ${currentMode()}`);
else if (!haveRedisTools) console.info('redis-cluster test skipped: redis-server and redis-cli are not installed');

(applies && haveRedisTools ? describe : describe.skip)('BullMQ on a three-node Redis Cluster (postgres+redis storage)', () => {
  const cluster = new LocalRedisCluster();
  let storage: TestStorage | undefined;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    await cluster.start();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    await storage?.cleanup();
    await cluster.stop();
  }, 60_000);

  it('an api and two workers publish a burst due at one moment, each post exactly once, the queue on the cluster', async () => {
    storage = await provisionStorage();
    // The cluster instead of the single Redis the test run was given.
    const { REDIS_URL: _single, ...rest } = storage.env;
    const env: Record<string, string> = { ...rest, ...ENV, REDIS_CLUSTER_NODES: cluster.ports.map((p) => `127.0.0.1:${p}`).join(',') };
    const prefix = env.QUEUE_PREFIX!;

    // A prefix without a hash tag is refused before anything connects, naming the variable.
    const refused = new AppProcess({ ...env, QUEUE_PREFIX: 'civicpost-no-tag' });
    const exit = await refused.exited;
    expect(exit.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/QUEUE_PREFIX .*no hash tag/);

    const api = new AppProcess({ ...env, ROLE: 'api' });
    const workers = [new AppProcess({ ...env, ROLE: 'worker' }), new AppProcess({ ...env, ROLE: 'worker' })];
    processes.push(api, ...workers);
    const url = await api.url();
    const health = await waitForHealthy(`${url}/health`);
    expect(health).toMatchObject({ status: 'ok', details: { queue: { status: 'up', backend: 'redis-cluster' } } });

    const admin = new Client(url);
    admin.token = (await admin.post('/api/auth/login', { email: ENV.ADMIN_EMAIL, password: ENV.ADMIN_PASSWORD })).body.token;
    const inst = (await admin.post('/api/institutions', { name: 'Cluster Town', slug: 'cluster-town', timeZone: 'UTC', languages: ['en'] }))
      .body;
    const base = `/api/institutions/${inst.id}`;
    const invited = (await admin.post(`${base}/members`, { email: 'editor@cluster.example', role: 'editor' })).body;
    const editor = new Client(url);
    editor.token = (
      await editor.post('/api/auth/login', { email: 'editor@cluster.example', password: invited.temporaryPassword })
    ).body.token;
    const campaignId = (await admin.post(`${base}/campaigns`, { title: 'Cluster campaign', ...campaignDatesAround(new Date()) })).body.id;
    const channels: string[] = [];
    for (let i = 0; i < CHANNELS; i++) {
      const created = await admin.post(`${base}/channels`, {
        platform: 'sandbox',
        displayName: `Sandbox ${i}`,
        settings: { sandbox: { latencyMs: 100 } },
      });
      expect(created.status).toBe(201);
      channels.push(created.body.id);
    }

    // Every post due at the same moment, far enough ahead that all are approved before it.
    const due = new Date(Date.now() + 40_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < POSTS; i += 10) {
      const batch = Array.from({ length: Math.min(10, POSTS - i) }, async (_, k) => {
        const created = await admin.post(`${base}/posts`, {
          campaignId,
          channelIds: channels,
          variants: [{ language: 'en', text: `Cluster post ${i + k}` }],
          scheduledAt: due,
        });
        expect(created.status).toBe(201);
        expect((await admin.post(`/api/posts/${created.body.id}/submit`)).status).toBe(200);
        expect((await editor.post(`/api/posts/${created.body.id}/approve`)).status).toBe(200);
        return created.body.id as string;
      });
      ids.push(...(await Promise.all(batch)));
    }
    expect(Date.now()).toBeLessThan(new Date(due).getTime());

    type Target = { status: string; channelId: string; externalId: string | null; scheduledAt: string; publishedAt: string | null };
    const targetsOf = async () =>
      (await Promise.all(ids.map(async (id) => (await admin.get(`/api/posts/${id}`)).body.targets as Target[]))).flat();
    const targets = await poll('every target published', targetsOf, (ts) => ts.every((t) => t.status === 'published'), 150_000, 1_000);
    expect(targets).toHaveLength(POSTS * CHANNELS);
    expect(new Set(targets.map((t) => t.externalId)).size).toBe(POSTS * CHANNELS);
    for (const t of targets) expect(new Date(t.publishedAt!).getTime() - new Date(t.scheduledAt).getTime()).toBeLessThan(60_000);
    for (const channelId of channels) {
      const feed = await admin.get(`${base}/channels/${channelId}/sandbox-feed?limit=200`);
      expect(feed.body.total).toBe(POSTS);
      const texts = feed.body.items.map((i: { text: string }) => i.text);
      expect(new Set(texts).size).toBe(POSTS);
    }

    // The queue really lives on the cluster: all its keys in the hash slot of the prefix's tag, on the node owning it.
    const slot = Number(await cluster.command(cluster.ports[0]!, 'CLUSTER', 'KEYSLOT', prefix));
    const owners = (await cluster.command(cluster.ports[0]!, 'CLUSTER', 'SLOTS')) as Array<
      [number, number, [string, number, ...unknown[]]]
    >;
    const owner = owners.find(([from, to]) => slot >= from && slot <= to)![2][1];
    const keysByNode = await Promise.all(cluster.ports.map((p) => cluster.keysOn(p, prefix)));
    const ownerKeys = keysByNode[cluster.ports.indexOf(owner)]!;
    expect(ownerKeys).toEqual(expect.arrayContaining([`${prefix}:publish:meta`, `${prefix}:publish:completed`]));
    for (const [i, keys] of keysByNode.entries()) if (cluster.ports[i] !== owner) expect(keys).toEqual([]);
    expect(Number(await cluster.command(owner, 'ZCARD', `${prefix}:publish:completed`))).toBeGreaterThanOrEqual(POSTS * CHANNELS);
    for (const key of ownerKeys.slice(0, 50)) expect(Number(await cluster.command(owner, 'CLUSTER', 'KEYSLOT', key))).toBe(slot);

    // Nothing of this run went to the single Redis of the test environment.
    const single = new Redis(storage.env.REDIS_URL!);
    try {
      const stray: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await single.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        stray.push(...keys);
        cursor = next;
      } while (cursor !== '0');
      expect(stray).toEqual([]);
    } finally {
      single.disconnect();
    }

    // Both workers stop cleanly (SIGTERM drains and closes the cluster client) and logged no errors.
    for (const w of workers) {
      const e = await w.stop('SIGTERM');
      expect(e.code).toBe(0);
      expect(w.stderr).not.toMatch(/CROSSSLOT|MOVED|ClusterAllFailedError/);
    }
  }, 170_000);
});
