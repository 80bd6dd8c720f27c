import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { BlackoutsService } from '#src/modules/blackouts/blackouts.service.js';
import { CreateBlackoutDto } from '#src/modules/blackouts/dto/blackout.dto.js';

@ApiTags('blackouts')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/blackouts')
export class BlackoutsController {
  constructor(private readonly blackouts: BlackoutsService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PageQuery) {
    return this.blackouts.list(p, iid, q);
  }

  /** Creates a window; answers with it and `held`, the number of scheduled targets it held. */
  @Post()
  create(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: CreateBlackoutDto) {
    return this.blackouts.create(p, iid, body);
  }

  @Delete(':blackoutId')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('blackoutId', uuid('blackoutId')) id: string,
  ): Promise<void> {
    await this.blackouts.remove(p, iid, id);
  }
}
