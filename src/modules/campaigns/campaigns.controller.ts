import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { CampaignsService } from '#src/modules/campaigns/campaigns.service.js';
import { CreateCampaignDto, UpdateCampaignDto } from '#src/modules/campaigns/dto/campaign.dto.js';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PageQuery) {
    return this.campaigns.list(p, iid, q);
  }

  @Get(':campaignId')
  get(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('campaignId', uuid('campaignId')) id: string,
  ) {
    return this.campaigns.get(p, iid, id);
  }

  @Post()
  create(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: CreateCampaignDto) {
    return this.campaigns.create(p, iid, body);
  }

  @Patch(':campaignId')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('campaignId', uuid('campaignId')) id: string,
    @Body() body: UpdateCampaignDto,
  ) {
    return this.campaigns.update(p, iid, id, body);
  }
}
