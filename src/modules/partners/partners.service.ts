import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { CreatePartnerDto, UpdatePartnerDto } from '#src/modules/partners/dto/partner.dto.js';
import type { Partner } from '#src/modules/partners/partner.entity.js';
import { PartnersRepository } from '#src/modules/partners/partners.repository.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class PartnersService {
  constructor(
    private readonly repo: PartnersRepository,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  async list(p: Principal, institutionId: string, q: PageQuery) {
    await this.access.authorize(p, institutionId, 'partner.read');
    return page(await this.repo.list(institutionId, q), q);
  }

  async get(p: Principal, institutionId: string, partnerId: string): Promise<Partner> {
    await this.access.authorize(p, institutionId, 'partner.read');
    const partner = await this.repo.find(institutionId, partnerId);
    if (!partner) throw notFound('partner');
    return partner;
  }

  async create(p: Principal, institutionId: string, dto: CreatePartnerDto): Promise<Partner> {
    await this.access.authorize(p, institutionId, 'partner.manage');
    return this.tx.run(async () => {
      if (await this.repo.nameTaken(institutionId, dto.name.trim()))
        throw conflict('name_taken', `a partner named ${dto.name.trim()} exists already`);
      const partner = await this.repo.create(institutionId, { name: dto.name.trim(), website: dto.website ?? null });
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'partner.created',
        targetType: 'partner',
        targetId: partner.id,
        data: { name: partner.name },
      });
      return partner;
    });
  }

  async update(p: Principal, institutionId: string, partnerId: string, dto: UpdatePartnerDto): Promise<Partner> {
    await this.access.authorize(p, institutionId, 'partner.manage');
    return this.tx.run(async () => {
      if (!(await this.repo.find(institutionId, partnerId))) throw notFound('partner');
      if (dto.name && (await this.repo.nameTaken(institutionId, dto.name.trim(), partnerId)))
        throw conflict('name_taken', `a partner named ${dto.name.trim()} exists already`);
      const partner = await this.repo.update(institutionId, partnerId, { ...dto, ...(dto.name ? { name: dto.name.trim() } : {}) });
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'partner.updated',
        targetType: 'partner',
        targetId: partnerId,
        data: { changed: Object.keys(dto) },
      });
      return partner;
    });
  }

  async remove(p: Principal, institutionId: string, partnerId: string): Promise<void> {
    await this.access.authorize(p, institutionId, 'partner.manage');
    await this.tx.run(async () => {
      const partner = await this.repo.find(institutionId, partnerId);
      if (!partner) throw notFound('partner');
      if (await this.repo.hasContributors(institutionId, partnerId))
        throw conflict('partner_in_use', 'contributors still belong to this partner: change or remove them first');
      await this.repo.remove(institutionId, partnerId);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'partner.removed',
        targetType: 'partner',
        targetId: partnerId,
        data: { name: partner.name },
      });
    });
  }
}
