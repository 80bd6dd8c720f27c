import { Injectable } from '@nestjs/common';
import { conflict, fieldError, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import type { AddMemberDto, UpdateMemberDto } from '#src/modules/members/dto/member.dto.js';
import { MembersRepository, type MemberView } from '#src/modules/members/members.repository.js';
import { generatePassword, hashPassword } from '#src/modules/users/password-hasher.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class MembersService {
  constructor(
    private readonly repo: MembersRepository,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  async list(p: Principal, institutionId: string, q: PageQuery) {
    await this.access.authorize(p, institutionId, 'member.read');
    return page(await this.repo.list(institutionId, q), q);
  }

  /**
   * Adds a person. A new account gets a one-time password, returned in this
   * response only (CivicPost sends no e-mail): hand it over in person.
   */
  async add(p: Principal, institutionId: string, dto: AddMemberDto): Promise<{ member: MemberView; temporaryPassword?: string }> {
    await this.access.authorize(p, institutionId, 'member.manage');
    const partnerId = await this.checkPartner(institutionId, dto.role, dto.partnerId);
    const temporaryPassword = (await this.repo.findUserByEmail(dto.email)) ? undefined : generatePassword();
    const passwordHash = temporaryPassword ? await hashPassword(temporaryPassword) : undefined;
    return this.tx.run(async () => {
      let user = await this.repo.findUserByEmail(dto.email);
      if (!user) user = await this.repo.createUser(dto.email, dto.displayName?.trim() || dto.email.split('@')[0]!, passwordHash!);
      if (await this.repo.findByUser(institutionId, user.id))
        throw conflict('already_member', `${user.email} is already a member of this institution`);
      const memberId = await this.repo.add(institutionId, user.id, dto.role, partnerId);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'member.added',
        targetType: 'membership',
        targetId: memberId,
        data: { userId: user.id, email: user.email, role: dto.role, partnerId },
      });
      const member = (await this.repo.find(institutionId, memberId))!;
      return temporaryPassword ? { member, temporaryPassword } : { member };
    });
  }

  async update(p: Principal, institutionId: string, memberId: string, dto: UpdateMemberDto): Promise<MemberView> {
    await this.access.authorize(p, institutionId, 'member.manage');
    const partnerId = await this.checkPartner(institutionId, dto.role, dto.partnerId);
    return this.tx.run(async () => {
      const current = await this.repo.find(institutionId, memberId);
      if (!current) throw notFound('member');
      if (current.role === 'admin' && dto.role !== 'admin') await this.keepOneAdmin(institutionId);
      await this.repo.update(institutionId, memberId, dto.role, partnerId);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'member.role_changed',
        targetType: 'membership',
        targetId: memberId,
        data: { userId: current.userId, from: current.role, to: dto.role, partnerId },
      });
      return (await this.repo.find(institutionId, memberId))!;
    });
  }

  async remove(p: Principal, institutionId: string, memberId: string): Promise<void> {
    await this.access.authorize(p, institutionId, 'member.manage');
    await this.tx.run(async () => {
      const current = await this.repo.find(institutionId, memberId);
      if (!current) throw notFound('member');
      if (current.role === 'admin') await this.keepOneAdmin(institutionId);
      await this.repo.remove(institutionId, memberId);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'member.removed',
        targetType: 'membership',
        targetId: memberId,
        data: { userId: current.userId, role: current.role },
      });
    });
  }

  private async keepOneAdmin(institutionId: string): Promise<void> {
    if ((await this.repo.countAdmins(institutionId)) <= 1)
      throw conflict('last_admin', 'an institution keeps at least one admin: appoint another first');
  }

  private async checkPartner(institutionId: string, role: MemberRole, partnerId: string | undefined): Promise<string | null> {
    if (role !== 'contributor') {
      if (partnerId) throw fieldError('partnerId', ['is only for contributors'], 'partnerId is only for contributors');
      return null;
    }
    if (!partnerId)
      throw fieldError('partnerId', ['is required for contributors'], 'a contributor belongs to a partner: partnerId is required');
    if (!(await this.repo.partnerExists(institutionId, partnerId)))
      throw fieldError('partnerId', ['names no partner of this institution'], 'partnerId names no partner of this institution');
    return partnerId;
  }
}
