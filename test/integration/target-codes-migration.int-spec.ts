import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TargetCodes1764633600000 } from '#src/storage/migrations/1764633600000-target-codes.js';
import { Factories, openTestDatabase, type TestDatabase } from '#test/factories/index.js';

/**
 * The migration that turned stored English into codes (issue 16), run on rows written the old way:
 * the database is taken back one migration, given holds and events as the old code wrote them,
 * and migrated again.
 */
describe('migration TargetCodes: stored sentences become codes', () => {
  let db: TestDatabase;
  let f: Factories;

  beforeAll(async () => {
    db = await openTestDatabase();
    f = new Factories(db.dataSource);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('converts hold reasons to a kind and a reference, and outcomes to codes with their parameters', async () => {
    const institution = await f.institution();
    const channel = await f.channel(institution);
    const post = await f.post(institution, { status: 'approved' });
    const window = await f.channel(institution); // any id that is not the channel's: stands for a blackout window
    const [byBlackout, bySuspension, byChannel] = [
      await f.target(post, channel, { status: 'held' }),
      await f.target(await f.post(institution, { status: 'approved' }), channel, { status: 'held' }),
      await f.target(await f.post(institution, { status: 'approved' }), channel, { status: 'held' }),
    ];
    const sql = (q: string, p: unknown[] = []) => db.dataSource.query(q, p);
    const runner = db.dataSource.createQueryRunner();
    const migration = new TargetCodes1764633600000();
    try {
      await migration.down(runner);
      await sql(`DELETE FROM target_events WHERE institution_id = $1`, [institution.id]);
      const hold = (id: string, reason: string) => sql(`UPDATE publication_targets SET hold_reason = $2 WHERE id = $1`, [id, reason]);
      await hold(byBlackout.id, `blackout ${window.id}: Doliu național`);
      await hold(bySuspension.id, 'publishing suspended: ordered by the prefect');
      await hold(byChannel.id, 'channel Primăria on Mastodon is needs_reconnect');
      const outcomes = [
        'due soon: queued',
        'claimed for publishing',
        'published (3 parts)',
        `platform rate limit until 2026-06-15T08:00:00.000Z`,
        'gave up after 5 temporary failures',
        'reconciled: the platform has part 2; sending the rest',
        'withdrawn from the platform: Data greșită: urmează o corectură',
        'the platform cannot tell whether it went out: a person must check (no search API)',
        `window created: blackout ${window.id}: Doliu național`,
        'something a version before these codes wrote',
      ];
      for (const [i, outcome] of outcomes.entries())
        await sql(
          `INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome) VALUES ($1, $2, $3, 1, NULL, 'queued', $4)`,
          [byBlackout.id, institution.id, new Date(Date.UTC(2026, 5, 15, 8, 0, i)), outcome],
        );
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    const holds = await sql(`SELECT id, hold_kind, hold_ref FROM publication_targets WHERE institution_id = $1 AND status = 'held'`, [
      institution.id,
    ]);
    const holdOf = (id: string) => holds.find((h: { id: string }) => h.id === id);
    expect(holdOf(byBlackout.id)).toMatchObject({ hold_kind: 'blackout', hold_ref: window.id });
    expect(holdOf(bySuspension.id)).toMatchObject({ hold_kind: 'suspension', hold_ref: null });
    expect(holdOf(byChannel.id)).toMatchObject({ hold_kind: 'channel', hold_ref: channel.id });

    const events = await sql(`SELECT outcome, params FROM target_events WHERE target_id = $1 ORDER BY at`, [byBlackout.id]);
    expect(events).toEqual([
      { outcome: 'due', params: {} },
      { outcome: 'claimed', params: {} },
      { outcome: 'published', params: { parts: 3 } },
      { outcome: 'platform_rate_limit', params: { until: '2026-06-15T08:00:00.000Z' } },
      { outcome: 'gave_up', params: { attempts: 5 } },
      { outcome: 'reconciled_partial', params: { part: 2 } },
      { outcome: 'withdrawn', params: { reason: 'Data greșită: urmează o corectură' } },
      { outcome: 'person_asked', params: { reason: 'no search API' } },
      { outcome: 'blackout_created', params: { blackoutId: window.id } },
      { outcome: 'legacy', params: { text: 'something a version before these codes wrote' } },
    ]);
  });
});
