import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AccessRepository } from '#src/modules/access/access.repository.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import { AuditController } from '#src/modules/audit/audit.controller.js';
import { AuditRepository } from '#src/modules/audit/audit.repository.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { AuthController } from '#src/modules/auth/auth.controller.js';
import { BlackoutsController } from '#src/modules/blackouts/blackouts.controller.js';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { AuthGuard } from '#src/modules/auth/auth.guard.js';
import { AuthService } from '#src/modules/auth/auth.service.js';
import { LoginThrottle } from '#src/modules/auth/login-throttle.js';
import { MeRepository } from '#src/modules/auth/me.repository.js';
import { MeService } from '#src/modules/auth/me.service.js';
import { SessionsRepository } from '#src/modules/auth/sessions.repository.js';
import { EngagementCron } from '#src/modules/engagement/engagement.cron.js';
import { EngagementProcessor } from '#src/modules/engagement/engagement.processor.js';
import { EngagementRepository } from '#src/modules/engagement/engagement.repository.js';
import { EngagementService } from '#src/modules/engagement/engagement.service.js';
import { HealthController } from '#src/modules/health/health.controller.js';
import { HealthIndicators } from '#src/modules/health/health.indicators.js';
import { HealthRepository } from '#src/modules/health/health.repository.js';
import { MetricsController } from '#src/modules/metrics/metrics.controller.js';
import { MetricsRepository } from '#src/modules/metrics/metrics.repository.js';
import { MetricsService } from '#src/modules/metrics/metrics.service.js';
import { CampaignsController } from '#src/modules/campaigns/campaigns.controller.js';
import { CampaignsRepository } from '#src/modules/campaigns/campaigns.repository.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { ChannelsController } from '#src/modules/channels/channels.controller.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { SandboxFeedController } from '#src/modules/sandbox/sandbox-feed.controller.js';
import { SandboxPageController } from '#src/modules/sandbox/sandbox-page.controller.js';
import { SandboxRepository } from '#src/modules/sandbox/sandbox.repository.js';
import { SandboxService } from '#src/modules/sandbox/sandbox.service.js';
import { PlatformAdapters } from '#src/platforms/adapters.js';
import { SANDBOX_STORE } from '#src/platforms/sandbox/sandbox-store.js';
import { InstitutionsController } from '#src/modules/institutions/institutions.controller.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';
import { MembersController } from '#src/modules/members/members.controller.js';
import { MembersRepository } from '#src/modules/members/members.repository.js';
import { MembersService } from '#src/modules/members/members.service.js';
import { PartnersController } from '#src/modules/partners/partners.controller.js';
import { PartnersRepository } from '#src/modules/partners/partners.repository.js';
import { PartnersService } from '#src/modules/partners/partners.service.js';
import { InstitutionPostsController, PostWorkflowController } from '#src/modules/posts/posts.controller.js';
import { PostsRepository } from '#src/modules/posts/posts.repository.js';
import { PostsService } from '#src/modules/posts/posts.service.js';
import { PostAccess } from '#src/modules/posts/post-access.js';
import { PostContentService } from '#src/modules/posts/post-content.service.js';
import { PostPublicationsService } from '#src/modules/posts/post-publications.service.js';
import { PostReviewService } from '#src/modules/posts/post-review.service.js';
import { PostViewsService } from '#src/modules/posts/post-views.service.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { PublishProcessor, ReconcileProcessor } from '#src/modules/publishing/publish.processor.js';
import { PublishingService } from '#src/modules/publishing/publishing.service.js';
import { SchedulerCron } from '#src/modules/publishing/scheduler.cron.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { Tx } from '#src/storage/tx.js';
import { MediaController } from '#src/modules/media/media.controller.js';
import { MediaFiles } from '#src/modules/media/media-files.js';
import { MediaRepository } from '#src/modules/media/media.repository.js';
import { MediaService } from '#src/modules/media/media.service.js';
import { ReportsController } from '#src/modules/reports/reports.controller.js';
import { ReportsRepository } from '#src/modules/reports/reports.repository.js';
import { ReportsService } from '#src/modules/reports/reports.service.js';

/**
 * The application's providers and controllers, composed here by role (docs/decisions.md 24): a
 * feature is a folder of classes and contributes lines to these arrays, not a Nest module of its own.
 */

/** Shared by every role: the domain's repositories and services, plus the transaction carrier. */
@Module({
  providers: [
    Tx,
    AccessRepository,
    InstitutionAccess,
    LoginThrottle,
    AuditRepository,
    AuditService,
    SessionsRepository,
    MeRepository,
    InstitutionsRepository,
    MembersRepository,
    PartnersRepository,
    ChannelsRepository,
    CampaignsRepository,
    PostsRepository,
    TargetsRepository,
    SandboxRepository,
    { provide: SANDBOX_STORE, useExisting: SandboxRepository },
    SandboxService,
    PlatformAdapters,
    BlackoutsRepository,
    BlackoutsService,
    RecurrenceService,
    MediaRepository,
    MediaFiles,
    MediaService,
    ReportsRepository,
    ReportsService,
    AuthService,
    MeService,
    InstitutionsService,
    MembersService,
    PartnersService,
    ChannelsService,
    CampaignsService,
    PublicationTargetsService,
    PostAccess,
    PostContentService,
    PostViewsService,
    PostReviewService,
    PostPublicationsService,
    PostsService,
  ],
  exports: [
    Tx,
    InstitutionAccess,
    AuditService,
    AuthService,
    MeService,
    InstitutionsService,
    MembersService,
    PartnersService,
    ChannelsService,
    CampaignsService,
    PostsService,
    PostContentService,
    PostViewsService,
    PostReviewService,
    PostPublicationsService,
    PublicationTargetsService,
    ChannelsRepository,
    PostsRepository,
    TargetsRepository,
    SandboxService,
    PlatformAdapters,
    BlackoutsRepository,
    BlackoutsService,
    RecurrenceService,
    MediaService,
    ReportsService,
  ],
})
export class DomainModule {}

/** The api role's HTTP surface: the REST API under /api (every route needs a session unless marked @Public()), /health and /metrics. */
@Module({
  imports: [DomainModule, TerminusModule.forRoot({ logger: false })],
  controllers: [
    AuthController,
    InstitutionsController,
    MembersController,
    PartnersController,
    ChannelsController,
    CampaignsController,
    InstitutionPostsController,
    PostWorkflowController,
    AuditController,
    SandboxFeedController,
    BlackoutsController,
    SandboxPageController,
    MediaController,
    ReportsController,
    HealthController,
    MetricsController,
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, HealthRepository, HealthIndicators, MetricsRepository, MetricsService],
})
export class ApiModule {}

/** The worker role's processors and crons, with what only they use: publishing's and engagement's. */
@Module({
  imports: [DomainModule],
  providers: [
    PublishingService,
    PublishProcessor,
    ReconcileProcessor,
    SchedulerCron,
    EngagementRepository,
    EngagementService,
    EngagementProcessor,
    EngagementCron,
  ],
})
export class WorkerModule {}
