import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#src/common/domain-error.js';
import { ACTIONS, assertCan, can, type Action } from '#src/modules/access/policy.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';

const ROLES = ['admin', 'editor', 'author', 'contributor', 'viewer'] as const satisfies readonly MemberRole[];

/**
 * The authorisation table as the product promises it, written out by hand: a change
 * of policy.ts must be made here too, on purpose.
 * Columns:           admin  editor author contributor viewer
 */
const EXPECTED: Record<Action, readonly [boolean, boolean, boolean, boolean, boolean]> = {
  'institution.read': [true, true, true, true, true],
  'institution.update': [true, false, false, false, false],
  'institution.suspend': [true, false, false, false, false],
  'member.read': [true, true, true, false, true],
  'member.manage': [true, false, false, false, false],
  'partner.read': [true, true, true, false, true],
  'partner.manage': [true, false, false, false, false],
  'channel.read': [true, true, true, false, true],
  'channel.manage': [true, false, false, false, false],
  'campaign.read': [true, true, true, true, true],
  'campaign.write': [true, true, true, false, false],
  'post.read': [true, true, true, true, true],
  'post.write': [true, true, true, true, false],
  'post.submit': [true, true, true, false, false],
  'post.approve': [true, true, false, false, false],
  'post.reject': [true, true, false, false, false],
  'post.schedule': [true, true, true, false, false],
  'post.cancel': [true, true, true, false, false],
  'post.resolve': [true, true, false, false, false],
  'post.retry': [true, true, false, false, false],
  'post.withdraw': [true, true, false, false, false],
  'post.comment': [true, true, true, true, false],
  'audit.read': [true, true, false, false, true],
  'blackout.read': [true, true, true, false, true],
  'blackout.manage': [true, false, false, false, false],
  'post.override_blackout': [true, false, false, false, false],
  'report.read': [true, true, false, false, false],
};

const cases = (Object.keys(EXPECTED) as Action[]).flatMap((action) =>
  ROLES.map((role, column) => ({ role, action, allowed: EXPECTED[action][column]! })),
);

function member(role: MemberRole) {
  return { userId: 'u-1', institutionId: 'i-1', role, partnerId: role === 'contributor' ? 'p-1' : null };
}

describe('access policy', () => {
  it('names exactly the actions of the expected table (a new action needs a row here)', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases.filter((c) => c.allowed))('$role may $action', ({ role, action }) => {
    expect(can(role, action)).toBe(true);
    expect(() => assertCan(member(role), action)).not.toThrow();
  });

  it.each(cases.filter((c) => !c.allowed))('$role may not $action (403)', ({ role, action }) => {
    expect(can(role, action)).toBe(false);
    let thrown: unknown;
    try {
      assertCan(member(role), action);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as DomainError;
    expect(error.getStatus()).toBe(403);
    expect(error.getResponse()).toMatchObject({ code: 'forbidden', message: expect.stringMatching(new RegExp(`^an? ${role} may not `)) });
  });

  it('explains a refusal in words a person reads', () => {
    expect(() => assertCan(member('viewer'), 'audit.read')).not.toThrow();
    expect(() => assertCan(member('author'), 'audit.read')).toThrow('an author may not see the audit trail');
    expect(() => assertCan(member('editor'), 'member.manage')).toThrow('an editor may not manage members');
    expect(() => assertCan(member('viewer'), 'post.write')).toThrow('a viewer may not write posts');
    expect(() => assertCan(member('author'), 'post.approve')).toThrow('author may not approve posts');
    expect(() => assertCan(member('editor'), 'institution.update')).toThrow('editor may not change institutions');
  });
});
