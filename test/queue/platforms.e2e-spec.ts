import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApi, type Client } from '#test/support/api.js';
import { png } from '#test/support/images.js';
import { elapse } from '#test/support/passes.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { BlueskyFake } from '#test/fakes/bluesky.fake.js';
import { FacebookFake } from '#test/fakes/facebook.fake.js';
import type { FakePlatform, LedgerEntry } from '#test/fakes/fake-server.js';
import { LinkedInFake } from '#test/fakes/linkedin.fake.js';
import { MastodonFake } from '#test/fakes/mastodon.fake.js';
import { TelegramFake } from '#test/fakes/telegram.fake.js';
import { XFake } from '#test/fakes/x.fake.js';
import { campaignDatesAround, TestClock } from '#test/support/clock.js';

/**
 * CivicPost pointed by configuration at the six fake platforms: channels verified, posts with an
 * image and alt text and threads published through the real queue and the real client libraries,
 * and each platform's faults (rate limit, dropped connection after the platform stored the post,
 * server error) ending with every post on the platform exactly once. The test runs the scheduler's passes and moves the
 * app's clock itself (test/support/passes.ts): rate limits and backoffs pass without being waited for.
 */
describe(`publishing to the platforms' fakes (${currentMode()} storage)`, () => {
  const fakes = {
    x: new XFake(),
    mastodon: new MastodonFake({ mediaProcessing: 'sync' }),
    bluesky: new BlueskyFake(),
    facebook: new FacebookFake(),
    linkedin: new LinkedInFake(),
    telegram: new TelegramFake({ retryAfter: 1 }),
  };
  type Name = keyof typeof fakes;
  const names = Object.keys(fakes) as Name[];
  const channels = {} as Record<Name, string>;
  // From the real time: a platform's rate-limit reset is a real instant, which the app compares with its clock.
  const clock = new TestClock(new Date());
  let api: TestApi;
  let base: string;
  let editor: Client;
  let campaignId: string;
  let imageId: string;

  beforeAll(async () => {
    for (const fake of Object.values(fakes)) await fake.start();
    const env = Object.assign({}, ...Object.values(fakes).map((f: FakePlatform) => f.demoChannel().env)) as Record<string, string>;
    // The crons never run by themselves: waitForTargets runs their passes.
    api = await TestApi.start(
      { ...env, SCHEDULER_INTERVAL_MS: '3600000', METRICS_INTERVAL_MS: '3600000', DUE_WINDOW_SECONDS: '60', PLATFORM_TIMEOUT_MS: '2000' },
      { clock },
    );
    const inst = await api.admin.post('/api/institutions', {
      name: 'Fakeville',
      slug: 'fakeville',
      timeZone: 'Europe/Bucharest',
      languages: ['ro'],
    });
    base = `/api/institutions/${inst.body.id}`;
    editor = await api.member(api.admin, inst.body.id, 'editor@fakeville.example', 'editor');
    campaignId = (await api.admin.post(`${base}/campaigns`, { title: 'Parcul nou', ...campaignDatesAround(clock.now()) })).body.id;
    for (const name of names) {
      const { platform, settings, credentials } = fakes[name].demoChannel();
      const res = await api.admin.post(`${base}/channels`, { platform, displayName: `Fakeville on ${name}`, settings, credentials });
      expect(res.status).toBe(201);
      channels[name] = res.body.id;
    }
    const image = await api.admin.upload(`${base}/media`, png(120, 80), 'parc.png', 'image/png');
    expect(image.status).toBe(201);
    imageId = image.body.id;
  });
  afterAll(async () => {
    await api?.stop();
    for (const fake of Object.values(fakes)) await fake.stop();
  });

  async function approvedPost(on: Name[], variant: { text: string; thread?: string[] }, withImage: boolean): Promise<string> {
    const post = await api.admin.post(`${base}/posts`, {
      campaignId,
      channelIds: on.map((n) => channels[n]),
      variants: [{ language: 'ro', ...variant }],
      media: withImage ? [{ mediaId: imageId, altText: { ro: 'Harta parcului nou, cu aleile și locul de joacă' } }] : [],
      scheduledAt: new Date(Math.ceil((clock.now().getTime() + 1_500) / 1000) * 1000).toISOString(),
    });
    expect(post.status).toBe(201);
    const submit = await api.admin.post(`/api/posts/${post.body.id}/submit`);
    expect({ status: submit.status, body: submit.status === 200 ? 'ok' : submit.body }).toEqual({ status: 200, body: 'ok' });
    expect((await editor.post(`/api/posts/${post.body.id}/approve`)).status).toBe(200);
    return post.body.id;
  }

  type Target = {
    id: string;
    channelId: string;
    status: string;
    externalId: string | null;
    externalParts: unknown[];
    lastError: string | null;
    events: Array<{ toStatus: string; outcome: string; params: Record<string, string | number> }>;
  };

  /** The post's targets once each satisfies `done`, while time runs on the app's clock: half a second, with the passes and jobs it brings, per look. */
  async function waitForTargets(postId: string, done: (t: Target) => boolean, timeoutMs = 45_000): Promise<Target[]> {
    return poll(
      'targets done',
      async (): Promise<Target[]> => {
        await elapse(api, 500);
        return (await api.admin.get(`/api/posts/${postId}`)).body.targets;
      },
      (targets) => targets.every(done),
      timeoutMs,
      {
        everyMs: 20,
        describe: (targets) =>
          JSON.stringify(
            targets.map((t) => ({ ...t, events: t.events.map((e) => `${e.toStatus}: ${e.outcome}`) })),
            null,
            1,
          ),
      },
    );
  }

  const copies = (name: Name, text: string) => fakes[name].ledger.filter((e: LedgerEntry) => e.text.startsWith(text));
  const byChannel = (targets: Target[]) =>
    Object.fromEntries(
      names
        .filter((n) => targets.some((t) => t.channelId === channels[n]))
        .map((n) => [n, targets.find((t) => t.channelId === channels[n])!]),
    );

  it('verifies every channel and records whom it posts as', async () => {
    for (const name of names) {
      const res = await api.admin.post(`${base}/channels/${channels[name]}/verify`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(res.body.account).toMatchObject({ id: expect.any(String), handle: expect.any(String) });
      expect(res.body.settings.account.handle).toBe(res.body.account.handle);
      expect(JSON.stringify(res.body)).not.toContain(Object.values(fakes[name].demoChannel().credentials).at(-1));
    }
    // Mastodon tells its instance's limits, which the composer then uses.
    expect((await api.admin.get(`${base}/channels/${channels.mastodon}`)).body.settings).toMatchObject({ maxCharacters: 500 });
  });

  it('publishes a post with an image and its alt text on all six platforms, once each', async () => {
    const text = 'Parcul nou se deschide sâmbătă: veniți să-l vedeți';
    const postId = await approvedPost(names, { text }, true);
    const targets = byChannel(await waitForTargets(postId, (t) => t.status === 'published'));
    for (const name of names) {
      const found = copies(name, text);
      expect({ name, copies: found.length }).toEqual({ name, copies: 1 });
      expect({ name, alt: JSON.stringify(found[0]) }).toEqual({ name, alt: expect.stringContaining('Harta parcului nou') });
      expect(targets[name]!.externalId).toBeTruthy();
    }
  });

  it('withdraws a published post from every platform, keeping the record and the reason', async () => {
    const text = 'Anunț cu data greșită';
    const postId = await approvedPost(names, { text }, true);
    const targets = await waitForTargets(postId, (t) => t.status === 'published');
    const deletes: Record<Name, string> = {
      x: 'tweets.delete',
      mastodon: 'delete_status',
      bluesky: 'deleteRecord',
      facebook: 'delete',
      linkedin: 'posts_delete',
      telegram: 'deleteMessage',
    };
    for (const t of targets) {
      const res = await editor.post(`/api/posts/${postId}/targets/${(t as Target & { id: string }).id}/withdraw`, {
        reason: 'Data greșită; urmează o corectură',
      });
      expect(res.status).toBe(200);
    }
    const after = byChannel((await api.admin.get(`/api/posts/${postId}`)).body.targets);
    for (const name of names) {
      expect({ name, status: after[name]!.status }).toEqual({ name, status: 'withdrawn' });
      expect(after[name]!.events.at(-1)).toMatchObject({ outcome: 'withdrawn', params: { reason: 'Data greșită; urmează o corectură' } });
      expect({ name, deleted: fakes[name].requests.some((r) => r.route === deletes[name] && r.status! >= 200 && r.status! < 300) }).toEqual(
        { name, deleted: true },
      );
    }
    // Once withdrawn, there is nothing left to withdraw.
    const again = await editor.post(`/api/posts/${postId}/targets/${(targets[0] as Target & { id: string }).id}/withdraw`, {
      reason: 'twice',
    });
    expect(again.status).toBe(409);
  });

  it('publishes a thread as replies, each part once, where the platform has threads', async () => {
    const text = 'Consultarea publică despre parc, partea întâi';
    const thread = ['Partea a doua: cum răspundeți', 'Partea a treia: termenul este 15 ianuarie'];
    const threaded: Name[] = ['x', 'mastodon', 'bluesky', 'telegram'];
    const postId = await approvedPost(threaded, { text, thread }, false);
    const targets = byChannel(await waitForTargets(postId, (t) => t.status === 'published'));
    for (const name of threaded) {
      const parts = [text, ...thread].map((t) => copies(name, t));
      expect({ name, copies: parts.map((p) => p.length) }).toEqual({ name, copies: [1, 1, 1] });
      expect(targets[name]!.externalParts).toHaveLength(3);
    }
  });

  it("survives each platform's own faults and publishes every post exactly once", async () => {
    const text = 'Program prelungit la primărie în decembrie';
    fakes.x.fail({ fault: 'accept_then_drop', on: 'tweets.create' });
    fakes.mastodon.rateLimitResetAt = new Date(Math.ceil((clock.now().getTime() + 4_000) / 1000) * 1000);
    fakes.mastodon.fail({ fault: 'rate_limit', on: 'create_status' });
    fakes.bluesky.fail({ fault: 'accept_then_error', on: 'createRecord' });
    fakes.facebook.fail({ fault: 'accept_then_drop', on: 'photos' });
    fakes.linkedin.fail({ fault: 'server_error', on: 'posts_create' });
    fakes.telegram.fail({ fault: 'rate_limit', on: 'sendPhoto' });
    const postId = await approvedPost(names, { text }, true);
    const targets = byChannel(await waitForTargets(postId, (t) => t.status === 'published', 60_000));
    for (const name of names) expect({ name, copies: copies(name, text).length }).toEqual({ name, copies: 1 });
    const path = (name: Name) => targets[name]!.events.map((e) => e.toStatus);
    // A dropped answer is asked about, not sent again; a server error on a post that was not stored is sent again.
    expect(path('x')).toContain('unconfirmed');
    expect(path('facebook')).toContain('unconfirmed');
    expect(path('linkedin')).toEqual(expect.arrayContaining(['unconfirmed', 'queued']));
    expect(targets.linkedin!.events.some((e) => e.outcome === 'reconciled_absent')).toBe(true);
    // Rate limits wait for the platform's own reset.
    expect(targets.mastodon!.events.some((e) => e.outcome === 'platform_rate_limit' && typeof e.params.until === 'string')).toBe(true);
    expect(targets.telegram!.events.some((e) => e.outcome === 'platform_rate_limit' && typeof e.params.until === 'string')).toBe(true);
    for (const f of Object.values(fakes)) f.clearFaults();
  });

  it('resumes a thread interrupted after part 2 went out without an answer, sending only part 3', async () => {
    const text = 'Bugetul participativ: votul începe luni';
    const thread = ['Cum votați: online sau la ghișeu', 'Rezultatele: pe 1 februarie'];
    fakes.x.fail({ fault: 'accept_then_drop', on: 'tweets.create', skip: 1 });
    const postId = await approvedPost(['x'], { text, thread }, false);
    const [target] = await waitForTargets(postId, (t) => t.status === 'published');
    expect([text, ...thread].map((t) => copies('x', t).length)).toEqual([1, 1, 1]);
    expect(target!.events.some((e) => e.outcome === 'reconciled_partial' && e.params.part === 2)).toBe(true);
    const [p1, p2, p3] = [text, ...thread].map((t) => copies('x', t)[0]!);
    expect([p2!.inReplyTo, p3!.inReplyTo]).toEqual([p1!.id, p2!.id]);
  });

  it('leaves a Telegram part whose answer was lost for a person to check, and sends nothing more', async () => {
    const text = 'Atenție: apa caldă se oprește joi';
    const thread = ['Străzile afectate: Florilor, Teilor', 'Revenim cu detalii'];
    fakes.telegram.fail({ fault: 'accept_then_drop', on: 'sendMessage', skip: 1 });
    const postId = await approvedPost(['telegram'], { text, thread }, false);
    const [target] = await waitForTargets(postId, (t) => t.status === 'unconfirmed' && t.events.some((e) => e.outcome === 'person_asked'));
    // Part 2 reached the channel; CivicPost cannot see that, so it neither repeats it nor sends part 3.
    expect([text, ...thread].map((t) => copies('telegram', t).length)).toEqual([1, 1, 0]);
    expect(target!.externalParts).toHaveLength(1);
    expect(target!.lastError).toContain('t.me/civicpost_test');

    // An editor looks at the channel, finds part 2 and gives its message id: part 3 follows as a reply to it.
    const part2 = copies('telegram', thread[0]!)[0]!;
    const settled = await editor.post(`/api/posts/${postId}/targets/${(target as Target & { id: string }).id}/resolve`, {
      outcome: 'published',
      externalId: part2.id,
      url: `https://t.me/civicpost_test/${part2.id}`,
      note: 'seen in the channel',
    });
    expect(settled.status).toBe(200);
    const [done] = await waitForTargets(postId, (t) => t.status === 'published');
    expect([text, ...thread].map((t) => copies('telegram', t).length)).toEqual([1, 1, 1]);
    expect(copies('telegram', thread[1]!)[0]!.inReplyTo).toBe(part2.id);
    expect(done!.events.map((e) => e.outcome)).toContain('settled_partial');
  });

  it('refuses to settle a publication that is not waiting for a person', async () => {
    const postId = await approvedPost(['mastodon'], { text: 'Deja publicat, nimic de confirmat' }, false);
    const [target] = await waitForTargets(postId, (t) => t.status === 'published');
    const res = await editor.post(`/api/posts/${postId}/targets/${(target as Target & { id: string }).id}/resolve`, {
      outcome: 'not_published',
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('this one is published');
  });

  it('keeps the real lateness of a publication a person settled as not published and that went out again', async () => {
    const text = 'Consultare publică: bugetul participativ';
    // No answer in time (and nothing stored): Telegram cannot be asked, so a person must check.
    fakes.telegram.fail({ fault: 'hang', on: 'sendMessage' });
    const postId = await approvedPost(['telegram'], { text }, false);
    const [asked] = (await waitForTargets(
      postId,
      (t) => t.status === 'unconfirmed' && t.events.at(-1)?.outcome === 'person_asked',
    )) as Array<Target & { id: string; scheduledAt: string }>;
    const dueAt = new Date(asked!.scheduledAt);
    // The person checks four minutes later and does not find it.
    expect(copies('telegram', text)).toHaveLength(0);
    await elapse(api, 240_000, 60_000);
    const settled = await editor.post(`/api/posts/${postId}/targets/${asked!.id}/resolve`, { outcome: 'not_published' });
    expect(settled.status).toBe(200);
    expect(settled.body.targets[0]).toMatchObject({ status: 'scheduled', scheduledAt: dueAt.toISOString() });
    const [done] = (await waitForTargets(postId, (t) => t.status === 'published')) as Array<Target & { publishedAt: string }>;
    expect(copies('telegram', text)).toHaveLength(1);
    const lateness = (new Date(done!.publishedAt).getTime() - dueAt.getTime()) / 1000;
    expect(lateness).toBeGreaterThanOrEqual(240);
    // Days either side wide enough for any hour of the run: the report reads dates in the institution's zone.
    const day = (n: number) => new Date(dueAt.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    const report = await editor.get(`${base}/reports/punctuality?from=${day(-2)}&to=${day(2)}`);
    expect(report.status).toBe(200);
    const telegram = report.body.byChannel.find((c: { channel: { id: string } }) => c.channel.id === channels.telegram);
    expect(telegram.maxSeconds).toBeGreaterThanOrEqual(240);
  });

  it('cancels only what has not gone out, and refuses to cancel what all went out', async () => {
    const published = await approvedPost(['mastodon'], { text: 'Deja pe platformă, nu se anulează' }, false);
    await waitForTargets(published, (t) => t.status === 'published');
    const refused = await editor.post(`/api/posts/${published}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'already_published', message: expect.stringContaining('published') });
    expect((await editor.get(`/api/posts/${published}`)).body).toMatchObject({ status: 'approved', targets: [{ status: 'published' }] });

    // One channel publishes; the other is held by a window on it alone, then the post is cancelled.
    const partly = await approvedPost(['mastodon', 'bluesky'], { text: 'Jumătate publicat, jumătate oprit' }, false);
    const window = await api.admin.post(`${base}/blackouts`, {
      startsAt: new Date(clock.now().getTime() - 60_000).toISOString(),
      endsAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      reason: 'Doliu național',
      channelIds: [channels.bluesky],
    });
    expect(window.status).toBe(201);
    await waitForTargets(partly, (t) => t.status === (t.channelId === channels.mastodon ? 'published' : 'held'));
    const cancelled = await editor.post(`/api/posts/${partly}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('approved');
    expect(byChannel(cancelled.body.targets)).toMatchObject({ mastodon: { status: 'published' }, bluesky: { status: 'cancelled' } });
    expect(cancelled.body.cancellation.kept).toEqual([
      { targetId: byChannel(cancelled.body.targets).mastodon!.id, channelId: channels.mastodon, status: 'published' },
    ]);
    expect((await api.admin.delete(`${base}/blackouts/${window.body.id}`)).status).toBe(204);
  });

  it('refuses to edit a post that has gone out: the platform would still show the old text', async () => {
    const postId = await approvedPost(['mastodon'], { text: 'Textul publicat rămâne cel publicat' }, false);
    await waitForTargets(postId, (t) => t.status === 'published');
    const edit = await api.admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: 'Alt text' }] });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('post_published');
    const after = (await editor.get(`/api/posts/${postId}`)).body;
    expect(after).toMatchObject({ status: 'approved', variants: [{ text: 'Textul publicat rămâne cel publicat' }] });
  });

  it('retries a failed publication once its channel is reconnected, and it goes out once', async () => {
    const text = 'Trimis din nou după reconectare';
    fakes.mastodon.fail({ fault: 'expired_token', on: 'create_status' });
    const postId = await approvedPost(['mastodon'], { text }, false);
    const [failed] = (await waitForTargets(postId, (t) => t.status === 'failed')) as Array<Target & { id: string }>;
    const retry = () => editor.post(`/api/posts/${postId}/targets/${failed!.id}/retry`);
    const early = await retry();
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'channel_not_active', message: expect.stringContaining('needs_reconnect') });
    expect((await api.admin.post(`${base}/channels/${channels.mastodon}/verify`)).body.status).toBe('active');
    const again = await retry();
    expect(again.status).toBe(200);
    expect(again.body.targets[0]).toMatchObject({ status: 'scheduled', attempts: 0 });
    const [done] = await waitForTargets(postId, (t) => t.status === 'published');
    expect(copies('mastodon', text)).toHaveLength(1);
    expect(done!.events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['credentials_refused', 'retried', 'published']));
    const twice = await retry();
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'invalid_transition', message: expect.stringContaining('this one is published') });
  });

  it('marks the channel as needing reconnection when the platform refuses the credentials', async () => {
    fakes.mastodon.fail({ fault: 'expired_token', on: 'create_status' });
    const postId = await approvedPost(['mastodon'], { text: 'Un anunț care nu pleacă' }, false);
    const [target] = await waitForTargets(postId, (t) => t.status === 'failed');
    expect(target!.lastError).toBeTruthy();
    expect((await api.admin.get(`${base}/channels/${channels.mastodon}`)).body.status).toBe('needs_reconnect');
    // Verifying again with working credentials reconnects it.
    const verified = await api.admin.post(`${base}/channels/${channels.mastodon}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('active');
  });
});
