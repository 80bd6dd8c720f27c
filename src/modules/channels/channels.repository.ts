import { Injectable } from '@nestjs/common';
import { IsNull, Not, type QueryDeepPartialEntity } from 'typeorm';
import type { PageQuery } from '#src/common/pagination.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class ChannelsRepository {
  constructor(private readonly tx: Tx) {}

  private get repo() {
    return this.tx.manager.getRepository(Channel);
  }

  list(institutionId: string, q: PageQuery): Promise<[Channel[], number]> {
    return this.repo.findAndCount({ where: { institutionId }, order: { displayName: 'ASC' }, take: q.limit, skip: q.offset });
  }

  /** Which institution a channel belongs to: the first step of a tenant check, nothing more. */
  async institutionOf(channelId: string): Promise<string | undefined> {
    return (await this.repo.findOne({ select: { id: true, institutionId: true }, where: { id: channelId } }))?.institutionId;
  }

  find(institutionId: string, channelId: string): Promise<Channel | null> {
    return this.repo.findOneBy({ institutionId, id: channelId });
  }

  findMany(institutionId: string, channelIds: string[]): Promise<Channel[]> {
    if (channelIds.length === 0) return Promise.resolve([]);
    return this.repo
      .createQueryBuilder('c')
      .where('c.institution_id = :institutionId AND c.id IN (:...channelIds)', { institutionId, channelIds })
      .getMany();
  }

  /** Whether credentials are stored, without reading them. */
  async hasCredentials(institutionId: string, channelIds: string[]): Promise<Set<string>> {
    if (channelIds.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.repo
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.institution_id = :institutionId AND c.id IN (:...channelIds) AND c.credentials_encrypted IS NOT NULL', {
        institutionId,
        channelIds,
      })
      .getRawMany();
    return new Set(rows.map((r) => r.id));
  }

  async create(data: Omit<Channel, 'id' | 'createdAt' | 'updatedAt'>): Promise<Channel> {
    const saved = await this.repo.save(this.repo.create(data));
    return this.repo.findOneByOrFail({ id: saved.id });
  }

  async update(institutionId: string, channelId: string, patch: Partial<Channel>): Promise<Channel> {
    await this.repo.update({ institutionId, id: channelId }, patch as QueryDeepPartialEntity<Channel>);
    return this.repo.findOneByOrFail({ institutionId, id: channelId });
  }

  /** For key rotation, a system task across every institution: ids of channels sealed with another key. */
  async idsSealedWithOtherKey(keyId: string): Promise<Array<{ id: string; institutionId: string }>> {
    return this.repo.find({
      select: { id: true, institutionId: true },
      where: [
        { credentialsEncrypted: Not(IsNull()), credentialsKeyId: Not(keyId) },
        { credentialsEncrypted: Not(IsNull()), credentialsKeyId: IsNull() },
      ],
    });
  }

  /**
   * Why channels wait for reconnection: the platform's latest refusal of their credentials, from a
   * verification (audit trail) or a publication (target events), whichever came last.
   */
  async reconnectReasons(institutionId: string, channelIds: string[]): Promise<Map<string, { at: Date; message: string }>> {
    if (channelIds.length === 0) return new Map();
    const rows: Array<{ channel_id: string; at: Date; message: string }> = await this.tx.manager.query(
      `SELECT DISTINCT ON (channel_id) channel_id, at, message FROM (
         SELECT a.target_id AS channel_id, a.created_at AS at, a.data->>'message' AS message
           FROM audit_events a
          WHERE a.institution_id = $1 AND a.action = 'channel.verify_failed' AND a.target_id = ANY ($2::text[])
         UNION ALL
         SELECT t.channel_id::text, e.at, e.error
           FROM target_events e JOIN publication_targets t ON t.id = e.target_id
          WHERE e.institution_id = $1 AND t.institution_id = $1 AND t.channel_id = ANY ($2::uuid[])
            AND e.to_status = 'failed' AND e.outcome = 'credentials_refused'
       ) r WHERE message IS NOT NULL ORDER BY channel_id, at DESC`,
      [institutionId, channelIds],
    );
    return new Map(rows.map((r) => [r.channel_id, { at: new Date(r.at), message: r.message }]));
  }

  async sealed(
    institutionId: string,
    channelId: string,
  ): Promise<{ credentialsEncrypted: Buffer | null; credentialsKeyId: string | null } | null> {
    return this.repo.findOne({
      select: { id: true, credentialsEncrypted: true, credentialsKeyId: true },
      where: { institutionId, id: channelId },
    });
  }
}
