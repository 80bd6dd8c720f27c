import type { PoolConfig } from 'pg';
import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import type { AppConfig, StorageMode } from '#src/config/config.js';
import { startEmbeddedPostgres } from '#src/storage/embedded-postgres.js';

/** What BullMQ connects to. Redis for scale-out; otherwise its PostgreSQL backend on our database. */
export type QueueConnection =
  | { backend: 'redis'; url: string }
  | { backend: 'postgres'; pool: PoolConfig & { schema?: string; migrate?: boolean } };

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
    useQueueBackend('postgres');
    return {
      mode: 'embedded',
      database,
      // pglite-socket's multiplexer shares one session's search_path between
      // connections, so BullMQ's own schema would not be found: use public.
      queue: { backend: 'postgres', pool: { ...database, max: 4, schema: 'public', migrate: true } },
      close: () => embedded.stop(),
    };
  }
  const database: PoolConfig = { connectionString: config.databaseUrl };
  if (config.storage === 'postgres+redis') {
    useQueueBackend('redis');
    return { mode: config.storage, database, queue: { backend: 'redis', url: config.redisUrl! }, close: async () => {} };
  }
  useQueueBackend('postgres');
  return {
    mode: config.storage,
    database,
    queue: { backend: 'postgres', pool: { ...database, max: 8, migrate: true } },
    close: async () => {},
  };
}

/** BullMQ picks its backend process-wide; @nestjs/bullmq constructs Queue and Worker with the default. */
function useQueueBackend(backend: 'redis' | 'postgres'): void {
  setDefaultBackendFactory(backend === 'postgres' ? createPostgresBackend : undefined);
}
