import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { seedInstitution, TestApi, type Client, type Reply } from '#test/support/api.js';
import { png } from '#test/support/images.js';

/**
 * Every role of an institution against every action of the API, through HTTP.
 * A denied request is answered 403 (or 404 for a contributor asking about a campaign
 * or post not shared with its partner) and changes nothing; an allowed one does what it says.
 */

const ROLES = ['admin', 'editor', 'author', 'contributor', 'viewer'] as const;
type Role = (typeof ROLES)[number];
type Row = readonly [admin: number, editor: number, author: number, contributor: number, viewer: number];

const MATRIX = {
  //                                                         admin editor author contrib viewer
  'list institutions': [200, 200, 200, 200, 200],
  'see the institution': [200, 200, 200, 200, 200],
  'update the institution': [200, 403, 403, 403, 403],

  'list members': [200, 200, 200, 403, 200],
  'add a member': [201, 403, 403, 403, 403],
  "change a member's role": [200, 403, 403, 403, 403],
  'remove a member': [204, 403, 403, 403, 403],

  'list partners': [200, 200, 200, 403, 200],
  'see a partner': [200, 200, 200, 403, 200],
  'create a partner': [201, 403, 403, 403, 403],
  'update a partner': [200, 403, 403, 403, 403],
  'delete a partner': [204, 403, 403, 403, 403],

  'list channels': [200, 200, 200, 403, 200],
  'see a channel': [200, 200, 200, 403, 200],
  'create a channel': [201, 403, 403, 403, 403],
  'update a channel': [200, 403, 403, 403, 403],
  'verify a channel': [200, 403, 403, 403, 403],

  'upload an image': [201, 201, 201, 201, 403],
  'see an image someone else uploaded': [200, 200, 200, 404, 200],

  'list campaigns': [200, 200, 200, 200, 200],
  'see a shared campaign': [200, 200, 200, 200, 200],
  'see an unshared campaign': [200, 200, 200, 404, 200],
  'create a campaign': [201, 201, 201, 403, 403],
  'update a shared campaign': [200, 200, 200, 403, 403],
  'update an unshared campaign': [200, 200, 200, 403, 403],

  'list posts': [200, 200, 200, 200, 200],
  'see a post': [200, 200, 200, 200, 200],
  'see a post under its institution': [200, 200, 200, 200, 200],
  'see a post of an unshared campaign': [200, 200, 200, 404, 200],
  'see a post of an unshared campaign under its institution': [200, 200, 200, 404, 200],
  'create a post': [201, 201, 201, 201, 403],
  'create a post in an unshared campaign': [201, 201, 201, 404, 403],
  'edit a draft': [200, 200, 200, 200, 403],
  'edit a draft under its institution': [200, 200, 200, 200, 403],
  'edit a draft of an unshared campaign': [200, 200, 200, 404, 403],
  'validate a post': [200, 200, 200, 200, 403],
  'submit a post': [200, 200, 200, 403, 403],
  'submit a post of an unshared campaign': [200, 200, 200, 404, 403],
  'approve a post': [200, 200, 403, 403, 403],
  'approve a post of an unshared campaign': [200, 200, 403, 404, 403],
  'reject a post': [200, 200, 403, 403, 403],
  'reject a post of an unshared campaign': [200, 200, 403, 404, 403],
  'cancel a post': [200, 200, 200, 403, 403],
  'cancel a post of an unshared campaign': [200, 200, 200, 404, 403],
  "list a post's comments": [200, 200, 200, 200, 200],
  'list the comments of a post of an unshared campaign': [200, 200, 200, 404, 200],
  'comment on a post': [201, 201, 201, 201, 403],
  'comment on a post of an unshared campaign': [201, 201, 201, 404, 403],

  'list the audit trail': [200, 200, 403, 403, 200],
  'verify the audit trail': [200, 200, 403, 403, 200],

  'see engagement reports': [200, 200, 403, 403, 403],
  'see top posts': [200, 200, 403, 403, 403],
  'see the campaign report': [200, 200, 403, 403, 403],
  'see the punctuality report': [200, 200, 403, 403, 403],
} as const satisfies Record<string, Row>;

type ActionName = keyof typeof MATRIX;

/**
 * One attempt: the request as `as`, and `happened`, which reads back (as the admin
 * when it is a change) whether the action took effect or its answer showed what was asked for.
 */
interface Attempt {
  reply: Reply;
  happened: () => Promise<boolean>;
}
type Perform = (as: Client) => Promise<Attempt>;

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

describe(`role matrix through the API (${currentMode()} storage)`, () => {
  let api: TestApi;
  let seed: Seed;
  let admin: Client;
  let spareMemberId: string;
  let adminImageId: string;
  const shared = { postId: '', commentBody: 'A comment on the shared post' };
  const unshared = { postId: '', commentBody: 'A comment on the internal post' };
  let n = 0;
  const unique = () => `${++n}-${Math.random().toString(36).slice(2, 8)}`;

  const client = (role: Role | 'editor2'): Client => seed.members[role];
  const base = () => seed.base;

  function postBody(campaignId: string, text = 'Spuneți-ne ce credeți!') {
    return {
      campaignId,
      channelIds: [seed.channel.id as string],
      variants: [
        { language: 'ro', text },
        { language: 'hu', text: 'Mondja el véleményét!' },
      ],
    };
  }

  async function draft(campaignId: string, by: Client = client('editor2')): Promise<string> {
    const res = await by.post(`${base()}/posts`, postBody(campaignId));
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** A post in review written and submitted by editor2, so neither the admin nor the editor wrote it. */
  async function inReview(campaignId: string): Promise<string> {
    const id = await draft(campaignId);
    const submit = await client('editor2').post(`/api/posts/${id}/submit`);
    expect(submit.status).toBe(200);
    return id;
  }

  async function postStatus(id: string): Promise<string> {
    return (await admin.get(`/api/posts/${id}`)).body.status;
  }

  async function totalOf(path: string): Promise<number> {
    const res = await admin.get(path);
    expect(res.status).toBe(200);
    return res.body.total;
  }

  const campaignOf = (which: 'shared' | 'unshared'): string => (which === 'shared' ? seed.campaign.id : seed.privateCampaign.id);

  const seePost =
    (which: typeof shared, underInstitution: boolean): Perform =>
    async (as) => {
      const reply = await as.get(underInstitution ? `${base()}/posts/${which.postId}` : `/api/posts/${which.postId}`);
      return { reply, happened: async () => reply.body?.id === which.postId && Array.isArray(reply.body.variants) };
    };

  const createPost =
    (which: 'shared' | 'unshared'): Perform =>
    async (as) => {
      const listing = `${base()}/posts?campaignId=${campaignOf(which)}&limit=1`;
      const before = await totalOf(listing);
      const reply = await as.post(`${base()}/posts`, postBody(campaignOf(which)));
      return { reply, happened: async () => (await totalOf(listing)) === before + 1 && reply.body?.status === 'draft' };
    };

  const editDraft =
    (which: 'shared' | 'unshared', underInstitution: boolean): Perform =>
    async (as) => {
      const id = await draft(campaignOf(which));
      const text = `Edited text ${unique()}`;
      const body = {
        variants: [
          { language: 'ro', text },
          { language: 'hu', text: 'Szerkesztett szöveg' },
        ],
      };
      const reply = await as.patch(underInstitution ? `${base()}/posts/${id}` : `/api/posts/${id}`, body);
      return {
        reply,
        happened: async () => (await admin.get(`/api/posts/${id}`)).body.variants.some((v: { text: string }) => v.text === text),
      };
    };

  const transition =
    (verb: 'submit' | 'approve' | 'reject' | 'cancel', which: 'shared' | 'unshared'): Perform =>
    async (as) => {
      const id = verb === 'submit' || verb === 'cancel' ? await draft(campaignOf(which)) : await inReview(campaignOf(which));
      const reason = `Needs a link to the form (${unique()})`;
      const reply = await as.post(`/api/posts/${id}/${verb}`, verb === 'reject' ? { reason } : undefined);
      const after = { submit: 'in_review', approve: 'approved', reject: 'rejected', cancel: 'cancelled' }[verb];
      return {
        reply,
        happened: async () => {
          const post = (await admin.get(`/api/posts/${id}`)).body;
          if (post.status !== after) return false;
          if (verb === 'reject') return post.rejectionReason === reason;
          if (verb === 'approve') return post.approvedBy === (await whoIs(as));
          return true;
        },
      };
    };

  const listComments =
    (which: typeof shared): Perform =>
    async (as) => {
      const reply = await as.get(`/api/posts/${which.postId}/comments`);
      return {
        reply,
        happened: async () =>
          Array.isArray(reply.body?.items) && reply.body.items.some((c: { body: string }) => c.body === which.commentBody),
      };
    };

  const addComment =
    (which: typeof shared): Perform =>
    async (as) => {
      const text = `Comment ${unique()}`;
      const reply = await as.post(`/api/posts/${which.postId}/comments`, { body: text });
      return {
        reply,
        happened: async () =>
          (await admin.get(`/api/posts/${which.postId}/comments?limit=200`)).body.items.some((c: { body: string }) => c.body === text),
      };
    };

  const userIds = new Map<Client, string>();
  async function whoIs(c: Client): Promise<string> {
    if (!userIds.has(c)) userIds.set(c, (await c.get('/api/me')).body.id);
    return userIds.get(c)!;
  }

  const ACTIONS: Record<ActionName, Perform> = {
    'list institutions': async (as) => {
      const reply = await as.get('/api/institutions');
      return { reply, happened: async () => reply.body.items.some((i: { id: string }) => i.id === seed.id) };
    },
    'see the institution': async (as) => {
      const reply = await as.get(base());
      return { reply, happened: async () => reply.body?.id === seed.id && reply.body.languages?.join() === 'ro,hu' };
    },
    'update the institution': async (as) => {
      const name = `Institution renamed ${unique()}`;
      const reply = await as.patch(base(), { name });
      return { reply, happened: async () => (await admin.get(base())).body.name === name };
    },

    'list members': async (as) => {
      const reply = await as.get(`${base()}/members?limit=200`);
      return {
        reply,
        happened: async () => reply.body?.items?.some((m: { email: string }) => m.email === 'viewer@role-matrix.example') ?? false,
      };
    },
    'add a member': async (as) => {
      const email = `new-${unique()}@role-matrix.example`;
      const reply = await as.post(`${base()}/members`, { email, role: 'viewer' });
      return {
        reply,
        happened: async () => (await admin.get(`${base()}/members?limit=200`)).body.items.some((m: { email: string }) => m.email === email),
      };
    },
    "change a member's role": async (as) => {
      const members = (await admin.get(`${base()}/members?limit=200`)).body.items as Array<{ id: string; role: string }>;
      const wanted = members.find((m) => m.id === spareMemberId)!.role === 'viewer' ? 'author' : 'viewer';
      const reply = await as.patch(`${base()}/members/${spareMemberId}`, { role: wanted });
      return {
        reply,
        happened: async () =>
          (await admin.get(`${base()}/members?limit=200`)).body.items.find((m: { id: string }) => m.id === spareMemberId).role === wanted,
      };
    },
    'remove a member': async (as) => {
      const added = await admin.post(`${base()}/members`, { email: `leaving-${unique()}@role-matrix.example`, role: 'viewer' });
      expect(added.status).toBe(201);
      const memberId: string = added.body.member.id;
      const reply = await as.delete(`${base()}/members/${memberId}`);
      return {
        reply,
        happened: async () => !(await admin.get(`${base()}/members?limit=200`)).body.items.some((m: { id: string }) => m.id === memberId),
      };
    },

    'list partners': async (as) => {
      const reply = await as.get(`${base()}/partners?limit=200`);
      return { reply, happened: async () => reply.body?.items?.some((p: { id: string }) => p.id === seed.partner.id) ?? false };
    },
    'see a partner': async (as) => {
      const reply = await as.get(`${base()}/partners/${seed.partner.id}`);
      return { reply, happened: async () => reply.body?.id === seed.partner.id && reply.body.name === seed.partner.name };
    },
    'create a partner': async (as) => {
      const name = `Partner ${unique()}`;
      const reply = await as.post(`${base()}/partners`, { name, website: 'https://partner.example.org' });
      return {
        reply,
        happened: async () => (await admin.get(`${base()}/partners?limit=200`)).body.items.some((p: { name: string }) => p.name === name),
      };
    },
    'update a partner': async (as) => {
      const website = `https://p-${unique()}.example.org`;
      const reply = await as.patch(`${base()}/partners/${seed.partner.id}`, { website });
      return { reply, happened: async () => (await admin.get(`${base()}/partners/${seed.partner.id}`)).body.website === website };
    },
    'delete a partner': async (as) => {
      const created = await admin.post(`${base()}/partners`, { name: `Short-lived partner ${unique()}` });
      expect(created.status).toBe(201);
      const reply = await as.delete(`${base()}/partners/${created.body.id}`);
      return { reply, happened: async () => (await admin.get(`${base()}/partners/${created.body.id}`)).status === 404 };
    },

    'list channels': async (as) => {
      const reply = await as.get(`${base()}/channels?limit=200`);
      return { reply, happened: async () => reply.body?.items?.some((c: { id: string }) => c.id === seed.channel.id) ?? false };
    },
    'see a channel': async (as) => {
      const reply = await as.get(`${base()}/channels/${seed.channel.id}`);
      return {
        reply,
        happened: async () =>
          reply.body?.id === seed.channel.id && reply.body.hasCredentials === true && !JSON.stringify(reply.body).includes('secret-token'),
      };
    },
    'create a channel': async (as) => {
      const displayName = `Sandbox ${unique()}`;
      const reply = await as.post(`${base()}/channels`, { platform: 'sandbox', displayName });
      return {
        reply,
        happened: async () =>
          (await admin.get(`${base()}/channels?limit=200`)).body.items.some((c: { displayName: string }) => c.displayName === displayName),
      };
    },
    'update a channel': async (as) => {
      const displayName = `Sandbox renamed ${unique()}`;
      const reply = await as.patch(`${base()}/channels/${seed.sandbox.id}`, { displayName });
      return { reply, happened: async () => (await admin.get(`${base()}/channels/${seed.sandbox.id}`)).body.displayName === displayName };
    },

    'verify a channel': async (as) => {
      const before = (await admin.get(`${base()}/channels/${seed.sandbox.id}`)).body.updatedAt;
      const reply = await as.post(`${base()}/channels/${seed.sandbox.id}/verify`);
      return {
        reply,
        happened: async () =>
          reply.body?.account?.id === seed.sandbox.id &&
          (await admin.get(`${base()}/channels/${seed.sandbox.id}`)).body.updatedAt !== before,
      };
    },

    'upload an image': async (as) => {
      const reply = await as.upload(`${base()}/media`, png(5, 4), `photo-${unique()}.png`, 'image/png');
      return {
        reply,
        happened: async () => typeof reply.body?.id === 'string' && (await admin.get(`${base()}/media/${reply.body.id}`)).status === 200,
      };
    },
    'see an image someone else uploaded': async (as) => {
      const reply = await as.get(`${base()}/media/${adminImageId}`);
      return { reply, happened: async () => reply.body?.id === adminImageId && reply.body.width === 6 };
    },

    'list campaigns': async (as) => {
      const reply = await as.get(`${base()}/campaigns?limit=200`);
      return { reply, happened: async () => reply.body?.items?.some((c: { id: string }) => c.id === seed.campaign.id) ?? false };
    },
    'see a shared campaign': async (as) => {
      const reply = await as.get(`${base()}/campaigns/${seed.campaign.id}`);
      return { reply, happened: async () => reply.body?.id === seed.campaign.id && reply.body.partnerIds?.includes(seed.partner.id) };
    },
    'see an unshared campaign': async (as) => {
      const reply = await as.get(`${base()}/campaigns/${seed.privateCampaign.id}`);
      return { reply, happened: async () => reply.body?.id === seed.privateCampaign.id };
    },
    'create a campaign': async (as) => {
      const title = `Campaign ${unique()}`;
      const reply = await as.post(`${base()}/campaigns`, { title, startsOn: '2027-02-01', endsOn: '2027-02-28' });
      return {
        reply,
        happened: async () =>
          (await admin.get(`${base()}/campaigns?limit=200`)).body.items.some((c: { title: string }) => c.title === title),
      };
    },
    'update a shared campaign': async (as) => {
      const goal = `Goal ${unique()}`;
      const reply = await as.patch(`${base()}/campaigns/${seed.campaign.id}`, { goal });
      return { reply, happened: async () => (await admin.get(`${base()}/campaigns/${seed.campaign.id}`)).body.goal === goal };
    },
    'update an unshared campaign': async (as) => {
      const goal = `Goal ${unique()}`;
      const reply = await as.patch(`${base()}/campaigns/${seed.privateCampaign.id}`, { goal });
      return { reply, happened: async () => (await admin.get(`${base()}/campaigns/${seed.privateCampaign.id}`)).body.goal === goal };
    },

    'list posts': async (as) => {
      const reply = await as.get(`${base()}/posts?limit=200`);
      return { reply, happened: async () => reply.body?.items?.some((p: { id: string }) => p.id === shared.postId) ?? false };
    },
    'see a post': seePost(shared, false),
    'see a post under its institution': seePost(shared, true),
    'see a post of an unshared campaign': seePost(unshared, false),
    'see a post of an unshared campaign under its institution': seePost(unshared, true),
    'create a post': createPost('shared'),
    'create a post in an unshared campaign': createPost('unshared'),
    'edit a draft': editDraft('shared', false),
    'edit a draft under its institution': editDraft('shared', true),
    'edit a draft of an unshared campaign': editDraft('unshared', false),
    'validate a post': async (as) => {
      const reply = await as.post(`${base()}/posts/validate`, {
        channelIds: [seed.channel.id],
        variants: postBody(seed.campaign.id).variants,
      });
      return { reply, happened: async () => reply.body?.ok === true && reply.body.channels?.length === 2 };
    },
    'submit a post': transition('submit', 'shared'),
    'submit a post of an unshared campaign': transition('submit', 'unshared'),
    'approve a post': transition('approve', 'shared'),
    'approve a post of an unshared campaign': transition('approve', 'unshared'),
    'reject a post': transition('reject', 'shared'),
    'reject a post of an unshared campaign': transition('reject', 'unshared'),
    'cancel a post': transition('cancel', 'shared'),
    'cancel a post of an unshared campaign': transition('cancel', 'unshared'),
    "list a post's comments": listComments(shared),
    'list the comments of a post of an unshared campaign': listComments(unshared),
    'comment on a post': addComment(shared),
    'comment on a post of an unshared campaign': addComment(unshared),

    'list the audit trail': async (as) => {
      const reply = await as.get(`${base()}/audit?limit=5`);
      return {
        reply,
        happened: async () =>
          reply.body?.items?.length === 5 && reply.body.items.every((e: { institutionId: string }) => e.institutionId === seed.id),
      };
    },
    'verify the audit trail': async (as) => {
      const reply = await as.get(`${base()}/audit/verify`);
      return { reply, happened: async () => reply.body?.ok === true && reply.body.events > 0 };
    },

    'see engagement reports': async (as) => {
      const reply = await as.get(`${base()}/reports/engagement?groupBy=channel`);
      return { reply, happened: async () => reply.body?.groupBy === 'channel' && typeof reply.body.totals?.posts === 'number' };
    },
    'see top posts': async (as) => {
      const reply = await as.get(`${base()}/reports/top-posts?metric=likes`);
      return { reply, happened: async () => reply.body?.metric === 'likes' && Array.isArray(reply.body.items) };
    },
    'see the campaign report': async (as) => {
      const reply = await as.get(`${base()}/reports/campaigns`);
      return { reply, happened: async () => Array.isArray(reply.body?.items) };
    },
    'see the punctuality report': async (as) => {
      const reply = await as.get(`${base()}/reports/punctuality`);
      return { reply, happened: async () => typeof reply.body?.lateness?.count === 'number' };
    },
  };

  const cases = (Object.keys(MATRIX) as ActionName[]).flatMap((action) =>
    ROLES.map((role, column) => {
      const status: number = MATRIX[action][column];
      const allowed = status < 300;
      return { role, action, status, allowed, title: allowed ? `${role} may ${action}` : `${role} may not ${action} (${status})` };
    }),
  );

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'role-matrix');
    admin = seed.members.admin;
    const spare = await admin.post(`${seed.base}/members`, { email: 'spare@role-matrix.example', role: 'viewer' });
    expect(spare.status).toBe(201);
    spareMemberId = spare.body.member.id;
    const image = await admin.upload(`${seed.base}/media`, png(6, 4), 'by-admin.png', 'image/png');
    expect(image.status).toBe(201);
    adminImageId = image.body.id;
    for (const [which, campaignId] of [
      [shared, seed.campaign.id],
      [unshared, seed.privateCampaign.id],
    ] as const) {
      which.postId = await draft(campaignId);
      expect((await admin.post(`/api/posts/${which.postId}/comments`, { body: which.commentBody })).status).toBe(201);
    }
  });
  afterAll(async () => api?.stop());

  it('names an action for every row of the matrix', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(MATRIX).sort());
    expect(cases).toHaveLength(Object.keys(MATRIX).length * ROLES.length);
  });

  it.each(cases)('$title', async ({ role, action, status, allowed }) => {
    const { reply, happened } = await ACTIONS[action](client(role));
    expect({ status: reply.status, code: allowed ? undefined : reply.body?.code }).toEqual({
      status,
      code: allowed ? undefined : status === 403 ? 'forbidden' : 'not_found',
    });
    // Allowed: it took effect (or showed what was asked). Denied: nothing changed, nothing shown.
    expect(await happened()).toBe(allowed);
  });

  describe('nobody approves a post they wrote or edited', () => {
    const approvers = ['admin', 'editor'] as const;

    it.each(approvers)('%s who wrote a post may not approve it (403 self_approval); another editor may', async (approver) => {
      const id = await draft(seed.campaign.id, client(approver));
      expect((await client(approver).post(`/api/posts/${id}/submit`)).status).toBe(200);

      const own = await client(approver).post(`/api/posts/${id}/approve`);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('self_approval');
      expect(await postStatus(id)).toBe('in_review');

      const other = await client('editor2').post(`/api/posts/${id}/approve`);
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ status: 'approved', approvedBy: await whoIs(client('editor2')) });
    });

    it.each(approvers)('%s who edited a post in review may not approve it (403 self_approval); another editor may', async (approver) => {
      const id = await draft(seed.campaign.id, client('author'));
      expect((await client('author').post(`/api/posts/${id}/submit`)).status).toBe(200);
      const edit = await client(approver).patch(`/api/posts/${id}`, { scheduledAt: '2026-12-02T09:00:00+02:00' });
      expect(edit.status).toBe(200);
      expect(edit.body).toMatchObject({ status: 'in_review', revision: 2 });
      expect(edit.body.authorIds).toContain(await whoIs(client(approver)));

      const own = await client(approver).post(`/api/posts/${id}/approve`);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('self_approval');
      expect(await postStatus(id)).toBe('in_review');

      const other = await client('editor2').post(`/api/posts/${id}/approve`);
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ status: 'approved', revision: 2, approvedBy: await whoIs(client('editor2')) });
    });

    it('an editor who edited a draft that a contributor started may not approve it after the author submits it', async () => {
      const id = await draft(seed.campaign.id, client('contributor'));
      expect(
        (await client('editor').patch(`/api/posts/${id}`, { variants: postBody(seed.campaign.id, 'Textul revizuit').variants })).status,
      ).toBe(200);
      expect((await client('author').post(`/api/posts/${id}/submit`)).status).toBe(200);

      const own = await client('editor').post(`/api/posts/${id}/approve`);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('self_approval');
      expect((await client('editor2').post(`/api/posts/${id}/approve`)).status).toBe(200);
    });
  });

  describe('limits beyond the table', () => {
    it("a contributor's lists show only campaigns and posts shared with its partner", async () => {
      const contributor = client('contributor');
      const campaigns = await contributor.get(`${base()}/campaigns?limit=200`);
      expect(campaigns.status).toBe(200);
      const campaignIds = campaigns.body.items.map((c: { id: string }) => c.id);
      expect(campaignIds).toContain(seed.campaign.id);
      expect(campaignIds).not.toContain(seed.privateCampaign.id);
      expect(campaigns.body.items.every((c: { partnerIds: string[] }) => c.partnerIds.includes(seed.partner.id))).toBe(true);

      const posts = await contributor.get(`${base()}/posts?limit=200`);
      expect(posts.status).toBe(200);
      expect(posts.body.items.map((p: { id: string }) => p.id)).toContain(shared.postId);
      expect(posts.body.items.every((p: { campaignId: string }) => p.campaignId === seed.campaign.id)).toBe(true);
      const all = await admin.get(`${base()}/posts?limit=200`);
      expect(all.body.items.map((p: { id: string }) => p.id)).toContain(unshared.postId);
    });

    it('a contributor may edit a draft but not a post in review (403)', async () => {
      const id = await inReview(seed.campaign.id);
      const res = await client('contributor').patch(`/api/posts/${id}`, { variants: postBody(seed.campaign.id, 'Prea târziu').variants });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect((await admin.get(`/api/posts/${id}`)).body).toMatchObject({ status: 'in_review', revision: 1 });
    });

    it('a contributor may not move a post into a campaign not shared with its partner (404)', async () => {
      const id = await draft(seed.campaign.id, client('contributor'));
      const res = await client('contributor').patch(`/api/posts/${id}`, { campaignId: seed.privateCampaign.id });
      expect(res.status).toBe(404);
      expect((await admin.get(`/api/posts/${id}`)).body.campaignId).toBe(seed.campaign.id);
    });

    it('rejecting needs a reason, whoever asks (400)', async () => {
      const id = await inReview(seed.campaign.id);
      for (const body of [{}, { reason: '' }, { reason: 'no' }]) {
        const res = await client('editor').post(`/api/posts/${id}/reject`, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      }
      expect(await postStatus(id)).toBe('in_review');
    });
  });
});
