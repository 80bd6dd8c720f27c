import type { PoolConfig } from 'pg';
import type { Logger as PinoLogger } from 'pino';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PinoTypeOrmLogger } from '#src/storage/typeorm-logger.js';
import { MIGRATIONS } from '#src/storage/migrations/index.js';

/** Any number to tell our advisory lock apart from others; the same in every process. */
const MIGRATION_LOCK_KEY = 7_400_117_001;

/** `entities`: the domain's entities (src/modules/entities.ts); storage is below the modules and takes them. */
export function createDataSource(database: PoolConfig, log: PinoLogger, entities: DataSourceOptions['entities']): DataSource {
  return new DataSource({
    type: 'postgres',
    host: database.host,
    port: database.port,
    username: database.user,
    password: typeof database.password === 'string' ? database.password : undefined,
    database: database.database,
    url: database.connectionString,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    installExtensions: false,
    poolSize: 10,
    extra: { connectionTimeoutMillis: 10_000 },
    logger: new PinoTypeOrmLogger(log),
    logging: ['error', 'warn', 'migration'],
    maxQueryExecutionTime: 1_000,
  });
}

/**
 * Runs pending migrations under a session advisory lock, so that api and worker
 * processes starting together do not race each other. Returns the names run.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const done = await dataSource.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
