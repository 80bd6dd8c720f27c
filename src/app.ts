import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import { AppModule, REDACTED_PATHS, type Runtime } from '#src/app.module.js';
import { Clock, ShiftedClock } from '#src/common/clock.js';
import { createValidationPipe } from '#src/common/validation.js';
import { answerClientError, refuseNulInUrl, verifyJsonBody } from '#src/common/request-guards.js';
import cookieParser from 'cookie-parser';
import express from 'express';
import { resolve } from 'node:path';
import { ConfigError, type AppConfig } from '#src/config/config.js';
import { fail } from '#src/common/fail.js';
import { DataDirLockedError } from '#src/storage/embedded-postgres.js';
import { firstStart, type FirstStartResult } from '#src/modules/system/first-start.js';
import { resolveCredentialsKey } from '#src/storage/credentials-key.js';
import { ENTITIES } from '#src/modules/entities.js';
import { createDataSource, migrate } from '#src/storage/data-source.js';
import { openStorage } from '#src/storage/storage.js';
import { waitForDatabase } from '#src/storage/wait-for-database.js';
import { Csrf, securityHeaders } from '#src/web/security.js';
import { isWebPath } from '#src/web/web-errors.js';
import { WebExceptionFilter } from '#src/web/web-exception.filter.js';

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'role'>): Logger {
  return pino({ level: config.logLevel, base: { role: config.role }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export interface RunningApp {
  app: INestApplicationContext;
  runtime: Runtime;
  firstStart?: FirstStartResult;
  /** The HTTP address, when this role serves HTTP. */
  url?: string;
  /** Lets in-flight jobs finish, then closes HTTP, queues, the database and embedded storage. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Modules added to the role's own (tests use this to add a processor). */
  extraImports?: Array<Type | DynamicModule>;
  /** The clock of this process (tests choose "today" with a ShiftedClock); else CLOCK_START's, else the system's. */
  clock?: Clock;
}

/** Opens storage, migrates, runs the first start, then boots Nest for the configured role. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config);
  if (config.databaseUrl) await waitForDatabase(config.databaseUrl, log);
  const storage = await openStorage(config);
  const closers: Array<() => Promise<void>> = [() => storage.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err) => log.error({ err }, 'error while closing'));
  };
  try {
    const credentialsKey = resolveCredentialsKey(config, log);
    const dataSource = createDataSource(storage.database, log, ENTITIES);
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    const ran = await migrate(dataSource);
    if (ran.length) log.info({ migrations: ran }, `ran ${ran.length} migration(s)`);
    const first = await firstStart(dataSource, config);

    const clock = options.clock ?? (config.clockStart ? new ShiftedClock(config.clockStart) : new Clock());
    if (config.clockStart)
      log.warn({ clockStart: config.clockStart.toISOString() }, 'CLOCK_START is set: the clock reads that instant now');
    const runtime: Runtime = { config, storage, dataSource, credentialsKey, log, clock };
    const module = AppModule.forRole(runtime, options.extraImports);
    let app: INestApplicationContext;
    let url: string | undefined;
    if (config.role === 'worker') {
      app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
      app.useLogger(app.get(NestPinoLogger));
      await app.init();
    } else {
      const http = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
      http.useLogger(http.get(NestPinoLogger));
      http.disable('x-powered-by');
      http.useGlobalFilters(new WebExceptionFilter());
      http.useGlobalPipes(createValidationPipe());
      const secure = config.publicBaseUrl?.startsWith('https:') ?? false;
      http.use(securityHeaders(secure));
      http.use(cookieParser());
      http.use(refuseNulInUrl);
      // express.json directly: Nest's useBodyParser reserves `verify` for itself.
      http.use(express.json({ limit: '1mb', verify: verifyJsonBody }));
      // The staff pages' forms (nested names such as variants[0][text]).
      const forms = express.urlencoded({ extended: true, limit: '1mb', parameterLimit: 2000 });
      http.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
        isWebPath(req.path) ? forms(req, res, next) : next(),
      );
      http.use(http.get(Csrf).middleware());
      http.set('trust proxy', config.trustProxy);
      const openapi = SwaggerModule.createDocument(
        http,
        new DocumentBuilder().setTitle('CivicPost API').setVersion('1').addBearerAuth().addCookieAuth('civicpost_session').build(),
      );
      SwaggerModule.setup('api/docs', http, openapi, { jsonDocumentUrl: 'api/docs/openapi.json' });
      http.getHttpServer().on('clientError', answerClientError);
      await http.listen(config.port, config.host);
      const address = http.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://localhost:${port}`;
      app = http;
    }
    closers.push(() => app.close());
    log.info({ node: process.version, storage: storage.mode, queue: storage.queue.backend, url }, 'CivicPost started');
    return { app, runtime, firstStart: first, url, stop: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * Serves until SIGTERM or SIGINT, then lets in-flight jobs finish and exits 0
 * (1 when SHUTDOWN_TIMEOUT_MS passes first).
 */
export async function serve(config: AppConfig, options: Omit<StartOptions, 'log'> = {}): Promise<void> {
  const log = createLogger(config);
  let running: RunningApp;
  try {
    running = await startApp(config, { ...options, log });
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
  const storage = config.storage === 'embedded' ? `embedded storage (data in ${resolve(config.dataDir)})` : `storage: ${config.storage}`;
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
      lines.push(
        `  Demo institution "${first.demoInstitution.name}" (slug ${first.demoInstitution.slug}) has a sandbox channel: nothing posted there leaves CivicPost.`,
      );
    }
  }
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
}
