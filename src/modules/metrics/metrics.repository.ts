import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The database's side of /metrics: counts across all institutions, read at scrape time outside any
 * transaction (the same answer from every api process).
 */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Publication targets in each of `statuses` (only statuses that have any). */
  targetsByStatus(statuses: readonly string[]): Promise<Array<{ status: string; n: string }>> {
    return this.dataSource.query(`SELECT status, count(*) AS n FROM publication_targets WHERE status = ANY ($1::text[]) GROUP BY status`, [
      statuses,
    ]);
  }

  /** Seconds since the oldest target that is due and not yet out was due; null when none is. */
  async oldestOverdueSeconds(): Promise<string | null> {
    const [row]: Array<{ s: string | null }> = await this.dataSource.query(
      `SELECT extract(epoch FROM now() - min(scheduled_at)) AS s FROM publication_targets
        WHERE status IN ('scheduled', 'queued', 'publishing') AND scheduled_at <= now()`,
    );
    return row?.s ?? null;
  }

  channelsByStatus(): Promise<Array<{ status: string; n: string }>> {
    return this.dataSource.query(`SELECT status, count(*) AS n FROM channels GROUP BY status`);
  }
}
