import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';

const INTERVAL_NAME = 'engagement-collection';

/** Every METRICS_INTERVAL_MS: enqueue the metrics jobs that are due (it only enqueues; one instance wins the lock). */
@Injectable()
export class EngagementCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EngagementCron.name);
  private running = false;

  constructor(
    private readonly engagement: EngagementService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), this.config.metrics.intervalMs));
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
  }

  async tick(): Promise<void> {
    if (this.running) return; // a slow pass is not overlapped by the next
    this.running = true;
    try {
      const result = await this.engagement.tick();
      if (result?.jobs) this.log.log(result, 'engagement collection pass');
    } catch (err) {
      this.log.error({ err }, 'engagement collection pass failed; the next one retries');
    } finally {
      this.running = false;
    }
  }
}
