import { afterEach, describe, expect, it } from '@jest/globals';
import { Client } from '#test/support/api.js';
import { AppProcess, waitForHealthy } from '#test/support/app-process.js';
import { currentMode, provisionStorage, type TestStorage } from '#test/support/test-storage.js';

const mode = currentMode();

describe(`start-up (${mode} storage)`, () => {
  let storage: TestStorage | undefined;
  const apps: AppProcess[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop('SIGKILL')));
    await storage?.cleanup();
  });

  it('answers /health ready, serves /metrics, creates the first admin, and exits 0 on SIGTERM', async () => {
    storage = await provisionStorage();
    const app = new AppProcess(storage.env);
    apps.push(app);
    const url = await app.url();

    const health = await waitForHealthy(`${url}/health`);
    expect(health).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up', storage: mode },
        queue: { status: 'up', backend: mode === 'postgres+redis' ? 'redis' : 'postgres' },
      },
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/civicpost_queue_jobs\{queue="publish",state="waiting",app="civicpost"\} 0/);
    expect(text).toMatch(/civicpost_process_resident_memory_bytes/);
    // From the database: nothing due, nothing on its way out; the demo's sandbox channel in embedded mode.
    expect(text).toMatch(/^civicpost_publication_overdue_seconds\{app="civicpost"\} 0$/m);
    for (const status of ['scheduled', 'queued', 'publishing', 'unconfirmed'])
      expect(text).toMatch(new RegExp(`^civicpost_publications\\{status="${status}",app="civicpost"\\} 0$`, 'm'));
    expect(text).toMatch(new RegExp(`^civicpost_channels\\{status="active",app="civicpost"\\} ${mode === 'embedded' ? 1 : 0}$`, 'm'));
    expect(text).toMatch(/^civicpost_channels\{status="needs_reconnect",app="civicpost"\} 0$/m);

    expect(app.stdout).toMatch(/First start: created the administrator admin@civicpost\.local\./);
    expect(app.stdout).toMatch(/Password: [A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}\n/);
    if (mode === 'embedded') expect(app.stdout).toMatch(/Demo institution "Demo City Hall"/);
    else expect(app.stdout).not.toMatch(/Demo institution/);
    // The generated password is printed once for the person, never into the structured log.
    const password = app.stdout.match(/Password: (\S+)/)![1]!;
    const logLines = app.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes(password))).toBe(false);

    expect(await app.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(app.stdout).toMatch(/stopped cleanly/);
  });

  it('takes the first admin from ADMIN_EMAIL and ADMIN_PASSWORD, and skips the demo with SEED_DEMO=false', async () => {
    storage = await provisionStorage();
    const app = new AppProcess({
      ...storage.env,
      ADMIN_EMAIL: 'Comms.Office@City.example',
      ADMIN_PASSWORD: 'a long enough passphrase',
      SEED_DEMO: 'false',
    });
    apps.push(app);
    await waitForHealthy(`${await app.url()}/health`);
    expect(app.stdout).toMatch(/created the administrator comms\.office@city\.example\./);
    expect(app.stdout).toMatch(/Password: the one in ADMIN_PASSWORD\./);
    expect(app.stdout).not.toContain('a long enough passphrase');
    expect(app.stdout).not.toMatch(/Demo institution/);
  });

  it('with CLOCK_START, reads its clock from that instant on, and warns about it in the log', async () => {
    storage = await provisionStorage();
    const app = new AppProcess({
      ...storage.env,
      ADMIN_EMAIL: 'admin@clock.example',
      ADMIN_PASSWORD: 'a long enough passphrase',
      SEED_DEMO: 'false',
      SESSION_TTL_MINUTES: '60',
      CLOCK_START: '2031-05-05T09:00:00+03:00',
    });
    apps.push(app);
    const url = await app.url();
    await waitForHealthy(`${url}/health`);
    const warning = app.stdout.split('\n').find((l) => l.includes('CLOCK_START is set'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, clockStart: '2031-05-05T06:00:00.000Z' });
    // A session's expiry is the app's "now" plus its lifetime: in 2031, however long the start took.
    const login = await new Client(url).post('/api/auth/login', { email: 'admin@clock.example', password: 'a long enough passphrase' });
    expect(login.status).toBe(200);
    const sinceStart = Date.parse(login.body.expiresAt) - 60 * 60_000 - Date.parse('2031-05-05T06:00:00Z');
    expect(sinceStart).toBeGreaterThanOrEqual(0);
    expect(sinceStart).toBeLessThan(120_000);
  });

  if (mode === 'embedded') {
    it('refuses to split api and worker on embedded storage', async () => {
      storage = await provisionStorage();
      const app = new AppProcess({ ...storage.env, ROLE: 'worker' });
      expect(await app.exited).toEqual({ code: 1, signal: null });
      expect(app.stderr.trim().split('\n')).toHaveLength(1);
      expect(app.stderr).toMatch(/^CivicPost cannot start: ROLE is worker, but embedded storage/);
    });
  } else {
    it('runs api and worker as separate processes on the same storage', async () => {
      storage = await provisionStorage();
      const api = new AppProcess({ ...storage.env, ROLE: 'api' });
      const worker = new AppProcess({ ...storage.env, ROLE: 'worker' });
      apps.push(api, worker);
      const health = await waitForHealthy(`${await api.url()}/health`);
      expect(health).toMatchObject({ status: 'ok' });
      await worker.waitFor(/CivicPost is running \(role worker/);
      // The worker serves no HTTP.
      expect(worker.stdout).not.toMatch(/API and its documentation/);
      // pino writes asynchronously: its line may come after the banner, which is written at once.
      await worker.waitFor(/"msg":"CivicPost started"/);
      expect(worker.stdout).toMatch(/"storage":"postgres[^"]*".*"msg":"CivicPost started"/);
      // Only one of the two created the first admin.
      expect([api.stdout, worker.stdout].filter((out) => out.includes('First start')).length).toBe(1);
      expect(await worker.stop()).toEqual({ code: 0, signal: null });
      expect(await api.stop()).toEqual({ code: 0, signal: null });
    });
  }
});
