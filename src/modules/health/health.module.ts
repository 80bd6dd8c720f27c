import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from '#src/modules/health/health.controller.js';
import { HealthIndicators } from '#src/modules/health/health.indicators.js';
import { HealthRepository } from '#src/modules/health/health.repository.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthRepository, HealthIndicators],
})
export class HealthModule {}
