import { Injectable } from '@nestjs/common';
import { conflict, fieldError, forbidden } from '#src/common/domain-error.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { CreateInstitutionDto, UpdateInstitutionDto } from '#src/modules/institutions/dto/institution.dto.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { Clock } from '#src/common/clock.js';
import { Tx } from '#src/storage/tx.js';

/** How the publish processor words a hold caused by the kill switch (see publishing.service.ts). */

@Injectable()
export class InstitutionsService {
  constructor(
    private readonly repo: InstitutionsRepository,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
    private readonly targets: PublicationTargetsService,
    private readonly clock: Clock,
  ) {}

  /** System admins create institutions; the creator becomes the first admin. */
  async create(principal: Principal, dto: CreateInstitutionDto): Promise<Institution> {
    if (!principal.isSystemAdmin) throw forbidden('only a system administrator may create institutions');
    checkLanguages(dto.languages, dto.optionalLanguages ?? []);
    return this.tx.run(async () => {
      if (await this.repo.slugTaken(dto.slug))
        throw conflict('slug_taken', `slug ${dto.slug} is already used by another institution`, [
          { field: 'slug', problems: ['is already used'] },
        ]);
      const institution = await this.repo.create({
        name: dto.name.trim(),
        slug: dto.slug,
        timeZone: dto.timeZone,
        languages: dto.languages,
        optionalLanguages: dto.optionalLanguages ?? [],
        transparencyEnabled: dto.transparencyEnabled ?? false,
        suspendedAt: null,
        suspensionReason: null,
      });
      const membership = await this.repo.addMember(institution.id, principal.userId, 'admin', null);
      await this.audit.record({
        institutionId: institution.id,
        actorId: principal.userId,
        action: 'institution.created',
        targetType: 'institution',
        targetId: institution.id,
        data: { name: institution.name, slug: institution.slug },
      });
      await this.audit.record({
        institutionId: institution.id,
        actorId: principal.userId,
        action: 'member.added',
        targetType: 'membership',
        targetId: membership.id,
        data: { userId: principal.userId, role: 'admin' },
      });
      return institution;
    });
  }

  listMine(principal: Principal): Promise<Institution[]> {
    return this.repo.listForUser(principal.userId);
  }

  async get(principal: Principal, institutionId: string): Promise<Institution> {
    await this.access.authorize(principal, institutionId, 'institution.read');
    return (await this.repo.find(institutionId))!;
  }

  async update(principal: Principal, institutionId: string, dto: UpdateInstitutionDto): Promise<Institution> {
    await this.access.authorize(principal, institutionId, 'institution.update');
    return this.tx.run(async () => {
      const current = (await this.repo.find(institutionId))!;
      checkLanguages(dto.languages ?? current.languages, dto.optionalLanguages ?? current.optionalLanguages);
      if (dto.slug && (await this.repo.slugTaken(dto.slug, institutionId)))
        throw conflict('slug_taken', `slug ${dto.slug} is already used by another institution`, [
          { field: 'slug', problems: ['is already used'] },
        ]);
      const updated = await this.repo.update(institutionId, { ...dto, ...(dto.name ? { name: dto.name.trim() } : {}) });
      await this.audit.record({
        institutionId,
        actorId: principal.userId,
        action: 'institution.updated',
        targetType: 'institution',
        targetId: institutionId,
        data: { changed: Object.keys(dto) },
      });
      return updated;
    });
  }

  async suspend(principal: Principal, institutionId: string, reason: string): Promise<Institution> {
    await this.access.authorize(principal, institutionId, 'institution.suspend');
    return this.tx.run(async () => {
      const current = (await this.repo.find(institutionId))!;
      if (current.suspendedAt)
        throw conflict(
          'already_suspended',
          `publishing is already suspended since ${current.suspendedAt.toISOString()}: ${current.suspensionReason}`,
        );
      const updated = await this.repo.update(institutionId, { suspendedAt: this.clock.now(), suspensionReason: reason.trim() });
      await this.audit.record({
        institutionId,
        actorId: principal.userId,
        action: 'institution.suspended',
        targetType: 'institution',
        targetId: institutionId,
        data: { reason: reason.trim() },
      });
      return updated;
    });
  }

  async resume(principal: Principal, institutionId: string): Promise<Institution & { released: number }> {
    await this.access.authorize(principal, institutionId, 'institution.suspend');
    return this.tx.run(async () => {
      const current = (await this.repo.find(institutionId))!;
      if (!current.suspendedAt) throw conflict('not_suspended', 'publishing is not suspended');
      const updated = await this.repo.update(institutionId, { suspendedAt: null, suspensionReason: null });
      const released = await this.targets.release(institutionId, 'suspension');
      await this.audit.record({
        institutionId,
        actorId: principal.userId,
        action: 'institution.resumed',
        targetType: 'institution',
        targetId: institutionId,
        data: { released, suspendedSince: current.suspendedAt.toISOString() },
      });
      return { ...updated, released };
    });
  }
}

function checkLanguages(languages: string[], optional: string[]): void {
  if (languages.length === 0) throw fieldError('languages', ['must not be empty'], 'languages must name at least one official language');
  const stray = optional.filter((l) => !languages.includes(l));
  if (stray.length)
    throw fieldError(
      'optionalLanguages',
      [`${stray.join(', ')} not in languages`],
      `optionalLanguages must be official languages too: ${stray.join(', ')}`,
    );
  if (optional.length === languages.length)
    throw fieldError('optionalLanguages', ['leaves no required language'], 'at least one official language must be required');
}
