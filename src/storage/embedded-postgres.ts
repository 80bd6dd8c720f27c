import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Port in the socket file name that the `pg` driver derives from host + port. */
const SOCKET_PORT = 5432;
/**
 * Connections the in-process multiplexer accepts: TypeORM's pool (10) plus, for each of the three
 * queues, the pools of BullMQ's Queue and Worker (4 each) and their LISTEN clients. 24 was reached
 * once the metrics worker joined (refused connections surfaced as EPIPE in BullMQ); a connection
 * here costs no process, only a socket, so leave room.
 */
const MAX_CONNECTIONS = 64;

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
  // The data holds password hashes and sealed credentials: its owner's alone. A directory that already
  // existed (made by hand, unpacked from a backup) kept the mode it had, and PGlite's WASM file system
  // creates its files 0666 whatever the umask: a directory only its owner may enter closes them all.
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
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
    serializePerClient(server);
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

/** What pglite-socket's internal query queue looks like (it is not exported). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Protocol message types that open an extended query (Parse, Bind, Describe, Execute, Close, Flush)
// and that end one (Sync, or a simple Query).
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48].map(Number));
const ENDS = new Set([0x53, 0x51]);

/**
 * pglite-socket 0.2.17 multiplexes clients onto PGlite's single session one
 * protocol message at a time. Outside a transaction it lets another client's
 * Parse run between one client's Parse and its Bind/Execute, which breaks the
 * first client's query ("portal \"\" does not exist", "unnamed prepared
 * statement does not exist": reproduced with 10 pooled clients and concurrent
 * transactions), and after any failed message it never resets `processing`,
 * so every later query waits forever. This replaces its queue loop so that a
 * client keeps the session from its first extended-query message to its Sync
 * (as the library already does for a transaction), and a failure is passed to
 * its client without stopping the queue.
 */
function serializePerClient(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  const midQuery = new Set<number>();
  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner =
          this.lastHandlerId !== null && (midQuery.has(this.lastHandlerId) || this.db.isInTransaction()) ? this.lastHandlerId : null;
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the session's owner has more to send: wait for it
        const item = this.queue.splice(index, 1)[0]!;
        const type = item.message[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        this.lastHandlerId = item.handlerId;
        if (ENDS.has(type)) midQuery.delete(item.handlerId);
        else if (EXTENDED.has(type)) midQuery.add(item.handlerId);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A client that left in the middle of a query must not keep the session.
    midQuery.delete(handlerId);
    void q.processQueue();
  };
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
        throw new DataDirLockedError(`DATA_DIR ${root} is in use by process ${pid}: stop it first, or point DATA_DIR elsewhere`);
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
