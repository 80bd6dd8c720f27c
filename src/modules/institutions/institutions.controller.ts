import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { uuid } from '#src/common/uuid-param.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { CreateInstitutionDto, SuspendDto, UpdateInstitutionDto } from '#src/modules/institutions/dto/institution.dto.js';
import { InstitutionsService } from '#src/modules/institutions/institutions.service.js';

@ApiTags('institutions')
@ApiBearerAuth()
@Controller('api/institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Post()
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateInstitutionDto) {
    return this.institutions.create(p, body);
  }

  /** The institutions the caller is a member of. */
  @Get()
  async list(@CurrentPrincipal() p: Principal) {
    return { items: await this.institutions.listMine(p) };
  }

  @Get(':institutionId')
  get(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) id: string) {
    return this.institutions.get(p, id);
  }

  @Patch(':institutionId')
  update(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) id: string, @Body() body: UpdateInstitutionDto) {
    return this.institutions.update(p, id, body);
  }

  /** Kill switch: nothing of the institution is published until resumed; jobs that come due are held. */
  @Post(':institutionId/suspend')
  @HttpCode(200)
  suspend(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) id: string, @Body() body: SuspendDto) {
    return this.institutions.suspend(p, id, body.reason);
  }

  /** Lifts the kill switch: what was held by it goes out now, in the order it was due. */
  @Post(':institutionId/resume')
  @HttpCode(200)
  resume(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) id: string) {
    return this.institutions.resume(p, id);
  }
}
