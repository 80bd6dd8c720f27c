import { describe, expect, it } from '@jest/globals';
import { simulatedEngagement } from '#src/platforms/sandbox/sandbox-engagement.js';

describe('simulated sandbox engagement', () => {
  const published = new Date('2026-12-01T09:00:00Z');
  const at = (hours: number) => new Date(published.getTime() + hours * 3_600_000);

  it('starts at zero and only grows', () => {
    expect(simulatedEngagement('post-a', published, published)).toEqual({ views: 0, likes: 0, reposts: 0, replies: 0 });
    const series = [1, 6, 24, 168].map((h) => simulatedEngagement('post-a', published, at(h)));
    for (let i = 1; i < series.length; i++) {
      for (const k of ['views', 'likes', 'reposts', 'replies'] as const) expect(series[i]![k]).toBeGreaterThanOrEqual(series[i - 1]![k]);
    }
    expect(series[3]!.views).toBeGreaterThan(series[0]!.views);
  });

  it('is the same for the same post and moment, and differs between posts', () => {
    expect(simulatedEngagement('post-a', published, at(24))).toEqual(simulatedEngagement('post-a', published, at(24)));
    expect(simulatedEngagement('post-a', published, at(24))).not.toEqual(simulatedEngagement('post-b', published, at(24)));
  });
});
