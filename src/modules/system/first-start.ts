import type { DataSource } from 'typeorm';
import type { AppConfig } from '#src/config/config.js';
import { FirstStartRepository } from '#src/modules/system/first-start.repository.js';
import { generatePassword, hashPassword } from '#src/modules/users/password-hasher.js';
import { Tx } from '#src/storage/tx.js';
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
  const tx = new Tx(dataSource);
  const store = new FirstStartRepository(tx);
  return tx.run(async () => {
    await store.lock();
    if (await store.anyUser()) return undefined;

    const adminEmail = (config.adminEmail ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const admin = await store.createUser({
      email: adminEmail,
      displayName: 'Administrator',
      passwordHash,
      isSystemAdmin: true,
      mustChangePassword: generatedPassword !== undefined,
    });
    const result: FirstStartResult = { adminEmail, generatedPassword };

    if (config.storage === 'embedded' && config.seedDemo) {
      const demo = await store.createInstitution({
        name: 'Demo City Hall',
        slug: DEMO_SLUG,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        languages: ['en'],
        transparencyEnabled: true,
      });
      await store.addMember({ institutionId: demo.id, userId: admin.id, role: 'admin' });
      await store.createChannel({
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
