import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { HoldKind, TargetStatus } from '#src/modules/publishing/target-transitions.js';

/** One post on one channel, with its own state. */
@Entity({ name: 'publication_targets' })
export class PublicationTarget {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: TargetStatus;

  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt!: Date | null;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ name: 'external_url', type: 'text', nullable: true })
  externalUrl!: string | null;

  /** Every part on the platform so far, first part first (a thread's replies after it): a retry resumes after them. */
  @Column({ name: 'external_parts', type: 'jsonb', default: () => "'[]'" })
  externalParts!: Array<{ externalId: string; url: string | null }>;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Publish attempts made (each claim counts one). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  /** When a worker took it for publishing: a target left `publishing` was in flight. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  /** When, after this claim, it passed its channel's rate-window check and went to the platform. */
  @Column({ name: 'sending_at', type: 'timestamptz', nullable: true })
  sendingAt!: Date | null;

  /** When, after this claim, reconciliation found the platform cannot tell: a person must settle it. */
  @Column({ name: 'person_asked_at', type: 'timestamptz', nullable: true })
  personAskedAt!: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** When a person took the published post down from the platform again (the record stays). */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  /** When its engagement is next collected; null once collection has stopped (or before publication). */
  @Column({ name: 'metrics_next_at', type: 'timestamptz', nullable: true })
  metricsNextAt!: Date | null;

  /** For a recurring post: which occurrence this target publishes (null: the post itself). */
  @Column({ name: 'occurrence_at', type: 'timestamptz', nullable: true })
  occurrenceAt!: Date | null;

  /** Why a `held` target waits: the kill switch, a blackout window or its channel (null unless held). */
  @Column({ name: 'hold_kind', type: 'text', nullable: true })
  holdKind!: HoldKind | null;

  /** What holds it: the blackout window's or the channel's id (null for the kill switch). */
  @Column({ name: 'hold_ref', type: 'text', nullable: true })
  holdRef!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
