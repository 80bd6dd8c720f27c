import { Module } from '@nestjs/common';
import { DomainModule } from '#src/modules/domain.module.js';
import { EngagementCron } from '#src/modules/engagement/engagement.cron.js';
import { EngagementProcessor } from '#src/modules/engagement/engagement.processor.js';
import { EngagementRepository } from '#src/modules/engagement/engagement.repository.js';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';

/** The worker's side of engagement: the collection cron and the metrics processor. */
@Module({
  imports: [DomainModule],
  providers: [EngagementRepository, EngagementService, EngagementProcessor, EngagementCron],
  exports: [EngagementService],
})
export class EngagementModule {}
