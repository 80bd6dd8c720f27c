import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { poll } from '#test/support/poll.js';

/**
 * PostgreSQL and Redis servers of a test's own, on free loopback ports, that the test may crash and restart
 * without disturbing the shared servers other suites use at the same time. Built from the machine's
 * Debian packages (postgresql, redis-server), which `.ci/run` installs.
 */

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Until `ok` answers true; an error means not yet (the server still starting). */
async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await poll(what, ok, (v) => v, timeoutMs, { everyMs: 100, retryOn: () => true });
}

/** A redis-server that keeps nothing on disk, as the deployments' default: a restart comes back empty. */
export class PrivateRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    await until(`redis-server on ${this.port} answering PING`, async () => {
      const c = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } finally {
        c.disconnect();
      }
    });
  }

  /** Killed as a crash would: SIGKILL, everything in memory lost. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async flushAll(): Promise<void> {
    const c = new Redis(this.url);
    try {
      await c.flushall();
    } finally {
      c.disconnect();
    }
  }
}

/** A PostgreSQL cluster in a temporary directory (initdb), trust auth for the `postgres` user, on a free port. */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((b) => existsSync(join(b, 'initdb')));
    if (!bin) throw new Error('initdb not found under /usr/lib/postgresql: install the postgresql package');
    const dir = mkdtempSync(join(tmpdir(), 'civicpost-pg-'));
    const p = new PrivatePostgres(await freePort(), dir, bin);
    // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await p.exec('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await p.start();
    return p;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
    await until(`PostgreSQL on ${this.port} accepting connections`, async () => {
      const c = new pg.Client({ connectionString: this.url() });
      await c.connect();
      await c.end();
      return true;
    });
  }

  /** Stopped as a crash would (immediate: no checkpoint, every connection cut); the next start recovers. */
  async crash(): Promise<void> {
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: '/' });
    else await run(path, args, { cwd: '/' });
  }
}
