import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Codes instead of prose in a publication target's stored state (issue 16):
 * - a hold is a kind (`blackout`, `suspension`, `channel`) and a reference (the window's or the
 *   channel's id), instead of an English sentence parsed back by its prefix;
 * - an event's outcome is a code of the transition table with its parameters, translated when shown.
 * Stored sentences are converted by the patterns the code wrote them with; anything else is kept,
 * word for word, as a `legacy` outcome with its text as a parameter.
 */
export class TargetCodes1764633600000 implements MigrationInterface {
  name = 'TargetCodes1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN hold_kind text, ADD COLUMN hold_ref text`);
    await q.query(
      `UPDATE publication_targets SET
         hold_kind = CASE WHEN hold_reason LIKE 'blackout %' THEN 'blackout'
                          WHEN hold_reason LIKE 'publishing suspended%' THEN 'suspension'
                          ELSE 'channel' END,
         hold_ref = CASE WHEN hold_reason LIKE 'blackout %' THEN substring(hold_reason FROM '^blackout ([0-9a-f-]{36})')
                         WHEN hold_reason LIKE 'publishing suspended%' THEN NULL
                         ELSE channel_id::text END
       WHERE hold_reason IS NOT NULL`,
    );
    await q.query(`ALTER TABLE publication_targets DROP COLUMN hold_reason`);

    await q.query(`ALTER TABLE target_events ADD COLUMN params jsonb NOT NULL DEFAULT '{}'`);
    const exact: Array<[string, string]> = [
      ['due soon: queued', 'due'],
      ['claimed for publishing', 'claimed'],
      ['released: publishing resumed', 'released'],
      ['occurrence of a recurring post', 'occurrence_created'],
      ['post cancelled', 'cancelled'],
      ['approved with its scheduled time', 'scheduled'],
      ['rescheduled', 'rescheduled'],
      ['published', 'published'],
      ['the platform refused the credentials: channel needs reconnecting', 'credentials_refused'],
      ['the platform refused the post', 'post_refused'],
      ['temporary failure: retrying with backoff', 'temporary_failure'],
      ['no clear answer: asking the platform', 'no_clear_answer'],
      ['the platform says it has this post: asking the platform', 'platform_has_it'],
      ['in flight too long (worker gone?): asking the platform', 'in_flight_too_long'],
      ['its job is gone from the queue or ended without an outcome: asking the platform', 'job_lost'],
      ['was in flight when its worker stopped: asking the platform', 'worker_stopped'],
      ['reconciled: the platform has it', 'reconciled_found'],
      ['reconciled: not on the platform, sending again', 'reconciled_absent'],
      ['settled by a person: it is on the platform', 'settled_published'],
      ['settled by a person: that part is on the platform; sending the rest', 'settled_partial'],
      ['settled by a person: it is not on the platform; sending it again', 'settled_not_published'],
    ];
    for (const [text, code] of exact) await q.query(`UPDATE target_events SET outcome = $2 WHERE outcome = $1`, [text, code]);
    // Sentences with values in them: the value becomes a parameter.
    const patterns: Array<[string, string, string]> = [
      ['^published \\((\\d+) parts\\)$', 'published', 'parts'],
      ['^rate limit: waiting until (.+)$', 'channel_rate_limit', 'until'],
      ['^platform rate limit until (.+)$', 'platform_rate_limit', 'until'],
      ['^gave up after (\\d+) temporary failures$', 'gave_up', 'attempts'],
      ['^reconciled: the platform has part (\\d+); sending the rest$', 'reconciled_partial', 'part'],
      ['^withdrawn from the platform: (.*)$', 'withdrawn', 'reason'],
      ['^post is (.+)$', 'post_not_approved', 'postStatus'],
      ['^the platform cannot tell whether it went out: a person must check \\((.*)\\)$', 'person_asked', 'reason'],
      ['^window created: blackout ([0-9a-f-]{36}): .*$', 'blackout_created', 'blackoutId'],
      ['^blackout ([0-9a-f-]{36}): .*$', 'held_blackout', 'blackoutId'],
      ['^publishing suspended: (.*)$', 'held_suspension', 'reason'],
      ['^channel .* is (.+)$', 'held_channel', 'channelStatus'],
    ];
    for (const [re, code, param] of patterns) {
      await q.query(
        `UPDATE target_events SET outcome = $2, params = jsonb_build_object($3::text, substring(outcome FROM $1))
          WHERE outcome ~ $1 AND outcome NOT IN (${exact.map((_, i) => `$${i + 4}`).join(', ')})`,
        [re, code, param, ...exact.map(([, c]) => c)],
      );
    }
    await q.query(
      `UPDATE target_events SET params = params || jsonb_build_object('parts', (params->>'parts')::int) WHERE params ? 'parts'`,
    );
    await q.query(
      `UPDATE target_events SET params = params || jsonb_build_object('attempts', (params->>'attempts')::int) WHERE outcome = 'gave_up'`,
    );
    await q.query(
      `UPDATE target_events SET params = params || jsonb_build_object('part', (params->>'part')::int) WHERE outcome = 'reconciled_partial'`,
    );
    const codes = [...exact.map(([, c]) => c), ...patterns.map(([, c]) => c)];
    await q.query(
      `UPDATE target_events SET params = jsonb_build_object('text', outcome), outcome = 'legacy'
        WHERE outcome <> ALL ($1::text[])`,
      [codes],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN hold_reason text`);
    await q.query(
      `UPDATE publication_targets SET hold_reason = CASE hold_kind WHEN 'blackout' THEN 'blackout ' || hold_ref || ': '
                                                              WHEN 'suspension' THEN 'publishing suspended: '
                                                              ELSE 'channel is needs_reconnect' END
        WHERE hold_kind IS NOT NULL`,
    );
    await q.query(`ALTER TABLE publication_targets DROP COLUMN hold_kind, DROP COLUMN hold_ref`);
    await q.query(`UPDATE target_events SET outcome = params->>'text' WHERE outcome = 'legacy'`);
    await q.query(`ALTER TABLE target_events DROP COLUMN params`);
  }
}
