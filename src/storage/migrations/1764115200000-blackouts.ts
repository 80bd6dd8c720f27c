import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Blackout windows (election silence, embargo, mourning) and the per-post admin override. */
export class Blackouts1764115200000 implements MigrationInterface {
  name = 'Blackouts1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blackouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        channel_ids uuid[] NOT NULL DEFAULT '{}',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX blackouts_institution_idx ON blackouts (institution_id, ends_at)`);
    await q.query(`ALTER TABLE posts ADD COLUMN blackout_override_reason text, ADD COLUMN blackout_override_by uuid REFERENCES users (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE posts DROP COLUMN blackout_override_reason, DROP COLUMN blackout_override_by`);
    await q.query(`DROP TABLE blackouts`);
  }
}
