import { Injectable } from '@nestjs/common';
import type { PageQuery } from '#src/common/pagination.js';
import { Membership, type MemberRole } from '#src/modules/institutions/membership.entity.js';
import { Partner } from '#src/modules/partners/partner.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  displayName: string;
  role: MemberRole;
  partnerId: string | null;
  createdAt: Date;
}

@Injectable()
export class MembersRepository {
  constructor(private readonly tx: Tx) {}

  private base(institutionId: string) {
    return this.tx.manager
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.user_id')
      .select([
        'm.id AS id',
        'm.user_id AS "userId"',
        'u.email AS email',
        'u.display_name AS "displayName"',
        'm.role AS role',
        'm.partner_id AS "partnerId"',
        'm.created_at AS "createdAt"',
      ])
      .where('m.institution_id = :institutionId', { institutionId });
  }

  async list(institutionId: string, q: PageQuery): Promise<[MemberView[], number]> {
    const qb = this.base(institutionId);
    const total = await qb.clone().getCount();
    const items = await qb.orderBy('u.email').limit(q.limit).offset(q.offset).getRawMany<MemberView>();
    return [items, total];
  }

  find(institutionId: string, memberId: string): Promise<MemberView | undefined> {
    return this.base(institutionId).andWhere('m.id = :memberId', { memberId }).getRawOne<MemberView>();
  }

  findByUser(institutionId: string, userId: string): Promise<Membership | null> {
    return this.tx.manager.getRepository(Membership).findOneBy({ institutionId, userId });
  }

  countAdmins(institutionId: string): Promise<number> {
    return this.tx.manager.getRepository(Membership).countBy({ institutionId, role: 'admin' });
  }

  partnerExists(institutionId: string, partnerId: string): Promise<boolean> {
    return this.tx.manager.getRepository(Partner).existsBy({ institutionId, id: partnerId });
  }

  async add(institutionId: string, userId: string, role: MemberRole, partnerId: string | null): Promise<string> {
    const repo = this.tx.manager.getRepository(Membership);
    return (await repo.save(repo.create({ institutionId, userId, role, partnerId }))).id;
  }

  async update(institutionId: string, memberId: string, role: MemberRole, partnerId: string | null): Promise<void> {
    await this.tx.manager.getRepository(Membership).update({ institutionId, id: memberId }, { role, partnerId });
  }

  async remove(institutionId: string, memberId: string): Promise<void> {
    await this.tx.manager.getRepository(Membership).delete({ institutionId, id: memberId });
  }

  /** Users are not tenant data: one person may belong to several institutions. */
  findUserByEmail(email: string): Promise<User | null> {
    return this.tx.manager.getRepository(User).findOneBy({ email: email.toLowerCase() });
  }

  createUser(email: string, displayName: string, passwordHash: string): Promise<User> {
    const repo = this.tx.manager.getRepository(User);
    return repo.save(
      repo.create({ email: email.toLowerCase(), displayName, passwordHash, isSystemAdmin: false, mustChangePassword: true }),
    );
  }
}
