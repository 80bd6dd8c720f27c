import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startApp, type RunningApp } from '#src/app.js';
import { CredentialsCipher, keyIdOf } from '#src/common/crypto/credentials-cipher.js';
import { loadConfig } from '#src/config/config.js';
import { AppProcess } from '#test/support/app-process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestApi } from '#test/support/api.js';
import { currentMode } from '#test/support/test-storage.js';

const TOKEN = 'EAAB-facebook-page-token-do-not-leak';

describe(`channel credentials (${currentMode()} storage)`, () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  let api: TestApi;
  let channelId: string;
  let institutionId: string;
  let restarted: RunningApp | undefined;

  beforeAll(async () => {
    api = await TestApi.start({ CREDENTIALS_KEY: oldKey.toString('hex') });
    institutionId = (
      await api.admin.post('/api/institutions', { name: 'Keys Town', slug: 'keys-town', timeZone: 'UTC', languages: ['en'] })
    ).body.id;
    const channel = await api.admin.post(`/api/institutions/${institutionId}/channels`, {
      platform: 'facebook',
      displayName: 'Keys Town on Facebook',
      settings: { pageId: '1234567890' },
      credentials: { pageAccessToken: TOKEN },
    });
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
  });
  afterAll(async () => {
    await restarted?.stop();
    await api?.storage.cleanup();
  });

  it('are sealed in the database and appear in no response and no audit event', async () => {
    const db = api.running.runtime.dataSource;
    const [row]: Array<{ sealed: Buffer; key_id: string; everything: string }> = await db.query(
      `SELECT credentials_encrypted AS sealed, credentials_key_id AS key_id, c::text AS everything FROM channels c WHERE id = $1`,
      [channelId],
    );
    expect(row!.key_id).toBe(keyIdOf(oldKey));
    expect(row!.sealed.includes(Buffer.from(TOKEN))).toBe(false);
    expect(row!.everything).not.toContain(TOKEN);
    const audit: Array<{ t: string }> = await db.query(`SELECT a::text AS t FROM audit_events a`);
    expect(audit.some((a) => a.t.includes(TOKEN))).toBe(false);

    const list = await api.admin.get(`/api/institutions/${institutionId}/channels`);
    const one = await api.admin.get(`/api/institutions/${institutionId}/channels/${channelId}`);
    for (const res of [list, one]) expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    expect(one.body).toMatchObject({ hasCredentials: true });
    expect(one.body).not.toHaveProperty('credentialsEncrypted');
  });

  it('follow their address: a Mastodon channel moved to another instance loses them until new ones are given', async () => {
    const base = `/api/institutions/${institutionId}/channels`;
    const made = await api.admin.post(base, {
      platform: 'mastodon',
      displayName: 'Keys Town on Mastodon',
      settings: { instanceUrl: 'https://social.keys.example' },
      credentials: { accessToken: 'mastodon-token-of-keys-town' },
    });
    expect(made.body).toMatchObject({ hasCredentials: true, status: 'active' });
    // Renaming keeps them; a new instance URL alone drops them, and the audit names both addresses.
    expect((await api.admin.patch(`${base}/${made.body.id}`, { displayName: 'Keys Town (Mastodon)' })).body.hasCredentials).toBe(true);
    const moved = await api.admin.patch(`${base}/${made.body.id}`, { settings: { instanceUrl: 'https://elsewhere.example' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ hasCredentials: false, status: 'needs_reconnect' });
    const trail = await api.admin.get(`/api/institutions/${institutionId}/audit?limit=5`);
    expect(trail.body.items[0]).toMatchObject({
      action: 'channel.updated',
      data: {
        addresses: [{ setting: 'instanceUrl', from: 'https://social.keys.example', to: 'https://elsewhere.example' }],
        credentialsDropped: true,
      },
    });
    // A new address with its own credentials in the same request keeps those.
    const both = await api.admin.patch(`${base}/${made.body.id}`, {
      settings: { instanceUrl: 'https://third.example' },
      credentials: { accessToken: 'token-for-the-third-instance' },
    });
    expect(both.body).toMatchObject({ hasCredentials: true, status: 'active' });
    // Moved once more without credentials: none left, so the key rotation below has the Facebook channel's alone.
    expect(
      (await api.admin.patch(`${base}/${made.body.id}`, { settings: { instanceUrl: 'https://fourth.example' } })).body.hasCredentials,
    ).toBe(false);
  });

  it('are re-sealed with a new key by the rotation command, and read with the new key alone', async () => {
    await api.running.stop();
    const rotate = new AppProcess(
      { ...api.storage.env, CREDENTIALS_KEY: newKey.toString('hex'), CREDENTIALS_KEY_PREVIOUS: oldKey.toString('hex'), LOG_LEVEL: 'warn' },
      ['credentials:rotate'],
    );
    expect((await rotate.exited).code).toBe(0);
    expect(rotate.stdout).toContain(`re-sealed the credentials of 1 channel(s) with key ${keyIdOf(newKey)}`);

    restarted = await startApp(
      loadConfig({ ...api.storage.env, CREDENTIALS_KEY: newKey.toString('hex'), ADMIN_EMAIL, ADMIN_PASSWORD, LOG_LEVEL: 'warn' }),
    );
    const db = restarted.runtime.dataSource;
    const [row]: Array<{ sealed: Buffer; key_id: string }> = await db.query(
      `SELECT credentials_encrypted AS sealed, credentials_key_id AS key_id FROM channels WHERE id = $1`,
      [channelId],
    );
    expect(row!.key_id).toBe(keyIdOf(newKey));
    expect(new CredentialsCipher(newKey).open(row!.sealed, row!.key_id)).toEqual({ pageAccessToken: TOKEN });
    const events: Array<{ action: string }> = await db.query(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq`, [
      channelId,
    ]);
    expect(events.map((e) => e.action)).toEqual(['channel.created', 'channel.credentials_rotated']);
  });
});
