import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '#src/common/clock.js';
import { DomainError, forbidden } from '#src/common/domain-error.js';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import type { Platform } from '#src/modules/channels/channel.entity.js';
import { ChannelsService, type ChannelView } from '#src/modules/channels/channels.service.js';
import { CreateChannelDto, UpdateChannelDto } from '#src/modules/channels/dto/channel.dto.js';
import { SandboxService } from '#src/modules/sandbox/sandbox.service.js';
import { formErrors, optional, str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { isPlatform, missingFields, readPlatformFields, visibleValues } from '#src/web/pages/channels-platforms.js';
import {
  channelsPage,
  EMPTY_CHANNEL_FORM,
  newChannelForm,
  platformName,
  reconnectForm,
  sandboxFeed,
  type ChannelFormValues,
  type Refusal,
} from '#src/web/pages/channels-view.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

/** Errors of the platform's verification that are an answer for the person, not a fault of the page. */
const PLATFORM_CODES = new Set(['credentials_refused', 'platform_refused', 'platform_rate_limited', 'platform_unavailable']);
const FEED_PAGE_SIZE = 20;

/** The API's problems with a channel's fields, in the user's language (the API speaks English). */
const FIELD_PROBLEMS: Record<string, MessageKey> = {
  'settings.instanceUrl': 'channels.err.instanceUrl',
  'settings.serviceUrl': 'channels.err.serviceUrl',
  'settings.pageId': 'channels.err.pageId',
  'settings.organizationUrn': 'channels.err.organizationUrn',
  'settings.chatId': 'channels.err.chatId',
  'rateLimit.posts': 'channels.err.ratePosts',
  'rateLimit.windowSeconds': 'channels.err.rateWindow',
  credentials: 'channels.err.credentials',
};

function localize(ctx: WebContext, errors: FormErrors): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const [name, problems] of Object.entries(errors.fields)) {
    const own = FIELD_PROBLEMS[name] ?? (name.startsWith('credentials.') ? FIELD_PROBLEMS.credentials : undefined);
    const required = ctx.t('form.required');
    fields[name] = own && !problems.every((p) => p === required) ? [ctx.t(own)] : [...new Set(problems)];
  }
  return { summary: errors.summary, fields };
}

/** The API's refusal and the page's own findings together; the page's word wins for a field both name. */
function merge(ctx: WebContext, a: FormErrors | null, own: FormErrors['fields']): FormErrors | null {
  if (!a && Object.keys(own).length === 0) return null;
  const base = a ?? { summary: ctx.t('error.validation_failed'), fields: {} };
  return { summary: base.summary, fields: { ...base.fields, ...own } };
}

/** The API's DTO from the form, or every problem at once: the DTO's and the page's own (`own`). */
async function validated<T extends object>(
  ctx: WebContext,
  cls: new () => T,
  plain: object,
  own: FormErrors['fields'],
): Promise<{ dto: T; errors: null } | { dto: undefined; errors: FormErrors }> {
  let errors: FormErrors | null = null;
  let dto: T | undefined;
  try {
    dto = await toDto(cls, plain);
  } catch (err) {
    errors = formErrors(err, ctx.i18n);
  }
  errors = merge(ctx, errors, own);
  return errors ? { dto: undefined, errors } : { dto: dto!, errors: null };
}

/** A refusal by the platform during verification, or undefined for anything else (thrown on by the caller). */
function platformRefusal(err: unknown, channel: Pick<ChannelView, 'displayName'>): (Refusal & { status: number }) | undefined {
  if (!(err instanceof HttpException)) return undefined;
  const body = err.getResponse() as { code?: string; message?: string };
  if (!body.code || !PLATFORM_CODES.has(body.code)) return undefined;
  return { channelName: channel.displayName, code: body.code, detail: body.message ?? '', status: err.getStatus() };
}

/** Channels: the list, adding one, verifying, reconnecting, disabling; and the sandbox feed. */
@ApiExcludeController()
@Controller('app/:slug')
export class ChannelPagesController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly channels: ChannelsService,
    private readonly sandbox: SandboxService,
    private readonly clock: Clock,
  ) {}

  @Get('channels')
  async page(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.renderList(ctx, typeof req.query.verified === 'string' ? req.query.verified : undefined);
  }

  private async renderList(ctx: WebContext, verifiedId?: string, refusal?: Refusal & { status: number }): Promise<void> {
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const channels = (await this.channels.list(p, inst.id, { limit: 200, offset: 0 })).items;
    const reasons = await this.channels.reconnectReasons(
      p,
      inst.id,
      channels.filter((c) => c.status === 'needs_reconnect').map((c) => c.id),
    );
    const verified = verifiedId ? channels.find((c) => c.id === verifiedId) : undefined;
    ctx.render(
      ctx.t('channels.title'),
      channelsPage(ctx, { channels, reasons, now: this.clock.now(), verified, refusal }),
      { nav: 'channels' },
      refusal?.status ?? 200,
    );
  }

  private mustManage(ctx: WebContext): void {
    if (!ctx.can('channel.manage')) throw forbidden(`${ctx.member?.role ?? 'a visitor'} may not manage channels`);
  }

  @Get('channels/new')
  async newPage(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const platform = str(req.query.platform);
    if (!isPlatform(platform)) return ctx.redirect(`${ctx.path('/channels')}#add-channel-h`);
    this.renderNew(ctx, platform, EMPTY_CHANNEL_FORM, { summary: null, fields: {} });
  }

  private renderNew(ctx: WebContext, platform: Platform, values: ChannelFormValues, errors: FormErrors, status = 200): void {
    ctx.render(
      ctx.t('channels.add.pageTitle', { platform: platformName(ctx, platform) }),
      newChannelForm(ctx, platform, values, errors),
      { nav: 'channels', back: { href: ctx.path('/channels'), label: ctx.t('channels.title') } },
      status,
    );
  }

  @Post('channels')
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const platform = str(body.platform);
    if (!isPlatform(platform))
      throw new DomainError('validation_failed', 'platform must be one of the platforms CivicPost knows', [
        { field: 'platform', problems: ['is not a known platform'] },
      ]);
    const typed = readPlatformFields(platform, body);
    const values: ChannelFormValues = {
      displayName: str(body.displayName),
      accountHandle: str(body.accountHandle),
      rateLimitPosts: str(body.rateLimitPosts).trim(),
      rateLimitMinutes: str(body.rateLimitMinutes).trim(),
      platform: visibleValues(platform, typed),
    };
    const own = missingFields(platform, typed, ctx.t('form.required'));
    if (!values.displayName.trim()) own.displayName = [ctx.t('form.required')];
    const rateLimit = this.rateLimit(ctx, values, own);
    const plain = {
      platform,
      displayName: values.displayName.trim(),
      ...(optional(body.accountHandle) ? { accountHandle: optional(body.accountHandle) } : {}),
      ...(Object.keys(typed.settings).length ? { settings: typed.settings } : {}),
      ...(Object.keys(typed.credentials).length ? { credentials: typed.credentials } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    };
    const checked = await validated(ctx, CreateChannelDto, plain, own);
    if (!checked.dto) return this.renderNew(ctx, platform, values, localize(ctx, checked.errors), 422);
    try {
      const created = await this.channels.create(ctx.requiredPrincipal, ctx.requiredInstitution.id, checked.dto);
      ctx.redirect(`${ctx.path('/channels')}?notice=notice.channelsAdded#channel-${created.id}`);
    } catch (err) {
      this.renderNew(ctx, platform, values, localize(ctx, formErrors(err, ctx.i18n)), 422);
    }
  }

  /** CivicPost's own limit from the form (minutes there, seconds in the API); problems go into `own`. */
  private rateLimit(
    ctx: WebContext,
    v: ChannelFormValues,
    own: FormErrors['fields'],
  ): { posts: number; windowSeconds: number } | undefined {
    if (!v.rateLimitPosts && !v.rateLimitMinutes) return undefined;
    const posts = Number(v.rateLimitPosts);
    const minutes = Number(v.rateLimitMinutes);
    if (!v.rateLimitPosts) own['rateLimit.posts'] = [ctx.t('channels.err.rateBoth')];
    else if (!Number.isInteger(posts)) own['rateLimit.posts'] = [ctx.t('channels.err.ratePosts')];
    if (!v.rateLimitMinutes) own['rateLimit.windowSeconds'] = [ctx.t('channels.err.rateBoth')];
    else if (!Number.isInteger(minutes)) own['rateLimit.windowSeconds'] = [ctx.t('channels.err.rateWindow')];
    if (own['rateLimit.posts'] || own['rateLimit.windowSeconds']) return undefined;
    return { posts, windowSeconds: minutes * 60 };
  }

  @Post('channels/:channelId/verify')
  async verify(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('channelId', uuid('channelId')) channelId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const channel = await this.channels.get(ctx.requiredPrincipal, ctx.requiredInstitution.id, channelId);
    try {
      await this.channels.verify(ctx.requiredPrincipal, ctx.requiredInstitution.id, channelId);
    } catch (err) {
      const refusal = platformRefusal(err, channel);
      if (!refusal) throw err;
      return this.renderList(ctx, undefined, refusal);
    }
    ctx.redirect(`${ctx.path('/channels')}?verified=${channelId}#channel-${channelId}`);
  }

  @Get('channels/:channelId/reconnect')
  async reconnectPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('channelId', uuid('channelId')) channelId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const channel = await this.channels.get(ctx.requiredPrincipal, ctx.requiredInstitution.id, channelId);
    if (channel.platform === 'sandbox') return ctx.redirect(`${ctx.path('/channels')}#channel-${channel.id}`);
    await this.renderReconnect(ctx, channel, visibleValues(channel.platform, { settings: channel.settings, credentials: {} }), {
      summary: null,
      fields: {},
    });
  }

  private async renderReconnect(
    ctx: WebContext,
    channel: ChannelView,
    values: Record<string, string>,
    errors: FormErrors,
    status = 200,
    refusal?: Refusal,
  ): Promise<void> {
    const reasons =
      channel.status === 'needs_reconnect'
        ? await this.channels.reconnectReasons(ctx.requiredPrincipal, ctx.requiredInstitution.id, [channel.id])
        : new Map();
    ctx.render(
      ctx.t('channels.reconnect.title', { name: channel.displayName }),
      reconnectForm(ctx, channel, reasons.get(channel.id), values, errors, refusal),
      { nav: 'channels', back: { href: ctx.path('/channels'), label: ctx.t('channels.title') } },
      status,
    );
  }

  /** New credentials: stored, then checked with the platform at once. */
  @Post('channels/:channelId/reconnect')
  async reconnect(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('channelId', uuid('channelId')) channelId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const p = ctx.requiredPrincipal;
    const iid = ctx.requiredInstitution.id;
    const channel = await this.channels.get(p, iid, channelId);
    if (channel.platform === 'sandbox') return ctx.redirect(`${ctx.path('/channels')}#channel-${channel.id}`);
    const typed = readPlatformFields(channel.platform, body);
    const values = visibleValues(channel.platform, typed);
    const own = missingFields(channel.platform, typed, ctx.t('form.required'));
    const moved = Object.entries(typed.settings).some(([k, v]) => channel.settings[k] !== v);
    const plain = { credentials: typed.credentials, ...(moved ? { settings: { ...channel.settings, ...typed.settings } } : {}) };
    const checked = await validated(ctx, UpdateChannelDto, plain, own);
    if (!checked.dto) return this.renderReconnect(ctx, channel, values, localize(ctx, checked.errors), 422);
    try {
      await this.channels.update(p, iid, channelId, checked.dto);
    } catch (err) {
      return this.renderReconnect(ctx, channel, values, localize(ctx, formErrors(err, ctx.i18n)), 422);
    }
    try {
      await this.channels.verify(p, iid, channelId);
    } catch (err) {
      const refusal = platformRefusal(err, channel);
      if (!refusal) throw err;
      // The new credentials are stored but refused: say so, and let the person try again.
      return this.renderReconnect(
        ctx,
        await this.channels.get(p, iid, channelId),
        values,
        { summary: null, fields: {} },
        refusal.status,
        refusal,
      );
    }
    ctx.redirect(`${ctx.path('/channels')}?verified=${channelId}#channel-${channelId}`);
  }

  @Post('channels/:channelId/status')
  async setStatus(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('channelId', uuid('channelId')) channelId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    this.mustManage(ctx);
    const status = str(body.status);
    if (status !== 'active' && status !== 'disabled')
      throw new DomainError('validation_failed', 'status must be active or disabled', [
        { field: 'status', problems: ['must be active or disabled'] },
      ]);
    await this.channels.update(ctx.requiredPrincipal, ctx.requiredInstitution.id, channelId, await toDto(UpdateChannelDto, { status }));
    ctx.redirect(
      `${ctx.path('/channels')}?notice=${status === 'disabled' ? 'notice.channelsDisabled' : 'notice.channelsEnabled'}#channel-${channelId}`,
    );
  }

  /** What a sandbox channel "published": a training feed inside the pages (its old address redirects here). */
  @Get('sandbox/:channelId')
  async feed(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('channelId', uuid('channelId')) channelId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const inst = ctx.requiredInstitution;
    const asked = Number(str(req.query.page));
    const page = Number.isInteger(asked) && asked > 1 && asked < 100_000 ? asked : 1;
    const { channel, items, total } = await this.sandbox.feed(
      ctx.requiredPrincipal,
      inst.id,
      channelId,
      FEED_PAGE_SIZE,
      (page - 1) * FEED_PAGE_SIZE,
    );
    const language = typeof channel.settings.language === 'string' ? channel.settings.language : (inst.languages[0] ?? ctx.locale);
    ctx.render(
      ctx.t('channels.sandbox.title', { name: channel.displayName }),
      sandboxFeed(ctx, { channel, items, total, page, pageSize: FEED_PAGE_SIZE, language }),
      { nav: 'channels', back: { href: `${ctx.path('/channels')}#channel-${channel.id}`, label: ctx.t('channels.title') } },
    );
  }
}
