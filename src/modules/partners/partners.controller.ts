import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { CreatePartnerDto, UpdatePartnerDto } from '#src/modules/partners/dto/partner.dto.js';
import { PartnersService } from '#src/modules/partners/partners.service.js';

@ApiTags('partners')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: PageQuery) {
    return this.partners.list(p, iid, q);
  }

  @Get(':partnerId')
  get(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('partnerId', uuid('partnerId')) id: string,
  ) {
    return this.partners.get(p, iid, id);
  }

  @Post()
  create(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Body() body: CreatePartnerDto) {
    return this.partners.create(p, iid, body);
  }

  @Patch(':partnerId')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('partnerId', uuid('partnerId')) id: string,
    @Body() body: UpdatePartnerDto,
  ) {
    return this.partners.update(p, iid, id, body);
  }

  @Delete(':partnerId')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) iid: string,
    @Param('partnerId', uuid('partnerId')) id: string,
  ): Promise<void> {
    await this.partners.remove(p, iid, id);
  }
}
