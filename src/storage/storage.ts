import { Cluster } from 'ioredis';
import pg, { type PoolConfig } from 'pg';
import {
  createPostgresBackend,
  DEFAULT_SCHEMA,
  runMigrations,
  setDefaultBackendFactory,
  type BackendFactory,
  type PostgresConnectionOptions,
  type PostgresQueueBackend,
} from 'bullmq';
import type { AppConfig, StorageMode } from '#src/config/config.js';
import { startEmbeddedPostgres } from '#src/storage/embedded-postgres.js';
import { redisClusterOptions } from '#src/storage/redis.js';

/**
 * What BullMQ connects to. Redis (one server, or a cluster) for scale-out; otherwise its PostgreSQL
 * backend on our database. A cluster is one client shared by every queue of the process (BullMQ
 * duplicates it for each worker's blocking connections), owned and closed here.
 */
export type QueueConnection =
  | { backend: 'redis'; url: string }
  | { backend: 'redis-cluster'; cluster: Cluster }
  | { backend: 'postgres'; pool: PoolConfig & { schema?: string } };

/**
 * The resolved storage of this process: where PostgreSQL is and which queue
 * backend BullMQ uses. Everything above this layer takes these and never asks
 * which mode it runs in.
 */
export interface Storage {
  mode: StorageMode;
  database: PoolConfig;
  queue: QueueConnection;
  close(): Promise<void>;
}

export async function openStorage(config: AppConfig): Promise<Storage> {
  if (config.storage === 'embedded') {
    const embedded = await startEmbeddedPostgres(config.dataDir);
    const database: PoolConfig = {
      host: embedded.socketDir,
      port: embedded.port,
      user: 'postgres',
      database: 'postgres',
    };
    try {
      // pglite-socket's multiplexer shares one session's search_path between
      // connections, so BullMQ's own schema would not be found: use public.
      const queue = await usePostgresQueue({ ...database, max: 4, schema: 'public' }, EMBEDDED_POLL_SECONDS);
      return { mode: 'embedded', database, queue, close: () => embedded.stop() };
    } catch (err) {
      await embedded.stop();
      throw err;
    }
  }
  const database: PoolConfig = { connectionString: config.databaseUrl };
  if (config.storage === 'postgres+redis' && config.redisCluster) {
    setDefaultBackendFactory(undefined);
    const { nodes, options } = redisClusterOptions(config.redisCluster);
    const cluster = new Cluster(nodes, options);
    return { mode: config.storage, database, queue: { backend: 'redis-cluster', cluster }, close: () => closeCluster(cluster) };
  }
  if (config.storage === 'postgres+redis') {
    setDefaultBackendFactory(undefined);
    return { mode: config.storage, database, queue: { backend: 'redis', url: config.redisUrl! }, close: async () => {} };
  }
  const queue = await usePostgresQueue({ ...database, max: 8 });
  return { mode: config.storage, database, queue, close: async () => {} };
}

async function closeCluster(cluster: Cluster): Promise<void> {
  if (cluster.status === 'end') return;
  try {
    await cluster.quit();
  } catch {
    cluster.disconnect();
  }
}

/**
 * Runs BullMQ's own schema migrations once, here, rather than letting every
 * Queue and Worker run them as it connects: through pglite-socket, four or more
 * queues migrating at once never became ready (measured), and one migration at
 * start is simpler to reason about on a real server too.
 */
async function usePostgresQueue(pool: PoolConfig & { schema?: string }, pollSeconds?: number): Promise<QueueConnection> {
  const { max: _max, schema, ...clientConfig } = pool;
  const client = new pg.Client(clientConfig);
  await client.connect();
  try {
    await runMigrations(client, schema ?? DEFAULT_SCHEMA);
  } finally {
    await client.end();
  }
  setDefaultBackendFactory<PostgresQueueBackend, PostgresConnectionOptions>(pollSeconds ? polling(pollSeconds) : createPostgresBackend);
  return { backend: 'postgres', pool };
}

/**
 * Through pglite-socket, PostgreSQL notifications never reach BullMQ's LISTEN
 * connection, so a waiting worker only sees a new job when its wait times out,
 * and the PostgreSQL backend lets a wait last up to an hour (until the next
 * delayed job is due). In embedded mode every wait is capped instead: the
 * worker looks again after at most this long (measured: see docs/decisions.md).
 */
export const EMBEDDED_POLL_SECONDS = 0.5;

function polling(seconds: number): BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> {
  return (name, opts, factoryOpts) => {
    const backend = createPostgresBackend(name, opts, factoryOpts);
    Object.defineProperty(backend, 'maximumBlockTimeout', { get: () => seconds });
    return backend;
  };
}
