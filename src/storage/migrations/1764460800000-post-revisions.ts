import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Earlier versions of a post (issue 7, the review's revision diff). A snapshot of the content
 * (texts, thread parts, image alt texts, channels, schedule) is recorded when a post is submitted
 * for review and when it is approved or rejected, so a reviewer sees what changed since the version
 * last reviewed. Append only: a snapshot is a record and is never rewritten.
 */
export class PostRevisions1764460800000 implements MigrationInterface {
  name = 'PostRevisions1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE post_revisions (
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        revision integer NOT NULL CHECK (revision > 0),
        institution_id uuid NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
        event text NOT NULL CHECK (event IN ('submitted', 'approved', 'rejected')),
        content jsonb NOT NULL,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users (id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, revision)
      )`);
    await q.query(`CREATE INDEX post_revisions_institution_idx ON post_revisions (institution_id)`);
    await q.query(`
      CREATE FUNCTION post_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'post_revisions is append only'; END $$`);
    await q.query(
      `CREATE TRIGGER post_revisions_append_only BEFORE UPDATE ON post_revisions FOR EACH ROW EXECUTE FUNCTION post_revisions_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE post_revisions`);
    await q.query(`DROP FUNCTION post_revisions_append_only()`);
  }
}
