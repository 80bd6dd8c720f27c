import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '#src/common/clock.js';
import { CredentialsCipher } from '#src/common/crypto/credentials-cipher.js';
import { STORAGE } from '#src/common/tokens.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { ApiModule, DomainModule, WorkerModule } from '#src/modules/domain.module.js';
import { QueueModule } from '#src/queue/queue.module.js';
import type { Storage } from '#src/storage/storage.js';
import { Csrf } from '#src/web/security.js';
import { WebModule } from '#src/web/web.module.js';

/** What main.ts has opened before Nest starts, and closes after Nest has stopped. */
export interface Runtime {
  config: AppConfig;
  storage: Storage;
  dataSource: DataSource;
  credentialsKey: Buffer;
  log: PinoLogger;
  clock: Clock;
}

/** Redacted wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.credentials',
];

@Global()
@Module({})
class CoreModule {
  static forRoot(rt: Runtime): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: rt.log,
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/health/live' || req.url === '/metrics' },
          },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: rt.config },
        { provide: STORAGE, useValue: rt.storage },
        { provide: DataSource, useValue: rt.dataSource },
        { provide: CredentialsCipher, useValue: new CredentialsCipher(rt.credentialsKey, rt.config.credentialsPreviousKeys) },
        { provide: Csrf, useValue: new Csrf(rt.credentialsKey, rt.config.publicBaseUrl?.startsWith('https:') ?? false) },
        { provide: Clock, useValue: rt.clock },
      ],
      exports: [APP_CONFIG, STORAGE, DataSource, CredentialsCipher, Csrf, Clock],
    };
  }
}

/**
 * The application for one role, built from shared pieces: `api` serves HTTP,
 * `worker` runs queue processors and crons, `all` does both.
 */
@Module({})
export class AppModule {
  static forRole(rt: Runtime, extraImports: Array<Type | DynamicModule> = []): DynamicModule {
    const { role } = rt.config;
    const imports: Array<Type | DynamicModule> = [CoreModule.forRoot(rt), QueueModule.forRoot(rt.config, rt.storage.queue), DomainModule];
    if (role !== 'worker') imports.push(ApiModule, WebModule);
    if (role !== 'api') imports.push(ScheduleModule.forRoot(), WorkerModule);
    return { module: AppModule, imports: [...imports, ...extraImports] };
  }
}
