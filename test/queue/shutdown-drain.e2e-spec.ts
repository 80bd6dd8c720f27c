import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { AppProcess, ROOT } from '#test/support/app-process.js';
import { currentMode, provisionStorage, type TestStorage } from '#test/support/test-storage.js';

const FIXTURE = join(ROOT, 'test', '.build', 'slow-job-app.js');

describe(`SIGTERM (${currentMode()} storage)`, () => {
  let storage: TestStorage | undefined;
  afterEach(async () => storage?.cleanup());

  it('lets the running job finish, then exits 0', async () => {
    storage = await provisionStorage();
    // A job of 3 s of real work (test/fixtures/slow-job-app.ts), so that the SIGTERM comes while it runs.
    const env = { ...storage.env, ROLE: storage.mode === 'embedded' ? 'all' : 'worker', SLOW_JOB_MS: '3000' };
    const app = new AppProcess(env, [], FIXTURE);
    await app.waitFor(/job slow-1 started/);
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    const waitedMs = Date.now() - signalledAt;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.stdout).toMatch(/job slow-1 finished/);
    // The job had most of its 3 s left when the signal came: the process waited for it.
    expect(waitedMs).toBeGreaterThan(1500);
    const finishedAt = app.stdout.indexOf('job slow-1 finished');
    expect(app.stdout.indexOf('shutting down')).toBeLessThan(finishedAt);
    expect(app.stdout.indexOf('stopped cleanly')).toBeGreaterThan(finishedAt);
  });
});
