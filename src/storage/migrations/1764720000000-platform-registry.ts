import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platforms a channel may be on are the registry's (src/platforms/platform-registry.ts), checked
 * by the API when a channel is created (issue 16): a list repeated in a CHECK constraint made adding a
 * platform need a migration too.
 */
export class PlatformRegistry1764720000000 implements MigrationInterface {
  name = 'PlatformRegistry1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels DROP CONSTRAINT IF EXISTS channels_platform_check`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE channels ADD CONSTRAINT channels_platform_check
         CHECK (platform IN ('x', 'mastodon', 'bluesky', 'facebook', 'linkedin', 'telegram', 'sandbox'))`,
    );
  }
}
