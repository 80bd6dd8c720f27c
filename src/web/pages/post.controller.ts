import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { uuid } from '#src/common/uuid-param.js';
import { toDto } from '#src/common/validation.js';
import { BlackoutOverrideDto } from '#src/modules/blackouts/dto/blackout.dto.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { CommentDto, RejectPostDto, ResolveTargetDto, SchedulePostDto, WithdrawTargetDto } from '#src/modules/posts/dto/post.dto.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { PostPublicationsService } from '#src/modules/posts/post-publications.service.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PostViewsService } from '#src/modules/posts/post-views.service.js';
import { formErrors, optional, str, type FormErrors } from '#src/web/forms.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { languageName, renderPostPage, zonedTime, type FormState, type PostForm } from '#src/web/pages/post-page.js';
import { WebContexts, type WebContext } from '#src/web/web-context.js';

interface Refusal {
  code?: string;
  message?: string;
  details?: unknown;
}

/**
 * One post: its campaign, schedule, texts side by side, images, where it goes and how that went,
 * and what the person may do with it now (submit, approve, reject, schedule, cancel, override a
 * blackout, settle or withdraw a publication, comment). Every action is a plain form; a refusal
 * re-renders the page with the problem next to the field and everything typed kept.
 */
@ApiExcludeController()
@Controller('app/:slug')
export class PostPageController {
  constructor(
    private readonly contexts: WebContexts,
    private readonly posts: PostsService,
    private readonly publications: PostPublicationsService,
    private readonly review: PostReviewService,
    private readonly views: PostViewsService,
    private readonly campaigns: CampaignsService,
  ) {}

  @Get('posts/:postId')
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.show(ctx, postId);
  }

  @Post('posts/:postId/submit')
  async submit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.act(ctx, postId, 'submit', {}, () => this.review.submit(ctx.requiredPrincipal, postId), 'notice.postSubmitted');
  }

  @Post('posts/:postId/approve')
  async approve(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.act(ctx, postId, 'approve', {}, () => this.review.approve(ctx.requiredPrincipal, postId), 'notice.postApproved');
  }

  @Post('posts/:postId/reject')
  async reject(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const reason = str(body.reason);
    await this.act(
      ctx,
      postId,
      'reject',
      { reason },
      async () => {
        const dto = await toDto(RejectPostDto, { reason: reason.trim() });
        await this.review.reject(ctx.requiredPrincipal, postId, dto.reason);
      },
      'notice.postRejected',
    );
  }

  @Post('posts/:postId/schedule')
  async schedule(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = { scheduledAt: str(body.scheduledAt).trim(), timeZone: str(body.timeZone).trim() };
    await this.act(
      ctx,
      postId,
      'schedule',
      values,
      async () => {
        const dto = await toDto(SchedulePostDto, { scheduledAt: values.scheduledAt, timeZone: optional(values.timeZone) });
        await this.review.schedule(ctx.requiredPrincipal, postId, dto.scheduledAt, dto.timeZone);
      },
      'notice.postScheduled',
    );
  }

  @Post('posts/:postId/cancel')
  async cancel(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.act(
      ctx,
      postId,
      'cancel',
      {},
      () => this.review.cancel(ctx.requiredPrincipal, postId),
      (done) => (done.cancellation.kept.length ? 'notice.postPartlyCancelled' : 'notice.postCancelled'),
    );
  }

  @Post('posts/:postId/blackout-override')
  async override(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const reason = str(body.reason);
    await this.act(
      ctx,
      postId,
      'override',
      { reason },
      async () => {
        const dto = await toDto(BlackoutOverrideDto, { reason: reason.trim() });
        await this.review.overrideBlackout(ctx.requiredPrincipal, postId, dto.reason);
      },
      'notice.postOverridden',
    );
  }

  @Post('posts/:postId/targets/:targetId/resolve')
  async resolve(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Param('targetId', uuid('targetId')) targetId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const values = { outcome: str(body.outcome), url: str(body.url).trim(), externalId: str(body.externalId).trim(), note: str(body.note) };
    await this.act(
      ctx,
      postId,
      'resolve',
      values,
      async () => {
        const dto = await toDto(ResolveTargetDto, {
          outcome: values.outcome,
          url: optional(values.url),
          externalId: optional(values.externalId),
          note: optional(values.note),
        });
        await this.publications.resolve(ctx.requiredPrincipal, postId, targetId, dto);
      },
      'notice.postResolved',
      targetId,
    );
  }

  @Post('posts/:postId/targets/:targetId/retry')
  async retry(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Param('targetId', uuid('targetId')) targetId: string,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    await this.act(
      ctx,
      postId,
      'retry',
      {},
      () => this.publications.retry(ctx.requiredPrincipal, postId, targetId),
      'notice.postRetried',
      targetId,
    );
  }

  @Post('posts/:postId/targets/:targetId/withdraw')
  async withdraw(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Param('targetId', uuid('targetId')) targetId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const reason = str(body.reason);
    await this.act(
      ctx,
      postId,
      'withdraw',
      { reason },
      async () => {
        const dto = await toDto(WithdrawTargetDto, { reason: reason.trim() });
        await this.publications.withdraw(ctx.requiredPrincipal, postId, targetId, dto.reason);
      },
      'notice.postWithdrawn',
      targetId,
    );
  }

  @Post('posts/:postId/comments')
  async comment(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('postId', uuid('postId')) postId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const ctx = await this.contexts.of(req, res, slug);
    const text = str(body.body);
    await this.act(
      ctx,
      postId,
      'comment',
      { body: text },
      async () => {
        const dto = await toDto(CommentDto, { body: text.trim() });
        await this.posts.comment(ctx.requiredPrincipal, postId, dto.body);
      },
      'notice.postCommented',
    );
  }

  /** Does `work` on a post of this institution; then back to the post with a notice, or the page again with the refusal. */
  private async act<T>(
    ctx: WebContext,
    postId: string,
    form: PostForm,
    values: Record<string, string>,
    work: () => Promise<T>,
    notice: MessageKey | ((done: T) => MessageKey),
    targetId?: string,
  ): Promise<void> {
    // The post must belong to the institution of the address (404 otherwise), whatever the service would accept.
    await this.views.get(ctx.requiredPrincipal, postId, ctx.requiredInstitution.id);
    let done: T;
    try {
      done = await work();
    } catch (err) {
      const { state, status } = this.refusal(ctx, err, form, values, targetId);
      return this.show(ctx, postId, state, status);
    }
    ctx.redirect(ctx.path(`/posts/${postId}`), typeof notice === 'function' ? notice(done) : notice);
  }

  /** What the service refused, said in the person's language, next to the field it concerns. */
  private refusal(
    ctx: WebContext,
    err: unknown,
    form: PostForm,
    values: Record<string, string>,
    targetId?: string,
  ): { state: FormState; status: number } {
    const body: Refusal = err instanceof HttpException ? (err.getResponse() as Refusal) : {};
    const code = body.code;
    if (code === 'self_approval') {
      return { state: { form, targetId, values, errors: { summary: ctx.t('post.error.self_approval'), fields: {} } }, status: 403 };
    }
    // A platform that did not answer while withdrawing is a refusal of this form too, not a broken page.
    const errors: FormErrors = formErrors(err, ctx.i18n, [502]);
    const fields: Record<string, string[]> = Object.fromEntries(Object.entries(errors.fields).map(([f, p]) => [f, [...new Set(p)]]));
    let summary = errors.summary;
    let problems: string[] | undefined;
    const own = `post.error.${code}`;
    if (code && code !== 'validation_failed' && ctx.i18n.has(own)) summary = ctx.t(own);
    if (form === 'resolve' && fields.outcome) fields.outcome = [ctx.t('post.resolveOutcomeRequired')];
    if (code === 'blackout') {
      const b = (body.details as { blackout?: { reason: string; startsAt: string; endsAt: string } } | undefined)?.blackout;
      if (b) {
        const zone = ctx.requiredInstitution.timeZone;
        summary = ctx.t('post.error.blackoutWindow', {
          reason: b.reason,
          from: zonedTime(ctx, new Date(b.startsAt), zone),
          to: zonedTime(ctx, new Date(b.endsAt), zone),
        });
        if (form === 'schedule') fields.scheduledAt = [summary];
      }
    }
    if (code === 'post_invalid') problems = this.submitProblems(ctx, body.details);
    const status = err instanceof HttpException && err.getStatus() === 409 ? 409 : 422;
    return { state: { form, targetId, values, errors: { summary, fields }, problems }, status };
  }

  /** Why a post cannot be submitted yet, one line per problem (missing languages in the person's language). */
  private submitProblems(ctx: WebContext, details: unknown): string[] {
    const report = details as
      | {
          problems?: Array<{ code: string; message: string; language?: string }>;
          channels?: Array<{ platform: string; language: string; problems: Array<{ message: string }> }>;
        }
      | undefined;
    const lines = (report?.problems ?? []).map((p) => {
      if (p.code === 'language_missing' && p.language)
        return ctx.t('post.problem.languageMissing', { language: languageName(ctx, p.language) });
      if (p.code === 'no_channels') return ctx.t('post.problem.noChannels');
      return p.message;
    });
    for (const c of report?.channels ?? [])
      for (const p of c.problems) lines.push(`${c.platform} (${languageName(ctx, c.language)}): ${p.message}`);
    return lines;
  }

  private async show(ctx: WebContext, postId: string, state?: FormState, status = 200): Promise<void> {
    const p = ctx.requiredPrincipal;
    const inst = ctx.requiredInstitution;
    const post = await this.views.get(p, postId, inst.id);
    const campaign = await this.campaigns.get(p, inst.id, post.campaignId);
    const revisions = await this.views.revisions(p, postId, inst.id);
    const comments = (await this.posts.comments(p, postId, { limit: 200, offset: 0 })).items;
    const userIds = [
      ...post.authorIds,
      post.createdBy,
      post.approvedBy,
      post.blackoutOverrideBy,
      ...comments.map((c) => c.authorId),
      ...revisions.map((r) => r.recordedBy),
    ].filter((x): x is string => typeof x === 'string');
    const labels = await this.views.labels(p, postId, userIds, inst.id);
    const campaigns = new Map([[campaign.id, campaign.title]]);
    for (const id of new Set(revisions.map((r) => r.content.campaignId))) {
      if (!campaigns.has(id))
        campaigns.set(
          id,
          await this.campaigns.get(p, inst.id, id).then(
            (c) => c.title,
            () => '?',
          ),
        );
    }
    const { title, body } = renderPostPage(
      ctx,
      { post, campaign, campaigns, revisions, comments, people: labels.people, channels: labels.channels },
      state,
    );
    ctx.render(title, body, {}, status);
  }
}
