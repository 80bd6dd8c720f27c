import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { str } from '#src/web/forms.js';
import { auditPage, PAGE_SIZE } from '#src/web/pages/audit-view.js';
import { WebContexts } from '#src/web/web-context.js';

/** The most pages the trail is browsed to (the API's offset limit). */
const MAX_PAGE = Math.floor(1_000_000 / PAGE_SIZE);

/**
 * The institution's audit trail, newest first, and the check of its hash chain. Read only: the
 * trail is append-only, so this page has no form that changes anything (verifying is a GET).
 */
@ApiExcludeController()
@Controller('app/:slug')
export class AuditPageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly audit: AuditService,
    private readonly access: InstitutionAccess,
  ) {}

  @Get('audit')
  async page(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    // AuditService reads without a policy of its own: authorise as the API's audit controller does.
    await this.access.authorize(ctx.requiredPrincipal, inst.id, 'audit.read');

    const rawAction = str(req.query.action).trim();
    const action = rawAction.length <= 100 ? rawAction : '';
    const asked = Number.parseInt(str(req.query.page), 10);
    let page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), MAX_PAGE) : 1;

    let [events, total] = await this.audit.list(inst.id, { action: action || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages) {
      // Past the end (an old link, a typed number): the last page.
      page = pages;
      [events, total] = await this.audit.list(inst.id, { action: action || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    }
    const people = await this.audit.peopleIn(events);
    const verify = str(req.query.verify) === '1' ? await this.audit.verify(inst.id) : undefined;
    ctx.render(ctx.t('audit.title'), auditPage(ctx, { events, total, page, pages, action, people, verify }), { nav: 'audit' });
  }
}
