import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engagement over time (issue 6). `metric_snapshots` is append only: one row per target and
 * collection. Two rollups are kept by a statement-level trigger as snapshots arrive, so reports
 * never scan raw snapshots: `engagement_latest` (the newest values per target) and
 * `engagement_daily` (the last values of each UTC day per target, for "as of" a past date).
 * Counters are cumulative on every platform, so the newest snapshot is the engagement so far.
 */
export class Engagement1764374400000 implements MigrationInterface {
  name = 'Engagement1764374400000';

  async up(q: QueryRunner): Promise<void> {
    // When each published target's engagement is next due (null: collection has stopped).
    await q.query(`ALTER TABLE publication_targets ADD COLUMN metrics_next_at timestamptz`);
    await q.query(
      `CREATE INDEX publication_targets_metrics_due_idx ON publication_targets (metrics_next_at) WHERE metrics_next_at IS NOT NULL`,
    );
    // Reports read one institution's publications of a period (withdrawn ones too).
    await q.query(
      `CREATE INDEX publication_targets_institution_published_idx ON publication_targets (institution_id, published_at) WHERE published_at IS NOT NULL`,
    );
    // A platform's rate limit or refusal of metrics calls pauses collection only, never publishing.
    await q.query(`ALTER TABLE channels ADD COLUMN metrics_paused_until timestamptz, ADD COLUMN metrics_last_error text`);
    const metrics = `likes integer, reposts integer, replies integer, quotes integer, impressions bigint, clicks integer`;
    await q.query(`
      CREATE TABLE metric_snapshots (
        target_id uuid NOT NULL REFERENCES publication_targets (id) ON DELETE CASCADE,
        institution_id uuid NOT NULL,
        collected_at timestamptz NOT NULL,
        ${metrics},
        PRIMARY KEY (target_id, collected_at)
      )`);
    // Time-ordered appends: a BRIN index finds a period for a few pages of index.
    await q.query(`CREATE INDEX metric_snapshots_collected_brin ON metric_snapshots USING brin (collected_at)`);
    await q.query(`
      CREATE TABLE engagement_latest (
        target_id uuid PRIMARY KEY REFERENCES publication_targets (id) ON DELETE CASCADE,
        institution_id uuid NOT NULL,
        collected_at timestamptz NOT NULL,
        ${metrics}
      )`);
    await q.query(`CREATE INDEX engagement_latest_institution_idx ON engagement_latest (institution_id)`);
    await q.query(`
      CREATE TABLE engagement_daily (
        target_id uuid NOT NULL REFERENCES publication_targets (id) ON DELETE CASCADE,
        day date NOT NULL,
        institution_id uuid NOT NULL,
        collected_at timestamptz NOT NULL,
        ${metrics},
        PRIMARY KEY (target_id, day)
      )`);
    await q.query(`CREATE INDEX engagement_daily_institution_idx ON engagement_daily (institution_id, day)`);
    const cols = 'likes, reposts, replies, quotes, impressions, clicks';
    const set = cols
      .split(', ')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    await q.query(`
      CREATE FUNCTION metric_snapshots_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO engagement_latest AS l (target_id, institution_id, collected_at, ${cols})
          SELECT DISTINCT ON (target_id) target_id, institution_id, collected_at, ${cols}
            FROM new_rows ORDER BY target_id, collected_at DESC
        ON CONFLICT (target_id) DO UPDATE SET collected_at = EXCLUDED.collected_at, ${set}
          WHERE l.collected_at <= EXCLUDED.collected_at;
        INSERT INTO engagement_daily AS d (target_id, day, institution_id, collected_at, ${cols})
          SELECT DISTINCT ON (target_id, (collected_at AT TIME ZONE 'UTC')::date)
                 target_id, (collected_at AT TIME ZONE 'UTC')::date, institution_id, collected_at, ${cols}
            FROM new_rows ORDER BY target_id, (collected_at AT TIME ZONE 'UTC')::date, collected_at DESC
        ON CONFLICT (target_id, day) DO UPDATE SET collected_at = EXCLUDED.collected_at, ${set}
          WHERE d.collected_at <= EXCLUDED.collected_at;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER metric_snapshots_rollup AFTER INSERT ON metric_snapshots
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_snapshots_rollup()`);
    // Snapshots are a record: never rewritten (deleting a target's snapshots goes with the target).
    await q.query(`
      CREATE FUNCTION metric_snapshots_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'metric_snapshots is append only'; END $$`);
    await q.query(
      `CREATE TRIGGER metric_snapshots_append_only BEFORE UPDATE ON metric_snapshots FOR EACH ROW EXECUTE FUNCTION metric_snapshots_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engagement_daily`);
    await q.query(`DROP TABLE engagement_latest`);
    await q.query(`DROP TABLE metric_snapshots`);
    await q.query(`DROP FUNCTION metric_snapshots_rollup()`);
    await q.query(`DROP FUNCTION metric_snapshots_append_only()`);
    await q.query(`ALTER TABLE channels DROP COLUMN metrics_paused_until, DROP COLUMN metrics_last_error`);
    await q.query(`DROP INDEX publication_targets_metrics_due_idx`);
    await q.query(`DROP INDEX publication_targets_institution_published_idx`);
    await q.query(`ALTER TABLE publication_targets DROP COLUMN metrics_next_at`);
  }
}
