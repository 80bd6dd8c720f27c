import type { DataSource } from 'typeorm';
import type { AppConfig } from '#src/config/config.js';
import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { generatePassword, hashPassword } from '#src/modules/users/password-hasher.js';
import { User } from '#src/modules/users/user.entity.js';

const FIRST_START_LOCK_KEY = 7_400_117_002;
export const DEFAULT_ADMIN_EMAIL = 'admin@civicpost.local';
export const DEMO_SLUG = 'demo';

export interface FirstStartResult {
  adminEmail: string;
  /** Only when CivicPost chose the password: to be shown once, never logged. */
  generatedPassword?: string;
  demoInstitution?: { name: string; slug: string };
}

/**
 * On an empty database, creates the first admin (a system admin, who may create
 * institutions) and, in embedded mode, a demo institution with a sandbox
 * channel. Returns undefined when users exist already. Safe when several
 * processes start together: the work runs under a transaction advisory lock.
 */
export async function firstStart(dataSource: DataSource, config: AppConfig): Promise<FirstStartResult | undefined> {
  const generatedPassword = config.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.adminPassword ?? generatedPassword!);
  return dataSource.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_START_LOCK_KEY]);
    if ((await tx.getRepository(User).count()) > 0) return undefined;

    const adminEmail = (config.adminEmail ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const admin = await tx.getRepository(User).save({
      email: adminEmail,
      displayName: 'Administrator',
      passwordHash,
      isSystemAdmin: true,
      mustChangePassword: generatedPassword !== undefined,
    });
    const result: FirstStartResult = { adminEmail, generatedPassword };

    if (config.storage === 'embedded' && config.seedDemo) {
      const demo = await tx.getRepository(Institution).save({
        name: 'Demo City Hall',
        slug: DEMO_SLUG,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        languages: ['en'],
        transparencyEnabled: true,
      });
      await tx.getRepository(Membership).save({ institutionId: demo.id, userId: admin.id, role: 'admin' });
      await tx.getRepository(Channel).save({
        institutionId: demo.id,
        platform: 'sandbox',
        displayName: 'Sandbox (training: nothing leaves CivicPost)',
        accountHandle: 'demo-sandbox',
        settings: {},
        status: 'active',
      });
      result.demoInstitution = { name: demo.name, slug: demo.slug };
    }
    return result;
  });
}
