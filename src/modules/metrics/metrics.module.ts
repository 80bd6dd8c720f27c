import { Module } from '@nestjs/common';
import { MetricsController } from '#src/modules/metrics/metrics.controller.js';
import { MetricsService } from '#src/modules/metrics/metrics.service.js';

@Module({ controllers: [MetricsController], providers: [MetricsService] })
export class MetricsModule {}
