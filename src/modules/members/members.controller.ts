import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import type { Principal } from '#src/modules/access/principal.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';
import { AddMemberDto, UpdateMemberDto } from '#src/modules/members/dto/member.dto.js';
import { MembersService } from '#src/modules/members/members.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) institutionId: string, @Query() q: PageQuery) {
    return this.members.list(p, institutionId, q);
  }

  @Post()
  add(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) institutionId: string, @Body() body: AddMemberDto) {
    return this.members.add(p, institutionId, body);
  }

  @Patch(':memberId')
  update(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) institutionId: string,
    @Param('memberId', uuid('memberId')) memberId: string,
    @Body() body: UpdateMemberDto,
  ) {
    return this.members.update(p, institutionId, memberId, body);
  }

  @Delete(':memberId')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('institutionId', uuid('institutionId')) institutionId: string,
    @Param('memberId', uuid('memberId')) memberId: string,
  ): Promise<void> {
    await this.members.remove(p, institutionId, memberId);
  }
}
