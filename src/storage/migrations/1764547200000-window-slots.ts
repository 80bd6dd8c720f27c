import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a target passed its channel's rate-window check and went to the platform. A channel limited
 * to N posts per window counts these as in flight. Counting targets by claim time instead let two
 * posts out together when their claims committed in the opposite order to their claim times (issue 9:
 * failed once in CI).
 */
export class WindowSlots1764547200000 implements MigrationInterface {
  name = 'WindowSlots1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN sending_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets DROP COLUMN sending_at`);
  }
}
