import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '#src/common/domain-error.js';
import { Public } from '#src/modules/auth/auth.decorators.js';
import { PeriodQueryDto } from '#src/modules/reports/dto/report-query.dto.js';
import { ReportsService } from '#src/modules/reports/reports.service.js';
import { renderTransparencyCsv } from '#src/modules/reports/transparency-csv.js';
import { renderTransparencyPage, TRANSPARENCY_CSP } from '#src/modules/reports/transparency-page.js';
import { renderTransparencyPdf } from '#src/modules/reports/transparency-pdf.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The public transparency report, no login, for institutions that publish one (404 otherwise):
 * the page, and the same report as open data (JSON, CSV) and for printing (PDF). Pages are not
 * API operations, so this stays out of the OpenAPI document; docs/open-data.md describes the data.
 */
@ApiExcludeController()
@Public()
@Controller('transparency/:slug')
export class TransparencyController {
  constructor(private readonly reports: ReportsService) {}

  private report(slug: string, q: PeriodQueryDto) {
    if (!SLUG.test(slug) || slug.length > 100) throw notFound('transparency report');
    return this.reports.transparency(slug, q);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', TRANSPARENCY_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  async page(@Param('slug') slug: string, @Query() q: PeriodQueryDto): Promise<string> {
    return renderTransparencyPage(await this.report(slug, q));
  }

  @Get('report.json')
  @Header('Access-Control-Allow-Origin', '*')
  async json(@Param('slug') slug: string, @Query() q: PeriodQueryDto) {
    return this.report(slug, q);
  }

  @Get('report.csv')
  @Header('Access-Control-Allow-Origin', '*')
  async csv(@Param('slug') slug: string, @Query() q: PeriodQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const report = await this.report(slug, q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="transparency-${slug}-${report.period.firstDay}-${report.period.lastDay}.csv"`);
    return renderTransparencyCsv(report);
  }

  @Get('report.pdf')
  async pdf(@Param('slug') slug: string, @Query() q: PeriodQueryDto, @Res({ passthrough: true }) res: Response) {
    const report = await this.report(slug, q);
    const pdf = await renderTransparencyPdf(report);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="transparency-${slug}-${report.period.firstDay}-${report.period.lastDay}.pdf"`);
    res.end(pdf);
  }
}
