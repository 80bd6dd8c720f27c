import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SandboxStoredPost } from '#src/platforms/sandbox/sandbox-store.js';

/** What the sandbox platform "published": CivicPost's own feed, for demos and training. */
@Entity({ name: 'sandbox_posts' })
export class SandboxPost implements SandboxStoredPost {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  thread!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  media!: unknown[];

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
