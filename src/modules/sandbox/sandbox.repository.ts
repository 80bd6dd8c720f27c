import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { SandboxPost } from '#src/modules/sandbox/sandbox-post.entity.js';
import type { NewSandboxPost, SandboxStore } from '#src/platforms/sandbox/sandbox-store.js';
import { Tx } from '#src/storage/tx.js';

/** The sandbox feed's table: the store the sandbox adapter writes to, and the feed the pages read. */
@Injectable()
export class SandboxRepository implements SandboxStore {
  constructor(private readonly tx: Tx) {}

  async insert(post: NewSandboxPost): Promise<SandboxPost | null> {
    // The idempotency key is unique in the feed, as a platform's would be: a retry finds the first post.
    const inserted: Array<{ id: string }> = await this.tx.manager.query(
      `INSERT INTO sandbox_posts (institution_id, channel_id, idempotency_key, text, thread, media, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        post.institutionId,
        post.channelId,
        post.idempotencyKey,
        post.text,
        JSON.stringify(post.thread),
        JSON.stringify(post.media),
        post.publishedAt,
      ],
    );
    if (inserted.length === 0) return null;
    return this.repo().findOneByOrFail({ id: inserted[0]!.id });
  }

  findByIdempotencyKey(institutionId: string, idempotencyKey: string): Promise<SandboxPost | null> {
    return this.repo().findOneBy({ institutionId, idempotencyKey });
  }

  findByIds(institutionId: string, channelId: string, ids: string[]): Promise<SandboxPost[]> {
    return this.repo().findBy({ institutionId, channelId, id: In(ids) });
  }

  async deleteByIds(institutionId: string, channelId: string, ids: string[]): Promise<void> {
    await this.repo().delete({ institutionId, channelId, id: In(ids) });
  }

  /** One page of a channel's feed, newest first, and how many entries it has. */
  feed(institutionId: string, channelId: string, limit: number, offset: number): Promise<[SandboxPost[], number]> {
    return this.repo().findAndCount({ where: { institutionId, channelId }, order: { publishedAt: 'DESC' }, take: limit, skip: offset });
  }

  private repo() {
    return this.tx.manager.getRepository(SandboxPost);
  }
}
