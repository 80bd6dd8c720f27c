import { createLogger, fail, serve } from '#src/app.js';
import { ConfigError, loadConfig, type AppConfig } from '#src/config/config.js';
import { createDataSource, migrate } from '#src/storage/data-source.js';
import { openStorage } from '#src/storage/storage.js';

/**
 * The one entry point. `node dist/main.js` serves in the role ROLE names;
 * `node dist/main.js migrate` runs pending migrations and exits.
 */
async function main(argv: string[]): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`CivicPost cannot start: ${err.message}`);
    throw err;
  }
  const command = argv[0] ?? 'serve';
  if (command === 'migrate') return runMigrate(config);
  if (command !== 'serve') fail(`CivicPost: unknown command "${command}" (expected: serve, migrate)`);
  return serve(config);
}

async function runMigrate(config: AppConfig): Promise<void> {
  const log = createLogger(config);
  const storage = await openStorage(config);
  const dataSource = createDataSource(storage.database);
  try {
    await dataSource.initialize();
    const ran = await migrate(dataSource);
    log.info({ migrations: ran }, ran.length ? `ran ${ran.length} migration(s)` : 'the database is up to date');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await storage.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`CivicPost failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
