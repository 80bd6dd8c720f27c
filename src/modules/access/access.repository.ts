import { Injectable } from '@nestjs/common';
import { CampaignPartner } from '#src/modules/campaigns/campaign.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { Tx } from '#src/storage/tx.js';

/** The two reads tenant isolation rests on: a membership, and a campaign shared with a partner. */
@Injectable()
export class AccessRepository {
  constructor(private readonly tx: Tx) {}

  membership(institutionId: string, userId: string): Promise<Membership | null> {
    return this.tx.manager.getRepository(Membership).findOneBy({ institutionId, userId });
  }

  campaignSharedWith(campaignId: string, partnerId: string): Promise<boolean> {
    return this.tx.manager.getRepository(CampaignPartner).existsBy({ campaignId, partnerId });
  }
}
