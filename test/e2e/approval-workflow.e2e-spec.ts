import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { png } from '#test/support/images.js';
import { TestApi, type Client } from '#test/support/api.js';

/**
 * The path a new institution takes: an admin sets up an institution with two
 * languages, invites an editor, an author and an NGO contributor, adds a channel;
 * the contributor drafts, the author completes and submits, the author's own
 * approval is refused, the editor approves; every step is in the audit trail,
 * verify passes, and another institution's people see none of it.
 */
describe(`approval workflow through the API (${currentMode()} storage)`, () => {
  let api: TestApi;
  let inst: { id: string; base: string };
  let editor: Client & { userId: string };
  let author: Client & { userId: string };
  let contributor: Client & { userId: string };
  let channelId: string;
  let campaignId: string;
  let postId: string;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(async () => api?.stop());

  it('an admin sets up an institution with two languages, a partner, people and a channel', async () => {
    const res = await api.admin.post('/api/institutions', {
      name: 'Primăria Cluj-Napoca',
      slug: 'cluj-napoca',
      timeZone: 'Europe/Bucharest',
      languages: ['ro', 'hu'],
    });
    expect(res.status).toBe(201);
    inst = { id: res.body.id, base: `/api/institutions/${res.body.id}` };

    const partner = await api.admin.post(`${inst.base}/partners`, {
      name: 'Asociația Tineri pentru Cluj',
      website: 'https://tineri.example.org',
    });
    expect(partner.status).toBe(201);
    editor = await api.member(api.admin, inst.id, 'editor@cluj.example', 'editor');
    author = await api.member(api.admin, inst.id, 'author@cluj.example', 'author');
    contributor = await api.member(api.admin, inst.id, 'volunteer@ngo.example', 'contributor', partner.body.id);

    const channel = await api.admin.post(`${inst.base}/channels`, {
      platform: 'mastodon',
      displayName: 'Primăria pe Mastodon',
      accountHandle: '@primaria@social.example',
      settings: { instanceUrl: 'https://social.example/' },
      credentials: { accessToken: 'mastodon-secret-access-token' },
    });
    expect(channel.status).toBe(201);
    expect(channel.body).toMatchObject({ platform: 'mastodon', hasCredentials: true, settings: { instanceUrl: 'https://social.example' } });
    expect(JSON.stringify(channel.body)).not.toContain('mastodon-secret-access-token');
    channelId = channel.body.id;

    const campaign = await author.post(`${inst.base}/campaigns`, {
      title: 'Consultare: noua rețea de autobuze',
      goal: '2,000 answers from every district',
      startsOn: '2026-12-01',
      endsOn: '2027-01-31',
      targetAudiences: ['youth', 'older people'],
      hashtags: ['ClujMoves'],
      partnerIds: [partner.body.id],
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body.hashtags).toEqual(['#ClujMoves']);
    campaignId = campaign.body.id;
  });

  it('the contributor drafts a post but may not submit it', async () => {
    const draft = await contributor.post(`${inst.base}/posts`, {
      campaignId,
      channelIds: [channelId],
      variants: [{ language: 'ro', text: 'Spuneți-ne ce credeți despre noua rețea de autobuze!' }],
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', revision: 1, targets: [{ channelId, status: 'draft' }] });
    postId = draft.body.id;

    const submit = await contributor.post(`/api/posts/${postId}/submit`);
    expect(submit.status).toBe(403);
  });

  it('submitting without the Hungarian text is refused, naming what is missing', async () => {
    const res = await author.post(`/api/posts/${postId}/submit`);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('post_invalid');
    expect(res.body.details.problems).toEqual([expect.objectContaining({ code: 'language_missing', language: 'hu' })]);
  });

  it('the author completes the post (with an image and its alt text) and submits it', async () => {
    const image = await author.upload(`${inst.base}/media`, png(64, 48), 'harta.png', 'image/png');
    expect(image.status).toBe(201);
    expect(image.body).toMatchObject({ mimeType: 'image/png', width: 64, height: 48, fileName: 'harta.png' });
    const edit = await author.patch(`/api/posts/${postId}`, {
      variants: [
        { language: 'ro', text: 'Spuneți-ne ce credeți despre noua rețea de autobuze! https://cluj.example/consultare' },
        { language: 'hu', text: 'Mondja el véleményét az új buszhálózatról! https://cluj.example/konzultacio' },
      ],
      media: [{ mediaId: image.body.id, altText: { ro: 'Harta noii rețele', hu: 'Az új hálózat térképe' } }],
      scheduledAt: '2026-12-01T09:00:00+02:00',
      timeZone: 'Europe/Bucharest',
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ status: 'draft', scheduledAt: '2026-12-01T07:00:00.000Z', timeZone: 'Europe/Bucharest' });
    expect(edit.body.authorIds.sort()).toEqual([author.userId, contributor.userId].sort());

    const submit = await author.post(`/api/posts/${postId}/submit`);
    expect(submit.status).toBe(200);
    expect(submit.body).toMatchObject({ status: 'in_review', targets: [{ status: 'in_review' }] });
  });

  it("refuses the author's own approval, and an editor approves", async () => {
    // Authors cannot approve at all; an editor who had edited it could not either (see below).
    const own = await author.post(`/api/posts/${postId}/approve`);
    expect(own.status).toBe(403);

    const comment = await editor.post(`/api/posts/${postId}/comments`, { body: 'Looks good; the map is clear.' });
    expect(comment.status).toBe(201);

    const approve = await editor.post(`/api/posts/${postId}/approve`);
    expect(approve.status).toBe(200);
    // Approved with its time: the target enters the publishing pipeline.
    expect(approve.body).toMatchObject({
      status: 'approved',
      approvedBy: editor.userId,
      revision: 1,
      scheduledAt: '2026-12-01T07:00:00.000Z',
      targets: [{ status: 'scheduled', revision: 1, scheduledAt: '2026-12-01T07:00:00.000Z' }],
    });
  });

  it('an edit after approval raises the revision, sends the post back to review, and bars its editor from approving', async () => {
    const edit = await editor.patch(`/api/posts/${postId}`, { scheduledAt: '2026-12-01T10:00:00+02:00' });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({
      status: 'in_review',
      revision: 2,
      approvedBy: null,
      targets: [{ status: 'in_review', revision: 2 }],
    });

    const self = await editor.post(`/api/posts/${postId}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('self_approval');

    const admin = await api.admin.post(`/api/posts/${postId}/approve`);
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ status: 'approved', revision: 2 });
  });

  it('records every step in the audit trail, and the chain verifies', async () => {
    const trail = await api.admin.get(`${inst.base}/audit?limit=200`);
    expect(trail.status).toBe(200);
    const actions: string[] = trail.body.items.map((e: { action: string }) => e.action).reverse();
    expect(actions).toEqual([
      'institution.created',
      'member.added',
      'partner.created',
      'member.added',
      'member.added',
      'member.added',
      'channel.created',
      'campaign.created',
      'post.created',
      'media.uploaded',
      'post.edited',
      'post.submitted',
      'post.commented',
      'post.approved',
      'post.edited',
      'post.approved',
    ]);
    const approved = trail.body.items.filter((e: { action: string }) => e.action === 'post.approved');
    expect(approved.map((e: { actorId: string; data: { revision: number } }) => [e.actorId, e.data.revision])).toEqual([
      [expect.any(String), 2],
      [editor.userId, 1],
    ]);
    expect(JSON.stringify(trail.body)).not.toContain('mastodon-secret-access-token');

    const verify = await api.admin.get(`${inst.base}/audit/verify`);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.events).toBeGreaterThanOrEqual(actions.length);
  });

  it("another institution's people see none of it", async () => {
    const other = await api.admin.post('/api/institutions', {
      name: 'Another Town',
      slug: 'another-town',
      timeZone: 'Europe/Warsaw',
      languages: ['pl'],
    });
    const outsider = await api.member(api.admin, other.body.id, 'editor@another.example', 'editor');

    expect((await outsider.get(inst.base)).status).toBe(404);
    expect((await outsider.get(`${inst.base}/posts`)).status).toBe(404);
    expect((await outsider.get(`/api/posts/${postId}`)).status).toBe(404);
    expect((await outsider.post(`/api/posts/${postId}/approve`)).status).toBe(404);
    expect((await outsider.get(`${inst.base}/audit`)).status).toBe(404);
    const mine = await outsider.get('/api/institutions');
    expect(mine.body.items.map((i: { slug: string }) => i.slug)).toEqual(['another-town']);
  });
});
