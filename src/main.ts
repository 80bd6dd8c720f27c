import { fail } from '#src/common/fail.js';
import { ConfigError, loadConfig, type AppConfig } from '#src/config/config.js';
import type { DataSource } from 'typeorm';

const COMMANDS: Record<string, string> = {
  serve: 'serve in the role ROLE names (the default)',
  migrate: 'run pending migrations and exit',
  'audit:verify': 'walk the audit hash chain; exit 1 naming the first event that does not match',
  'credentials:rotate': 're-seal channel credentials with CREDENTIALS_KEY (old key in CREDENTIALS_KEY_PREVIOUS)',
};

/** The one entry point: `node dist/main.js [command]` (`npm run cli -- <command>`). */
async function main(argv: string[]): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`CivicPost cannot start: ${err.message}`);
    throw err;
  }
  const command = argv[0] ?? 'serve';
  // The application (Nest, TypeORM, every platform's client) loads only once the configuration
  // holds: a mistake in it is reported in a fraction of a second instead of after seconds of imports.
  if (command === 'serve') return (await import('#src/app.js')).serve(config);
  if (!(command in COMMANDS)) {
    fail(
      `CivicPost: unknown command "${command}". Commands:\n${Object.entries(COMMANDS)
        .map(([c, d]) => `  ${c.padEnd(20)}${d}`)
        .join('\n')}`,
    );
  }
  const { createLogger } = await import('#src/app.js');
  const { migrate } = await import('#src/storage/data-source.js');
  await withDatabase(config, async (dataSource) => {
    const log = createLogger(config);
    if (command === 'migrate') {
      const ran = await migrate(dataSource);
      log.info({ migrations: ran }, ran.length ? `ran ${ran.length} migration(s)` : 'the database is up to date');
    } else if (command === 'audit:verify') {
      await migrate(dataSource);
      const { verifyAudit } = await import('#src/modules/system/commands.js');
      const result = await verifyAudit(dataSource);
      if (result.ok) {
        process.stdout.write(`audit trail verified: ${result.events} events, chain intact (last hash ${result.lastHash})\n`);
      } else {
        const b = result.firstBad;
        process.stdout.write(
          `audit trail BROKEN at event #${b.seq} (${b.id}, ${b.action}): ${b.reason}. ${result.events} events before it are intact.\n`,
        );
        process.exitCode = 1;
      }
    } else if (command === 'credentials:rotate') {
      await migrate(dataSource);
      const { rotateCredentials } = await import('#src/modules/system/commands.js');
      const { CredentialsCipher } = await import('#src/common/crypto/credentials-cipher.js');
      const { resolveCredentialsKey } = await import('#src/storage/credentials-key.js');
      const cipher = new CredentialsCipher(resolveCredentialsKey(config, log), config.credentialsPreviousKeys);
      const n = await rotateCredentials(dataSource, cipher);
      process.stdout.write(`re-sealed the credentials of ${n} channel(s) with key ${cipher.currentKeyId}\n`);
    }
  });
}

async function withDatabase(config: AppConfig, work: (dataSource: DataSource) => Promise<void>): Promise<void> {
  const { createLogger } = await import('#src/app.js');
  const { createDataSource } = await import('#src/storage/data-source.js');
  const { ENTITIES } = await import('#src/modules/entities.js');
  const { openStorage } = await import('#src/storage/storage.js');
  const storage = await openStorage(config);
  const dataSource = createDataSource(storage.database, createLogger(config), ENTITIES);
  try {
    await dataSource.initialize();
    await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await storage.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`CivicPost failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
