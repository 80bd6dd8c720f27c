import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { STORAGE } from '#src/common/tokens.js';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';
import { METRICS_CONCURRENCY, QUEUES, WORKER_OPTIONS, type MetricsJob } from '#src/queue/queues.js';
import { pollOften } from '#src/modules/publishing/publish.processor.js';
import type { Storage } from '#src/storage/storage.js';

/** Fetches engagement for one batch of one channel; the rules are in EngagementService.collect. */
@Processor(QUEUES.metrics, WORKER_OPTIONS)
export class EngagementProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly engagement: EngagementService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {
    super();
  }

  onModuleInit(): void {
    // Embedded storage serves a bounded number of connections to every pool in the process: one job at a time there.
    this.worker.concurrency = this.storage.mode === 'embedded' ? 1 : METRICS_CONCURRENCY;
    pollOften(this.worker, this.storage);
  }

  /** A throw is a temporary failure (retried by BullMQ); pauses and skips end the job normally. */
  async process(job: Job<MetricsJob>): Promise<void> {
    await this.engagement.collect(job.data);
  }
}
