import pino from 'pino';
import type { PoolConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#src/config/config.js';
import { ENTITIES } from '#src/modules/entities.js';
import { createDataSource, migrate } from '#src/storage/data-source.js';
import { startEmbeddedPostgres } from '#src/storage/embedded-postgres.js';
import { provisionStorage, type TestStorage } from '#test/support/test-storage.js';

export interface TestDatabase {
  dataSource: DataSource;
  storage: TestStorage;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database of the current test mode (PostgreSQL when DATABASE_URL is set,
 * embedded PGlite otherwise) and a DataSource on it: no app, no HTTP, no queue. For int tests
 * that build their data with the factories and call repositories and services directly.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const storage = await provisionStorage();
  const closers: Array<() => Promise<void>> = [() => storage.cleanup()];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' });
    let database: PoolConfig;
    if (config.storage === 'embedded') {
      const embedded = await startEmbeddedPostgres(config.dataDir);
      closers.push(() => embedded.stop());
      database = { host: embedded.socketDir, port: embedded.port, user: 'postgres', database: 'postgres' };
    } else {
      database = { connectionString: config.databaseUrl };
    }
    const dataSource = createDataSource(database, pino({ level: 'warn' }), ENTITIES);
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    await migrate(dataSource);
    return { dataSource, storage, close };
  } catch (err) {
    await close();
    throw err;
  }
}
