import { describe, expect, it } from '@jest/globals';
import type { AuditEvent } from '#src/modules/audit/audit-event.entity.js';
import { auditHash, canonicalJson, GENESIS_HASH } from '#src/modules/audit/audit-hash.js';
import type { AuditRepository } from '#src/modules/audit/audit.repository.js';
import { AuditService } from '#src/modules/audit/audit.service.js';
import type { Tx } from '#src/storage/tx.js';
import { fixedClock, UNIT_NOW } from '#test/support/unit.js';

/** A chain of events as the database would hold them. */
function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = {
      seq: String(i),
      id: `00000000-0000-4000-8000-00000000000${i}`,
      institutionId: 'inst',
      actorId: 'user',
      action: `thing.done${i}`,
      targetType: 'post',
      targetId: `p${i}`,
      data: { b: i, a: [1, { z: true, y: null }] },
      createdAt: new Date(Date.UTC(2026, 10, 23, 9, 0, i)),
    };
    const hash = auditHash(prev, e);
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

/** Verify reads the chain through the repository only: serve it from memory. */
function serviceOver(rows: AuditEvent[]): AuditService {
  const repo = {
    batchAfter: async (seq: string, size: number) => rows.filter((r) => Number(r.seq) > Number(seq)).slice(0, size),
  } as unknown as AuditRepository;
  return new AuditService(repo, {} as Tx, fixedClock());
}

describe('audit chain verification', () => {
  it('passes an intact chain', async () => {
    const rows = chain(3);
    expect(await serviceOver(rows).verify()).toEqual({ ok: true, events: 3, lastHash: rows[2]!.hash });
  });

  it('names an altered event', async () => {
    const rows = chain(3);
    rows[1] = { ...rows[1]!, data: { b: 99 } };
    expect(await serviceOver(rows).verify()).toMatchObject({
      ok: false,
      events: 1,
      firstBad: { seq: '2', reason: expect.stringMatching(/altered/) },
    });
  });

  it('names the event after a removed one by its broken link', async () => {
    const rows = chain(3);
    rows.splice(1, 1);
    expect(await serviceOver(rows).verify()).toMatchObject({
      ok: false,
      events: 1,
      firstBad: { seq: '3', reason: expect.stringMatching(/removed, added or reordered/) },
    });
  });

  it('hashes what jsonb gives back: dates as ISO strings', async () => {
    const inserted: Array<Record<string, unknown>> = [];
    const repo = {
      lockChain: async () => undefined,
      insert: async (e: Record<string, unknown>) => void inserted.push(e),
    } as unknown as AuditRepository;
    const tx = { run: <T>(work: () => Promise<T>) => work() } as unknown as Tx;
    await new AuditService(repo, tx, fixedClock()).record({
      institutionId: 'i',
      actorId: 'a',
      action: 'x.y',
      data: { at: new Date('2030-01-01T00:00:00Z'), gone: undefined },
    });
    expect(inserted[0]!.data).toEqual({ at: '2030-01-01T00:00:00.000Z' });
    expect(inserted[0]!.createdAt).toEqual(UNIT_NOW);
  });

  it('does not depend on the key order jsonb gives back', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":2,"f":1}]},"b":1}');
  });

  it('names the people of a page of events: actors and the user a membership event is about, each looked up once', async () => {
    const asked: string[][] = [];
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    const repo = {
      people: async (ids: string[]) => {
        asked.push(ids);
        return [
          { id: a, email: 'a@example.org', displayName: 'A' },
          { id: b, email: 'b@example.org', displayName: 'B' },
        ];
      },
    } as unknown as AuditRepository;
    const people = await new AuditService(repo, {} as Tx, fixedClock()).peopleIn([
      { actorId: a, data: { userId: b } },
      { actorId: a, data: { userId: 'not an id' } },
      { actorId: null, data: {} },
    ]);
    expect(asked).toEqual([[a, b]]);
    expect(people.get(b)).toEqual({ displayName: 'B', email: 'b@example.org' });
  });
});
