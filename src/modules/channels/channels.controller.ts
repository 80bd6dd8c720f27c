import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { ChannelsService } from '#src/modules/channels/channels.service.js';
import { CreateChannelDto, UpdateChannelDto } from '#src/modules/channels/dto/channel.dto.js';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PageQuery) {
    return this.channels.list(p, iid, q);
  }

  @Get(':channelId')
  get(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('channelId', uuid('channelId')) id: string,
  ) {
    return this.channels.get(p, iid, id);
  }

  @Post()
  create(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: CreateChannelDto) {
    return this.channels.create(p, iid, body);
  }

  /** Asks the platform whom the channel posts as (after adding it, or new credentials). */
  @Post(':channelId/verify')
  @HttpCode(200)
  verify(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('channelId', uuid('channelId')) id: string,
  ) {
    return this.channels.verify(p, iid, id);
  }

  @Patch(':channelId')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('channelId', uuid('channelId')) id: string,
    @Body() body: UpdateChannelDto,
  ) {
    return this.channels.update(p, iid, id, body);
  }
}
