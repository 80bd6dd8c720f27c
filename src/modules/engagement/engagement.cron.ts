import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalCron } from '#src/common/interval-cron.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';

/** Every METRICS_INTERVAL_MS: enqueue the metrics jobs that are due. */
@Injectable()
export class EngagementCron extends IntervalCron {
  constructor(
    private readonly engagement: EngagementService,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(registry, 'engagement-collection', config.metrics.intervalMs);
  }

  protected pass() {
    return this.engagement.tick();
  }
}
