import { Module } from '@nestjs/common';
import { DomainModule } from '#src/modules/domain.module.js';
import { AssetsController } from '#src/web/pages/assets.controller.js';
import { HomePageController } from '#src/web/pages/home.controller.js';
import { SessionPagesController } from '#src/web/pages/session.controller.js';
import { AuditPageController } from '#src/web/pages/audit.controller.js';
import { BlackoutPagesController } from '#src/web/pages/blackouts.controller.js';
import { CalendarPageController } from '#src/web/pages/calendar.controller.js';
import { CampaignPagesController } from '#src/web/pages/campaigns.controller.js';
import { ChannelPagesController } from '#src/web/pages/channels.controller.js';
import { ComposerPageController } from '#src/web/pages/composer.controller.js';
import { MemberPagesController } from '#src/web/pages/members.controller.js';
import { PostPageController } from '#src/web/pages/post.controller.js';
import { ReviewPageController } from '#src/web/pages/review.controller.js';
import { TransparencyController } from '#src/web/transparency/transparency.controller.js';
import { WebContexts } from '#src/web/web-context.js';

/** The staff and volunteers' pages and the public transparency pages, server-rendered by the api process over the same services as the REST API. */
@Module({
  imports: [DomainModule],
  controllers: [
    AssetsController,
    SessionPagesController,
    HomePageController,
    ComposerPageController,
    PostPageController,
    ReviewPageController,
    CalendarPageController,
    CampaignPagesController,
    ChannelPagesController,
    BlackoutPagesController,
    MemberPagesController,
    AuditPageController,
    TransparencyController,
  ],
  providers: [WebContexts],
})
export class WebModule {}
