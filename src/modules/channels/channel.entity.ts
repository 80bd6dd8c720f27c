import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Platform } from '#src/platforms/platform-registry.js';

// The platform list is the registry's (one descriptor per platform); kept importable from here.
export { PLATFORMS, type Platform } from '#src/platforms/platform-registry.js';

export const CHANNEL_STATUSES = ['active', 'needs_reconnect', 'disabled'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

/** One account of the institution on one platform. */
@Entity({ name: 'channels' })
export class Channel {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ type: 'text' })
  platform!: Platform;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'account_handle', type: 'text', nullable: true })
  accountHandle!: string | null;

  /** AES-256-GCM sealed with CREDENTIALS_KEY; never selected unless asked for. */
  @Column({ name: 'credentials_encrypted', type: 'bytea', nullable: true, select: false })
  credentialsEncrypted!: Buffer | null;

  /** Which CREDENTIALS_KEY sealed them (see credentials-cipher.ts), for rotation. */
  @Column({ name: 'credentials_key_id', type: 'text', nullable: true })
  credentialsKeyId!: string | null;

  /** Non-secret platform settings, such as a Mastodon instance URL. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: Record<string, unknown>;

  @Column({ type: 'text', default: 'active' })
  status!: ChannelStatus;

  /** CivicPost's own limit: at most this many posts per window on this channel. */
  @Column({ name: 'rate_limit_posts', type: 'integer', nullable: true })
  rateLimitPosts!: number | null;

  @Column({ name: 'rate_limit_window_seconds', type: 'integer', nullable: true })
  rateLimitWindowSeconds!: number | null;

  /** The platform's own 429 reset: nothing is sent on this channel before it. */
  @Column({ name: 'rate_limited_until', type: 'timestamptz', nullable: true })
  rateLimitedUntil!: Date | null;

  /** A platform's rate limit (or refusal) of metrics calls pauses collection on this channel, never publishing. */
  @Column({ name: 'metrics_paused_until', type: 'timestamptz', nullable: true })
  metricsPausedUntil!: Date | null;

  @Column({ name: 'metrics_last_error', type: 'text', nullable: true })
  metricsLastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
