import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { notFound } from '#src/common/domain-error.js';
import { Public } from '#src/modules/auth/auth.decorators.js';
import { PeriodQueryDto } from '#src/modules/reports/dto/report-query.dto.js';
import { ReportsService } from '#src/modules/reports/reports.service.js';
import { renderTransparencyCsv } from '#src/web/transparency/transparency-csv.js';
import { renderTransparencyPage, TRANSPARENCY_CSP, transparencyLocale } from '#src/web/transparency/transparency-page.js';
import { I18n } from '#src/web/i18n/i18n.js';
import { renderTransparencyPdf } from '#src/web/transparency/transparency-pdf.js';
import { inEnglish } from '#src/web/transparency/transparency-report.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The page's (and the PDF's) query: the period, and the reader's language (en, ro, pl, bs, uk; anything else is ignored). */
export class TransparencyPageQueryDto extends PeriodQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(35)
  lang?: string;

  /** `include`: the training preview, counting sandbox channels (labelled); never in report.json, CSV or PDF. */
  @IsOptional()
  @IsIn(['include'])
  sandbox?: 'include';
}

/**
 * The public transparency report (data from modules/reports, worded and rendered here), no login, for institutions that publish one (404 otherwise):
 * the page, and the same report as open data (JSON, CSV) and for printing (PDF). Pages are not
 * API operations, so this stays out of the OpenAPI document; docs/open-data.md describes the data.
 */
@ApiExcludeController()
@Public()
@Controller('transparency/:slug')
export class TransparencyController {
  constructor(private readonly reports: ReportsService) {}

  private async report(slug: string, q: PeriodQueryDto) {
    if (!SLUG.test(slug) || slug.length > 100) throw notFound('transparency report');
    return inEnglish(await this.reports.transparency(slug, q));
  }

  /** The report, and the reader's language (see transparencyLocale), which the answer states and varies on. */
  private async localised(
    slug: string,
    q: TransparencyPageQueryDto,
    acceptLanguage: string | undefined,
    res: Response,
    withSandbox = false,
  ) {
    if (!SLUG.test(slug) || slug.length > 100) throw notFound('transparency report');
    const {
      report: data,
      languages,
      cadence,
      sandboxPublications,
    } = await this.reports.transparencyPage(slug, { from: q.from, to: q.to }, withSandbox);
    const report = inEnglish(data);
    const { locale } = transparencyLocale(q.lang, acceptLanguage, languages);
    res.setHeader('Content-Language', locale);
    res.setHeader('Vary', 'Accept-Language');
    return { report, cadence, sandboxPublications, i18n: new I18n(locale, report.institution.timeZone) };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', TRANSPARENCY_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  async page(
    @Param('slug') slug: string,
    @Query() q: TransparencyPageQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { report, cadence, i18n, sandboxPublications } = await this.localised(slug, q, acceptLanguage, res, q.sandbox === 'include');
    return renderTransparencyPage(report, {
      i18n,
      cadence,
      query: { from: q.from, to: q.to },
      sandbox: { count: sandboxPublications, included: q.sandbox === 'include' },
    });
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
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="transparency-${slug}-${report.period.firstDay}-${report.period.lastDay}.csv"`,
    );
    return renderTransparencyCsv(report);
  }

  @Get('report.pdf')
  async pdf(
    @Param('slug') slug: string,
    @Query() q: TransparencyPageQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { report, cadence, i18n } = await this.localised(slug, q, acceptLanguage, res);
    const pdf = await renderTransparencyPdf(report, { i18n, cadence });
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="transparency-${slug}-${report.period.firstDay}-${report.period.lastDay}.pdf"`);
    res.end(pdf);
  }
}
