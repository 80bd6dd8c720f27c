import 'reflect-metadata';
import { resolve } from 'node:path';
import { createLogger, startApp, type RunningApp } from '#src/app.js';
import { ConfigError, loadConfig, type AppConfig } from '#src/config/config.js';
import { DataDirLockedError } from '#src/storage/embedded-postgres.js';
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

async function serve(config: AppConfig): Promise<void> {
  const log = createLogger(config);
  let running: RunningApp;
  try {
    running = await startApp(config, { log });
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof ConfigError) fail(`CivicPost cannot start: ${err.message}`);
    log.fatal({ err }, 'start-up failed');
    fail(`CivicPost cannot start: ${(err as Error).message}`);
  }
  printWelcome(config, running);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: letting in-flight jobs finish');
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long: exiting; unfinished jobs will be retried');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    running.stop().then(
      () => {
        log.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Printed for the person at the console, outside the structured log stream. */
function printWelcome(config: AppConfig, running: RunningApp): void {
  const lines: string[] = [''];
  const storage =
    config.storage === 'embedded' ? `embedded storage (data in ${resolve(config.dataDir)})` : `storage: ${config.storage}`;
  lines.push(`  CivicPost is running (role ${config.role}, ${storage}).`);
  if (running.url) {
    lines.push(`  API and its documentation: ${running.url}/api/docs`);
    lines.push(`  Health: ${running.url}/health   Metrics: ${running.url}/metrics`);
  }
  const first = running.firstStart;
  if (first) {
    lines.push('', `  First start: created the administrator ${first.adminEmail}.`);
    if (first.generatedPassword) {
      lines.push(`  Password: ${first.generatedPassword}`);
      lines.push('  It is shown this once and never logged: note it now. You will be asked to change it.');
    } else {
      lines.push('  Password: the one in ADMIN_PASSWORD.');
    }
    if (first.demoInstitution) {
      lines.push(`  Demo institution "${first.demoInstitution.name}" (slug ${first.demoInstitution.slug}) has a sandbox channel: nothing posted there leaves CivicPost.`);
    }
  }
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
}

function fail(line: string): never {
  process.stderr.write(line + '\n');
  process.exit(1);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`CivicPost failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
