import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { CHANNEL_STATUSES } from '#src/modules/channels/channel.entity.js';
import { ALL_QUEUES } from '#src/queue/queues.js';

const JOB_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/** States a publication passes through on its way out: what the partial index publication_targets_due_idx covers. */
const PIPELINE_STATES = ['scheduled', 'queued', 'publishing', 'unconfirmed'] as const;

/**
 * Prometheus metrics: Node's defaults for this process, the depth of every queue, and, read from the
 * database at scrape time (the same answer from every api process), the publications on their way
 * out, how late the oldest due one is, and the channels by status.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.setDefaultLabels({ app: 'civicpost' });
    collectDefaultMetrics({ register: this.registry, prefix: 'civicpost_' });
    const queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    new Gauge({
      name: 'civicpost_queue_jobs',
      help: 'Jobs in each queue by state, read from the queue backend at scrape time.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES)));
        this.reset();
        counts.forEach((byState, i) => {
          for (const state of JOB_STATES) this.set({ queue: queues[i]!.name, state }, byState[state] ?? 0);
        });
      },
    });
    const db = this.dataSource;
    new Gauge({
      name: 'civicpost_publications',
      help: 'Publication targets on their way out, by status (all institutions). unconfirmed: waiting for the platform to be asked, or for a person.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows: Array<{ status: string; n: string }> = await db.query(
          `SELECT status, count(*) AS n FROM publication_targets WHERE status = ANY ($1::text[]) GROUP BY status`,
          [PIPELINE_STATES],
        );
        for (const status of PIPELINE_STATES) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      },
    });
    new Gauge({
      name: 'civicpost_publication_overdue_seconds',
      help: 'How long ago the oldest publication that is due and not yet out (scheduled, queued or publishing) was due; 0 when none is.',
      registers: [this.registry],
      async collect() {
        const [row]: Array<{ s: string | null }> = await db.query(
          `SELECT extract(epoch FROM now() - min(scheduled_at)) AS s FROM publication_targets
            WHERE status IN ('scheduled', 'queued', 'publishing') AND scheduled_at <= now()`,
        );
        this.set(Math.max(0, Number(row?.s ?? 0)));
      },
    });
    new Gauge({
      name: 'civicpost_channels',
      help: 'Channels by status (all institutions). needs_reconnect: the platform refused the credentials; nothing is published there until someone reconnects it.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows: Array<{ status: string; n: string }> = await db.query(`SELECT status, count(*) AS n FROM channels GROUP BY status`);
        for (const status of CHANNEL_STATUSES) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
