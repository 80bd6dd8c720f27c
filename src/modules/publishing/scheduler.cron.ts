import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { PublishingService } from '#src/modules/publishing/publishing.service.js';

/** Every SCHEDULER_INTERVAL_MS: queue what is due (it only enqueues; one instance wins the lock). */
@Injectable()
export class SchedulerCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SchedulerCron.name);
  private running = false;

  constructor(
    private readonly publishing: PublishingService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval('publishing-scheduler', setInterval(() => void this.tick(), this.config.publishing.schedulerIntervalMs));
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', 'publishing-scheduler')) this.registry.deleteInterval('publishing-scheduler');
  }

  async tick(): Promise<void> {
    if (this.running) return; // a slow pass is not overlapped by the next
    this.running = true;
    try {
      const result = await this.publishing.tick();
      if (result && (result.queued || result.requeued || result.reconciled)) this.log.log(result, 'scheduler pass');
    } catch (err) {
      this.log.error({ err }, 'scheduler pass failed; the next one retries');
    } finally {
      this.running = false;
    }
  }
}
