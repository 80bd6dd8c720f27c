import { forbidden } from '#src/common/domain-error.js';
import type { Member } from '#src/modules/access/principal.js';
import type { MemberRole } from '#src/modules/institutions/membership.entity.js';

/**
 * Who may do what inside an institution: the one place this is decided.
 * Someone who is not a member gets 404 before any of this (see InstitutionAccess).
 * Contributors are further limited to campaigns shared with their partner
 * (InstitutionAccess.campaignVisible); self-approval is refused in the posts service.
 */
export const ACTIONS = {
  'institution.read': ['admin', 'editor', 'author', 'contributor', 'viewer'],
  'institution.update': ['admin'],
  'institution.suspend': ['admin'],
  'member.read': ['admin', 'editor', 'author', 'viewer'],
  'member.manage': ['admin'],
  'partner.read': ['admin', 'editor', 'author', 'viewer'],
  'partner.manage': ['admin'],
  'channel.read': ['admin', 'editor', 'author', 'viewer'],
  'channel.manage': ['admin'],
  'campaign.read': ['admin', 'editor', 'author', 'contributor', 'viewer'],
  'campaign.write': ['admin', 'editor', 'author'],
  'post.read': ['admin', 'editor', 'author', 'contributor', 'viewer'],
  'post.write': ['admin', 'editor', 'author', 'contributor'],
  'post.submit': ['admin', 'editor', 'author'],
  'post.approve': ['admin', 'editor'],
  'post.reject': ['admin', 'editor'],
  'post.schedule': ['admin', 'editor', 'author'],
  'post.cancel': ['admin', 'editor', 'author'],
  'post.resolve': ['admin', 'editor'],
  'post.retry': ['admin', 'editor'],
  'post.withdraw': ['admin', 'editor'],
  'post.comment': ['admin', 'editor', 'author', 'contributor'],
  'audit.read': ['admin', 'editor', 'viewer'],
  'blackout.read': ['admin', 'editor', 'author', 'viewer'],
  'blackout.manage': ['admin'],
  'post.override_blackout': ['admin'],
  'report.read': ['admin', 'editor'],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Action = keyof typeof ACTIONS;

export function can(role: MemberRole, action: Action): boolean {
  return (ACTIONS[action] as readonly MemberRole[]).includes(role);
}

export function assertCan(member: Member, action: Action): void {
  if (!can(member.role, action)) throw forbidden(`${/^[aeiou]/.test(member.role) ? 'an' : 'a'} ${member.role} may not ${describe(action)}`);
}

function describe(action: Action): string {
  const [thing, verb] = action.split('.') as [string, string];
  const verbs: Record<string, string> = { read: 'see', manage: 'manage', update: 'change', write: 'write' };
  return `${verbs[verb] ?? verb} ${thing === 'audit' ? 'the audit trail' : `${thing}s`}`;
}
