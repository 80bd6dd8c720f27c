import { Module } from '@nestjs/common';
import { DomainModule } from '#src/modules/domain.module.js';
import { PublishProcessor, ReconcileProcessor } from '#src/modules/publishing/publish.processor.js';
import { PublishingService } from '#src/modules/publishing/publishing.service.js';
import { SchedulerCron } from '#src/modules/publishing/scheduler.cron.js';

/** The worker's side of publishing: the scheduler cron and the publish and reconcile processors. */
@Module({
  imports: [DomainModule],
  providers: [PublishingService, PublishProcessor, ReconcileProcessor, SchedulerCron],
})
export class PublishingModule {}
