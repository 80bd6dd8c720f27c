import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type RunningApp } from '#src/app.js';
import { loadConfig } from '#src/config/config.js';
import { AppProcess } from '#test/support/app-process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, seedInstitution, TestApi } from '#test/support/api.js';
import { currentMode } from '#test/support/test-storage.js';

/** The audit trail cannot be rewritten through SQL, and a rewrite done anyway is found by verify. */
describe(`audit trail (${currentMode()} storage)`, () => {
  let api: TestApi;
  let institutionId: string;
  let env: Record<string, string>;
  let restarted: RunningApp | undefined;

  beforeAll(async () => {
    api = await TestApi.start();
    institutionId = (await seedInstitution(api, 'audited')).id;
    env = { ...api.storage.env, ADMIN_EMAIL, ADMIN_PASSWORD, SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await restarted?.stop();
    await api?.storage.cleanup();
  });

  async function cli(...args: string[]) {
    const run = new AppProcess(env, args);
    return { exit: await run.exited, out: run.stdout, err: run.stderr };
  }

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database itself', async () => {
    const db = api.running.runtime.dataSource;
    await expect(db.query(`UPDATE audit_events SET action = 'nothing.happened'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('verifies an intact chain from the console (exit 0)', async () => {
    await api.running.stop(); // embedded storage belongs to one process at a time
    const { exit, out } = await cli('audit:verify');
    expect(exit.code).toBe(0);
    expect(out).toMatch(/audit trail verified: \d+ events, chain intact/);
  });

  it('names the first altered event, through the API and from the console (exit 1)', async () => {
    restarted = await startApp(loadConfig(env));
    const db = restarted.runtime.dataSource;
    const [victim]: Array<{ seq: string; id: string }> = await db.query(
      `SELECT seq, id FROM audit_events WHERE institution_id = $1 AND action = 'member.added' ORDER BY seq LIMIT 1 OFFSET 1`,
      [institutionId],
    );
    // Someone with superuser access to the database switches the triggers off and rewrites history.
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`UPDATE audit_events SET data = jsonb_set(data, '{role}', '"admin"') WHERE seq = $1`, [victim!.seq]);
    });

    const admin = new Client(restarted.url!);
    const login = await admin.post('/api/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    admin.token = login.body.token;
    const verify = await admin.get(`/api/institutions/${institutionId}/audit/verify`);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({
      ok: false,
      firstBad: { id: victim!.id, seq: victim!.seq, action: 'member.added', reason: expect.stringMatching(/altered/) },
    });

    await restarted.stop();
    restarted = undefined;
    const { exit, out } = await cli('audit:verify');
    expect(exit.code).toBe(1);
    expect(out).toContain(`audit trail BROKEN at event #${victim!.seq} (${victim!.id}, member.added)`);
  });
});
