import { Injectable } from '@nestjs/common';
import type { Principal } from '#src/modules/access/principal.js';
import { MeRepository } from '#src/modules/auth/me.repository.js';

@Injectable()
export class MeService {
  constructor(private readonly me: MeRepository) {}

  /** The caller and the institutions they belong to, with their role in each. */
  async describe(principal: Principal) {
    const user = await this.me.user(principal.userId);
    const rows = await this.me.memberships(principal.userId);
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
