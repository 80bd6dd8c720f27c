import { Injectable } from '@nestjs/common';
import { Clock } from '#src/common/clock.js';
import { notFound } from '#src/common/domain-error.js';
import type { Principal } from '#src/modules/access/principal.js';
import { ChannelsService, type ChannelView } from '#src/modules/channels/channels.service.js';
import type { SandboxPost } from '#src/modules/sandbox/sandbox-post.entity.js';
import { SandboxRepository } from '#src/modules/sandbox/sandbox.repository.js';
import { simulatedEngagement, type Engagement } from '#src/platforms/sandbox/sandbox-engagement.js';

export type SandboxFeedItem = SandboxPost & { engagement: Engagement };

/** The sandbox feed: what a training channel "published", read by the API and the staff pages. */
@Injectable()
export class SandboxService {
  constructor(
    private readonly repo: SandboxRepository,
    private readonly channels: ChannelsService,
    private readonly clock: Clock,
  ) {}

  /**
   * A page of a sandbox channel's feed, newest first, each post with its simulated engagement now.
   * The caller must be able to read the channel; any other platform's channel has no feed (404).
   */
  async feed(
    p: Principal,
    institutionId: string,
    channelId: string,
    limit: number,
    offset: number,
  ): Promise<{ channel: ChannelView; items: SandboxFeedItem[]; total: number }> {
    const channel = await this.channels.get(p, institutionId, channelId);
    if (channel.platform !== 'sandbox') throw notFound('sandbox feed');
    const [posts, total] = await this.repo.feed(institutionId, channelId, limit, offset);
    const now = this.clock.now();
    return { channel, items: posts.map((i) => ({ ...i, engagement: simulatedEngagement(i.id, i.publishedAt, now) })), total };
  }
}
