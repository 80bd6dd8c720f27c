import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '#src/modules/auth/auth.decorators.js';
import { HealthIndicators } from '#src/modules/health/health.indicators.js';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicators,
  ) {}

  /** Readiness: 200 when the database and the queue answer, 503 naming what does not. */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.indicators.process(), () => this.indicators.database(), () => this.indicators.queue()]);
  }

  /** Liveness: the process is up and its event loop turns; touches nothing outside. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.process()]);
  }
}
