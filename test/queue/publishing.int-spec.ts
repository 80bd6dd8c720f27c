import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { jobIds, QUEUES, type ReconcileJob } from '#src/queue/queues.js';
import { Tx } from '#src/storage/tx.js';
import { TestApi, type Client } from '#test/support/api.js';
import { TestClock } from '#test/support/clock.js';
import { drainQueues, elapse, jobCheckPass } from '#test/support/passes.js';
import { poll } from '#test/support/poll.js';
import { currentMode } from '#test/support/test-storage.js';
import { pipelineEvents, waitingForPerson } from '#test/support/targets.js';

/**
 * Approved posts go out at their time through the real queue, once, with every transition recorded. The test runs the
 * scheduler's passes and moves the app's clock itself (test/support/passes.ts): time passes without being waited for.
 */
describe(`publishing through the queue (${currentMode()} storage)`, () => {
  const clock = new TestClock(new Date('2026-12-07T08:00:00.000Z'));
  const now = () => clock.now().getTime();
  let api: TestApi;
  let base: string;
  let editor: Client;
  let campaignId: string;
  let channelSeq = 0;

  beforeAll(async () => {
    // The crons never run by themselves: each test runs the passes it needs.
    api = await TestApi.start({ SCHEDULER_INTERVAL_MS: '3600000', METRICS_INTERVAL_MS: '3600000', DUE_WINDOW_SECONDS: '60' }, { clock });
    const inst = await api.admin.post('/api/institutions', {
      name: 'Pipeline Town',
      slug: 'pipeline-town',
      timeZone: 'Europe/Bucharest',
      languages: ['en'],
    });
    base = `/api/institutions/${inst.body.id}`;
    editor = await api.member(api.admin, inst.body.id, 'editor@pipeline.example', 'editor');
    campaignId = (
      await api.admin.post(`${base}/campaigns`, { title: 'Launch of the e-service', startsOn: '2026-01-01', endsOn: '2027-12-31' })
    ).body.id;
  });
  afterAll(async () => api?.stop());

  async function sandboxChannel(
    settings: Record<string, unknown> = {},
    rateLimit?: { posts: number; windowSeconds: number },
  ): Promise<string> {
    const res = await api.admin.post(`${base}/channels`, {
      platform: 'sandbox',
      displayName: `Sandbox ${++channelSeq}`,
      settings,
      rateLimit,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Written by the admin, approved by the editor, due `inMs` from now (on the app's clock). */
  async function approvedPost(
    channelIds: string[],
    inMs: number,
    text = 'The new e-service is live: https://pipeline.example/e',
  ): Promise<{ id: string; scheduledAt: Date }> {
    const scheduledAt = new Date(Math.ceil((now() + inMs) / 1000) * 1000); // whole seconds, as CivicPost stores them
    const post = await api.admin.post(`${base}/posts`, {
      campaignId,
      channelIds,
      variants: [{ language: 'en', text }],
      scheduledAt: scheduledAt.toISOString(),
    });
    expect(post.status).toBe(201);
    expect((await api.admin.post(`/api/posts/${post.body.id}/submit`)).status).toBe(200);
    const approved = await editor.post(`/api/posts/${post.body.id}/approve`);
    expect(approved.status).toBe(200);
    return { id: post.body.id, scheduledAt };
  }

  /** The post once its targets' statuses satisfy `done`: reached by the passes and jobs a test has run, so soon. */
  async function waitForTargets(postId: string, done: (statuses: string[]) => boolean, timeoutMs = 10_000) {
    return poll(
      `targets of post ${postId}`,
      async () => (await api.admin.get(`/api/posts/${postId}`)).body,
      (post) => done(post.targets.map((t: { status: string }) => t.status)),
      timeoutMs,
      50,
    );
  }

  /** Time on the app's clock runs on to `at` (the scheduler's passes, the jobs due), in steps of `stepMs`. */
  async function elapseTo(at: Date, stepMs?: number): Promise<void> {
    const ms = Math.max(0, at.getTime() - now());
    await elapse(api, ms, stepMs ?? Math.max(ms, 1));
  }

  async function feedCount(channelId: string): Promise<number> {
    const [row] = await api.running.runtime.dataSource.query(`SELECT count(*)::int AS n FROM sandbox_posts WHERE channel_id = $1`, [
      channelId,
    ]);
    return row.n;
  }

  it('schedules 09:00 Europe/Bucharest on the last Sunday of March at 06:00 UTC, and the day before at 07:00 UTC', async () => {
    const channel = await sandboxChannel();
    for (const [local, utc] of [
      ['2027-03-28T09:00', '2027-03-28T06:00:00.000Z'],
      ['2027-03-27T09:00', '2027-03-27T07:00:00.000Z'],
    ]) {
      const post = await api.admin.post(`${base}/posts`, {
        campaignId,
        channelIds: [channel],
        variants: [{ language: 'en', text: 'Spring' }],
        scheduledAt: local,
        timeZone: 'Europe/Bucharest',
      });
      expect(post.body).toMatchObject({ scheduledAt: utc, timeZone: 'Europe/Bucharest', targets: [{ scheduledAt: utc }] });
    }
  });

  it('publishes an approved post at its time, once, and records each transition', async () => {
    const channel = await sandboxChannel();
    const { id, scheduledAt } = await approvedPost([channel], 1_500);
    await elapseTo(scheduledAt);
    const post = await waitForTargets(id, (s) => s.every((x) => x === 'published'));
    const [target] = post.targets;
    expect(new Date(target.publishedAt).getTime()).toBeGreaterThanOrEqual(scheduledAt.getTime());
    expect(target.externalId).toEqual(expect.any(String));
    // Every change of its state is an event, the review included, each with its code.
    expect(target.events.map((e: { toStatus: string; outcome: string }) => [e.toStatus, e.outcome])).toEqual([
      ['draft', 'added'],
      ['in_review', 'submitted'],
      ['approved', 'approved'],
      ['scheduled', 'scheduled'],
      ['queued', 'due'],
      ['publishing', 'claimed'],
      ['published', 'published'],
    ]);
    expect(target.events[5]).toMatchObject({ attempt: 1, outcome: 'claimed' });
    expect(await feedCount(channel)).toBe(1);
    const feed = await api.admin.get(`${base}/channels/${channel}/sandbox-feed`);
    expect(feed.body).toMatchObject({
      sandbox: true,
      total: 1,
      items: [
        {
          id: target.externalId,
          text: 'The new e-service is live: https://pipeline.example/e',
          engagement: { views: expect.any(Number), likes: expect.any(Number) },
        },
      ],
    });
    expect(feed.body.notice).toMatch(/^SANDBOX: nothing here was published/);
  });

  it('holds what comes due while the institution is suspended, and sends it on resume', async () => {
    const channel = await sandboxChannel();
    expect((await api.admin.post(`${base}/suspend`, { reason: 'Election silence ordered by the prefect' })).status).toBe(200);
    const { id, scheduledAt } = await approvedPost([channel], 300);
    await elapseTo(scheduledAt);
    const held = await waitForTargets(id, (s) => s.every((x) => x === 'held'));
    expect(held.targets[0]).toMatchObject({ holdKind: 'suspension', holdRef: null });
    expect(held.targets[0].events.at(-1)).toMatchObject({
      outcome: 'held_suspension',
      params: { reason: 'Election silence ordered by the prefect' },
    });
    expect(await feedCount(channel)).toBe(0);

    const resumed = await api.admin.post(`${base}/resume`);
    expect(resumed.body).toMatchObject({ suspendedAt: null, released: 1 });
    await elapse(api, 0);
    await waitForTargets(id, (s) => s.every((x) => x === 'published'));
    expect(await feedCount(channel)).toBe(1);
  });

  it('moves a post to its new time when rescheduled, and cancels one not yet claimed', async () => {
    const channel = await sandboxChannel();
    const later = await approvedPost([channel], 50_000);
    await elapse(api, 0);
    await waitForTargets(later.id, (s) => s.every((x) => x === 'queued')); // already queued as a delayed job
    const movedTo = new Date(now() + 500);
    const moved = await api.admin.post(`/api/posts/${later.id}/schedule`, {
      scheduledAt: movedTo.toISOString(),
      timeZone: 'Europe/Bucharest',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.targets[0]).toMatchObject({ status: 'scheduled', revision: 2 });
    await elapseTo(movedTo);
    await waitForTargets(later.id, (s) => s.every((x) => x === 'published'));

    const cancelled = await approvedPost([channel], 40_000);
    await elapse(api, 0); // queued as a delayed job before it is cancelled
    expect((await api.admin.post(`/api/posts/${cancelled.id}/cancel`)).body.targets[0].status).toBe('cancelled');
    // The delayed job of the old time and the one of the first revision find nothing to do.
    await elapseTo(later.scheduledAt, 10_000);
    expect(await feedCount(channel)).toBe(1);
  });

  it('fails a refused post with the platform reason, and marks a channel whose credentials are refused', async () => {
    const invalid = await sandboxChannel({ sandbox: { fail: 'invalid' } });
    const auth = await sandboxChannel({ sandbox: { fail: 'auth' } });
    const { id, scheduledAt } = await approvedPost([invalid, auth], 200);
    await elapseTo(scheduledAt);
    const post = await waitForTargets(id, (s) => s.every((x) => x === 'failed'));
    expect(post.targets.map((t: { lastError: string }) => t.lastError).sort()).toEqual([
      'sandbox: injected auth failure',
      'sandbox: injected invalid failure',
    ]);
    expect((await api.admin.get(`${base}/channels/${auth}`)).body.status).toBe('needs_reconnect');
    expect((await api.admin.get(`${base}/channels/${invalid}`)).body.status).toBe('active');
  });

  it('asks the platform after an ambiguous answer instead of sending again', async () => {
    const channel = await sandboxChannel({ sandbox: { ambiguousAfterWrite: 1 } });
    const { id, scheduledAt } = await approvedPost([channel], 200);
    await elapseTo(scheduledAt);
    const post = await waitForTargets(id, (s) => s.every((x) => x === 'published'));
    expect(pipelineEvents<{ toStatus: string }>(post.targets[0].events).map((e) => e.toStatus)).toEqual([
      'scheduled',
      'queued',
      'publishing',
      'unconfirmed',
      'published',
    ]);
    expect(post.targets[0].attempts).toBe(1);
    expect(await feedCount(channel)).toBe(1);
  });

  it('leaves a publication waiting for a person alone, even once its finished reconcile job has expired from the queue', async () => {
    // Like Telegram: the answer was lost and the platform cannot be asked, so reconciliation hands it to a person.
    const channel = await sandboxChannel({ sandbox: { fail: 'ambiguous', unconfirmable: true } });
    const { id, scheduledAt } = await approvedPost([channel], 200);
    await elapseTo(scheduledAt);
    const target = await poll(
      'target waiting for a person',
      async () => (await api.admin.get(`/api/posts/${id}`)).body.targets[0],
      waitingForPerson,
      10_000,
    );
    const events = target.events.length;
    // A completed reconcile job is removed after a day; the job check must not take that as a lost job.
    const queue = api.running.app.get<Queue<ReconcileJob>>(getQueueToken(QUEUES.reconcile));
    const jobId = jobIds.reconcile(target.id, target.revision, target.attempts);
    expect(await queue.getJobState(jobId)).toBe('completed');
    await queue.remove(jobId);
    // Two job checks (the first finds it unconfirmed for 5 s and more), and whatever they would queue run to its end.
    for (const check of [1, 2]) expect({ check, ...(await jobCheckPass(api)) }).toEqual({ check, queued: 0, requeued: 0, reconciled: 0 });
    await drainQueues(api);
    const after = (await api.admin.get(`/api/posts/${id}`)).body.targets[0];
    expect(after.status).toBe('unconfirmed');
    expect(after.events).toHaveLength(events);
    expect(await queue.getJobState(jobId)).toBe('unknown');
  });

  it('honours a channel limit of posts per window without holding up other channels', async () => {
    const limited = await sandboxChannel({}, { posts: 1, windowSeconds: 3 });
    const free = await sandboxChannel();
    const first = await approvedPost([limited], 300, 'First of two');
    const second = await approvedPost([limited, free], 300, 'Second of two');
    // Past the window, a second at a time.
    await elapseTo(new Date(Math.max(first.scheduledAt.getTime(), second.scheduledAt.getTime()) + 4_000), 1_000);
    const a = await waitForTargets(first.id, (s) => s.every((x) => x === 'published'));
    const b = await waitForTargets(second.id, (s) => s.every((x) => x === 'published'));
    const onLimited = (post: { targets: Array<{ channelId: string; publishedAt: string }> }) =>
      new Date(post.targets.find((t) => t.channelId === limited)!.publishedAt).getTime();
    const onFree = new Date(b.targets.find((t: { channelId: string }) => t.channelId === free).publishedAt).getTime();
    const [early, late] = [onLimited(a), onLimited(b)].sort();
    expect(late! - early!).toBeGreaterThanOrEqual(3_000);
    expect(onFree).toBeLessThan(late!);
  });

  it('sends posts due together on a limited channel one after another, none waiting for ever on the others', async () => {
    const limited = await sandboxChannel({}, { posts: 1, windowSeconds: 2 });
    // Approved first, due at one instant: their claims come together, and each sees the others in flight.
    const scheduledAt = new Date(Math.ceil((now() + 2_000) / 1000) * 1000);
    const ids: string[] = [];
    for (const text of ['One', 'Two', 'Three']) {
      const post = await api.admin.post(`${base}/posts`, {
        campaignId,
        channelIds: [limited],
        variants: [{ language: 'en', text }],
        scheduledAt: scheduledAt.toISOString(),
      });
      expect((await api.admin.post(`/api/posts/${post.body.id}/submit`)).status).toBe(200);
      expect((await editor.post(`/api/posts/${post.body.id}/approve`)).status).toBe(200);
      ids.push(post.body.id);
    }
    await elapseTo(new Date(scheduledAt.getTime() + 6_000), 1_000);
    const times: number[] = [];
    for (const id of ids)
      times.push(new Date((await waitForTargets(id, (s) => s.every((x) => x === 'published'))).targets[0].publishedAt).getTime());
    times.sort((a, b) => a - b);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2_000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(2_000);
    expect(await feedCount(limited)).toBe(3);
  });

  it('gives a rate-window slot to whichever target asks first, whatever the order of their claim times', async () => {
    // The race that let two posts out together: the target claimed later checked the window before the
    // earlier claim had committed, and the earlier one then ignored it as "claimed after me".
    const limited = await sandboxChannel({}, { posts: 1, windowSeconds: 60 });
    const { id } = await approvedPost([limited], 86_400_000);
    const { id: other } = await approvedPost([limited], 86_400_000);
    const rows = await api.running.runtime.dataSource.query(
      `SELECT id, institution_id FROM publication_targets WHERE post_id = ANY($1) ORDER BY post_id = $2 DESC`,
      [[id, other], id],
    );
    const [early, late] = rows as Array<{ id: string; institution_id: string }>;
    const at = clock.now();
    const claim = (targetId: string, at: Date) =>
      api.running.runtime.dataSource.query(
        `UPDATE publication_targets SET status = 'publishing', claimed_at = $2, sending_at = NULL WHERE id = $1`,
        [targetId, at],
      );
    await claim(early!.id, new Date(at.getTime() - 10));
    await claim(late!.id, at);
    const targets = api.running.app.get(TargetsRepository);
    const tx = api.running.app.get(Tx);
    const take = (targetId: string) =>
      tx.run(() => targets.takeWindowSlot(early!.institution_id, limited, new Date(at.getTime() - 60_000), 1, targetId, at));
    try {
      expect(await take(late!.id)).toEqual({ taken: true });
      expect(await take(early!.id)).toEqual({ taken: false, published: [] });
    } finally {
      await api.running.runtime.dataSource.query(`UPDATE publication_targets SET status = 'cancelled' WHERE id = ANY($1)`, [
        [early!.id, late!.id],
      ]);
    }
  });

  it('refuses to schedule into a blackout window, naming it', async () => {
    const channel = await sandboxChannel();
    const start = new Date(now() + 3_600_000);
    const window = await api.admin.post(`${base}/blackouts`, {
      channelIds: [channel],
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      reason: 'Election silence',
    });
    expect(window.status).toBe(201);
    const res = await api.admin.post(`${base}/posts`, {
      campaignId,
      channelIds: [channel],
      variants: [{ language: 'en', text: 'Vote for us' }],
      scheduledAt: new Date(start.getTime() + 60_000).toISOString(),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'blackout', details: { blackout: { id: window.body.id, reason: 'Election silence' } } });
    expect(res.body.message).toContain('Election silence');
  });

  it('holds posts already scheduled inside a new window; they wait for a person after it ends, or an admin override', async () => {
    const channel = await sandboxChannel();
    const waiting = await approvedPost([channel], 1_500, 'Waits for a person');
    const urgent = await approvedPost([channel], 1_500, 'Flood warning');
    const endsAt = new Date(now() + 3_000);
    const window = await api.admin.post(`${base}/blackouts`, {
      startsAt: new Date(now() - 1_000).toISOString(),
      endsAt: endsAt.toISOString(),
      reason: 'National mourning',
    });
    expect(window.body.held).toBe(2);
    for (const id of [waiting.id, urgent.id])
      expect((await api.admin.get(`/api/posts/${id}`)).body.targets[0]).toMatchObject({
        status: 'held',
        holdKind: 'blackout',
        holdRef: window.body.id,
      });

    expect((await editor.post(`/api/posts/${urgent.id}/blackout-override`, { reason: 'The public must be warned now' })).status).toBe(403);
    const override = await api.admin.post(`/api/posts/${urgent.id}/blackout-override`, { reason: 'The public must be warned now' });
    expect(override.status).toBe(200);
    await elapseTo(urgent.scheduledAt);
    await waitForTargets(urgent.id, (s) => s.every((x) => x === 'published'));

    // The window is over: what it held still waits for a decision, then goes when rescheduled.
    await elapseTo(new Date(endsAt.getTime() + 1_000), 1_000);
    expect((await api.admin.get(`/api/posts/${waiting.id}`)).body.targets[0].status).toBe('held');
    const rescheduled = new Date(now() + 500);
    expect((await api.admin.post(`/api/posts/${waiting.id}/schedule`, { scheduledAt: rescheduled.toISOString() })).status).toBe(200);
    await elapseTo(rescheduled);
    await waitForTargets(waiting.id, (s) => s.every((x) => x === 'published'));
    expect(await feedCount(channel)).toBe(2);
    const audit = await api.admin.get(`${base}/audit?action=post.blackout_overridden`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        targetId: urgent.id,
        data: expect.objectContaining({ reason: 'The public must be warned now', released: 1 }),
      }),
    ]);
  });

  it('publishes each occurrence of a recurring post as its own target', async () => {
    const channel = await sandboxChannel();
    const first = new Date(Math.ceil((now() + 1_500) / 1000) * 1000);
    const post = await api.admin.post(`${base}/posts`, {
      campaignId,
      channelIds: [channel],
      variants: [{ language: 'en', text: 'Reminder' }],
      scheduledAt: first.toISOString(),
      recurrence: 'FREQ=HOURLY;COUNT=3',
    });
    expect(post.status).toBe(201);
    await api.admin.post(`/api/posts/${post.body.id}/submit`);
    const approved = await editor.post(`/api/posts/${post.body.id}/approve`);
    const occurrences = approved.body.targets.filter((t: { occurrenceAt: string | null }) => t.occurrenceAt);
    const hour = 3_600_000;
    expect(occurrences.map((t: { occurrenceAt: string }) => new Date(t.occurrenceAt).getTime() - first.getTime())).toEqual([
      0,
      hour,
      2 * hour,
    ]);
    // Two hours on the app's clock, a pass every ten minutes.
    await elapseTo(new Date(first.getTime() + 2 * hour), 600_000);
    const done = await waitForTargets(post.body.id, (s) => s.filter((x) => x === 'published').length === 3);
    expect(done.targets.find((t: { occurrenceAt: string | null }) => !t.occurrenceAt).status).toBe('approved');
    expect(await feedCount(channel)).toBe(3);
  });

  it('retries a temporary failure with backoff, as a new attempt', async () => {
    const channel = await sandboxChannel({ sandbox: { failFirst: 1 } });
    const { id, scheduledAt } = await approvedPost([channel], 300);
    await elapseTo(new Date(scheduledAt.getTime() + 6_000), 1_000); // past the first backoff
    const post = await waitForTargets(id, (s) => s.every((x) => x === 'published'));
    const events = pipelineEvents(post.targets[0].events as Array<{ toStatus: string; attempt: number; error: string | null; at: string }>);
    expect(events.map((e) => e.toStatus)).toEqual(['scheduled', 'queued', 'publishing', 'queued', 'publishing', 'published']);
    expect(events[3]).toMatchObject({ error: 'sandbox: injected transient failure 1 of 1' });
    expect(post.targets[0].attempts).toBe(2);
    // The first backoff is 5 s.
    expect(new Date(events[4]!.at).getTime() - new Date(events[3]!.at).getTime()).toBeGreaterThanOrEqual(4_900);
    expect(await feedCount(channel)).toBe(1);
  });

  it("shows a sandbox channel's feed as a page, labelled, with every text inert", async () => {
    const channel = await sandboxChannel();
    const { id, scheduledAt } = await approvedPost([channel], 300, 'Hello <script>alert("x")</script> & welcome');
    await elapseTo(scheduledAt);
    await waitForTargets(id, (s) => s.every((x) => x === 'published'));
    // The stored address leads (303) to the feed inside the staff pages, under their strict CSP.
    const page = await api.admin.request('GET', `/sandbox/${channel}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(page.body).toContain('SANDBOX: training only. Nothing on this page was published on any platform');
    expect(page.body).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; welcome');
    expect(page.body).not.toContain('<script>');

    const other = await api.admin.post('/api/institutions', {
      name: 'Elsewhere',
      slug: 'elsewhere-sandbox',
      timeZone: 'UTC',
      languages: ['en'],
    });
    const outsider = await api.member(api.admin, other.body.id, 'outsider@elsewhere.example', 'admin');
    expect((await outsider.request('GET', `/sandbox/${channel}`)).status).toBe(404);
  });
});
