import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import type { AuditEvent } from '#src/modules/audit/audit-event.entity.js';
import { auditHash, GENESIS_HASH } from '#src/modules/audit/audit-hash.js';
import { AuditRepository, type AuditFilter } from '#src/modules/audit/audit.repository.js';
import { Tx } from '#src/storage/tx.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditInput {
  institutionId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

export type VerifyResult =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; firstBad: { seq: string; id: string; institutionId: string | null; action: string; reason: string } };

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly tx: Tx,
    private readonly clock: Clock,
  ) {}

  /** Appends one event, in the caller's transaction when there is one, so no change goes unrecorded. */
  record(input: AuditInput): Promise<void> {
    return this.tx.run(async () => {
      const prevHash = (await this.repo.lockChain()) ?? GENESIS_HASH;
      const event = {
        id: randomUUID(),
        institutionId: input.institutionId,
        actorId: input.actorId,
        action: input.action,
        targetType: input.targetType ?? null,
        targetId: input.targetId ?? null,
        // As jsonb will give it back (dates as ISO strings, no undefined), so the hash verifies later.
        data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
        createdAt: this.clock.now(),
      };
      await this.repo.insert({ ...event, prevHash, hash: auditHash(prevHash, event) });
    });
  }

  list(institutionId: string, filter: AuditFilter) {
    return this.repo.listForInstitution(institutionId, filter);
  }

  /**
   * The people named by `events` (their actors, and the user a membership event is about) with
   * name and e-mail, also those no longer members, so a trail stays readable after people leave.
   * Only ids found in the given events are looked up.
   */
  async peopleIn(events: Array<Pick<AuditEvent, 'actorId' | 'data'>>): Promise<Map<string, { displayName: string; email: string }>> {
    const ids = new Set<string>();
    for (const e of events) {
      if (e.actorId) ids.add(e.actorId);
      // data is whatever was recorded: only a well-formed id is looked up.
      if (typeof e.data?.userId === 'string' && UUID.test(e.data.userId)) ids.add(e.data.userId);
    }
    const people = await this.repo.people([...ids]);
    return new Map(people.map((u) => [u.id, { displayName: u.displayName, email: u.email }]));
  }

  /**
   * Walks the whole chain and names the first event whose links or hash do not match.
   * With `institutionId`, `events` counts only that institution's events (the chain is shared).
   */
  async verify(institutionId?: string): Promise<VerifyResult> {
    let prev = GENESIS_HASH;
    let seq = '0';
    let events = 0;
    for (;;) {
      const batch = await this.repo.batchAfter(seq, 1000);
      if (batch.length === 0) return { ok: true, events, lastHash: prev };
      for (const e of batch) {
        const reason =
          e.prevHash !== prev
            ? 'its previous-hash link does not match the event before it (an event was removed, added or reordered)'
            : auditHash(prev, e) !== e.hash
              ? 'its content does not match its hash (the event was altered)'
              : undefined;
        if (reason)
          return { ok: false, events, firstBad: { seq: e.seq, id: e.id, institutionId: e.institutionId, action: e.action, reason } };
        prev = e.hash;
        seq = e.seq;
        if (institutionId === undefined || e.institutionId === institutionId) events++;
      }
    }
  }
}
