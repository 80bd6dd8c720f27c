import { describe, expect, it } from '@jest/globals';
import {
  REVIEW,
  allows,
  GONE_OUT,
  TARGET_STATUSES,
  TRANSITIONS,
  type TargetStatus,
  type TransitionCode,
} from '#src/modules/publishing/target-transitions.js';

const codes = Object.keys(TRANSITIONS) as TransitionCode[];
/** The codes that may move a target out of `status` (to another state). */
const waysOut = (status: TargetStatus) => codes.filter((c) => allows(c, status) && TRANSITIONS[c].to !== status);
/** The states `code` may start from. */
const from = (code: TransitionCode) => [...TRANSITIONS[code].from];

describe('the publication target’s transition table', () => {
  it('leads every code to a known state, from known states only', () => {
    for (const code of codes) {
      expect(TARGET_STATUSES).toContain(TRANSITIONS[code].to);
      expect(TRANSITIONS[code].from.length).toBeGreaterThan(0);
      for (const status of TRANSITIONS[code].from) expect(TARGET_STATUSES).toContain(status);
    }
  });

  it('names only known states as gone out', () => {
    for (const status of GONE_OUT) expect(TARGET_STATUSES).toContain(status);
  });

  it.each(GONE_OUT.map((s) => [s]))(
    'never cancels, edits, reschedules or retries a publication that is %s (it has reached, or may have reached, its platform)',
    (status) => {
      for (const code of ['cancelled', 'edited_review', 'edited_draft', 'scheduled', 'rescheduled', 'retried'] as const)
        expect(allows(code, status)).toBe(false);
    },
  );

  it('cancels everything that has not gone out, and only that', () => {
    const notGoneOut = TARGET_STATUSES.filter((s) => !GONE_OUT.includes(s) && s !== 'cancelled');
    expect(from('cancelled').sort()).toEqual([...notGoneOut].sort());
  });

  it('withdraws only what is published', () => {
    expect(from('withdrawn')).toEqual(['published']);
    expect(TRANSITIONS.withdrawn.to).toBe('withdrawn');
  });

  it('retries only what failed, by scheduling it again', () => {
    expect(from('retried')).toEqual(['failed']);
    expect(TRANSITIONS.retried.to).toBe('scheduled');
  });

  it('lets only a person settle a publication waiting for confirmation, either way', () => {
    for (const code of ['settled_published', 'settled_partial', 'settled_not_published'] as const)
      expect(from(code)).toEqual(['unconfirmed']);
    expect(TRANSITIONS.settled_published.to).toBe('published');
    // Not published: back to the scheduler (its original due time stays, see PublicationTargetsService.settle).
    expect(TRANSITIONS.settled_not_published.to).toBe('scheduled');
  });

  it('reaches `published` only from a send or a confirmation of one', () => {
    const toPublished = codes.filter((c) => TRANSITIONS[c].to === 'published').sort();
    expect(toPublished).toEqual(['published', 'reconciled_found', 'settled_published']);
    expect(from('published')).toEqual(['publishing']);
  });

  it('sends to the platform only what a worker claimed from the queue', () => {
    expect(codes.filter((c) => TRANSITIONS[c].to === 'publishing')).toEqual(['claimed']);
    expect(from('claimed')).toEqual(['queued']);
  });

  it('moves a publication whose outcome is unknown only by asking the platform or a person', () => {
    // Out of `unconfirmed` only by what the platform answers (reconciliation) or what a person settles.
    expect(waysOut('unconfirmed').sort()).toEqual(
      [
        'reconciled_absent',
        'reconciled_found',
        'reconciled_partial',
        'settled_not_published',
        'settled_partial',
        'settled_published',
      ].sort(),
    );
  });

  it('follows the review: submitted from a draft or a rejection, approved or rejected from review', () => {
    expect(from('submitted').sort()).toEqual(['draft', 'rejected']);
    expect(from('approved')).toEqual(['in_review']);
    expect(from('rejected')).toEqual(['in_review']);
    expect(from('scheduled')).toEqual(['approved']);
    // An edit sends every state of the review back to draft or review, and nothing that has gone out.
    expect([...from('edited_draft'), ...from('edited_review')]).toEqual(expect.arrayContaining([...REVIEW]));
  });

  it('gives a new time to what waits for its time or failed, a failed publication being sent again then', () => {
    expect(from('rescheduled').sort()).toEqual(['approved', 'failed', 'held', 'queued', 'scheduled']);
    expect(TRANSITIONS.rescheduled.to).toBe('scheduled');
  });

  it('sends an edit after submission back to review from everywhere it has not gone out, but a draft or rejection', () => {
    expect(from('edited_review').sort()).toEqual(['approved', 'failed', 'held', 'in_review', 'queued', 'scheduled']);
    expect(from('edited_draft').sort()).toEqual(['draft', 'rejected']);
  });

  it('releases only what is held', () => {
    expect(from('released')).toEqual(['held']);
    expect(TRANSITIONS.released.to).toBe('scheduled');
  });

  it('holds for a new blackout window only what is waiting for its time and not yet claimed', () => {
    expect(from('blackout_created').sort()).toEqual(['queued', 'scheduled']);
  });

  it.each(TARGET_STATUSES.filter((s) => s !== 'cancelled' && s !== 'withdrawn').map((s) => [s]))('has a way out of %s', (status) => {
    expect(waysOut(status).length).toBeGreaterThan(0);
  });

  it.each([['cancelled'], ['withdrawn']] as const)('keeps a %s target as it is: nothing moves it again', (status) => {
    expect(codes.filter((c) => allows(c, status))).toEqual([]);
  });

  it('can bring a target into every state', () => {
    const reached = new Set(codes.map((c) => TRANSITIONS[c].to));
    expect(TARGET_STATUSES.filter((s) => !reached.has(s))).toEqual([]);
  });
});
