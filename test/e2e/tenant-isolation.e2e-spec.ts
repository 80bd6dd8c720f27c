import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { seedInstitution, TestApi, type Client, type Reply } from '#test/support/api.js';
import { png } from '#test/support/images.js';

/**
 * Institution B's people, even its admin, find nothing of institution A: every
 * per-institution operation of the OpenAPI document, called with A's ids, answers 404
 * and leaves A exactly as it was.
 */

/** Operations that are not about one institution, so not part of this check. */
const NOT_PER_INSTITUTION = [
  'GET /health',
  'GET /health/live',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/me',
  'POST /api/me/password',
  'GET /api/institutions',
  'POST /api/institutions',
];

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

/** A's ids, by path parameter name: what B's people try to reach. */
interface Target {
  institutionId: string;
  memberId: string;
  partnerId: string;
  channelId: string;
  campaignId: string;
  /** A post in review: every workflow step but submit could act on it. */
  postId: string;
  /** A draft: what submit could act on. */
  draftId: string;
  blackoutId: string;
  mediaId: string;
  targetId: string;
}

interface Operation {
  /** A body the operation accepts, naming A's resources where it names any. */
  body?: (a: Target) => unknown;
  /** Which of A's posts the {postId} is (default: the one in review). */
  post?: 'draft';
}

const variants = (text: string) => [
  { language: 'ro', text },
  { language: 'hu', text: `${text} (hu)` },
];

/** Every per-institution operation of the API. A new endpoint must be added here (see the first test). */
const OPERATIONS: Record<string, Operation> = {
  'GET /api/institutions/{institutionId}': {},
  'PATCH /api/institutions/{institutionId}': { body: () => ({ name: 'Taken over by B', transparencyEnabled: true }) },
  'POST /api/institutions/{institutionId}/suspend': { body: () => ({ reason: 'Suspended by another institution' }) },
  'POST /api/institutions/{institutionId}/resume': {},

  'GET /api/institutions/{institutionId}/members': {},
  'POST /api/institutions/{institutionId}/members': { body: () => ({ email: 'intruder@b-side.example', role: 'admin' }) },
  'PATCH /api/institutions/{institutionId}/members/{memberId}': { body: () => ({ role: 'admin' }) },
  'DELETE /api/institutions/{institutionId}/members/{memberId}': {},

  'GET /api/institutions/{institutionId}/partners': {},
  'POST /api/institutions/{institutionId}/partners': { body: () => ({ name: 'Partner planted by B' }) },
  'GET /api/institutions/{institutionId}/partners/{partnerId}': {},
  'PATCH /api/institutions/{institutionId}/partners/{partnerId}': {
    body: () => ({ name: 'Renamed by B', website: 'https://b.example.org' }),
  },
  'DELETE /api/institutions/{institutionId}/partners/{partnerId}': {},

  'GET /api/institutions/{institutionId}/channels': {},
  'POST /api/institutions/{institutionId}/channels': { body: () => ({ platform: 'sandbox', displayName: 'Channel planted by B' }) },
  'GET /api/institutions/{institutionId}/channels/{channelId}': {},
  'GET /api/institutions/{institutionId}/channels/{channelId}/sandbox-feed': {},
  'POST /api/institutions/{institutionId}/channels/{channelId}/verify': {},
  'PATCH /api/institutions/{institutionId}/channels/{channelId}': {
    body: () => ({ displayName: 'Renamed by B', status: 'disabled', credentials: { accessToken: 'b-token' } }),
  },

  'GET /api/institutions/{institutionId}/campaigns': {},
  'POST /api/institutions/{institutionId}/campaigns': {
    body: (a) => ({ title: 'Campaign planted by B', startsOn: '2027-01-01', endsOn: '2027-01-31', partnerIds: [a.partnerId] }),
  },
  'GET /api/institutions/{institutionId}/campaigns/{campaignId}': {},
  'PATCH /api/institutions/{institutionId}/campaigns/{campaignId}': { body: () => ({ title: 'Renamed by B', partnerIds: [] }) },

  'GET /api/institutions/{institutionId}/posts': {},
  'POST /api/institutions/{institutionId}/posts': {
    body: (a) => ({ campaignId: a.campaignId, channelIds: [a.channelId], variants: variants('Planted by B') }),
  },
  'POST /api/institutions/{institutionId}/posts/validate': {
    body: (a) => ({ channelIds: [a.channelId], variants: variants('Checked by B') }),
  },
  'GET /api/institutions/{institutionId}/posts/{postId}': {},
  'PATCH /api/institutions/{institutionId}/posts/{postId}': { body: () => ({ variants: variants('Rewritten by B') }) },

  'GET /api/posts/{postId}': {},
  'PATCH /api/posts/{postId}': { body: () => ({ variants: variants('Rewritten by B'), scheduledAt: '2026-12-24T10:00:00+02:00' }) },
  'POST /api/posts/{postId}/submit': { post: 'draft' },
  'POST /api/posts/{postId}/approve': {},
  'POST /api/posts/{postId}/reject': { body: () => ({ reason: 'Rejected by another institution' }) },
  'POST /api/posts/{postId}/schedule': { body: () => ({ scheduledAt: '2026-12-24T10:00:00+02:00' }) },
  'POST /api/posts/{postId}/blackout-override': { body: () => ({ reason: 'An emergency invented by B' }) },
  'POST /api/posts/{postId}/cancel': {},
  'POST /api/posts/{postId}/targets/{targetId}/resolve': { body: () => ({ outcome: 'published', url: 'https://b.example.org/fake' }) },
  'POST /api/posts/{postId}/targets/{targetId}/retry': {},
  'POST /api/posts/{postId}/targets/{targetId}/withdraw': { body: () => ({ reason: 'Withdrawn by another institution' }) },
  'GET /api/institutions/{institutionId}/blackouts': {},
  'POST /api/institutions/{institutionId}/blackouts': {
    body: () => ({ startsAt: '2026-12-05T07:00', endsAt: '2026-12-06T21:00', reason: 'Silence imposed by B' }),
  },
  'DELETE /api/institutions/{institutionId}/blackouts/{blackoutId}': {},
  'GET /api/posts/{postId}/comments': {},
  'POST /api/posts/{postId}/comments': { body: () => ({ body: 'A comment from B' }) },

  'POST /api/institutions/{institutionId}/media': {},
  'GET /api/institutions/{institutionId}/media/{mediaId}': {},
  'GET /api/institutions/{institutionId}/media/{mediaId}/content': {},

  'GET /api/institutions/{institutionId}/audit': {},
  'GET /api/institutions/{institutionId}/audit/verify': {},

  'GET /api/institutions/{institutionId}/reports/engagement': {},
  'GET /api/institutions/{institutionId}/reports/top-posts': {},
  'GET /api/institutions/{institutionId}/reports/campaigns': {},
  'GET /api/institutions/{institutionId}/reports/punctuality': {},
};

function pathFor(template: string, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`no id for path parameter ${name} of ${template}: add one to this test`);
    return id;
  });
}

async function call(as: Client, key: string, ids: Record<string, string>, target: Target): Promise<Reply> {
  const [method, template] = key.split(' ') as [string, string];
  const op = OPERATIONS[key]!;
  const path = pathFor(template, { ...ids, postId: op.post === 'draft' ? target.draftId : target.postId });
  const body = op.body?.(target) ?? (method === 'POST' || method === 'PATCH' ? {} : undefined);
  return as.request(method, path, body);
}

describe(`tenant isolation through the API (${currentMode()} storage)`, () => {
  let api: TestApi;
  let a: Seed;
  let b: Seed;
  let target: Target;
  let callers: Record<'admin' | 'editor', Client & { userId: string }>;
  let before: unknown;
  let auditBefore: number;

  /** Everything of A that A's admin can read, to compare before and after B's attempts. */
  async function snapshotOfA(): Promise<unknown> {
    const admin = api.admin;
    const read = async (path: string) => {
      const res = await admin.get(path);
      expect(res.status).toBe(200);
      return res.body;
    };
    const posts = await read(`${a.base}/posts?limit=200`);
    return {
      institution: await read(a.base),
      members: await read(`${a.base}/members?limit=200`),
      partners: await read(`${a.base}/partners?limit=200`),
      channels: await read(`${a.base}/channels?limit=200`),
      campaigns: await read(`${a.base}/campaigns?limit=200`),
      posts,
      comments: await Promise.all(posts.items.map((p: { id: string }) => read(`/api/posts/${p.id}/comments?limit=200`))),
      audit: await read(`${a.base}/audit?limit=200`),
    };
  }

  beforeAll(async () => {
    api = await TestApi.start();
    a = await seedInstitution(api, 'inst-a');
    b = await seedInstitution(api, 'inst-b');
    // The seed makes the system admin an admin of both; B's own admin belongs to B alone.
    callers = { admin: await api.member(api.admin, b.id, 'admin@b-only.example', 'admin'), editor: b.members.editor };

    const draft = await a.members.editor.post(`${a.base}/posts`, {
      campaignId: a.campaign.id,
      channelIds: [a.channel.id],
      variants: variants('Draft of A'),
    });
    expect(draft.status).toBe(201);
    const review = await a.members.editor2.post(`${a.base}/posts`, {
      campaignId: a.campaign.id,
      channelIds: [a.channel.id],
      variants: variants('Post of A in review'),
    });
    expect(review.status).toBe(201);
    expect((await a.members.editor2.post(`/api/posts/${review.body.id}/submit`)).status).toBe(200);
    expect((await a.members.editor.post(`/api/posts/${review.body.id}/comments`, { body: 'A comment inside A' })).status).toBe(201);

    const blackout = await api.admin.post(`${a.base}/blackouts`, {
      startsAt: '2030-01-01T00:00',
      endsAt: '2030-01-02T00:00',
      reason: 'A window of A',
    });
    expect(blackout.status).toBe(201);

    const image = await a.members.editor.upload(`${a.base}/media`, png(4, 3), 'a-photo.png', 'image/png');
    expect(image.status).toBe(201);

    target = {
      mediaId: image.body.id,
      targetId: review.body.targets[0].id,
      blackoutId: blackout.body.id,
      institutionId: a.id,
      memberId: a.members.viewer.memberId,
      partnerId: a.partner.id,
      channelId: a.channel.id,
      campaignId: a.campaign.id,
      postId: review.body.id,
      draftId: draft.body.id,
    };
    before = await snapshotOfA();
    auditBefore = (await api.admin.get(`${a.base}/audit?limit=1`)).body.total;
  });
  afterAll(async () => api?.stop());

  it('covers every per-institution operation of the OpenAPI document, and nothing else', async () => {
    const res = await fetch(`${api.url}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    const { paths } = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const methods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
    const found = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    // The exclusions are real operations (a renamed one must not slip through unnoticed).
    expect(found).toEqual(expect.arrayContaining(NOT_PER_INSTITUTION));
    expect(found.filter((op) => !NOT_PER_INSTITUTION.includes(op)).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  const cases = (['admin', 'editor'] as const).flatMap((caller) => Object.keys(OPERATIONS).map((op) => ({ caller, op })));

  it.each(cases)("B's $caller gets 404 from $op with A's ids", async ({ caller, op }) => {
    const reply = await call(callers[caller], op, { ...target }, target);
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 404, code: 'not_found' });
    const text = JSON.stringify(reply.body);
    for (const secret of ['Institution inst-a', 'NGO of inst-a', 'secret-token-inst-a', 'Post of A', 'A comment inside A'])
      expect(text).not.toContain(secret);
  });

  /** With B's own institution in the path, A's resources named after it are still not found. */
  const mixed = Object.keys(OPERATIONS).filter((op) => /\{institutionId\}.*\{\w+Id\}/.test(op));

  it.each(mixed)("B's admin gets 404 from %s with B's institution id and A's other ids", async (op) => {
    const reply = await call(callers.admin, op, { ...target, institutionId: b.id }, target);
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 404, code: 'not_found' });
  });

  describe("B's admin may not name A's resources in B's own requests", () => {
    it("a post in A's campaign (404)", async () => {
      const res = await callers.admin.post(`${b.base}/posts`, {
        campaignId: a.campaign.id,
        channelIds: [b.channel.id],
        variants: variants('B'),
      });
      expect(res.status).toBe(404);
    });

    it("a post on A's channel (422)", async () => {
      const res = await callers.admin.post(`${b.base}/posts`, {
        campaignId: b.campaign.id,
        channelIds: [a.channel.id],
        variants: variants('B'),
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    });

    it("moving B's post into A's campaign (404)", async () => {
      const post = await callers.admin.post(`${b.base}/posts`, {
        campaignId: b.campaign.id,
        channelIds: [b.channel.id],
        variants: variants('B'),
      });
      expect(post.status).toBe(201);
      const res = await callers.admin.patch(`/api/posts/${post.body.id}`, { campaignId: a.campaign.id });
      expect(res.status).toBe(404);
      expect((await callers.admin.get(`/api/posts/${post.body.id}`)).body.campaignId).toBe(b.campaign.id);
    });

    it("a campaign shared with A's partner (422)", async () => {
      const res = await callers.admin.post(`${b.base}/campaigns`, {
        title: 'B campaign',
        startsOn: '2027-01-01',
        endsOn: '2027-01-31',
        partnerIds: [a.partner.id],
      });
      expect(res.status).toBe(422);
      const update = await callers.admin.patch(`${b.base}/campaigns/${b.campaign.id}`, { partnerIds: [a.partner.id] });
      expect(update.status).toBe(422);
    });

    it("a contributor of A's partner (422)", async () => {
      const res = await callers.admin.post(`${b.base}/members`, {
        email: 'crossover@b-side.example',
        role: 'contributor',
        partnerId: a.partner.id,
      });
      expect(res.status).toBe(422);
      const update = await callers.admin.patch(`${b.base}/members/${b.members.viewer.memberId}`, {
        role: 'contributor',
        partnerId: a.partner.id,
      });
      expect(update.status).toBe(422);
    });
  });

  it("leaves A exactly as it was, with no event of B's people in A's audit trail", async () => {
    expect(await snapshotOfA()).toEqual(before);
    const audit = await api.admin.get(`${a.base}/audit?limit=200`);
    expect(audit.body.total).toBe(auditBefore);
    const outsiders = [callers.admin.userId, callers.editor.userId];
    expect(audit.body.items.filter((e: { actorId: string }) => outsiders.includes(e.actorId))).toEqual([]);

    const review = await api.admin.get(`/api/posts/${target.postId}`);
    expect(review.body).toMatchObject({ status: 'in_review', revision: 1, approvedBy: null, rejectionReason: null });
    expect((await api.admin.get(`/api/posts/${target.draftId}`)).body).toMatchObject({ status: 'draft', revision: 1 });
    expect((await api.admin.get(`${a.base}/audit/verify`)).body).toMatchObject({ ok: true });
    // B's people still see B.
    expect((await callers.editor.get(b.base)).status).toBe(200);
    expect((await callers.editor.get('/api/institutions')).body.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
  });
});
