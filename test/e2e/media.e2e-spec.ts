import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentMode } from '#test/support/test-storage.js';
import { png, pngClaiming } from '#test/support/images.js';
import { seedInstitution, TestApi } from '#test/support/api.js';

/** Images for posts: checked from their bytes, kept under DATA_DIR, held to each platform's limits. */
describe(`media uploads (${currentMode()} storage)`, () => {
  let api: TestApi;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  let other: Awaited<ReturnType<typeof seedInstitution>>;

  beforeAll(async () => {
    api = await TestApi.start();
    seed = await seedInstitution(api, 'media-town');
    other = await seedInstitution(api, 'other-town');
  });
  afterAll(async () => api?.stop());

  it('reads the type from the bytes, not from the name or the Content-Type, and keeps the file under DATA_DIR', async () => {
    const bytes = png(40, 30);
    const res = await seed.members.author.upload(`${seed.base}/media`, bytes, '../../etc/holiday.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mimeType: 'image/png',
      size: bytes.length,
      width: 40,
      height: 30,
      fileName: 'holiday.png',
      url: `${seed.base}/media/${res.body.id}/content`,
    });
    const stored = join(api.storage.env.DATA_DIR!, 'media', seed.id, res.body.id);
    expect(existsSync(stored)).toBe(true);
    expect(readFileSync(stored).equals(bytes)).toBe(true);

    const content = await fetch(`${api.url}${res.body.url}`, { headers: { authorization: `Bearer ${seed.members.viewer.token}` } });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a file whose content is not an image, whatever it claims (415)', async () => {
    const res = await seed.members.author.upload(
      `${seed.base}/media`,
      Buffer.from('<svg onload="alert(1)"></svg> not really a PNG'),
      'photo.png',
      'image/png',
    );
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'media_type_not_accepted' });
    expect(res.body.message).toContain('not a recognised image');
    const pdf = await seed.members.author.upload(
      `${seed.base}/media`,
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
      'photo.png',
      'image/png',
    );
    expect(pdf.status).toBe(415);
    expect(pdf.body.message).toContain('application/pdf');
  });

  it('refuses an image that claims more pixels than any photo (a decompression bomb), an empty file, and no file', async () => {
    const bomb = await seed.members.author.upload(`${seed.base}/media`, pngClaiming(50_000, 50_000), 'bomb.png', 'image/png');
    expect(bomb.status).toBe(422);
    expect(bomb.body.message).toContain('50000x50000');
    const empty = await seed.members.author.upload(`${seed.base}/media`, Buffer.alloc(0), 'empty.png', 'image/png');
    expect(empty.status).toBe(422);
    const none = await seed.members.author.post(`${seed.base}/media`, {});
    expect(none.status).toBe(422);
    expect(none.body.details).toEqual([{ field: 'file', problems: ['is required'] }]);
  });

  it('refuses an upload over the largest size any platform takes (413)', async () => {
    const res = await seed.members.author.upload(
      `${seed.base}/media`,
      png(8, 8, { padTo: 20 * 1024 * 1024 + 10 }),
      'huge.png',
      'image/png',
    );
    expect(res.status).toBe(413);
  });

  it('lets viewers see images but not upload; contributors see only their own uploads; other institutions see nothing', async () => {
    expect((await seed.members.viewer.upload(`${seed.base}/media`, png(2, 2), 'v.png')).status).toBe(403);
    const byEditor = await seed.members.editor.upload(`${seed.base}/media`, png(2, 2), 'e.png');
    const byContributor = await seed.members.contributor.upload(`${seed.base}/media`, png(3, 3), 'c.png');
    expect([byEditor.status, byContributor.status]).toEqual([201, 201]);
    expect((await seed.members.viewer.get(`${seed.base}/media/${byEditor.body.id}`)).status).toBe(200);
    expect((await seed.members.contributor.get(`${seed.base}/media/${byContributor.body.id}`)).status).toBe(200);
    expect((await seed.members.contributor.get(`${seed.base}/media/${byEditor.body.id}`)).status).toBe(404);
    expect((await other.members.editor.get(`${seed.base}/media/${byEditor.body.id}`)).status).toBe(404);
    // Nor can another institution's post name it.
    const post = await other.members.editor.post(`${other.base}/posts`, {
      campaignId: other.campaign.id,
      channelIds: [other.sandbox.id],
      variants: [{ language: 'ro', text: 'x' }],
      media: [{ mediaId: byEditor.body.id, altText: { ro: 'x' } }],
    });
    expect(post.status).toBe(422);
    expect(post.body.details).toEqual([{ field: 'media.0.mediaId', problems: ['is not an image uploaded to this institution'] }]);
  });

  it("holds an uploaded image to each target platform's limit in the composer's report", async () => {
    const bluesky = await api.admin.post(`${seed.base}/channels`, {
      platform: 'bluesky',
      displayName: 'Bluesky',
      settings: { serviceUrl: 'http://127.0.0.1:9' },
    });
    expect(bluesky.status).toBe(201);
    const image = await seed.members.author.upload(`${seed.base}/media`, png(16, 16, { padTo: 2_200_000 }), 'poster.png', 'image/png');
    expect(image.status).toBe(201);
    const report = await seed.members.author.post(`${seed.base}/posts/validate`, {
      channelIds: [bluesky.body.id, seed.channel.id],
      variants: [
        { language: 'ro', text: 'Afiș' },
        { language: 'hu', text: 'Plakát' },
      ],
      media: [{ mediaId: image.body.id, altText: { ro: 'Afișul consultării', hu: 'A konzultáció plakátja' } }],
    });
    expect(report.status).toBe(200);
    const onBluesky = report.body.channels.filter((c: { channelId: string }) => c.channelId === bluesky.body.id);
    expect(onBluesky.flatMap((c: { problems: Array<{ code: string; message: string }> }) => c.problems)).toEqual([
      { code: 'media_too_large', message: 'Media 1 is 2.1 MB; Bluesky accepts images up to 1.9 MB' },
      { code: 'media_too_large', message: 'Media 1 is 2.1 MB; Bluesky accepts images up to 1.9 MB' },
    ]);
    // Mastodon takes 16 MB.
    expect(
      report.body.channels
        .filter((c: { channelId: string }) => c.channelId === seed.channel.id)
        .flatMap((c: { problems: unknown[] }) => c.problems),
    ).toEqual([]);
  });
});
