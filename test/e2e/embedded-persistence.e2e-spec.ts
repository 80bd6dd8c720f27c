import { afterAll, describe, expect, it } from '@jest/globals';
import { startApp } from '#src/app.js';
import { loadConfig } from '#src/config/config.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { AppProcess } from '#test/support/app-process.js';
import { provisionStorage, type TestStorage } from '#test/support/test-storage.js';

// Embedded storage needs nothing installed, so this runs in every mode.
describe('embedded storage', () => {
  let storage: TestStorage | undefined;
  afterAll(async () => storage?.cleanup());

  it('keeps data written before a restart', async () => {
    storage = await provisionStorage('embedded');
    const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' });

    const first = await startApp(config);
    expect(first.firstStart?.adminEmail).toBe('admin@civicpost.local');
    await first.runtime.dataSource.getRepository(Institution).save({
      name: 'Primăria Cluj-Napoca',
      slug: 'cluj-napoca',
      timeZone: 'Europe/Bucharest',
      languages: ['ro', 'hu'],
    });
    await first.stop();

    const second = await startApp(config);
    try {
      expect(second.firstStart).toBeUndefined();
      const saved = await second.runtime.dataSource.getRepository(Institution).findOneByOrFail({ slug: 'cluj-napoca' });
      expect(saved).toMatchObject({ name: 'Primăria Cluj-Napoca', timeZone: 'Europe/Bucharest', languages: ['ro', 'hu'] });
      expect(await second.runtime.dataSource.getRepository(User).count()).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('refuses a second process on the same DATA_DIR', async () => {
    storage ??= await provisionStorage('embedded');
    const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' });
    const running = await startApp(config);
    try {
      const second = new AppProcess(storage.env);
      expect(await second.exited).toEqual({ code: 1, signal: null });
      expect(second.stderr).toMatch(/^CivicPost cannot start: DATA_DIR .* is in use by process \d+/);
    } finally {
      await running.stop();
    }
  });
});
