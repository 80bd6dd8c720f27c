import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { page, PageQuery } from '#src/common/pagination.js';
import { uuid } from '#src/common/uuid-param.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { CurrentPrincipal } from '#src/modules/auth/auth.decorators.js';

class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'post.approved' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/institutions/:institutionId/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly access: InstitutionAccess,
  ) {}

  /** The institution's audit trail, newest first. */
  @Get()
  async list(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string, @Query() q: AuditQuery) {
    await this.access.authorize(p, iid, 'audit.read');
    const filter = {
      action: q.action,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit: q.limit,
      offset: q.offset,
    };
    return page(await this.audit.list(iid, filter), q);
  }

  /** Walks the whole hash chain; names the first broken event when it is this institution's. */
  @Get('verify')
  async verify(@CurrentPrincipal() p: Principal, @Param('institutionId', uuid('institutionId')) iid: string) {
    await this.access.authorize(p, iid, 'audit.read');
    const result = await this.audit.verify(iid);
    if (result.ok) return result;
    const ours = result.firstBad.institutionId === iid;
    return {
      ok: false,
      events: result.events,
      firstBad: ours ? result.firstBad : { reason: 'an event outside this institution does not match its hash' },
    };
  }
}
