import { Module } from '@nestjs/common';
import { DomainModule } from '#src/modules/domain.module.js';
import { AssetsController } from '#src/web/pages/assets.controller.js';
import { HomePageController } from '#src/web/pages/home.controller.js';
import { SessionPagesController } from '#src/web/pages/session.controller.js';
import { WebContexts } from '#src/web/web-context.js';

/** The staff and volunteers' pages, server-rendered by the api process over the same services as the REST API. */
@Module({
  imports: [DomainModule],
  controllers: [AssetsController, SessionPagesController, HomePageController],
  providers: [WebContexts],
})
export class WebModule {}
