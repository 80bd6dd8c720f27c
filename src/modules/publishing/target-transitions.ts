/**
 * The publication target's state machine: every change of a target's status is one of these
 * transitions, named by its cause (the outcome code its event stores). Each says from which states
 * it may happen and to which state it leads; `TargetsRepository` moves a target only along them
 * (the `from` list becomes the conditional UPDATE's WHERE), and writes the event in the same
 * statement. Codes are stored: never rename one (a migration would have to convert the events).
 */

export const TARGET_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'rejected',
  'scheduled',
  'queued',
  'publishing',
  'published',
  'unconfirmed',
  'held',
  'failed',
  'cancelled',
  'withdrawn',
] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Why a `held` target waits: a blackout window (ref: its id), the kill switch, or its channel (ref: the channel id). */
export const HOLD_KINDS = ['blackout', 'suspension', 'channel'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** States in which nothing may be on its way to the platform (a thread may have parts there already: see hasGoneOut). */
const NOT_SENT = ['draft', 'in_review', 'approved', 'rejected', 'scheduled', 'queued', 'held', 'failed'] as const satisfies TargetStatus[];
/** States of the review, which a target follows from its post until it is scheduled. */
export const REVIEW = ['draft', 'in_review', 'approved', 'rejected'] as const satisfies TargetStatus[];
/** Approved and waiting for its time: a new time, an edit or a hold may still reach it. */
const WAITING = ['scheduled', 'queued', 'held'] as const satisfies TargetStatus[];

interface Transition {
  from: readonly TargetStatus[];
  to: TargetStatus;
}

const t = (from: readonly TargetStatus[], to: TargetStatus): Transition => ({ from, to });

export const TRANSITIONS = {
  // The review, followed from the post.
  submitted: t(['draft', 'rejected'], 'in_review'),
  approved: t(['in_review'], 'approved'),
  rejected: t(['in_review'], 'rejected'),
  /** An edit of a draft or a rejected post: still a draft. */
  edited_draft: t(['draft', 'rejected'], 'draft'),
  /** An edit after submission: back to review (with a new revision, so no queued job survives it). */
  edited_review: t(['in_review', 'approved', ...WAITING, 'failed'], 'in_review'),
  /** Nothing has gone out: cancelling stops it. What has gone out is never cancelled (withdraw it). */
  cancelled: t(NOT_SENT, 'cancelled'),

  // Time.
  scheduled: t(['approved'], 'scheduled'),
  /** A new time; a failed publication given a new time is sent again then. */
  rescheduled: t(['approved', ...WAITING, 'failed'], 'scheduled'),
  /** An editor sends a failed publication again, once its cause is fixed. */
  retried: t(['failed'], 'scheduled'),
  due: t(['scheduled'], 'queued'),
  blackout_created: t(['scheduled', 'queued'], 'held'),
  released: t(['held'], 'scheduled'),

  // The publish job.
  claimed: t(['queued'], 'publishing'),
  held_suspension: t(['publishing'], 'held'),
  held_channel: t(['publishing'], 'held'),
  held_blackout: t(['publishing'], 'held'),
  post_not_approved: t(['publishing'], 'cancelled'),
  channel_rate_limit: t(['publishing'], 'queued'),
  platform_rate_limit: t(['publishing'], 'queued'),
  temporary_failure: t(['publishing'], 'queued'),
  published: t(['publishing'], 'published'),
  credentials_refused: t(['publishing'], 'failed'),
  post_refused: t(['publishing'], 'failed'),
  gave_up: t(['publishing'], 'failed'),
  no_clear_answer: t(['publishing'], 'unconfirmed'),
  platform_has_it: t(['publishing'], 'unconfirmed'),

  // Publications whose outcome is not known: the scheduler's checks and reconciliation.
  in_flight_too_long: t(['publishing'], 'unconfirmed'),
  job_lost: t(['publishing'], 'unconfirmed'),
  worker_stopped: t(['publishing'], 'unconfirmed'),
  person_asked: t(['unconfirmed'], 'unconfirmed'),
  reconciled_found: t(['unconfirmed'], 'published'),
  reconciled_partial: t(['unconfirmed'], 'queued'),
  reconciled_absent: t(['unconfirmed'], 'queued'),
  settled_published: t(['unconfirmed'], 'published'),
  settled_partial: t(['unconfirmed'], 'scheduled'),
  settled_not_published: t(['unconfirmed'], 'scheduled'),

  // After publication.
  withdrawn: t(['published'], 'withdrawn'),
} as const satisfies Record<string, Transition>;

export type TransitionCode = keyof typeof TRANSITIONS;

/** Codes of events that are not transitions: a target's creation, and events written before codes existed. */
export type CreationCode = 'added' | 'occurrence_created' | 'legacy';
export type OutcomeCode = TransitionCode | CreationCode;

/** The parameters an outcome is shown with (times as ISO strings, counts as numbers). */
export type OutcomeParams = Record<string, string | number>;

/** States from which a target has reached, or may have reached, its platform: never cancelled or edited. */
export const GONE_OUT: readonly TargetStatus[] = ['publishing', 'published', 'unconfirmed', 'withdrawn'];

/**
 * Whether any of a target is, or may be, on its platform: a state of GONE_OUT, or a thread with
 * parts already there whatever its state (part 2 refused or waiting: part 1 is live).
 */
export function hasGoneOut(t: { status: TargetStatus; externalParts: readonly unknown[] }): boolean {
  return GONE_OUT.includes(t.status) || t.externalParts.length > 0;
}

/** Whether `code` may move a target that is in `status`. */
export function allows(code: TransitionCode, status: TargetStatus): boolean {
  return TRANSITIONS[code].from.includes(status);
}
