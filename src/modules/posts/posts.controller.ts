import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import {
  CommentDto,
  CreatePostDto,
  PostListQuery,
  RejectPostDto,
  ResolveTargetDto,
  SchedulePostDto,
  UpdatePostDto,
  ValidatePostDto,
  WithdrawTargetDto,
} from '#src/modules/posts/dto/post.dto.js';
import { PostContentService } from '#src/modules/posts/post-content.service.js';
import { PostPublicationsService } from '#src/modules/posts/post-publications.service.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PostViewsService } from '#src/modules/posts/post-views.service.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { BlackoutOverrideDto } from '#src/modules/blackouts/dto/blackout.dto.js';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/posts')
export class InstitutionPostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly views: PostViewsService,
    private readonly content: PostContentService,
  ) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PostListQuery) {
    return this.views.list(p, iid, q);
  }

  @Post()
  create(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: CreatePostDto) {
    return this.posts.create(p, iid, body);
  }

  /** Counts, limits and problems per channel and language, for the composer's live counters. */
  @Post('validate')
  @HttpCode(200)
  validate(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: ValidatePostDto) {
    return this.content.validate(p, iid, body);
  }

  @Get(':postId')
  get(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('postId', uuid('postId')) id: string,
  ) {
    return this.views.get(p, id, iid);
  }

  @Patch(':postId')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('postId', uuid('postId')) id: string,
    @Body() body: UpdatePostDto,
  ) {
    return this.posts.update(p, id, body, iid);
  }
}

@ApiTags('posts')
@ApiBearerAuth()
@Controller('api/posts/:postId')
export class PostWorkflowController {
  constructor(
    private readonly posts: PostsService,
    private readonly views: PostViewsService,
    private readonly review: PostReviewService,
    private readonly publications: PostPublicationsService,
  ) {}

  @Get()
  get(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string) {
    return this.views.get(p, id);
  }

  @Patch()
  update(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Body() body: UpdatePostDto) {
    return this.posts.update(p, id, body);
  }

  @Post('submit')
  @HttpCode(200)
  submit(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string) {
    return this.review.submit(p, id);
  }

  @Post('approve')
  @HttpCode(200)
  approve(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string) {
    return this.review.approve(p, id);
  }

  @Post('reject')
  @HttpCode(200)
  reject(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Body() body: RejectPostDto) {
    return this.review.reject(p, id, body.reason);
  }

  /** Sets or changes the time of an approved post (until its targets are claimed for publishing). */
  @Post('schedule')
  @HttpCode(200)
  schedule(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Body() body: SchedulePostDto) {
    return this.review.schedule(p, id, body.scheduledAt, body.timeZone);
  }

  /** Admin only: publish this post inside blackout windows (emergency information). The reason is audited. */
  @Post('blackout-override')
  @HttpCode(200)
  overrideBlackout(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Body() body: BlackoutOverrideDto) {
    return this.review.overrideBlackout(p, id, body.reason);
  }

  @Post('cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string) {
    return this.review.cancel(p, id);
  }

  /**
   * For a publication the platform could not confirm (`unconfirmed`, e.g. Telegram, which cannot be
   * asked): a person checked the channel and says whether it went out. Audited.
   */
  @Post('targets/:targetId/resolve')
  @HttpCode(200)
  resolve(
    @CurrentPrincipal() p: Principal,
    @Param('postId', uuid('postId')) id: string,
    @Param('targetId', uuid('targetId')) targetId: string,
    @Body() body: ResolveTargetDto,
  ) {
    return this.publications.resolve(p, id, targetId, body);
  }

  /**
   * Sends a failed publication again, once its cause is fixed (its channel reconnected, the text
   * corrected): it goes out at the next scheduler pass. 409 naming the state when it is not failed.
   */
  @Post('targets/:targetId/retry')
  @HttpCode(200)
  retry(
    @CurrentPrincipal() p: Principal,
    @Param('postId', uuid('postId')) id: string,
    @Param('targetId', uuid('targetId')) targetId: string,
  ) {
    return this.publications.retry(p, id, targetId);
  }

  /** Takes a published post down from its platform (every part of a thread); the record and its reason stay. */
  @Post('targets/:targetId/withdraw')
  @HttpCode(200)
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param('postId', uuid('postId')) id: string,
    @Param('targetId', uuid('targetId')) targetId: string,
    @Body() body: WithdrawTargetDto,
  ) {
    return this.publications.withdraw(p, id, targetId, body.reason);
  }

  @Get('comments')
  comments(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Query() q: PageQuery) {
    return this.posts.comments(p, id, q);
  }

  @Post('comments')
  comment(@CurrentPrincipal() p: Principal, @Param('postId', uuid('postId')) id: string, @Body() body: CommentDto) {
    return this.posts.comment(p, id, body.body);
  }
}
