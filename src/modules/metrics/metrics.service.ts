import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { CHANNEL_STATUSES } from '#src/modules/channels/channel.entity.js';
import { MetricsRepository } from '#src/modules/metrics/metrics.repository.js';
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
    private readonly metrics: MetricsRepository,
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
    const db = this.metrics;
    new Gauge({
      name: 'civicpost_publications',
      help: 'Publication targets on their way out, by status (all institutions). unconfirmed: waiting for the platform to be asked, or for a person.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.targetsByStatus(PIPELINE_STATES);
        for (const status of PIPELINE_STATES) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      },
    });
    new Gauge({
      name: 'civicpost_publication_overdue_seconds',
      help: 'How long ago the oldest publication that is due and not yet out (scheduled, queued or publishing) was due; 0 when none is.',
      registers: [this.registry],
      async collect() {
        this.set(Math.max(0, Number((await db.oldestOverdueSeconds()) ?? 0)));
      },
    });
    new Gauge({
      name: 'civicpost_channels',
      help: 'Channels by status (all institutions). needs_reconnect: the platform refused the credentials; nothing is published there until someone reconnects it.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db.channelsByStatus();
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
