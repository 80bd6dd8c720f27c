import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two facts about a publication's progress that the queue relied on guessing (issue 9):
 * - `sending_at`: when, after its claim, the target passed its channel's rate-window check and went to
 *   the platform. A channel limited to N posts per window counts these as in flight. Counting targets by
 *   claim time instead let two posts out together when their claims committed in the opposite order to
 *   their claim times (failed once in CI).
 * - `person_asked_at`: when reconciliation found that the platform cannot tell whether the post went
 *   out, so a person must settle it. The scheduler's job check leaves these alone instead of looking up
 *   their finished reconcile job every few seconds (and asking the platform again once it expired).
 * Both belong to one claim and are cleared by the next.
 */
export class TargetProgress1764547200000 implements MigrationInterface {
  name = 'TargetProgress1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN sending_at timestamptz, ADD COLUMN person_asked_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets DROP COLUMN sending_at, DROP COLUMN person_asked_at`);
  }
}
