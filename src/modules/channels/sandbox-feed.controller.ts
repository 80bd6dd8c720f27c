import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '#src/common/domain-error.js';
import { page, PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { SandboxAdapter } from '#src/platforms/sandbox.adapter.js';

/** What a sandbox channel "published": training output, never sent anywhere. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/channels/:channelId/sandbox-feed')
export class SandboxFeedController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly sandbox: SandboxAdapter,
  ) {}

  @Get()
  async feed(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('channelId', uuid('channelId')) channelId: string,
    @Query() q: PageQuery,
  ) {
    const channel = await this.channels.get(p, iid, channelId);
    if (channel.platform !== 'sandbox') throw notFound('sandbox feed');
    return {
      sandbox: true,
      notice: 'SANDBOX: nothing here was published on any platform; engagement is simulated',
      ...page(await this.sandbox.feed(iid, channelId, q.limit, q.offset), q),
    };
  }
}
