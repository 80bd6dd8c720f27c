import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's messages into the structured log. Query parameters are never
 * logged (they carry password hashes and sealed credentials); a failing query
 * is debug-level because the error that matters reaches the caller anyway.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly pino: PinoLogger) {}

  logQuery(query: string): void {
    this.pino.trace({ query }, 'query');
  }
  logQueryError(error: string | Error, query: string): void {
    this.pino.debug({ query, error: error instanceof Error ? error.message : error }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.pino.warn({ query, ms: time }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    this.pino.debug(message);
  }
  logMigration(message: string): void {
    this.pino.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.pino[level === 'log' ? 'debug' : level]({ message }, 'typeorm');
  }
}
