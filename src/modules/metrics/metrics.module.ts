import { Module } from '@nestjs/common';
import { MetricsController } from '#src/modules/metrics/metrics.controller.js';
import { MetricsRepository } from '#src/modules/metrics/metrics.repository.js';
import { MetricsService } from '#src/modules/metrics/metrics.service.js';

@Module({ controllers: [MetricsController], providers: [MetricsRepository, MetricsService] })
export class MetricsModule {}
