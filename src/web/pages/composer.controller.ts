import { Body, Controller, Get, HttpException, Param, Post, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { forbidden } from '#src/common/domain-error.js';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { ChannelsService, type ChannelView } from '#src/modules/channels/channels.service.js';
import { MAX_UPLOAD_BYTES, MediaService, type MediaView } from '#src/modules/media/media.service.js';
import { CreatePostDto, UpdatePostDto, ValidatePostDto } from '#src/modules/posts/dto/post.dto.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { PostContentService, type ValidationReport } from '#src/modules/posts/post-content.service.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PostViewsService, type PostView } from '#src/modules/posts/post-views.service.js';
import { formErrors, NO_ERRORS, str, type FormErrors } from '#src/web/forms.js';
import { html } from '#src/web/html.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import type { WebContext } from '#src/web/web-context.js';
import { WebContexts } from '#src/web/web-context.js';
import {
  altLanguages,
  blackoutError,
  columns,
  composerErrors,
  dtoOf,
  emptyState,
  mediaToSave,
  recurrenceOf,
  reportErrors,
  stateOfBody,
  stateOfPost,
  variantsToCheck,
  variantsToSave,
  type ComposerState,
} from '#src/web/pages/composer-form.js';
import {
  composerBody,
  describeProblem,
  languageName,
  reportFragment,
  type ComposerModel,
  type ComposerTarget,
} from '#src/web/pages/composer-view.js';

interface UploadedParts {
  upload?: Array<{ buffer: Buffer; originalname: string; size: number }>;
}

/** One image per submission, read into memory (MediaService checks its bytes); the form's text fields around it. */
const UPLOAD = FileFieldsInterceptor([{ name: 'upload', maxCount: 1 }], {
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 1500, parts: 1501, fieldSize: 1024 * 1024 },
});

const MB = 1024 * 1024;

/**
 * The composer: a new post, or an existing one edited. Campaign, channels, one text per language
 * side by side with thread parts, images with alt text in every language, time and time zone,
 * repetition; counters per channel and language from the validation the API uses (live with htmx,
 * or with the Check button). Every submission keeps what was typed, and an image once uploaded
 * stays with the form (its id in a hidden field), whatever is refused.
 */
@ApiExcludeController()
@Controller('app/:slug')
export class ComposerPageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly posts: PostsService,
    private readonly content: PostContentService,
    private readonly review: PostReviewService,
    private readonly views: PostViewsService,
    private readonly campaigns: CampaignsService,
    private readonly channels: ChannelsService,
    private readonly media: MediaService,
  ) {}

  @Get('posts/new')
  async newPage(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string): Promise<void> {
    const ctx = await this.writer(req, res, slug);
    const base = await this.base(ctx);
    const state = emptyState(ctx.requiredInstitution, req.query);
    if (!base.campaigns.some((c) => c.id === state.campaignId)) state.campaignId = base.campaigns.length === 1 ? base.campaigns[0]!.id : '';
    await this.render(ctx, base, { kind: 'new' }, state, NO_ERRORS);
  }

  @Post('posts/new')
  @UseInterceptors(UPLOAD)
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files: UploadedParts | undefined,
  ): Promise<void> {
    const ctx = await this.writer(req, res, slug);
    await this.handle(ctx, { kind: 'new' }, body ?? {}, files);
  }

  @Get('posts/:postId/edit')
  async editPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.writer(req, res, slug);
    const post = await this.views.get(ctx.requiredPrincipal, postId, ctx.requiredInstitution.id);
    if (this.locked(ctx, post)) return;
    await this.render(ctx, await this.base(ctx, post), { kind: 'edit', post }, stateOfPost(ctx.requiredInstitution, post), NO_ERRORS);
  }

  @Post('posts/:postId/edit')
  @UseInterceptors(UPLOAD)
  async update(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files: UploadedParts | undefined,
  ): Promise<void> {
    const ctx = await this.writer(req, res, slug);
    const post = await this.views.get(ctx.requiredPrincipal, postId, ctx.requiredInstitution.id);
    if (this.locked(ctx, post, 409)) return;
    await this.handle(ctx, { kind: 'edit', post }, body ?? {}, files);
  }

  /**
   * The counters. From htmx (while typing): the report fragment, swapped into the live region. From the
   * Check button without script: the whole composer again, with the report (and any image uploaded).
   */
  @Post('posts/preview')
  @UseInterceptors(UPLOAD)
  async preview(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
    @UploadedFiles() files: UploadedParts | undefined,
  ): Promise<void> {
    const ctx = await this.writer(req, res, slug);
    body ??= {};
    const postId = str(body.postId);
    let target: ComposerTarget = { kind: 'new' };
    if (/^[0-9a-f-]{36}$/i.test(postId)) {
      const post = await this.views.get(ctx.requiredPrincipal, postId, ctx.requiredInstitution.id);
      target = { kind: 'edit', post };
    }
    if (req.headers['hx-request'] === 'true') {
      const base = await this.base(ctx, target.kind === 'edit' ? target.post : undefined);
      const state = stateOfBody(ctx.requiredInstitution, body, base.channels !== null);
      const model: ComposerModel = {
        target,
        state,
        errors: NO_ERRORS,
        report: await this.check(ctx, state, target),
        ...base,
        media: new Map(),
      };
      res.status(200).type('html').set('Cache-Control', 'no-store').send(reportFragment(ctx, model).value);
      return;
    }
    if (target.kind === 'edit' && this.locked(ctx, target.post, 409)) return;
    await this.handle(ctx, target, { ...body, intent: 'check' }, files);
  }

  /** Someone who may write posts here (others: the 403 page, whatever they send). */
  private async writer(req: Request, res: Response, slug: string): Promise<WebContext> {
    const ctx = await this.contexts.of(req, res, slug);
    if (!ctx.can('post.write')) throw forbidden(`${ctx.member?.role ?? 'this member'} may not write posts`);
    return ctx;
  }

  /** A post that cannot be edited (any more, or by this person): a page that says why, and no form. */
  private locked(ctx: WebContext, post: PostView, status = 200): boolean {
    const back = { href: ctx.path(`/posts/${post.id}`), label: ctx.t('composer.backToPost') };
    if (post.status === 'cancelled') {
      ctx.render(ctx.t('composer.titleEdit'), html`<p class="banner warn">${ctx.t('composer.editCancelled')}</p>`, { back }, status);
      return true;
    }
    if (ctx.member?.role === 'contributor' && post.status !== 'draft' && post.status !== 'rejected') {
      if (status !== 200) throw forbidden(`a contributor may edit drafts only; this post is ${post.status}`);
      ctx.render(
        ctx.t('composer.titleEdit'),
        html`<p class="banner warn">${ctx.t('composer.editLocked', { status: ctx.t(`status.post.${post.status}` as MessageKey) })}</p>`,
        { back },
        status,
      );
      return true;
    }
    return false;
  }

  /** The campaigns this person may write in, and the channels (null for those who may not see them). */
  private async base(ctx: WebContext, post?: PostView): Promise<Pick<ComposerModel, 'campaigns' | 'channels'>> {
    const p = ctx.requiredPrincipal;
    const iid = ctx.requiredInstitution.id;
    const campaigns = (await this.campaigns.list(p, iid, { limit: 200, offset: 0 })).items.map((c) => ({ id: c.id, title: c.title }));
    if (post && !campaigns.some((c) => c.id === post.campaignId)) {
      const c = await this.campaigns.get(p, iid, post.campaignId);
      campaigns.push({ id: c.id, title: c.title });
    }
    campaigns.sort((a, b) => a.title.localeCompare(b.title, ctx.locale));
    const channels: ChannelView[] | null = ctx.can('channel.read')
      ? (await this.channels.list(p, iid, { limit: 200, offset: 0 })).items
      : null;
    return { campaigns, channels };
  }

  /** What the API's validation says of the form as it is (null when it cannot be checked yet). */
  private async check(ctx: WebContext, state: ComposerState, target: ComposerTarget): Promise<ValidationReport | null> {
    const inst = ctx.requiredInstitution;
    const post = target.kind === 'edit' ? target.post : null;
    const channelIds = state.channelIds ?? (post ? [...new Set(post.targets.filter((t) => !t.occurrenceAt).map((t) => t.channelId))] : []);
    try {
      const dto = await toDto(ValidatePostDto, {
        variants: variantsToCheck(inst, state),
        channelIds,
        ...(post ? { channelOverrides: post.channelOverrides.filter((o) => channelIds.includes(o.channelId)).map((o) => ({ ...o })) } : {}),
        media: mediaToSave(state),
      });
      return await this.content.validate(ctx.requiredPrincipal, inst.id, dto);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() < 500 && err.getStatus() !== 403) return null;
      throw err;
    }
  }

  /** Every submission of the form: upload, add a thread part, check, or save (as a draft, or submitted). */
  private async handle(
    ctx: WebContext,
    target: ComposerTarget,
    body: Record<string, unknown>,
    files: UploadedParts | undefined,
  ): Promise<void> {
    const inst = ctx.requiredInstitution;
    const p = ctx.requiredPrincipal;
    const post = target.kind === 'edit' ? target.post : null;
    const base = await this.base(ctx, post ?? undefined);
    const state = stateOfBody(inst, body, base.channels !== null);
    const intent = str(body.intent);
    const saving = intent === 'draft' || intent === 'submit';
    if (intent === 'submit' && !ctx.can('post.submit'))
      throw forbidden(`${ctx.member?.role ?? 'this member'} may not submit posts for review`);
    const fields: Record<string, string[]> = {};

    // The image first: once uploaded it is the form's, in a hidden field, whatever else is refused.
    const file = files?.upload?.[0];
    if (file) {
      try {
        const uploaded = await this.media.upload(p, inst.id, file);
        state.media.push({ mediaId: uploaded.id, alt: state.newAlt });
        state.newAlt = {};
      } catch (err) {
        fields.upload = [uploadProblem(ctx, err)];
      }
    } else if (saving && Object.values(state.newAlt).some((t) => t.trim() !== '')) {
      fields.upload = [ctx.t('composer.uploadNeedsFile')];
    }

    if (intent.startsWith('addPart:')) {
      const lang = intent.slice('addPart:'.length);
      let focus: ComposerModel['focus'];
      if (columns(inst, state).includes(lang)) {
        const slots = Math.max((state.threads[lang] ?? []).length + 1, state.threadSlots[lang] ?? 0) + 1;
        state.threadSlots[lang] = slots;
        focus = { kind: 'part', language: lang, index: slots - 1 };
      }
      return this.render(
        ctx,
        base,
        target,
        state,
        { summary: fields.upload ? ctx.t('composer.refused') : null, fields },
        fields.upload ? 422 : 200,
        focus,
      );
    }
    if (!saving) {
      return this.render(
        ctx,
        base,
        target,
        state,
        { summary: fields.upload ? ctx.t('composer.refused') : null, fields },
        fields.upload ? 422 : 200,
        { kind: 'report' },
      );
    }

    // What the composer asks beyond the API: a campaign, an alt text in every language of the post, a number of times.
    if (!state.campaignId) fields.campaignId = [ctx.t('composer.campaignRequired')];
    const needed = altLanguages(inst, state);
    state.media.forEach((m, k) => {
      for (const lang of needed) {
        if (!(m.alt[lang] ?? '').trim())
          fields[`media.${k}.altText.${lang}`] = [ctx.t('composer.altRequired', { language: languageName(ctx, lang) })];
      }
    });
    const recurrence = recurrenceOf(state);
    if (recurrence.countError) fields.count = [ctx.t('composer.countRequired')];
    if (Object.keys(fields).length) return this.render(ctx, base, target, state, { summary: ctx.t('composer.refused'), fields }, 422);

    // Submitting: only what every chosen channel accepts (nothing is saved otherwise, so nothing half-done).
    if (intent === 'submit' && (!post || post.status === 'draft' || post.status === 'rejected')) {
      const report = await this.check(ctx, state, target);
      const model = { target, state, errors: NO_ERRORS, report, ...base, media: new Map<string, MediaView>() };
      if (report) {
        const channelIds = state.channelIds ?? [];
        if (!channelIds.length && state.channelIds !== null)
          report.problems.push({ code: 'no_channels', message: 'choose at least one channel before submitting' });
        const problems = reportErrors(report, state, (pr) => describeProblem(ctx, model, pr));
        if (Object.keys(problems).length)
          return this.render(
            ctx,
            base,
            target,
            state,
            { summary: ctx.t('composer.notSubmittable'), fields: problems },
            422,
            undefined,
            report,
          );
      }
    }

    const sent = variantsToSave(inst, state);
    let saved: PostView;
    try {
      const plain = dtoOf(inst, state, recurrence.value, post?.channelOverrides);
      saved = post
        ? await this.posts.update(p, post.id, await toDto(UpdatePostDto, plain), inst.id)
        : await this.posts.create(p, inst.id, await toDto(CreatePostDto, plain));
    } catch (err) {
      const errors = blackoutError(err, ctx.i18n) ?? composerErrors(formErrors(err, ctx.i18n, [404]), sent, ctx.i18n);
      return this.render(ctx, base, target, state, { summary: errors.summary ?? ctx.t('composer.refused'), fields: errors.fields }, 422);
    }

    const to = ctx.path(`/posts/${saved.id}`);
    if (intent === 'submit' && saved.status === 'draft') {
      try {
        await this.review.submit(p, saved.id);
      } catch (err) {
        // Saved, but not submitted (someone changed a channel meanwhile): the saved post, in the composer, with why.
        const errors = formErrors(err, ctx.i18n);
        const again = await this.views.get(p, saved.id, inst.id);
        return this.render(
          ctx,
          await this.base(ctx, again),
          { kind: 'edit', post: again },
          stateOfPost(inst, again),
          { summary: ctx.t('composer.submitFailed'), fields: composerErrors(errors, sent, ctx.i18n).fields },
          422,
        );
      }
      return ctx.redirect(to, 'notice.composerSubmitted');
    }
    if (post && (post.status === 'approved' || post.status === 'in_review') && saved.status === 'in_review')
      return ctx.redirect(to, 'notice.composerBackToReview');
    return ctx.redirect(to, saved.status === 'draft' ? 'notice.composerDraftSaved' : 'notice.composerSaved');
  }

  private async render(
    ctx: WebContext,
    base: Pick<ComposerModel, 'campaigns' | 'channels'>,
    target: ComposerTarget,
    state: ComposerState,
    errors: FormErrors,
    status = 200,
    focus?: ComposerModel['focus'],
    report?: ValidationReport | null,
  ): Promise<void> {
    const media = new Map<string, MediaView>();
    for (const m of state.media) {
      if (!m.mediaId) continue;
      try {
        media.set(m.mediaId, await this.media.get(ctx.requiredPrincipal, ctx.requiredInstitution.id, m.mediaId));
      } catch (err) {
        // An id that names no image of this institution: shown without its file name; saving says what is wrong.
        if (!(err instanceof HttpException) || err.getStatus() >= 500) throw err;
      }
    }
    const model: ComposerModel = {
      target,
      state,
      errors,
      report: report === undefined ? await this.check(ctx, state, target) : report,
      ...base,
      media,
      focus,
    };
    const post = target.kind === 'edit' ? target.post : null;
    ctx.render(
      post ? ctx.t('composer.titleEdit') : ctx.t('composer.titleNew'),
      composerBody(ctx, model),
      post ? { back: { href: ctx.path(`/posts/${post.id}`), label: ctx.t('composer.backToPost') } } : { nav: 'compose' },
      status,
    );
  }
}

/** Why an upload was refused, next to the file field, in the person's language. */
function uploadProblem(ctx: WebContext, err: unknown): string {
  if (!(err instanceof HttpException)) throw err;
  const status = err.getStatus();
  if (status === 413) return ctx.t('composer.error.uploadTooLarge', { size: Math.floor(MAX_UPLOAD_BYTES / MB) });
  if (status === 415) return ctx.t('composer.error.uploadType');
  if (status === 422 || status === 400) return ctx.t('composer.error.uploadUnreadable');
  throw err;
}
