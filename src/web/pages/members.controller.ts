import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import { AddMemberDto, UpdateMemberDto } from '#src/modules/members/dto/member.dto.js';
import type { MemberView } from '#src/modules/members/members.repository.js';
import { MembersService } from '#src/modules/members/members.service.js';
import { CreatePartnerDto, UpdatePartnerDto } from '#src/modules/partners/dto/partner.dto.js';
import { PartnersService } from '#src/modules/partners/partners.service.js';
import { formErrors, optional, str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { EMPTY_STATE, membersPage, temporaryPasswordPage, type MembersData, type MembersPageState } from '#src/web/pages/members-view.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

type FormBody = Record<string, unknown>;

/**
 * Refusals the API answers with a code rather than a field (409s): which field of the form they
 * belong next to, and what to say there in the person's language.
 */
const CONFLICTS: Record<string, { field: string; message: MessageKey }> = {
  already_member: { field: 'email', message: 'members.error.alreadyMember' },
  name_taken: { field: 'name', message: 'members.error.partnerNameTaken' },
  partner_in_use: { field: 'remove', message: 'members.error.partnerInUse' },
};

/** Members and partners of an institution: everyone who may see them reads them; administrators change them. */
@ApiExcludeController()
@Controller('app/:slug')
export class MemberPagesController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly members: MembersService,
    private readonly partners: PartnersService,
  ) {}

  @Get('members')
  async page(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.show(ctx, EMPTY_STATE);
  }

  /** Adds a member; a new account's temporary password is shown on this answer only (never in an address, never stored). */
  @Post('members')
  async add(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string, @Body() body: FormBody): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = {
      email: str(body.email).trim(),
      displayName: str(body.displayName).trim(),
      role: str(body.role),
      partnerId: str(body.partnerId),
    };
    // The partner belongs to contributors only: for another role the choice is not used.
    const partnerId = values.role === 'contributor' ? optional(values.partnerId) : undefined;
    try {
      const dto = await toDto(AddMemberDto, {
        email: values.email,
        role: values.role,
        ...(values.displayName ? { displayName: values.displayName } : {}),
        ...(partnerId ? { partnerId } : {}),
      });
      const result = await this.members.add(ctx.requiredPrincipal, ctx.requiredInstitution.id, dto);
      if (!result.temporaryPassword) return ctx.redirect(ctx.path('/members'), 'notice.membersAdded');
      ctx.render(ctx.t('members.added.title'), temporaryPasswordPage(ctx, result.member, result.temporaryPassword), {
        nav: 'members',
        back: { href: ctx.path('/members'), label: ctx.t('members.added.back') },
      });
    } catch (err) {
      const errors = this.refusal(ctx, err, partnerId);
      await this.show(ctx, { ...EMPTY_STATE, add: { values, errors } }, status(err));
    }
  }

  @Post('members/:memberId/role')
  async changeRole(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('memberId', uuid('memberId')) memberId: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = { role: str(body.role), partnerId: str(body.partnerId) };
    const partnerId = values.role === 'contributor' ? optional(values.partnerId) : undefined;
    try {
      const dto = await toDto(UpdateMemberDto, { role: values.role, ...(partnerId ? { partnerId } : {}) });
      await this.members.update(ctx.requiredPrincipal, ctx.requiredInstitution.id, memberId, dto);
      ctx.redirect(ctx.path('/members'), 'notice.membersRoleChanged');
    } catch (err) {
      const errors = this.refusal(ctx, err, partnerId, { last_admin: { field: 'role', message: 'members.error.lastAdmin' } });
      await this.show(ctx, { ...EMPTY_STATE, row: { memberId, action: 'role', values, errors } }, status(err));
    }
  }

  @Post('members/:memberId/remove')
  async remove(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('memberId', uuid('memberId')) memberId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    try {
      const before = await this.member(ctx, memberId);
      await this.members.remove(ctx.requiredPrincipal, ctx.requiredInstitution.id, memberId);
      // Someone who removed themselves no longer sees this institution.
      if (before?.userId === ctx.user?.id) return ctx.redirect('/app');
      ctx.redirect(ctx.path('/members'), 'notice.membersRemoved');
    } catch (err) {
      const errors = this.refusal(ctx, err, undefined, { last_admin: { field: 'remove', message: 'members.error.lastAdmin' } });
      await this.show(
        ctx,
        { ...EMPTY_STATE, row: { memberId, action: 'remove', values: { role: '', partnerId: '' }, errors } },
        status(err),
      );
    }
  }

  @Post('members/partners')
  async addPartner(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string, @Body() body: FormBody): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = { name: str(body.name), website: str(body.website).trim() };
    try {
      const dto = await toDto(CreatePartnerDto, { name: values.name.trim(), ...(values.website ? { website: values.website } : {}) });
      await this.partners.create(ctx.requiredPrincipal, ctx.requiredInstitution.id, dto);
      ctx.redirect(ctx.path('/members'), 'notice.membersPartnerAdded');
    } catch (err) {
      await this.show(ctx, { ...EMPTY_STATE, partnerAdd: { values, errors: this.refusal(ctx, err) } }, status(err));
    }
  }

  @Post('members/partners/:partnerId/rename')
  async renamePartner(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('partnerId', uuid('partnerId')) partnerId: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = { name: str(body.name) };
    try {
      const dto = await toDto(UpdatePartnerDto, { name: values.name.trim() });
      await this.partners.update(ctx.requiredPrincipal, ctx.requiredInstitution.id, partnerId, dto);
      ctx.redirect(ctx.path('/members'), 'notice.membersPartnerRenamed');
    } catch (err) {
      await this.show(
        ctx,
        { ...EMPTY_STATE, partnerRow: { partnerId, action: 'rename', values, errors: this.refusal(ctx, err) } },
        status(err),
      );
    }
  }

  @Post('members/partners/:partnerId/remove')
  async removePartner(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('partnerId', uuid('partnerId')) partnerId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    try {
      await this.partners.remove(ctx.requiredPrincipal, ctx.requiredInstitution.id, partnerId);
      ctx.redirect(ctx.path('/members'), 'notice.membersPartnerRemoved');
    } catch (err) {
      await this.show(
        ctx,
        { ...EMPTY_STATE, partnerRow: { partnerId, action: 'remove', values: { name: '' }, errors: this.refusal(ctx, err) } },
        status(err),
      );
    }
  }

  /** The page with its lists (read through the services, so a role that may not read them gets the 403 page). */
  private async show(ctx: WebContext, state: MembersPageState, code = 200): Promise<void> {
    const data = await this.data(ctx);
    ctx.render(ctx.t('members.title'), membersPage(ctx, data, state), { nav: 'members' }, code);
  }

  private async data(ctx: WebContext): Promise<MembersData> {
    const p = ctx.requiredPrincipal;
    const iid = ctx.requiredInstitution.id;
    const members = await all((q) => this.members.list(p, iid, q));
    const partners = ctx.can('partner.read') ? await all((q) => this.partners.list(p, iid, q)) : [];
    return { members, partners };
  }

  private async member(ctx: WebContext, memberId: string): Promise<MemberView | undefined> {
    return (await this.data(ctx)).members.find((m) => m.id === memberId);
  }

  /**
   * A refused form's problems, each next to its field in the person's language; anything that is not
   * a refusal of what was typed (403, 404, 500) goes on to the error page.
   */
  private refusal(ctx: WebContext, err: unknown, partnerId?: string, more: typeof CONFLICTS = {}): FormErrors {
    const errors = formErrors(err, ctx.i18n);
    const code = err instanceof HttpException ? (err.getResponse() as { code?: string }).code : undefined;
    const conflict = code ? (more[code] ?? CONFLICTS[code]) : undefined;
    if (conflict) return { summary: null, fields: { [conflict.field]: [ctx.t(conflict.message)] } };
    const fields = { ...errors.fields };
    // The partner is a choice from a list: say which choice is missing rather than the API's words.
    if (fields.partnerId) fields.partnerId = [ctx.t(partnerId ? 'members.error.partnerUnknown' : 'members.error.partnerRequired')];
    return { summary: errors.summary, fields };
  }
}

/** Every page of a list (an institution's members and partners fit in a few). */
async function all<T>(list: (q: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await list({ limit: 200, offset });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

const status = (err: unknown) => (err instanceof HttpException ? err.getStatus() : 422);
