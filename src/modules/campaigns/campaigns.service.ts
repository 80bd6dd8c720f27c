import { Injectable } from '@nestjs/common';
import { fieldError, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Member, Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import { CampaignsRepository, type CampaignView } from '#src/modules/campaigns/campaigns.repository.js';
import type { CreateCampaignDto, UpdateCampaignDto } from '#src/modules/campaigns/dto/campaign.dto.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class CampaignsService {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  async list(p: Principal, institutionId: string, q: PageQuery) {
    const member = await this.access.authorize(p, institutionId, 'campaign.read');
    return page(await this.repo.list(institutionId, q, member.role === 'contributor' ? member.partnerId! : undefined), q);
  }

  async get(p: Principal, institutionId: string, campaignId: string): Promise<CampaignView> {
    const member = await this.access.authorize(p, institutionId, 'campaign.read');
    return this.visible(member, campaignId);
  }

  /** A campaign the member may see: contributors see only those shared with their partner (others: 404). */
  async visible(member: Member, campaignId: string): Promise<CampaignView> {
    const campaign = await this.repo.find(member.institutionId, campaignId);
    if (!campaign || !(await this.access.campaignVisible(member, campaignId))) throw notFound('campaign');
    return campaign;
  }

  async create(p: Principal, institutionId: string, dto: CreateCampaignDto): Promise<CampaignView> {
    await this.access.authorize(p, institutionId, 'campaign.write');
    checkDates(dto.startsOn, dto.endsOn);
    return this.tx.run(async () => {
      await this.checkPartners(institutionId, dto.partnerIds ?? []);
      const campaign = await this.repo.create(
        {
          institutionId,
          title: dto.title.trim(),
          goal: dto.goal?.trim() ?? '',
          startsOn: dto.startsOn,
          endsOn: dto.endsOn,
          targetAudiences: dto.targetAudiences ?? [],
          hashtags: (dto.hashtags ?? []).map(normaliseHashtag),
          createdBy: p.userId,
        },
        dto.partnerIds ?? [],
      );
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'campaign.created',
        targetType: 'campaign',
        targetId: campaign.id,
        data: { title: campaign.title, partnerIds: campaign.partnerIds },
      });
      return campaign;
    });
  }

  async update(p: Principal, institutionId: string, campaignId: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    await this.access.authorize(p, institutionId, 'campaign.write');
    return this.tx.run(async () => {
      const current = await this.repo.find(institutionId, campaignId);
      if (!current) throw notFound('campaign');
      checkDates(dto.startsOn ?? current.startsOn, dto.endsOn ?? current.endsOn);
      if (dto.partnerIds) await this.checkPartners(institutionId, dto.partnerIds);
      const { partnerIds, ...fields } = dto;
      const campaign = await this.repo.update(
        institutionId,
        campaignId,
        {
          ...fields,
          ...(fields.title ? { title: fields.title.trim() } : {}),
          ...(fields.hashtags ? { hashtags: fields.hashtags.map(normaliseHashtag) } : {}),
        },
        partnerIds,
      );
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'campaign.updated',
        targetType: 'campaign',
        targetId: campaignId,
        data: { changed: Object.keys(dto) },
      });
      return campaign;
    });
  }

  private async checkPartners(institutionId: string, partnerIds: string[]): Promise<void> {
    if ((await this.repo.countPartners(institutionId, partnerIds)) !== partnerIds.length) {
      throw fieldError('partnerIds', ['names an unknown partner'], 'partnerIds names a partner this institution does not have');
    }
  }
}

function checkDates(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw fieldError('endsOn', ['is before startsOn'], 'endsOn must not be before startsOn');
}

function normaliseHashtag(tag: string): string {
  return tag.startsWith('#') ? tag : `#${tag}`;
}
