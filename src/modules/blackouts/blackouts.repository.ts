import { Injectable } from '@nestjs/common';
import type { PageQuery } from '#src/common/pagination.js';
import { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class BlackoutsRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Blackout);
  }

  list(institutionId: string, q: PageQuery): Promise<[Blackout[], number]> {
    return this.repo.findAndCount({ where: { institutionId }, order: { startsAt: 'DESC' }, take: q.limit, skip: q.offset });
  }

  find(institutionId: string, blackoutId: string): Promise<Blackout | null> {
    return this.repo.findOneBy({ institutionId, id: blackoutId });
  }

  create(data: Omit<Blackout, 'id' | 'createdAt'>): Promise<Blackout> {
    return this.repo.save(this.repo.create(data));
  }

  async remove(institutionId: string, blackoutId: string): Promise<void> {
    await this.repo.delete({ institutionId, id: blackoutId });
  }

  /** The first window covering `at` on `channelId` (or on all channels), if any. */
  covering(institutionId: string, channelId: string, at: Date): Promise<Blackout | null> {
    return this.repo
      .createQueryBuilder('b')
      .where(`b.id = ${coveringBlackoutSql(':institutionId', ':channelId', ':at')}`, { institutionId, channelId, at })
      .getOne();
  }
}

/**
 * SQL for the id of the first window covering `at` on `channel` (or on all channels), given as SQL
 * expressions (parameters or columns): the one rule for covering(), and for the publish job's claim,
 * which reads it in the same statement.
 */
export function coveringBlackoutSql(institutionId: string, channelId: string, at: string): string {
  return `(SELECT b.id FROM blackouts b
            WHERE b.institution_id = ${institutionId} AND b.starts_at <= ${at} AND b.ends_at > ${at}
              AND (b.channel_ids = '{}' OR ${channelId} = ANY (b.channel_ids))
            ORDER BY b.starts_at LIMIT 1)`;
}
