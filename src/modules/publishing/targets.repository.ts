import { Injectable } from '@nestjs/common';
import { webLink } from '#src/common/web-link.js';
import { In, IsNull, Not } from 'typeorm';
import { coveringBlackoutSql } from '#src/modules/blackouts/blackouts.repository.js';
import type { Blackout } from '#src/modules/blackouts/blackout.entity.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Post } from '#src/modules/posts/post.entity.js';
import { PublicationTarget } from '#src/modules/publishing/publication-target.entity.js';
import {
  REVIEW,
  TRANSITIONS,
  type HoldKind,
  type OutcomeParams,
  type TargetStatus,
  type TransitionCode,
} from '#src/modules/publishing/target-transitions.js';
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
  at: Date;
  params?: OutcomeParams;
  /** The platform's own words, kept as it said them. */
  error?: string | null;
}

/** Which targets a move applies to: one target (of one claim), or a post's (only its own, not a recurring post's occurrences). */
export type MoveScope =
  | { targetId: string; attempts?: number }
  /** A post's targets; `nothingSent`: only those with no part on the platform yet. */
  | { postId: string; templatesOnly?: boolean; nothingSent?: boolean };

/**
 * Besides the patch: a new revision (no queued job survives it; 'if_job': only for targets that may
 * have had a job, i.e. not those still in review or merely scheduled) and attempts counted afresh.
 */
export interface MoveEffects {
  raiseRevision?: boolean | 'if_job';
  resetAttempts?: boolean;
}

const SCHEDULER_LOCK_KEY = 7_400_117_004;

/** The publishing pipeline's reads and conditional writes on publication targets. */
@Injectable()
export class TargetsRepository {
  constructor(private readonly tx: Tx) {}

  private get targets() {
    return this.tx.manager.getRepository(PublicationTarget);
  }

  /** Whether this transaction holds the scheduler's advisory lock (one process runs a pass at a time); never waits. */
  async lockScheduler(): Promise<boolean> {
    const [row]: Array<{ locked: boolean }> = await this.tx.manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      SCHEDULER_LOCK_KEY,
    ]);
    return row?.locked ?? false;
  }

  /**
   * scheduled -> queued for every target due before `until`, each with its event, in one statement;
   * returns them. Across institutions: the scheduler's job.
   */
  async promoteDue(until: Date, now: Date, limit: number): Promise<DueTarget[]> {
    const rows: DueRow[] = await this.tx.manager.query(
      `WITH moved AS (
         UPDATE publication_targets SET status = $5, queued_at = $2, updated_at = $2
          WHERE id IN (SELECT id FROM publication_targets WHERE status = ANY ($4::text[]) AND scheduled_at <= $1
                       ORDER BY scheduled_at LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING institution_id, id, revision, attempts, scheduled_at, status),
       event AS (
         INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, at)
         SELECT institution_id, id, attempts, 'scheduled', status, 'due', $2 FROM moved)
       SELECT * FROM moved`,
      [until, now, limit, TRANSITIONS.due.from, TRANSITIONS.due.to],
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
         UPDATE publication_targets SET status = '${TRANSITIONS.claimed.to}', attempts = attempts + 1, claimed_at = $4, sending_at = NULL, person_asked_at = NULL, updated_at = $4
          WHERE institution_id = $1 AND id = $2 AND revision = $3 AND attempts = $5 AND status = '${TRANSITIONS.claimed.from[0]}' RETURNING *),
       event AS (
         INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, at)
         SELECT institution_id, id, attempts, '${TRANSITIONS.claimed.from[0]}', '${TRANSITIONS.claimed.to}', 'claimed', $4 FROM claimed)
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
   * Moves the targets in `scope` along the transition `code` (from any of its states to its
   * state), recording one event each; returns the ids moved (none when someone else moved them
   * first). One statement: the rows are locked first, so a concurrent move (the scheduler queueing
   * one) is waited for and seen, not raced, and each event names the state its target really left.
   */
  async move(
    institutionId: string,
    scope: MoveScope,
    code: TransitionCode,
    event: EventInput,
    patch: Partial<PublicationTarget> = {},
    effects: MoveEffects = {},
  ): Promise<string[]> {
    const m = this.tx.manager;
    const { from, to } = TRANSITIONS[code];
    const set = setClause(m, PublicationTarget, { ...patch, status: to, updatedAt: event.at }, 13);
    const raise =
      effects.raiseRevision === 'if_job'
        ? `revision = CASE WHEN before.status IN (${[...REVIEW, 'scheduled'].map((s) => `'${s}'`).join(', ')}) THEN t.revision ELSE t.revision + 1 END`
        : effects.raiseRevision
          ? 'revision = t.revision + 1'
          : '';
    const extra = [raise, effects.resetAttempts ? 'attempts = 0' : ''].filter(Boolean);
    const one = 'targetId' in scope;
    const rows: Array<{ target_id: string }> = await m.query(
      `WITH before AS (
         SELECT id, status, attempts FROM publication_targets
          WHERE institution_id = $1 AND status = ANY ($3::text[])
            AND ($2::uuid IS NULL OR id = $2) AND ($9::uuid IS NULL OR post_id = $9)
            AND (NOT $10::bool OR occurrence_at IS NULL) AND ($11::int IS NULL OR attempts = $11)
            AND (NOT $12::bool OR jsonb_array_length(external_parts) = 0)
          ORDER BY id FOR UPDATE),
       moved AS (
         UPDATE publication_targets t SET ${[set.sql, ...extra].join(', ')} FROM before
          WHERE t.institution_id = $1 AND t.id = before.id
          RETURNING t.id, before.status AS from_status, before.attempts)
       INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, params, error, at)
       SELECT $1, id, attempts, from_status, $4, $5, $6, $8, $7 FROM moved
       RETURNING target_id`,
      [
        institutionId,
        one ? scope.targetId : null,
        from,
        to,
        code,
        event.params ?? {},
        event.at,
        event.error ?? null,
        one ? null : scope.postId,
        !one && (scope.templatesOnly ?? false),
        one ? (scope.attempts ?? null) : null,
        !one && (scope.nothingSent ?? false),
        ...set.params,
      ],
    );
    return rows.map((r) => r.target_id);
  }

  /** The parts of a publication on the platform so far, while it is being published. */
  async recordParts(institutionId: string, targetId: string, parts: Array<{ externalId: string; url: string | null }>): Promise<void> {
    await this.targets.update(
      { institutionId, id: targetId, status: 'publishing' },
      {
        externalParts: parts.map((p) => ({ externalId: p.externalId, url: webLink(p.url) })),
        externalId: parts[0]?.externalId ?? null,
        externalUrl: webLink(parts[0]?.url),
      },
    );
  }

  /**
   * Makes a post's own targets exactly one per channel of `channelIds`: targets of channels no
   * longer named are removed (only ever before anything went out: edits are refused after), new
   * ones are added in `status`, each with its event.
   */
  async setForPost(
    institutionId: string,
    postId: string,
    channelIds: string[],
    status: TargetStatus,
    revision: number,
    scheduledAt: Date | null,
    at: Date,
  ): Promise<void> {
    await this.targets.delete({
      institutionId,
      postId,
      occurrenceAt: IsNull(),
      channelId: Not(In(channelIds.length ? channelIds : ['00000000-0000-0000-0000-000000000000'])),
    });
    const existing = new Set((await this.targets.findBy({ institutionId, postId, occurrenceAt: IsNull() })).map((t) => t.channelId));
    const added = channelIds.filter((c) => !existing.has(c));
    if (added.length === 0) return;
    const ids = await this.targets.insert(added.map((channelId) => ({ institutionId, postId, channelId, status, revision, scheduledAt })));
    await this.addEvents(
      institutionId,
      ids.identifiers.map((i) => i.id as string),
      status,
      'added',
      at,
    );
  }

  /** The time of a post's own targets that are still in review (a scheduled target changes time by a transition). */
  async setReviewTime(institutionId: string, postId: string, scheduledAt: Date | null): Promise<void> {
    await this.targets.update({ institutionId, postId, occurrenceAt: IsNull(), status: In([...REVIEW]) }, { scheduledAt });
  }

  private async addEvents(institutionId: string, targetIds: string[], to: TargetStatus, outcome: 'added' | 'occurrence_created', at: Date) {
    await this.tx.manager.query(
      `INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome)
       SELECT unnest($1::uuid[]), $2, $3, 0, NULL, $4, $5`,
      [targetIds, institutionId, at, to, outcome],
    );
  }

  /**
   * Holds the targets not yet claimed whose time falls inside a new blackout window, unless their
   * post has an admin's override. Returns how many.
   */
  async holdForBlackout(b: Blackout, now: Date): Promise<number> {
    const { from, to } = TRANSITIONS.blackout_created;
    const held: unknown[] = await this.tx.manager.query(
      `WITH inside AS (
         SELECT t.id, t.status AS old_status, t.attempts FROM publication_targets t JOIN posts p ON p.id = t.post_id
          WHERE p.blackout_override_reason IS NULL
            AND t.institution_id = $1 AND t.status = ANY ($7::text[])
            AND t.scheduled_at >= $2 AND t.scheduled_at < $3
            AND (cardinality($4::uuid[]) = 0 OR t.channel_id = ANY ($4::uuid[]))
          ORDER BY t.id FOR UPDATE OF t),
       held AS (
         UPDATE publication_targets t SET status = $8, hold_kind = 'blackout', hold_ref = $5, revision = t.revision + 1, updated_at = $6
           FROM inside i WHERE t.id = i.id
          RETURNING t.id, i.attempts, i.old_status)
       INSERT INTO target_events (target_id, institution_id, at, attempt, from_status, to_status, outcome, params)
       SELECT id, $1, $6, attempts, old_status, $8, 'blackout_created', jsonb_build_object('blackoutId', $5::text, 'reason', $9::text) FROM held
       RETURNING id`,
      [b.institutionId, b.startsAt, b.endsAt, b.channelIds, b.id, now, from, to, b.reason],
    );
    return held.length;
  }

  /** held -> scheduled (revision + 1, so old jobs are stale) for the targets held by this kind (and reference), of one post or all. */
  async release(institutionId: string, kind: HoldKind, ref: string | null, now: Date, postId: string | null = null): Promise<number> {
    const { from, to } = TRANSITIONS.released;
    const released: unknown[] = await this.tx.manager.query(
      `WITH released AS (
         UPDATE publication_targets SET status = $6, revision = revision + 1, hold_kind = NULL, hold_ref = NULL, queued_at = NULL, updated_at = $4
          WHERE institution_id = $1 AND status = ANY ($7::text[]) AND hold_kind = $2 AND ($3::text IS NULL OR hold_ref = $3)
            AND ($5::uuid IS NULL OR post_id = $5)
          RETURNING institution_id, id, attempts)
       INSERT INTO target_events (institution_id, target_id, attempt, from_status, to_status, outcome, params, at)
       SELECT institution_id, id, attempts, 'held', $6, 'released', jsonb_build_object('kind', $2::text), $4 FROM released
       RETURNING id`,
      [institutionId, kind, ref, now, postId, to, from],
    );
    return released.length;
  }

  /** How many targets each blackout window holds now, by window id. */
  async heldByBlackout(institutionId: string): Promise<Map<string, number>> {
    const rows: Array<{ ref: string; n: number }> = await this.tx.manager.query(
      `SELECT hold_ref AS ref, count(*)::int AS n FROM publication_targets
        WHERE institution_id = $1 AND status = 'held' AND hold_kind = 'blackout' GROUP BY 1`,
      [institutionId],
    );
    return new Map(rows.filter((r) => r.ref).map((r) => [r.ref, r.n]));
  }

  listForPosts(institutionId: string, postIds: string[]): Promise<PublicationTarget[]> {
    if (postIds.length === 0) return Promise.resolve([]);
    return this.targets.find({ where: { institutionId, postId: In(postIds) }, order: { createdAt: 'ASC' } });
  }

  // Recurring posts: their occurrences are targets made ahead of time.

  async lastOccurrence(institutionId: string, postId: string): Promise<Date | null> {
    const [row]: Array<{ last: Date | null }> = await this.tx.manager.query(
      `SELECT max(occurrence_at) AS last FROM publication_targets WHERE institution_id = $1 AND post_id = $2`,
      [institutionId, postId],
    );
    return row?.last ?? null;
  }

  /** One target per channel of the post's own (approved: not cancelled) targets and per occurrence, `scheduled`, each with its event; returns how many. */
  async addOccurrences(institutionId: string, postId: string, due: Date[], now: Date): Promise<number> {
    const created: Array<{ id: string }> = await this.tx.manager.query(
      `INSERT INTO publication_targets (institution_id, post_id, channel_id, status, revision, scheduled_at, occurrence_at)
       SELECT t.institution_id, t.post_id, t.channel_id, 'scheduled', 1, o, o
         FROM publication_targets t, unnest($3::timestamptz[]) AS o
        WHERE t.institution_id = $1 AND t.post_id = $2 AND t.occurrence_at IS NULL AND t.status = 'approved'
       ON CONFLICT DO NOTHING RETURNING id`,
      [institutionId, postId, due],
    );
    if (created.length)
      await this.addEvents(
        institutionId,
        created.map((c) => c.id),
        'scheduled',
        'occurrence_created',
        now,
      );
    return created.length;
  }

  /** Removes occurrences nothing has been done with yet (before a new review or a new first time). */
  async discardPendingOccurrences(institutionId: string, postId: string): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM publication_targets WHERE institution_id = $1 AND post_id = $2 AND occurrence_at IS NOT NULL
         AND status IN ('scheduled', 'queued', 'held')`,
      [institutionId, postId],
    );
  }

  /** Approved recurring posts whose occurrences end before `before` (for the scheduler). */
  async recurringToExtend(
    before: Date,
    limit: number,
  ): Promise<Array<Pick<Post, 'id' | 'institutionId' | 'recurrence' | 'scheduledAt' | 'timeZone'>>> {
    const rows: Array<{ id: string; institution_id: string; recurrence: string; scheduled_at: Date; time_zone: string }> =
      await this.tx.manager.query(
        `SELECT p.id, p.institution_id, p.recurrence, p.scheduled_at, p.time_zone FROM posts p
        WHERE p.status = 'approved' AND p.recurrence IS NOT NULL
          AND coalesce((SELECT max(occurrence_at) FROM publication_targets t WHERE t.post_id = p.id), p.scheduled_at) < $1
          AND EXISTS (SELECT 1 FROM publication_targets t WHERE t.post_id = p.id AND t.occurrence_at IS NULL AND t.status = 'approved')
        LIMIT $2`,
        [before, limit],
      );
    return rows.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      recurrence: r.recurrence,
      scheduledAt: r.scheduled_at,
      timeZone: r.time_zone,
    }));
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
