import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '#src/common/domain-error.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';

/**
 * The address a sandbox publication's URL points at (`/sandbox/:channelId#<post>`), kept because stored
 * URLs name it: it leads (303) to the feed inside the staff pages, `/app/<slug>/sandbox/:channelId`
 * (the browser keeps the `#<post>` part). Members only: anyone else gets 404, as before.
 */
@ApiExcludeController()
@Controller('sandbox')
export class SandboxPageController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly institutions: InstitutionsService,
  ) {}

  @Get(':channelId')
  async page(
    @CurrentPrincipal() p: Principal,
    @Param('channelId', uuid('channelId')) channelId: string,
    @Res() res: Response,
  ): Promise<void> {
    const institutionId = await this.channels.institutionOfSandbox(p, channelId);
    if (!institutionId) throw notFound('sandbox feed');
    const institution = await this.institutions.get(p, institutionId);
    res.redirect(303, `/app/${encodeURIComponent(institution.slug)}/sandbox/${channelId}`);
  }
}
