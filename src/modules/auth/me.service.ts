import { Injectable } from '@nestjs/common';
import type { Principal } from '#src/modules/access/principal.js';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

@Injectable()
export class MeService {
  constructor(private readonly tx: Tx) {}

  /** The caller and the institutions they belong to, with their role in each. */
  async describe(principal: Principal) {
    const user = await this.tx.manager.getRepository(User).findOneByOrFail({ id: principal.userId });
    const rows: Array<{ institution_id: string; name: string; slug: string; role: string; partner_id: string | null }> =
      await this.tx.manager.query(
        `SELECT m.institution_id, i.name, i.slug, m.role, m.partner_id
           FROM memberships m JOIN institutions i ON i.id = m.institution_id
          WHERE m.user_id = $1 ORDER BY i.name`,
        [principal.userId],
      );
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      isSystemAdmin: user.isSystemAdmin,
      mustChangePassword: user.mustChangePassword,
      memberships: rows.map((r) => ({
        institutionId: r.institution_id,
        institutionName: r.name,
        institutionSlug: r.slug,
        role: r.role,
        partnerId: r.partner_id,
      })),
    };
  }
}
