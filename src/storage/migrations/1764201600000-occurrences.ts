import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A recurring post has one target per channel and occurrence. */
export class Occurrences1764201600000 implements MigrationInterface {
  name = 'Occurrences1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN occurrence_at timestamptz`);
    await q.query(`ALTER TABLE publication_targets DROP CONSTRAINT publication_targets_post_id_channel_id_key`);
    await q.query(`CREATE UNIQUE INDEX publication_targets_post_channel_occurrence_key
      ON publication_targets (post_id, channel_id, coalesce(occurrence_at, '-infinity'::timestamptz))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM publication_targets WHERE occurrence_at IS NOT NULL`);
    await q.query(`DROP INDEX publication_targets_post_channel_occurrence_key`);
    await q.query(`ALTER TABLE publication_targets ADD CONSTRAINT publication_targets_post_id_channel_id_key UNIQUE (post_id, channel_id)`);
    await q.query(`ALTER TABLE publication_targets DROP COLUMN occurrence_at`);
  }
}
