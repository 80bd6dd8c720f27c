import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { EngagementQueryDto, PeriodQueryDto, TopPostsQueryDto } from '#src/modules/reports/dto/report-query.dto.js';
import { ReportsService } from '#src/modules/reports/reports.service.js';

/** Internal analytics for editors and admins; engagement from the rollups, never raw snapshots. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Publications in [from, to) and their engagement: totals and a series grouped by time or dimension. */
  @Get('engagement')
  engagement(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: EngagementQueryDto) {
    return this.reports.engagement(p, iid, q);
  }

  /** The publications of the period with the most likes, reposts, replies, impressions or engagement. */
  @Get('top-posts')
  topPosts(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: TopPostsQueryDto) {
    return this.reports.topPosts(p, iid, q);
  }

  /** Per campaign: planned, published, failed, engagement and engagement per published post. */
  @Get('campaigns')
  campaigns(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PeriodQueryDto) {
    return this.reports.campaigns(p, iid, q);
  }

  /** How late publications went out after their scheduled time: p50, p95, max, overall and per channel. */
  @Get('punctuality')
  punctuality(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PeriodQueryDto) {
    return this.reports.punctuality(p, iid, q);
  }
}
