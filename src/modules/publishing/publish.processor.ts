import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { STORAGE } from '#src/common/tokens.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { EMBEDDED_POLL_SECONDS, type Storage } from '#src/storage/storage.js';
import { PublishingService } from '#src/modules/publishing/publishing.service.js';
import { QUEUES, WORKER_OPTIONS, type PublishJob, type ReconcileJob } from '#src/queue/queues.js';

@Processor(QUEUES.publish, WORKER_OPTIONS)
export class PublishProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly publishing: PublishingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.publishing.workerConcurrency;
    pollOften(this.worker, this.storage);
  }

  /** Waits and retries are new delayed jobs added by the service; a throw here is an unexpected error, retried. */
  async process(job: Job<PublishJob>): Promise<void> {
    await this.publishing.publish(job.data);
  }
}

@Processor(QUEUES.reconcile, WORKER_OPTIONS)
export class ReconcileProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly publishing: PublishingService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {
    super();
  }

  onModuleInit(): void {
    pollOften(this.worker, this.storage);
  }

  async process(job: Job<ReconcileJob>): Promise<void> {
    await this.publishing.reconcile(job.data);
  }
}

/**
 * Embedded storage gets no notifications (see storage.ts): an idle worker must
 * look for new jobs often, not every drainDelay (5 s by default).
 */
export function pollOften(worker: WorkerHost['worker'], storage: Storage): void {
  if (storage.mode === 'embedded') worker.opts.drainDelay = EMBEDDED_POLL_SECONDS;
}
