import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Channel } from '#src/modules/channels/channel.entity.js';
import type { Institution } from '#src/modules/institutions/institution.entity.js';
import type { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import { TargetEvent } from '#src/modules/publishing/target-event.entity.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { Factories, openTestDatabase, type TestDatabase } from '#test/factories/index.js';

// A chosen instant: the window is computed from the times given to the repository, never the wall clock.
const NOW = new Date('2026-06-15T08:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const HOUR_AGO = minutesAgo(60);

/**
 * The channel rate window and target transitions as the database decides them (one SQL statement
 * each), on real PostgreSQL or embedded storage; the service's use of the answers is unit-tested
 * in src/modules/publishing/publishing.service.spec.ts.
 */
describe('TargetsRepository on a real database', () => {
  let db: TestDatabase;
  let f: Factories;
  let targets: TargetsRepository;

  beforeAll(async () => {
    db = await openTestDatabase();
    f = new Factories(db.dataSource);
    targets = new TargetsRepository(f.tx);
  });
  afterAll(async () => {
    await db?.close();
  });

  /** An institution with one channel and an approved post, and a way to add a target of that channel in a given state. */
  async function channelWithPosts(): Promise<{
    institution: Institution;
    channel: Channel;
    target: (overrides: Partial<PublicationTarget>) => Promise<PublicationTarget>;
  }> {
    const institution = await f.institution();
    const channel = await f.channel(institution, { rateLimitPosts: 2, rateLimitWindowSeconds: 3600 });
    const campaign = await f.campaign(institution);
    const author = (await f.member(institution, { role: 'author' })).user;
    return {
      institution,
      channel,
      target: async (overrides) => {
        const post = await f.post(institution, { status: 'approved', campaignId: campaign.id, createdBy: author.id });
        return f.target(post, channel, overrides);
      },
    };
  }

  const slot = (institution: Institution, channel: Channel, self: PublicationTarget, limit = 2) =>
    f.tx.run(() => targets.takeWindowSlot(institution.id, channel.id, HOUR_AGO, limit, self.id, NOW));

  it('refuses a slot when the window holds the limit, answering the publication times in order', async () => {
    const { institution, channel, target } = await channelWithPosts();
    await target({ status: 'published', publishedAt: minutesAgo(20) });
    await target({ status: 'published', publishedAt: minutesAgo(50) });
    await target({ status: 'published', publishedAt: minutesAgo(61) }); // left the window
    const self = await target({ status: 'publishing', attempts: 1 });
    expect(await slot(institution, channel, self)).toEqual({ taken: false, published: [minutesAgo(50), minutesAgo(20)] });
    // Not taken: the target holds no slot.
    expect((await targets.find(institution.id, self.id))!.sendingAt).toBeNull();
  });

  it('takes a free slot and marks the target as holding it, so the next one counts it', async () => {
    const { institution, channel, target } = await channelWithPosts();
    await target({ status: 'published', publishedAt: minutesAgo(30) });
    const first = await target({ status: 'publishing', attempts: 1 });
    const second = await target({ status: 'publishing', attempts: 1 });
    expect(await slot(institution, channel, first)).toEqual({ taken: true });
    expect((await targets.find(institution.id, first.id))!.sendingAt).toEqual(NOW);
    // One published and one in flight fill a window of two: only the publication has a time to wait for.
    expect(await slot(institution, channel, second)).toEqual({ taken: false, published: [minutesAgo(30)] });
  });

  it('counts only this channel’s publications, and not the asking target itself', async () => {
    const { institution, channel, target } = await channelWithPosts();
    const other = await f.channel(institution);
    const otherPost = await f.post(institution, { status: 'approved' });
    await f.target(otherPost, other, { status: 'published', publishedAt: minutesAgo(5) });
    await f.target(await f.post(institution, { status: 'approved' }), other, { status: 'published', publishedAt: minutesAgo(6) });
    const self = await target({ status: 'publishing', attempts: 1, sendingAt: minutesAgo(1) });
    expect(await slot(institution, channel, self, 1)).toEqual({ taken: true });
  });

  it('moves a target only from the states it is allowed to leave, recording each move', async () => {
    const { institution, target } = await channelWithPosts();
    const t = await target({ status: 'scheduled', scheduledAt: NOW });
    const event = { at: NOW };
    // `claimed` leaves only `queued`: a scheduled target stays where it is.
    expect(await targets.move(institution.id, { targetId: t.id }, 'claimed', event)).toEqual([]);
    expect(await targets.move(institution.id, { targetId: t.id }, 'due', event, { queuedAt: NOW })).toEqual([t.id]);
    // With an attempt count, only that claim moves.
    expect(await targets.move(institution.id, { targetId: t.id, attempts: 3 }, 'cancelled', event)).toEqual([]);
    // A published target is never cancelled, nor a thread with a part on the platform, whatever its state.
    const out = await target({ status: 'published', publishedAt: NOW });
    expect(await targets.move(institution.id, { targetId: out.id }, 'cancelled', event)).toEqual([]);
    const partly = await target({ status: 'failed', externalParts: [{ externalId: 'p1', url: null }], externalId: 'p1' });
    expect(await targets.move(institution.id, { postId: partly.postId, nothingSent: true }, 'cancelled', event)).toEqual([]);
    const unsent = await target({ status: 'failed' });
    expect(await targets.move(institution.id, { postId: unsent.postId, nothingSent: true }, 'cancelled', event)).toEqual([unsent.id]);
    const after = (await targets.find(institution.id, t.id))!;
    expect(after).toMatchObject({ status: 'queued', queuedAt: NOW });
    const events = await db.dataSource.getRepository(TargetEvent).findBy({ institutionId: institution.id, targetId: t.id });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.outcome])).toEqual([
      [null, 'approved', 'added'],
      ['scheduled', 'queued', 'due'],
    ]);
  });

  it('builds a member, channel, post and target that belong together', async () => {
    const institution = await f.institution({ timeZone: 'Europe/Bucharest', languages: ['ro'] });
    const { user, membership } = await f.member(institution, { role: 'editor' });
    const channel = await f.channel(institution, { platform: 'sandbox', displayName: 'Feed' });
    const post = await f.post(institution, { createdBy: user.id });
    const t = await f.target(post, channel, { status: 'queued', attempts: 2 });
    expect(membership).toMatchObject({ institutionId: institution.id, userId: user.id, role: 'editor' });
    expect(await f.posts.authors(post.id)).toEqual([user.id]);
    expect(await f.targets.listForPosts(institution.id, [post.id])).toEqual([
      expect.objectContaining({ id: t.id, channelId: channel.id, status: 'queued', attempts: 2 }),
    ]);
  });
});
