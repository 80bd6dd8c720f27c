import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The domain of issue 3: partners, campaigns, posts, targets, comments, sessions and the audit trail. */
export class Domain1763942400000 implements MigrationInterface {
  name = 'Domain1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE institutions ADD COLUMN optional_languages text[] NOT NULL DEFAULT '{}'`);

    await q.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        name text NOT NULL,
        website text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (institution_id, name)
      )`);

    await q.query(`ALTER TABLE memberships ADD COLUMN partner_id uuid REFERENCES partners (id) ON DELETE RESTRICT`);
    await q.query(`ALTER TABLE memberships ADD CONSTRAINT memberships_contributor_partner
      CHECK ((role = 'contributor') = (partner_id IS NOT NULL))`);

    await q.query(`ALTER TABLE channels ADD COLUMN credentials_key_id text`);

    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        title text NOT NULL,
        goal text NOT NULL DEFAULT '',
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        target_audiences text[] NOT NULL DEFAULT '{}',
        hashtags text[] NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX campaigns_institution_idx ON campaigns (institution_id, starts_on)`);
    await q.query(`
      CREATE TABLE campaign_partners (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        partner_id uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
        PRIMARY KEY (campaign_id, partner_id)
      )`);
    await q.query(`CREATE INDEX campaign_partners_partner_idx ON campaign_partners (partner_id)`);

    await q.query(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'in_review', 'approved', 'rejected', 'cancelled')),
        revision integer NOT NULL DEFAULT 1,
        variants jsonb NOT NULL DEFAULT '[]',
        channel_overrides jsonb NOT NULL DEFAULT '[]',
        media jsonb NOT NULL DEFAULT '[]',
        scheduled_at timestamptz,
        time_zone text,
        recurrence text,
        rejection_reason text,
        created_by uuid NOT NULL REFERENCES users (id),
        approved_by uuid REFERENCES users (id),
        approved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX posts_institution_idx ON posts (institution_id, scheduled_at)`);
    await q.query(`CREATE INDEX posts_campaign_idx ON posts (campaign_id)`);
    await q.query(`
      CREATE TABLE post_authors (
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        PRIMARY KEY (post_id, user_id)
      )`);

    await q.query(`
      CREATE TABLE publication_targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'rejected',
          'scheduled', 'queued', 'publishing', 'published', 'unconfirmed', 'held', 'failed', 'cancelled')),
        revision integer NOT NULL DEFAULT 1,
        scheduled_at timestamptz,
        external_id text,
        external_url text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (post_id, channel_id)
      )`);
    await q.query(`CREATE INDEX publication_targets_channel_idx ON publication_targets (channel_id)`);

    await q.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        author_id uuid NOT NULL REFERENCES users (id),
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX comments_post_idx ON comments (post_id, created_at)`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);

    await q.query(`
      CREATE TABLE audit_events (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        institution_id uuid REFERENCES institutions (id) ON DELETE RESTRICT,
        actor_id uuid REFERENCES users (id) ON DELETE RESTRICT,
        action text NOT NULL,
        target_type text,
        target_id text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_events_institution_idx ON audit_events (institution_id, seq)`);
    // History cannot be rewritten through SQL either: no UPDATE, DELETE or TRUNCATE.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only`);
    for (const t of ['sessions', 'comments', 'publication_targets', 'post_authors', 'posts', 'campaign_partners', 'campaigns']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`ALTER TABLE channels DROP COLUMN credentials_key_id`);
    await q.query(`ALTER TABLE memberships DROP CONSTRAINT memberships_contributor_partner`);
    await q.query(`ALTER TABLE memberships DROP COLUMN partner_id`);
    await q.query(`DROP TABLE partners`);
    await q.query(`ALTER TABLE institutions DROP COLUMN optional_languages`);
  }
}
