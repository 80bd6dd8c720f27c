import { Injectable } from '@nestjs/common';
import type { PageQuery } from '#src/common/pagination.js';
import { Campaign, CampaignPartner } from '#src/modules/campaigns/campaign.entity.js';
import { Partner } from '#src/modules/partners/partner.entity.js';
import { Tx } from '#src/storage/tx.js';

export type CampaignView = Campaign & { partnerIds: string[] };

@Injectable()
export class CampaignsRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Campaign);
  }

  /** All campaigns, or only those shared with `sharedWithPartnerId` (a contributor's view). */
  async list(institutionId: string, q: PageQuery, sharedWithPartnerId?: string): Promise<[CampaignView[], number]> {
    const qb = this.repo.createQueryBuilder('c').where('c.institution_id = :institutionId', { institutionId });
    if (sharedWithPartnerId) {
      qb.innerJoin(CampaignPartner, 'cp', 'cp.campaign_id = c.id AND cp.partner_id = :partnerId', { partnerId: sharedWithPartnerId });
    }
    const [items, total] = await qb.orderBy('c.starts_on', 'DESC').addOrderBy('c.title').take(q.limit).skip(q.offset).getManyAndCount();
    return [await this.withPartners(items), total];
  }

  async find(institutionId: string, campaignId: string): Promise<CampaignView | null> {
    const c = await this.repo.findOneBy({ institutionId, id: campaignId });
    return c ? (await this.withPartners([c]))[0]! : null;
  }

  async countPartners(institutionId: string, partnerIds: string[]): Promise<number> {
    if (partnerIds.length === 0) return 0;
    return this.tx.manager
      .getRepository(Partner)
      .createQueryBuilder('p')
      .where('p.institution_id = :institutionId AND p.id IN (:...partnerIds)', { institutionId, partnerIds })
      .getCount();
  }

  async create(data: Omit<Campaign, 'id' | 'createdAt' | 'updatedAt'>, partnerIds: string[]): Promise<CampaignView> {
    const saved = await this.repo.save(this.repo.create(data));
    await this.setPartners(saved.institutionId, saved.id, partnerIds);
    return (await this.find(saved.institutionId, saved.id))!;
  }

  async update(institutionId: string, campaignId: string, patch: Partial<Campaign>, partnerIds?: string[]): Promise<CampaignView> {
    if (Object.keys(patch).length) await this.repo.update({ institutionId, id: campaignId }, patch);
    if (partnerIds) await this.setPartners(institutionId, campaignId, partnerIds);
    return (await this.find(institutionId, campaignId))!;
  }

  private async setPartners(_institutionId: string, campaignId: string, partnerIds: string[]): Promise<void> {
    // The campaign was just read or written with this institution id, so campaignId is the institution's.
    const links = this.tx.manager.getRepository(CampaignPartner);
    await links.delete({ campaignId });
    if (partnerIds.length) await links.insert(partnerIds.map((partnerId) => ({ campaignId, partnerId })));
  }

  private async withPartners(campaigns: Campaign[]): Promise<CampaignView[]> {
    if (campaigns.length === 0) return [];
    const links = await this.tx.manager
      .getRepository(CampaignPartner)
      .createQueryBuilder('cp')
      .where('cp.campaign_id IN (:...ids)', { ids: campaigns.map((c) => c.id) })
      .getMany();
    return campaigns.map((c) => Object.assign(c, { partnerIds: links.filter((l) => l.campaignId === c.id).map((l) => l.partnerId) }));
  }
}
