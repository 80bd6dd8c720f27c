import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { page, PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { SandboxService } from '#src/modules/sandbox/sandbox.service.js';

/** What a sandbox channel "published": training output, never sent anywhere. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/channels/:channelId/sandbox-feed')
export class SandboxFeedController {
  constructor(private readonly sandbox: SandboxService) {}

  @Get()
  async feed(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('channelId', uuid('channelId')) channelId: string,
    @Query() q: PageQuery,
  ) {
    const { items, total } = await this.sandbox.feed(p, iid, channelId, q.limit, q.offset);
    return {
      sandbox: true,
      notice: 'SANDBOX: nothing here was published on any platform; engagement is simulated',
      ...page([items, total], q),
    };
  }
}
