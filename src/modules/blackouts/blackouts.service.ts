import { Injectable } from '@nestjs/common';
import { conflict, fieldError, notFound } from '#src/common/domain-error.js';
import { page, type PageQuery } from '#src/common/pagination.js';
import { instantOfField } from '#src/common/zoned-time.js';
import { InstitutionAccess } from '#src/modules/access/institution-access.js';
import type { Principal } from '#src/modules/access/principal.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { BlackoutsRepository } from '#src/modules/blackouts/blackouts.repository.js';
import type { CreateBlackoutDto } from '#src/modules/blackouts/dto/blackout.dto.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { InstitutionsRepository } from '#src/modules/institutions/institutions.repository.js';
import { PublicationTargetsService } from '#src/modules/publishing/publication-targets.service.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class BlackoutsService {
  constructor(
    private readonly repo: BlackoutsRepository,
    private readonly channels: ChannelsRepository,
    private readonly institutions: InstitutionsRepository,
    private readonly targets: PublicationTargetsService,
    private readonly access: InstitutionAccess,
    private readonly audit: AuditService,
    private readonly tx: Tx,
  ) {}

  async list(p: Principal, institutionId: string, q: PageQuery) {
    await this.access.authorize(p, institutionId, 'blackout.read');
    return page(await this.repo.list(institutionId, q), q);
  }

  /** How many posts' targets each window holds now, by window id (a window holding none is absent). */
  async heldCounts(p: Principal, institutionId: string): Promise<Map<string, number>> {
    await this.access.authorize(p, institutionId, 'blackout.read');
    return this.targets.heldByBlackout(institutionId);
  }

  /** Creates a window and holds what was already scheduled inside it. */
  async create(p: Principal, institutionId: string, dto: CreateBlackoutDto): Promise<Blackout & { held: number }> {
    await this.access.authorize(p, institutionId, 'blackout.manage');
    const zone = (await this.institutions.find(institutionId))!.timeZone;
    const startsAt = instantOfField('startsAt', dto.startsAt, zone);
    const endsAt = instantOfField('endsAt', dto.endsAt, zone);
    if (endsAt <= startsAt) throw fieldError('endsAt', 'must be after startsAt');
    const channelIds = dto.channelIds ?? [];
    if ((await this.channels.findMany(institutionId, channelIds)).length !== channelIds.length)
      throw fieldError('channelIds', 'names a channel this institution does not have');
    return this.tx.run(async () => {
      const blackout = await this.repo.create({
        institutionId,
        channelIds,
        startsAt,
        endsAt,
        reason: dto.reason.trim(),
        createdBy: p.userId,
      });
      const held = await this.targets.holdForBlackout(blackout);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'blackout.created',
        targetType: 'blackout',
        targetId: blackout.id,
        data: { startsAt, endsAt, channelIds, reason: blackout.reason, held },
      });
      return { ...blackout, held };
    });
  }

  /**
   * Removes a window. What it held stays held: a person decides, post by post,
   * to reschedule or cancel (all of it firing at once is rarely what anyone wants).
   */
  async remove(p: Principal, institutionId: string, blackoutId: string): Promise<void> {
    await this.access.authorize(p, institutionId, 'blackout.manage');
    await this.tx.run(async () => {
      const blackout = await this.repo.find(institutionId, blackoutId);
      if (!blackout) throw notFound('blackout');
      await this.repo.remove(institutionId, blackoutId);
      await this.audit.record({
        institutionId,
        actorId: p.userId,
        action: 'blackout.removed',
        targetType: 'blackout',
        targetId: blackoutId,
        data: { reason: blackout.reason },
      });
    });
  }

  /** 409 naming the window when `at` falls inside one covering any of the channels. */
  async assertOpen(institutionId: string, channelIds: string[], at: Date): Promise<void> {
    for (const channelId of channelIds) {
      const b = await this.repo.covering(institutionId, channelId, at);
      if (b) {
        throw conflict(
          'blackout',
          `${at.toISOString()} falls in the blackout window "${b.reason}" (${b.startsAt.toISOString()} to ${b.endsAt.toISOString()})`,
          {
            blackout: { id: b.id, reason: b.reason, startsAt: b.startsAt, endsAt: b.endsAt, channelIds: b.channelIds },
          },
        );
      }
    }
  }
}
