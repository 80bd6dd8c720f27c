import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const POST_STATUSES = ['draft', 'in_review', 'approved', 'rejected', 'cancelled'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** The text of the post in one language; `thread` holds the parts after the first. */
export interface PostVariant {
  language: string;
  text: string;
  thread?: string[];
}

/** Replaces a variant's text on one channel (for one language, or all when language is null). */
export interface ChannelOverride {
  channelId: string;
  language: string | null;
  text: string;
}

export interface PostMedia {
  /** An image uploaded to CivicPost (POST .../media); what real platforms publish. */
  mediaId?: string;
  /** Where the image can be seen: the upload's content URL, or an outside address (sandbox only). */
  url: string;
  mimeType?: string;
  /** Alt text per language (public bodies must publish accessibly). */
  altText: Record<string, string>;
}

@Entity({ name: 'posts' })
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'text', default: 'draft' })
  status!: PostStatus;

  /** Raised by every edit after approval, which sends the post back to review. */
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  variants!: PostVariant[];

  @Column({ name: 'channel_overrides', type: 'jsonb', default: () => "'[]'" })
  channelOverrides!: ChannelOverride[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  media!: PostMedia[];

  /** The instant; `timeZone` is the IANA zone it was written in. */
  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt!: Date | null;

  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone!: string | null;

  /** RFC 5545 RRULE, or null for a single publication. */
  @Column({ type: 'text', nullable: true })
  recurrence!: string | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  /** An admin's recorded reason to publish this post inside blackout windows (emergency information). */
  @Column({ name: 'blackout_override_reason', type: 'text', nullable: true })
  blackoutOverrideReason!: string | null;

  @Column({ name: 'blackout_override_by', type: 'uuid', nullable: true })
  blackoutOverrideBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Everyone who wrote or edited a post: none of them may approve it. */
@Entity({ name: 'post_authors' })
export class PostAuthor {
  @Column({ name: 'post_id', type: 'uuid', primary: true })
  postId!: string;

  @Column({ name: 'user_id', type: 'uuid', primary: true })
  userId!: string;
}

/** Review discussion on a post. */
@Entity({ name: 'comments' })
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId!: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
