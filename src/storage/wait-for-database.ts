import pg from 'pg';
import type { Logger } from 'pino';

/** Errors that mean "not reachable yet" (a server starting, restarting or failing over), not "wrong settings". */
const NOT_YET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', '57P03']);

function notYet(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    (e.code !== undefined && NOT_YET.has(e.code)) ||
    /Connection terminated|the database system is (starting up|shutting down|in recovery mode)/.test(e.message ?? '')
  );
}

/**
 * Waits up to `waitMs` for PostgreSQL to accept a connection, so that a process started while the
 * database restarts or fails over (an orchestrator starting a replacement worker, say) comes up when
 * it is back instead of exiting. Wrong credentials or an unknown database fail at once.
 */
export async function waitForDatabase(connectionString: string, log: Logger, waitMs = 60_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  let warned = false;
  for (;;) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      if (warned) log.info('PostgreSQL is reachable: starting');
      return;
    } catch (err) {
      if (!notYet(err) || Date.now() > deadline) throw err;
      if (!warned)
        log.warn(
          { err: (err as Error).message, waitSeconds: Math.round(waitMs / 1000) },
          'PostgreSQL is not reachable yet: waiting for it',
        );
      warned = true;
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
