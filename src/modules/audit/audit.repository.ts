import { Injectable } from '@nestjs/common';
import { In, type QueryDeepPartialEntity } from 'typeorm';
import { AuditEvent } from '#src/modules/audit/audit-event.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

const AUDIT_CHAIN_LOCK_KEY = 7_400_117_003;

export interface AuditFilter {
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: Tx) {}

  /** Serialises appends so that each event links to the one truly before it. Call inside a transaction. */
  async lockChain(): Promise<string | undefined> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
    const rows: Array<{ hash: string }> = await this.tx.manager.query('SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    return rows[0]?.hash;
  }

  async insert(event: Omit<AuditEvent, 'seq'>): Promise<void> {
    // jsonb columns do not fit TypeORM's deep-partial type; the shape is the entity's.
    await this.tx.manager.getRepository(AuditEvent).insert(event as QueryDeepPartialEntity<AuditEvent>);
  }

  async listForInstitution(institutionId: string, f: AuditFilter): Promise<[AuditEvent[], number]> {
    const qb = this.tx.manager
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.institution_id = :institutionId', { institutionId });
    if (f.action) qb.andWhere('e.action = :action', { action: f.action });
    if (f.from) qb.andWhere('e.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.created_at < :to', { to: f.to });
    return qb.orderBy('e.seq', 'DESC').take(f.limit).skip(f.offset).getManyAndCount();
  }

  /** The whole chain in order, a batch at a time (for verify). */
  async batchAfter(seq: string, size: number): Promise<AuditEvent[]> {
    return this.tx.manager
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.seq > :seq', { seq })
      .orderBy('e.seq', 'ASC')
      .take(size)
      .getMany();
  }

  /** Name and e-mail of these users (users are not tenant data: the caller passes ids read from one institution's events). */
  people(userIds: string[]): Promise<Array<Pick<User, 'id' | 'email' | 'displayName'>>> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.tx.manager.getRepository(User).find({ select: { id: true, email: true, displayName: true }, where: { id: In(userIds) } });
  }
}
