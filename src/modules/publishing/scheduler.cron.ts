import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalCron } from '#src/common/interval-cron.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { PublishingService } from '#src/modules/publishing/publishing.service.js';

/** Every SCHEDULER_INTERVAL_MS: queue what is due. */
@Injectable()
export class SchedulerCron extends IntervalCron {
  constructor(
    private readonly publishing: PublishingService,
    registry: SchedulerRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(registry, 'publishing-scheduler', config.publishing.schedulerIntervalMs);
  }

  protected pass() {
    return this.publishing.tick();
  }
}
