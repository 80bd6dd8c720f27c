import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '#src/common/clock.js';
import { forbidden } from '#src/common/domain-error.js';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import type { Action } from '#src/modules/access/policy.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { CreateBlackoutDto } from '#src/modules/blackouts/dto/blackout.dto.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { SuspendDto } from '#src/modules/institutions/dto/institution.dto.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';
import { formErrors, list, NO_ERRORS, str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { blackoutsPage, EMPTY_BLACKOUT, type BlackoutFormValues, type BlackoutsPageState } from '#src/web/pages/blackouts-view.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

/** The API's problems with a window's fields, in the user's language. */
const PROBLEMS: Array<[RegExp, MessageKey]> = [
  [/must be after startsAt/, 'blackouts.err.endBeforeStart'],
  [/does not exist in/, 'blackouts.err.skipped'],
  [/happens twice in/, 'blackouts.err.twice'],
  [/names a channel/, 'blackouts.err.unknownChannel'],
];

function localize(ctx: WebContext, errors: FormErrors): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const [name, problems] of Object.entries(errors.fields)) {
    fields[name] = [
      ...new Set(
        problems.map((p) => {
          const hit = PROBLEMS.find(([re]) => re.test(p));
          return hit ? ctx.t(hit[1]) : p;
        }),
      ),
    ];
  }
  return { summary: errors.summary, fields };
}

/** A count from the address after a redirect (only a small whole number is believed). */
function countParam(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{1,7}$/.test(v)) return undefined;
  return Number(v);
}

/** Blackout windows, and the kill switch that suspends all publishing of the institution. */
@ApiExcludeController()
@Controller('app/:slug')
export class BlackoutPagesController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly blackouts: BlackoutsService,
    private readonly channels: ChannelsService,
    private readonly institutions: InstitutionsService,
    private readonly clock: Clock,
  ) {}

  @Get('blackouts')
  async page(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.render(ctx, { created: countParam(req.query.created), released: countParam(req.query.released) });
  }

  private async render(ctx: WebContext, o: Partial<BlackoutsPageState> = {}, status = 200): Promise<void> {
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const [windows, held, channels] = await Promise.all([
      this.blackouts.list(p, inst.id, { limit: 200, offset: 0 }),
      this.blackouts.heldCounts(p, inst.id),
      ctx.can('channel.read') ? this.channels.list(p, inst.id, { limit: 200, offset: 0 }).then((r) => r.items) : Promise.resolve([]),
    ]);
    const state: BlackoutsPageState = {
      blackouts: windows.items,
      held,
      channels,
      now: this.clock.now(),
      form: EMPTY_BLACKOUT,
      formErrors: NO_ERRORS,
      suspendReason: '',
      suspendErrors: NO_ERRORS,
      ...o,
    };
    ctx.render(ctx.t('blackouts.title'), blackoutsPage(ctx, state), { nav: 'blackouts' }, status);
  }

  private must(ctx: WebContext, action: Action): void {
    if (!ctx.can(action)) throw forbidden(`${ctx.member?.role ?? 'a visitor'} may not do this (${action})`);
  }

  @Post('blackouts')
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.must(ctx, 'blackout.manage');
    const form: BlackoutFormValues = {
      reason: str(body.reason),
      startsAt: str(body.startsAt).trim(),
      endsAt: str(body.endsAt).trim(),
      scope: str(body.scope) === 'some' ? 'some' : 'all',
      channelIds: list(body.channelIds),
    };
    // "Only these channels" with none chosen would mean every channel to the API: ask instead.
    const own: FormErrors['fields'] =
      form.scope === 'some' && form.channelIds.length === 0 ? { channelIds: [ctx.t('blackouts.err.chooseChannels')] } : {};
    for (const name of ['reason', 'startsAt', 'endsAt'] as const) if (!form[name].trim()) own[name] = [ctx.t('form.required')];
    let errors: FormErrors | null = null;
    let dto: CreateBlackoutDto | undefined;
    try {
      dto = await toDto(CreateBlackoutDto, {
        reason: form.reason.trim(),
        startsAt: form.startsAt,
        endsAt: form.endsAt,
        channelIds: form.scope === 'some' ? form.channelIds : [],
      });
    } catch (err) {
      errors = formErrors(err, ctx.i18n);
    }
    if (Object.keys(own).length)
      errors = { summary: errors?.summary ?? ctx.t('error.validation_failed'), fields: { ...errors?.fields, ...own } };
    if (!errors) {
      try {
        const created = await this.blackouts.create(ctx.requiredPrincipal, ctx.requiredInstitution.id, dto!);
        return ctx.redirect(`${ctx.path('/blackouts')}?created=${created.held}#blackout-${created.id}`);
      } catch (err) {
        errors = formErrors(err, ctx.i18n);
      }
    }
    await this.render(ctx, { form, formErrors: localize(ctx, errors) }, 422);
  }

  @Post('blackouts/:blackoutId/delete')
  async remove(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('blackoutId', uuid('blackoutId')) blackoutId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.must(ctx, 'blackout.manage');
    await this.blackouts.remove(ctx.requiredPrincipal, ctx.requiredInstitution.id, blackoutId);
    ctx.redirect(ctx.path('/blackouts'), 'notice.blackoutsDeleted');
  }

  @Post('blackouts/suspend')
  async suspend(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.must(ctx, 'institution.suspend');
    const reason = str(body.reason);
    if (!reason.trim())
      return this.render(
        ctx,
        {
          suspendReason: reason,
          suspendErrors: { summary: ctx.t('error.validation_failed'), fields: { reason: [ctx.t('form.required')] } },
        },
        422,
      );
    try {
      const dto = await toDto(SuspendDto, { reason: reason.trim() });
      await this.institutions.suspend(ctx.requiredPrincipal, ctx.requiredInstitution.id, dto.reason);
      return ctx.redirect(ctx.path('/blackouts'), 'notice.blackoutsSuspended');
    } catch (err) {
      const errors = formErrors(err, ctx.i18n);
      if (isCode(err, 'already_suspended')) {
        // Someone else was quicker: show the page as it is now.
        const fresh = await this.contexts.of(req, res, slug);
        return this.render(fresh, { suspendErrors: { summary: ctx.t('blackouts.kill.already'), fields: {} } }, 409);
      }
      await this.render(ctx, { suspendReason: reason, suspendErrors: errors }, 422);
    }
  }

  @Post('blackouts/resume')
  async resume(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.must(ctx, 'institution.suspend');
    try {
      const resumed = await this.institutions.resume(ctx.requiredPrincipal, ctx.requiredInstitution.id);
      ctx.redirect(`${ctx.path('/blackouts')}?released=${resumed.released}`);
    } catch (err) {
      if (!isCode(err, 'not_suspended')) throw err;
      await this.render(ctx, { suspendErrors: { summary: ctx.t('blackouts.kill.notSuspended'), fields: {} } }, 409);
    }
  }
}

function isCode(err: unknown, code: string): boolean {
  return err instanceof HttpException && (err.getResponse() as { code?: string }).code === code;
}
