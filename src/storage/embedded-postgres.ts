import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Port in the socket file name that the `pg` driver derives from host + port. */
const SOCKET_PORT = 5432;
/** Connections the in-process multiplexer accepts: TypeORM's pool plus BullMQ's pool and LISTEN client. */
const MAX_CONNECTIONS = 24;

export interface EmbeddedPostgres {
  /** Directory holding `.s.PGSQL.5432`: use as the pg `host`. */
  socketDir: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WASM) kept under DATA_DIR, served in this
 * process over the PostgreSQL wire protocol on a private Unix socket, so that
 * TypeORM's `pg` driver and BullMQ's PostgreSQL backend use it unchanged.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const releaseLock = lockDataDir(root);
  try {
    const db = await PGlite.create({ dataDir: join(root, 'pgdata') });
    // A short private directory: Unix socket paths are limited to ~107 bytes, and
    // nobody but this process's user may connect (PGlite has no authentication).
    const socketDir = mkdtempSync(join(tmpdir(), 'civicpost-pg-'));
    const server = new PGLiteSocketServer({
      db,
      path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      maxConnections: MAX_CONNECTIONS,
    });
    await server.start();
    return {
      socketDir,
      port: SOCKET_PORT,
      async stop() {
        await server.stop();
        await db.close();
        rmSync(socketDir, { recursive: true, force: true });
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

export class DataDirLockedError extends Error {}

/** One process at a time may open a PGlite data directory; a second one would corrupt it. */
function lockDataDir(root: string): () => void {
  const lockFile = join(root, 'civicpost.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(
          `DATA_DIR ${root} is in use by process ${pid}: stop it first, or point DATA_DIR elsewhere`,
        );
      }
      // Left behind by a process that died: take it over.
      rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirLockedError(`DATA_DIR ${root}: could not take the lock file ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
