import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '#src/common/domain-error.js';
import { APP_CONFIG, type AppConfig } from '#src/config/config.js';
import { Public } from '#src/modules/auth/auth.decorators.js';
import { MetricsService } from '#src/modules/metrics/metrics.service.js';

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prometheus text; with METRICS_TOKEN set, only for `Authorization: Bearer <token>` (the figures name no one, but describe the installation). */
  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = this.config.metrics.scrapeToken;
    if (token && !sameSecret(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', token))
      throw new DomainError('unauthenticated', '/metrics needs its token: Authorization: Bearer <METRICS_TOKEN>');
    const body = await this.metrics.render();
    res.type(this.metrics.contentType()).send(body);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
