import { createHash } from 'node:crypto';

export interface Engagement {
  likes: number;
  reposts: number;
  replies: number;
  views: number;
}

/**
 * Simulated engagement of a sandbox post: grows quickly in the first hours and
 * slowly after, like real posts, and is the same every time it is asked for
 * the same post at the same moment (a hash of the post id sets its "appeal").
 */
export function simulatedEngagement(postId: string, publishedAt: Date, now: Date): Engagement {
  const hours = Math.max(0, (now.getTime() - publishedAt.getTime()) / 3_600_000);
  const appeal = createHash('sha256').update(postId).digest().readUInt16BE(0) / 65_535; // 0..1
  const growth = Math.log1p(hours * 4); // 0 at publication, ~4.6 after a day, ~6.5 after a week
  const views = Math.floor((50 + 950 * appeal) * growth);
  return {
    views,
    likes: Math.floor(views * (0.02 + 0.05 * appeal)),
    reposts: Math.floor(views * 0.004 * (0.5 + appeal)),
    replies: Math.floor(views * 0.002 * (0.5 + appeal)),
  };
}
