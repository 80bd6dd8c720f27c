import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ALL_QUEUES } from '#src/queue/queues.js';

const JOB_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/** Prometheus metrics of this process: Node's defaults plus the depth of every queue. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  constructor(private readonly moduleRef: ModuleRef) {}

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
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
