import { Injectable } from '@nestjs/common';
import { notFound } from '#src/common/domain-error.js';
import { AccessRepository } from '#src/modules/access/access.repository.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import { assertCan, type Action } from '#src/modules/access/policy.js';

/**
 * Tenant isolation in one place: a caller who is not a member of an institution
 * is told it does not exist (404), whatever they ask of it.
 */
@Injectable()
export class InstitutionAccess {
  constructor(private readonly access: AccessRepository) {}

  async member(principal: Principal, institutionId: string): Promise<Member> {
    const m = await this.access.membership(institutionId, principal.userId);
    if (!m) throw notFound('institution');
    return { userId: m.userId, institutionId: m.institutionId, role: m.role, partnerId: m.partnerId };
  }

  /** The caller's membership, checked against the policy for `action`. */
  async authorize(principal: Principal, institutionId: string, action: Action): Promise<Member> {
    const member = await this.member(principal, institutionId);
    assertCan(member, action);
    return member;
  }

  /** Contributors see only campaigns shared with their partner; everyone else sees all. */
  async campaignVisible(member: Member, campaignId: string): Promise<boolean> {
    if (member.role !== 'contributor') return true;
    return this.access.campaignSharedWith(campaignId, member.partnerId!);
  }
}
