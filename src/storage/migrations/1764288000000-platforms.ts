import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Real platforms (issue 5): the parts of a thread already on the platform, so an interrupted
 * thread resumes instead of starting again; publications withdrawn from the platform; uploaded
 * images, stored under DATA_DIR.
 */
export class Platforms1764288000000 implements MigrationInterface {
  name = 'Platforms1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE publication_targets ADD COLUMN external_parts jsonb NOT NULL DEFAULT '[]'`);
    // A published post taken down again (a correction): the record stays, with when.
    await q.query(`ALTER TABLE publication_targets ADD COLUMN withdrawn_at timestamptz`);
    await q.query(`ALTER TABLE publication_targets DROP CONSTRAINT publication_targets_status_check`);
    await q.query(`ALTER TABLE publication_targets ADD CONSTRAINT publication_targets_status_check CHECK (status IN ('draft', 'in_review', 'approved',
      'rejected', 'scheduled', 'queued', 'publishing', 'published', 'unconfirmed', 'held', 'failed', 'cancelled', 'withdrawn'))`);
    await q.query(`
      CREATE TABLE media_assets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        mime_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        width integer,
        height integer,
        sha256 text NOT NULL,
        file_name text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX media_assets_institution_idx ON media_assets (institution_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_assets`);
    await q.query(`UPDATE publication_targets SET status = 'published' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE publication_targets DROP CONSTRAINT publication_targets_status_check`);
    await q.query(`ALTER TABLE publication_targets ADD CONSTRAINT publication_targets_status_check CHECK (status IN ('draft', 'in_review', 'approved',
      'rejected', 'scheduled', 'queued', 'publishing', 'published', 'unconfirmed', 'held', 'failed', 'cancelled'))`);
    await q.query(`ALTER TABLE publication_targets DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE publication_targets DROP COLUMN external_parts`);
  }
}
