import { Injectable } from '@nestjs/common';
import type { PageQuery } from '#src/common/pagination.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { Partner } from '#src/modules/partners/partner.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class PartnersRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Partner);
  }

  list(institutionId: string, q: PageQuery): Promise<[Partner[], number]> {
    return this.repo.findAndCount({ where: { institutionId }, order: { name: 'ASC' }, take: q.limit, skip: q.offset });
  }

  find(institutionId: string, partnerId: string): Promise<Partner | null> {
    return this.repo.findOneBy({ institutionId, id: partnerId });
  }

  nameTaken(institutionId: string, name: string, exceptPartnerId?: string): Promise<boolean> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.institution_id = :institutionId AND lower(p.name) = lower(:name)', { institutionId, name })
      .andWhere(exceptPartnerId ? 'p.id <> :exceptPartnerId' : 'TRUE', { exceptPartnerId })
      .getExists();
  }

  create(institutionId: string, data: { name: string; website: string | null }): Promise<Partner> {
    return this.repo.save(this.repo.create({ institutionId, ...data }));
  }

  async update(institutionId: string, partnerId: string, patch: Partial<Pick<Partner, 'name' | 'website'>>): Promise<Partner> {
    await this.repo.update({ institutionId, id: partnerId }, patch);
    return this.repo.findOneByOrFail({ institutionId, id: partnerId });
  }

  hasContributors(institutionId: string, partnerId: string): Promise<boolean> {
    return this.tx.manager.getRepository(Membership).existsBy({ institutionId, partnerId });
  }

  async remove(institutionId: string, partnerId: string): Promise<void> {
    await this.repo.delete({ institutionId, id: partnerId });
  }
}
