import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutcomeCode, OutcomeParams } from '#src/modules/publishing/target-transitions.js';

/**
 * One transition of a publication target: when, which attempt, what caused it (a code from the
 * transition table, with its parameters, translated when shown), the platform's own error.
 */
@Entity({ name: 'target_events' })
export class TargetEvent {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' })
  id!: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ type: 'text' })
  outcome!: OutcomeCode;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params!: OutcomeParams;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}

/** What the sandbox platform "published": CivicPost's own feed, for demos and training. */
@Entity({ name: 'sandbox_posts' })
export class SandboxPost {
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
