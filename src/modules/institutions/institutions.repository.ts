import { Injectable } from '@nestjs/common';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Membership, type MemberRole } from '#src/modules/institutions/membership.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class InstitutionsRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Institution);
  }

  create(data: Omit<Institution, 'id' | 'createdAt' | 'updatedAt'>): Promise<Institution> {
    return this.repo.save(this.repo.create(data));
  }

  find(institutionId: string): Promise<Institution | null> {
    return this.repo.findOneBy({ id: institutionId });
  }

  slugTaken(slug: string, exceptInstitutionId?: string): Promise<boolean> {
    return this.repo
      .createQueryBuilder('i')
      .where('i.slug = :slug', { slug })
      .andWhere(exceptInstitutionId ? 'i.id <> :exceptInstitutionId' : 'TRUE', { exceptInstitutionId })
      .getExists();
  }

  listForUser(userId: string): Promise<Institution[]> {
    return this.repo
      .createQueryBuilder('i')
      .innerJoin(Membership, 'm', 'm.institution_id = i.id AND m.user_id = :userId', { userId })
      .orderBy('i.name')
      .getMany();
  }

  async update(institutionId: string, patch: Partial<Institution>): Promise<Institution> {
    await this.repo.update({ id: institutionId }, patch);
    return this.repo.findOneByOrFail({ id: institutionId });
  }

  async addMember(institutionId: string, userId: string, role: MemberRole, partnerId: string | null): Promise<Membership> {
    const repo = this.tx.manager.getRepository(Membership);
    return repo.save(repo.create({ institutionId, userId, role, partnerId }));
  }
}
