import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 4: the publishing pipeline's state, its history, the kill switch and the sandbox feed. */
export class Publishing1764028800000 implements MigrationInterface {
  name = 'Publishing1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institutions ADD COLUMN suspended_at timestamptz, ADD COLUMN suspension_reason text`);
    await q.query(`ALTER TABLE channels
      ADD COLUMN rate_limit_posts integer CHECK (rate_limit_posts > 0),
      ADD COLUMN rate_limit_window_seconds integer CHECK (rate_limit_window_seconds > 0),
      ADD COLUMN rate_limited_until timestamptz`);
    await q.query(`ALTER TABLE publication_targets
      ADD COLUMN attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN queued_at timestamptz,
      ADD COLUMN claimed_at timestamptz,
      ADD COLUMN published_at timestamptz,
      ADD COLUMN hold_reason text`);
    await q.query(`CREATE INDEX publication_targets_due_idx ON publication_targets (status, scheduled_at)
      WHERE status IN ('scheduled', 'queued', 'publishing', 'unconfirmed')`);
    await q.query(`CREATE INDEX publication_targets_channel_published_idx ON publication_targets (channel_id, published_at)
      WHERE status = 'published'`);
    await q.query(`
      CREATE TABLE target_events (
        id bigserial PRIMARY KEY,
        target_id uuid NOT NULL REFERENCES publication_targets (id) ON DELETE CASCADE,
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        attempt integer NOT NULL,
        from_status text,
        to_status text NOT NULL,
        outcome text NOT NULL,
        error text
      )`);
    await q.query(`CREATE INDEX target_events_target_idx ON target_events (target_id, id)`);
    await q.query(`
      CREATE TABLE sandbox_posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        idempotency_key text NOT NULL UNIQUE,
        text text NOT NULL,
        thread jsonb NOT NULL DEFAULT '[]',
        media jsonb NOT NULL DEFAULT '[]',
        published_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sandbox_posts_channel_idx ON sandbox_posts (channel_id, published_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sandbox_posts`);
    await q.query(`DROP TABLE target_events`);
    await q.query(`DROP INDEX publication_targets_channel_published_idx`);
    await q.query(`DROP INDEX publication_targets_due_idx`);
    await q.query(`ALTER TABLE publication_targets DROP COLUMN attempts, DROP COLUMN queued_at, DROP COLUMN claimed_at,
      DROP COLUMN published_at, DROP COLUMN hold_reason`);
    await q.query(
      `ALTER TABLE channels DROP COLUMN rate_limit_posts, DROP COLUMN rate_limit_window_seconds, DROP COLUMN rate_limited_until`,
    );
    await q.query(`ALTER TABLE institutions DROP COLUMN suspended_at, DROP COLUMN suspension_reason`);
  }
}
