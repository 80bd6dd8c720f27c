import { Injectable } from '@nestjs/common';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

/** A user's memberships, one row per institution, with the institution's name and slug. */
export interface MembershipRow {
  institution_id: string;
  name: string;
  slug: string;
  role: string;
  partner_id: string | null;
}

/** What the caller is and where they belong. Not tenant data: a user spans institutions. */
@Injectable()
export class MeRepository {
  constructor(private readonly tx: Tx) {}

  user(userId: string): Promise<User> {
    return this.tx.manager.getRepository(User).findOneByOrFail({ id: userId });
  }

  memberships(userId: string): Promise<MembershipRow[]> {
    return this.tx.manager.query(
      `SELECT m.institution_id, i.name, i.slug, m.role, m.partner_id
         FROM memberships m JOIN institutions i ON i.id = m.institution_id
        WHERE m.user_id = $1 ORDER BY i.name`,
      [userId],
    );
  }
}
