import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { coveringBlackoutSql } from '#src/modules/blackouts/blackouts.repository.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Post, PublicationTarget, type TargetStatus } from '#src/modules/posts/post.entity.js';
import { TargetEvent } from '#src/modules/publishing/target-event.entity.js';
import { hydrate, selectColumns, setClause } from '#src/storage/raw-rows.js';
import { Tx } from '#src/storage/tx.js';

export interface DueTarget {
  institutionId: string;
  targetId: string;
  revision: number;
  attempts: number;
  scheduledAt: Date;
}

/** A target just claimed for publishing, with what its job needs. */
export interface ClaimedTarget {
  target: PublicationTarget;
  post: Post;
  channel: Channel;
  institution: Institution;
  /** A blackout window covering the claim's time on this channel (none when the post overrides them). */
  blackoutId: string | null;
}

export interface EventInput {
  outcome: string;
  error?: string | null;
  at: Date;
}

/** The publishing pipeline's reads and conditional writes on publication targets. */
@Injectable()
export class TargetsRepository {
  constructor(private readonly tx: Tx) {}

  private get targets() {
    return this.tx.manager.getRepository(PublicationTarget);
  }

  /**
   * scheduled -> queued for every target due before `until`, each with its event, in one statement;
   * returns them. Across institutions: the scheduler's job.
   */
  async promoteDue(until: Date, now: Date, limit: number): Promise<DueTarget[]> {
    const rows: DueRow[] = await this.tx.manager.query(
      `WITH moved AS (
         UPDATE publication_targets SET status = 'queued', queued_at = $2, updated_at = $2
          WHERE id IN (SELECT id FROM publication_targets WHERE status = 'scheduled' AND scheduled_at <= $1
                       ORDER BY scheduled_at LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING institution_id, id, revision, attempts, scheduled_at),
       event AS (
         INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, at)
         SELECT institution_id, id, attempts, 'scheduled', 'queued', 'due soon: queued', $2 FROM moved)
       SELECT * FROM moved`,
      [until, now, limit],
    );
    return rows.map(toDue);
  }

  /** Queued targets due before `until` that were queued before `queuedBefore`: their jobs may have been lost. */
  async queuedLongAgo(until: Date, queuedBefore: Date, limit: number): Promise<DueTarget[]> {
    const rows: DueRow[] = await this.tx.manager.query(
      `SELECT institution_id, id, revision, attempts, scheduled_at FROM publication_targets
        WHERE status = 'queued' AND scheduled_at <= $1 AND queued_at < $2 ORDER BY scheduled_at LIMIT $3`,
      [until, queuedBefore, limit],
    );
    return rows.map(toDue);
  }

  /** Targets claimed before `claimedBefore` and still publishing: their worker is gone. */
  async publishingSince(claimedBefore: Date, limit: number): Promise<DueTarget[]> {
    const rows: DueRow[] = await this.tx.manager.query(
      `SELECT institution_id, id, revision, attempts, scheduled_at FROM publication_targets
        WHERE status = 'publishing' AND claimed_at < $1 ORDER BY claimed_at LIMIT $2`,
      [claimedBefore, limit],
    );
    return rows.map(toDue);
  }

  /** Targets `unconfirmed` since before `since` and not waiting for a person: each should have a reconcile job. */
  async unconfirmedSince(since: Date, limit: number): Promise<DueTarget[]> {
    const rows: DueRow[] = await this.tx.manager.query(
      `SELECT institution_id, id, revision, attempts, scheduled_at FROM publication_targets
        WHERE status = 'unconfirmed' AND person_asked_at IS NULL AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [since, limit],
    );
    return rows.map(toDue);
  }

  find(institutionId: string, targetId: string): Promise<PublicationTarget | null> {
    return this.targets.findOneBy({ institutionId, id: targetId });
  }

  /**
   * queued -> publishing, only for this revision and attempt count: the one claim
   * that allows a platform call. A job added for an earlier state claims nothing.
   * One statement claims, records the event, and reads what the job needs (post,
   * channel with its credentials, institution, and a blackout window covering now
   * unless the post overrides them): the publish path's cost is its round trips.
   */
  async claim(institutionId: string, targetId: string, revision: number, attempts: number, now: Date): Promise<ClaimedTarget | null> {
    const m = this.tx.manager;
    this.claimSql ??= `WITH claimed AS (
         UPDATE publication_targets SET status = 'publishing', attempts = attempts + 1, claimed_at = $4, sending_at = NULL, person_asked_at = NULL, updated_at = $4
          WHERE institution_id = $1 AND id = $2 AND revision = $3 AND attempts = $5 AND status = 'queued' RETURNING *),
       event AS (
         INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, at)
         SELECT institution_id, id, attempts, 'queued', 'publishing', 'claimed for publishing', $4 FROM claimed)
       SELECT ${selectColumns(m, PublicationTarget, 't')}, ${selectColumns(m, Post, 'p')}, ${selectColumns(m, Channel, 'c')}, ${selectColumns(m, Institution, 'i')},
              CASE WHEN p.blackout_override_reason IS NULL THEN ${coveringBlackoutSql('$1', 't.channel_id', '$4')} END AS blackout_id
         FROM claimed t
         JOIN posts p ON p.institution_id = t.institution_id AND p.id = t.post_id
         JOIN channels c ON c.institution_id = t.institution_id AND c.id = t.channel_id
         JOIN institutions i ON i.id = t.institution_id`;
    const rows: Array<Record<string, unknown>> = await m.query(this.claimSql, [institutionId, targetId, revision, now, attempts]);
    const row = rows[0];
    if (!row) return null;
    return {
      target: hydrate(m, PublicationTarget, row, 't'),
      post: hydrate(m, Post, row, 'p'),
      channel: hydrate(m, Channel, row, 'c'),
      institution: hydrate(m, Institution, row, 'i'),
      blackoutId: (row.blackout_id as string | null) ?? null,
    };
  }
  private claimSql?: string;

  /**
   * Moves a target from one of `from` to `to` if it is still there, recording the
   * transition. Returns false when someone else moved it first. One statement: the
   * row is locked first, so a concurrent move (the scheduler queueing it) is waited
   * for and seen, not raced, and the event names the state it really left. With
   * `attempts`, only that claim is moved, not a newer one.
   */
  async transition(
    institutionId: string,
    targetId: string,
    from: TargetStatus[],
    to: TargetStatus,
    event: EventInput,
    patch: Partial<PublicationTarget> = {},
    attempts?: number,
  ): Promise<boolean> {
    const m = this.tx.manager;
    const set = setClause(m, PublicationTarget, { ...patch, status: to, updatedAt: event.at }, 9);
    const rows: unknown[] = await m.query(
      `WITH before AS (
         SELECT id, status, attempts FROM publication_targets
          WHERE institution_id = $1 AND id = $2 AND status = ANY ($3::text[]) AND ($8::int IS NULL OR attempts = $8) FOR UPDATE),
       moved AS (
         UPDATE publication_targets t SET ${set.sql} FROM before
          WHERE t.institution_id = $1 AND t.id = before.id
          RETURNING before.status AS from_status, before.attempts)
       INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, error, at)
       SELECT $1, $2, attempts, from_status, $4, $5, $6, $7 FROM moved
       RETURNING id`,
      [institutionId, targetId, from, to, event.outcome, event.error ?? null, event.at, attempts ?? null, ...set.params],
    );
    return rows.length > 0;
  }

  /** The parts of a publication on the platform so far, while it is being published. */
  async recordParts(institutionId: string, targetId: string, parts: Array<{ externalId: string; url: string | null }>): Promise<void> {
    await this.targets.update(
      { institutionId, id: targetId, status: 'publishing' },
      { externalParts: parts, externalId: parts[0]?.externalId ?? null, externalUrl: parts[0]?.url ?? null },
    );
  }

  /** held -> scheduled (revision + 1, so old jobs are stale) for targets held for a reason starting with `reasonPrefix`. */
  releaseHeld(institutionId: string, reasonPrefix: string, now: Date): Promise<number> {
    return this.release(institutionId, reasonPrefix, now, null);
  }

  /** The same, for one post's targets. */
  releaseHeldForPost(institutionId: string, postId: string, reasonPrefix: string, now: Date): Promise<number> {
    return this.release(institutionId, reasonPrefix, now, postId);
  }

  private async release(institutionId: string, reasonPrefix: string, now: Date, postId: string | null): Promise<number> {
    const released: unknown[] = await this.tx.manager.query(
      `WITH released AS (
         UPDATE publication_targets SET status = 'scheduled', revision = revision + 1, hold_reason = NULL, queued_at = NULL, updated_at = $3
          WHERE institution_id = $1 AND status = 'held' AND starts_with(hold_reason, $2) AND ($4::uuid IS NULL OR post_id = $4)
          RETURNING institution_id, id, attempts)
       INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, at)
       SELECT institution_id, id, attempts, 'held', 'scheduled', 'released: publishing resumed', $3 FROM released
       RETURNING id`,
      [institutionId, reasonPrefix, now, postId],
    );
    return released.length;
  }

  async context(institutionId: string, target: PublicationTarget) {
    const [post, channel, institution] = await Promise.all([
      this.tx.manager.getRepository(Post).findOneByOrFail({ institutionId, id: target.postId }),
      this.tx.manager
        .getRepository(Channel)
        .createQueryBuilder('c')
        .addSelect(['c.credentialsEncrypted', 'c.credentialsKeyId'])
        .where('c.institution_id = :institutionId AND c.id = :id', { institutionId, id: target.channelId })
        .getOneOrFail(),
      this.tx.manager.getRepository(Institution).findOneByOrFail({ id: institutionId }),
    ]);
    return { post, channel, institution };
  }

  /**
   * Takes a slot in a channel's rate window for `self` if one is free: what occupies the window is the
   * publications since `since` and the targets that took a slot and are still in flight. The channel
   * row is locked for the rest of the transaction, so a slot is taken by one target at a time and the
   * next one sees it (counting in-flight targets by claim time instead let two go out together when
   * their claims committed in the other order). When no slot is free, returns the publication times
   * in the window (none when the window is full of targets still in flight).
   */
  async takeWindowSlot(
    institutionId: string,
    channelId: string,
    since: Date,
    limit: number,
    self: string,
    now: Date,
  ): Promise<{ taken: true } | { taken: false; published: Date[] }> {
    await this.tx.manager.query(`SELECT 1 FROM channels WHERE institution_id = $1 AND id = $2 FOR UPDATE`, [institutionId, channelId]);
    const rows: Array<{ status: string; published_at: Date | null }> = await this.tx.manager.query(
      `SELECT status, published_at FROM publication_targets
        WHERE institution_id = $1 AND channel_id = $2 AND id <> $4
          AND ((status = 'published' AND published_at >= $3) OR (status = 'publishing' AND sending_at IS NOT NULL))
        ORDER BY published_at`,
      [institutionId, channelId, since, self],
    );
    if (rows.length >= limit) return { taken: false, published: rows.filter((r) => r.status === 'published').map((r) => r.published_at!) };
    await this.tx.manager.query(`UPDATE publication_targets SET sending_at = $3 WHERE institution_id = $1 AND id = $2`, [
      institutionId,
      self,
      now,
    ]);
    return { taken: true };
  }

  async setChannelRateLimitedUntil(institutionId: string, channelId: string, until: Date): Promise<void> {
    await this.tx.manager.getRepository(Channel).update({ institutionId, id: channelId }, { rateLimitedUntil: until });
  }

  async markChannel(institutionId: string, channelId: string, status: Channel['status']): Promise<void> {
    await this.tx.manager.getRepository(Channel).update({ institutionId, id: channelId }, { status });
  }

  events(institutionId: string, targetIds: string[]): Promise<TargetEvent[]> {
    if (targetIds.length === 0) return Promise.resolve([]);
    return this.tx.manager.getRepository(TargetEvent).find({ where: { institutionId, targetId: In(targetIds) }, order: { id: 'ASC' } });
  }
}

interface DueRow {
  institution_id: string;
  id: string;
  revision: number;
  attempts: number;
  scheduled_at: Date;
}

function toDue(r: DueRow): DueTarget {
  return { institutionId: r.institution_id, targetId: r.id, revision: r.revision, attempts: r.attempts, scheduledAt: r.scheduled_at };
}
