import { Column, Entity } from 'typeorm';
import type { ChannelOverride, Post, PostVariant } from '#src/modules/posts/post.entity.js';

export const REVISION_EVENTS = ['submitted', 'approved', 'rejected'] as const;
export type RevisionEvent = (typeof REVISION_EVENTS)[number];

/** What a reviewer reviews: the content of a post at one moment. */
export interface RevisionContent {
  /** The post's own revision number then (raised by an edit after approval). */
  postRevision: number;
  campaignId: string;
  variants: PostVariant[];
  /** The images and their alt texts per language (the image itself by its upload id or address). */
  media: Array<{ mediaId: string | null; url: string; altText: Record<string, string> }>;
  channelIds: string[];
  channelOverrides: ChannelOverride[];
  scheduledAt: string | null;
  timeZone: string | null;
  recurrence: string | null;
}

/**
 * A snapshot of a post's content when it was submitted for review, approved or rejected.
 * Append only (a trigger refuses updates); `revision` counts the snapshots of one post from 1.
 */
@Entity({ name: 'post_revisions' })
export class PostRevision {
  @Column({ name: 'post_id', type: 'uuid', primary: true })
  postId!: string;

  @Column({ type: 'integer', primary: true })
  revision!: number;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ type: 'text' })
  event!: RevisionEvent;

  @Column({ type: 'jsonb' })
  content!: RevisionContent;

  /** A rejection's reason. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

/** The reviewable content of a post as it is now (the same shape as a snapshot, to compare with one). */
export function revisionContent(
  post: Pick<Post, 'revision' | 'campaignId' | 'variants' | 'media' | 'channelOverrides' | 'scheduledAt' | 'timeZone' | 'recurrence'>,
  channelIds: string[],
): RevisionContent {
  return {
    postRevision: post.revision,
    campaignId: post.campaignId,
    variants: post.variants.map((v) => ({ language: v.language, text: v.text, ...(v.thread?.length ? { thread: [...v.thread] } : {}) })),
    media: post.media.map((m) => ({ mediaId: m.mediaId ?? null, url: m.url, altText: { ...m.altText } })),
    channelIds: [...new Set(channelIds)],
    channelOverrides: post.channelOverrides.map((o) => ({ ...o })),
    scheduledAt: post.scheduledAt ? new Date(post.scheduledAt).toISOString() : null,
    timeZone: post.timeZone,
    recurrence: post.recurrence,
  };
}
