import type { MemberRole } from '#src/modules/institutions/membership.entity.js';

/** Who is calling: set by the auth guard from a bearer token or the session cookie. */
export interface Principal {
  userId: string;
  email: string;
  isSystemAdmin: boolean;
  sessionId: string;
}

/** The caller's standing in one institution. */
export interface Member {
  userId: string;
  institutionId: string;
  role: MemberRole;
  /** Set for contributors: the partner whose shared campaigns they may work on. */
  partnerId: string | null;
}
