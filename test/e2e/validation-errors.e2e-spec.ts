import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { currentMode } from '#test/support/test-storage.js';
import { seedInstitution, TestApi, type Client, type Reply } from '#test/support/api.js';

/**
 * Whatever a client sends, a mistake answers 4xx in the one error shape
 * { statusCode, code, message, details? }, naming the field at fault, and
 * changes nothing: after every bad request below, the data reads as before.
 */

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** Checks the status ('4xx': any client error), the error shape, and that details name `field`. */
function expectError(res: Reply, status: number | '4xx', field?: string): ErrorBody {
  // Status and body in one string, so that a failure shows what came back.
  expect(`${res.status} ${JSON.stringify(res.body)}`).toMatch(status === '4xx' ? /^4\d\d / : new RegExp(`^${status} `));
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const { details, ...rest } = res.body as ErrorBody;
  expect(rest).toEqual({ statusCode: res.status, code: expect.any(String), message: expect.any(String) });
  if (res.body.code === 'validation_failed' && details !== undefined) {
    expect(details).toEqual(expect.arrayContaining([{ field: expect.any(String), problems: expect.any(Array) }]));
  }
  if (field !== undefined) expect(details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  return res.body as ErrorBody;
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe(`validation errors through the API (${currentMode()} storage)`, () => {
  let api: TestApi;
  let admin: Client;
  let seed: Awaited<ReturnType<typeof seedInstitution>>;
  let otherId: string;
  let postId: string;
  let before: Record<string, unknown>;

  const newInstitution = (extra: Record<string, unknown> = {}) => ({
    name: 'Primăria Arad',
    slug: 'arad',
    timeZone: 'Europe/Bucharest',
    languages: ['ro'],
    ...extra,
  });

  /** Everything the bad requests below aim at, as the API shows it. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const paths = {
      institutions: '/api/institutions',
      institution: seed.base,
      other: `/api/institutions/${otherId}`,
      post: `/api/posts/${postId}`,
      posts: `${seed.base}/posts`,
      comments: `/api/posts/${postId}/comments`,
      campaign: `${seed.base}/campaigns/${seed.campaign.id}`,
      campaigns: `${seed.base}/campaigns`,
      members: `${seed.base}/members`,
      partners: `${seed.base}/partners`,
      channels: `${seed.base}/channels`,
      audit: `${seed.base}/audit?limit=200`,
    };
    const out: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(paths)) {
      const res = await admin.get(path);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      out[name] = res.body;
    }
    return out;
  }

  beforeAll(async () => {
    api = await TestApi.start();
    admin = api.admin;
    seed = await seedInstitution(api, 'timisoara');
    const other = await admin.post('/api/institutions', { name: 'Szeged', slug: 'szeged', timeZone: 'Europe/Budapest', languages: ['hu'] });
    expect(other.status).toBe(201);
    otherId = other.body.id;

    const post = await admin.post(`${seed.base}/posts`, {
      campaignId: seed.campaign.id,
      channelIds: [seed.sandbox.id],
      variants: [
        { language: 'ro', text: 'Consultare publică: noua rețea de autobuze.' },
        { language: 'hu', text: 'Nyilvános konzultáció: az új buszhálózat.' },
      ],
      scheduledAt: '2026-12-01T09:00:00+02:00',
      recurrence: 'FREQ=WEEKLY;COUNT=3',
    });
    expect(post.status).toBe(201);
    postId = post.body.id;
    // In review: a reject that slipped through validation would show in its status.
    expect((await admin.post(`/api/posts/${postId}/submit`)).status).toBe(200);
    expect((await admin.get(`/api/posts/${postId}`)).body).toMatchObject({
      status: 'in_review',
      revision: 1,
      recurrence: 'FREQ=WEEKLY;COUNT=3',
    });
    before = await snapshot();
  });
  afterAll(async () => api?.stop());

  describe('the body as sent', () => {
    it('malformed JSON answers 400', async () => {
      expectError(await admin.post('/api/institutions', '{"name": "Arad", '), 400);
      expectError(await admin.patch(`/api/posts/${postId}`, '{"variants": [}'), 400);
      expectError(await admin.post('/api/institutions', 'null'), 400);
    });

    it('a body over 1 MB answers 413; one just under it is judged on its fields', async () => {
      const big = await admin.post('/api/institutions', JSON.stringify(newInstitution({ name: 'x'.repeat(1_100_000) })));
      expect(expectError(big, 413).code).toBe('payload_too_large');
      expectError(await admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: 'y'.repeat(1_100_000) }] }), 413);
      expectError(await admin.post('/api/institutions', JSON.stringify(newInstitution({ name: 'x'.repeat(900_000) }))), 400, 'name');
    });

    const deeplyNested: Array<[string, () => Promise<Reply>]> = [
      ['as the whole body', () => admin.post('/api/institutions', nestedArrays(10_000))],
      [
        'in an array field',
        () => admin.post('/api/institutions', JSON.stringify(newInstitution({ slug: 'deep' })).replace('["ro"]', nestedArrays(10_000))),
      ],
      [
        'in an unknown field',
        () =>
          admin.post(
            '/api/institutions',
            JSON.stringify(newInstitution({ slug: 'deep', extra: 1 })).replace('"extra":1', `"extra":${nestedArrays(10_000)}`),
          ),
      ],
      ["in a post's variants", () => admin.patch(`/api/posts/${postId}`, `{"variants":${nestedArrays(10_000)}}`)],
      [
        "in a channel's settings object",
        () => admin.post(`${seed.base}/channels`, `{"platform":"sandbox","displayName":"Deep","settings":${nestedObjects(10_000)}}`),
      ],
    ];
    for (const [where, send] of deeplyNested) {
      it(`deeply nested JSON (10,000 levels) ${where} answers 4xx, not 5xx`, async () => {
        expectError(await send(), '4xx');
      });
    }

    it('a 100 KB string in a field answers 400 naming the field, without echoing the text back', async () => {
      const long = 'z'.repeat(100_000);
      const cases: Array<[Reply, string]> = [
        [await admin.post('/api/institutions', newInstitution({ name: long })), 'name'],
        [await admin.post('/api/institutions', newInstitution({ timeZone: long })), 'timeZone'],
        [await admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: long }] }), 'variants.0.text'],
        [await admin.post(`/api/posts/${postId}/reject`, { reason: long }), 'reason'],
        [await admin.post(`/api/posts/${postId}/comments`, { body: long }), 'body'],
        [await api.client().post('/api/auth/login', { email: `${long}@arad.example`, password: 'a password' }), 'email'],
      ];
      for (const [res, field] of cases) {
        expectError(res, 400, field);
        expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
      }
    });

    const withNul: Array<[string, () => Promise<Reply>]> = [
      ["an institution's name", () => admin.post('/api/institutions', newInstitution({ name: 'Arad\u0000', slug: 'arad-nul' }))],
      [
        "a post's text",
        () =>
          admin.patch(`/api/posts/${postId}`, {
            variants: [
              { language: 'ro', text: 'a\u0000b' },
              { language: 'hu', text: 'c' },
            ],
          }),
      ],
      [
        "a channel's settings",
        () => admin.post(`${seed.base}/channels`, { platform: 'sandbox', displayName: 'Nul', settings: { note: 'a\u0000b' } }),
      ],
    ];
    for (const [where, send] of withNul) {
      it(`a NUL character in ${where} answers 4xx, not 5xx`, async () => {
        expectError(await send(), '4xx');
      });
    }

    // Half a surrogate pair is no character; PostgreSQL's jsonb refuses it (the fuzz found a 500 this way).
    const halfPairs: Array<[string, () => Promise<Reply>]> = [
      [
        "a post's text, a high half alone",
        () =>
          admin.patch(`/api/posts/${postId}`, {
            variants: [
              { language: 'ro', text: 'a\ud800b' },
              { language: 'hu', text: 'c' },
            ],
          }),
      ],
      [
        "a post's text, a high half at the end",
        () => admin.patch(`/api/posts/${postId}`, `{"variants":[{"language":"ro","text":"a\\uD83D"},{"language":"hu","text":"c"}]}`),
      ],
      [
        "an institution's name, a low half alone",
        () => admin.post('/api/institutions', newInstitution({ name: 'Arad \udc00', slug: 'arad-half' })),
      ],
    ];
    for (const [where, send] of halfPairs) {
      it(`half a surrogate pair in ${where} answers 400 saying so`, async () => {
        expect(expectError(await send(), 400).message).toMatch(/valid Unicode: \\u[0-9a-f]{4} is half of a surrogate pair/i);
      });
    }

    it('a character escaped as a whole surrogate pair is accepted, and read as that character', async () => {
      // Checked through the composer's validate service, which changes nothing (this suite asserts nothing changed).
      const text = (tail: string) => `{"channelIds":["${seed.channel.id}"],"variants":[{"language":"ro","text":"Bine ati venit ${tail}"}]}`;
      const escaped = await admin.post(`${seed.base}/posts/validate`, text('\\ud83d\\ude00'));
      expect(escaped.status).toBe(200);
      expect(escaped.body).toEqual((await admin.post(`${seed.base}/posts/validate`, text('\u{1F600}'))).body);
    });
  });

  describe('fields', () => {
    it('wrong types answer 400 validation_failed naming the field', async () => {
      const cases: Array<[Reply, string]> = [
        [await admin.post('/api/institutions', newInstitution({ name: 12345 })), 'name'],
        [await admin.post('/api/institutions', newInstitution({ languages: 'ro' })), 'languages'],
        [await admin.post('/api/institutions', newInstitution({ transparencyEnabled: { yes: true } })), 'transparencyEnabled'],
        [await admin.patch(seed.base, { transparencyEnabled: 'yes' }), 'transparencyEnabled'],
        [await admin.patch(`/api/posts/${postId}`, { variants: 'Salut' }), 'variants'],
        [await admin.patch(`/api/posts/${postId}`, { channelIds: seed.sandbox.id }), 'channelIds'],
        [await admin.patch(`/api/posts/${postId}`, { scheduledAt: 1_780_000_000_000 }), 'scheduledAt'],
        [await admin.post(`${seed.base}/campaigns`, { title: ['Winter'], startsOn: '2026-12-01', endsOn: '2027-01-31' }), 'title'],
        [await admin.get(`${seed.base}/posts?limit=many`), 'limit'],
        [await api.client().post('/api/auth/login', { email: { $ne: null }, password: 'a password' }), 'email'],
      ];
      for (const [res, field] of cases) expect(expectError(res, 400, field).code).toBe('validation_failed');
    });

    it('null for a field an update may leave out, but not empty, answers 400 naming it (was a 500: the fuzz found slug: null)', async () => {
      const cases: Array<[Reply, string]> = [
        [await admin.patch(seed.base, { name: 'Primăria Timișoara', slug: null }), 'slug'],
        [await admin.patch(seed.base, { languages: null }), 'languages'],
        [await admin.patch(`${seed.base}/campaigns/${seed.campaign.id}`, { title: null }), 'title'],
        [await admin.patch(`${seed.base}/partners/${seed.partner.id}`, { name: null }), 'name'],
      ];
      for (const [res, field] of cases) expect(expectError(res, 400, field).code).toBe('validation_failed');
    });

    it('unknown fields answer 400 naming them, at any depth and in the query', async () => {
      const cases: Array<[Reply, string]> = [
        [await admin.post('/api/institutions', newInstitution({ colour: 'red' })), 'colour'],
        [await admin.patch(`/api/posts/${postId}`, { status: 'approved' }), 'status'],
        [await admin.patch(`/api/posts/${postId}`, { approvedBy: seed.members.editor.userId }), 'approvedBy'],
        [await admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: 'Salut', mood: 'happy' }] }), 'variants.0.mood'],
        [
          await admin.patch(`${seed.base}/members/${seed.members.viewer.memberId}`, { role: 'viewer', isSystemAdmin: true }),
          'isSystemAdmin',
        ],
        [await admin.get(`${seed.base}/posts?sort=title`), 'sort'],
      ];
      for (const [res, field] of cases) expect(expectError(res, 400, field).code).toBe('validation_failed');
    });

    it('errors inside nested objects name their path', async () => {
      const cases: Array<[Reply, string]> = [
        [await admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: 42 }] }), 'variants.0.text'],
        [
          await admin.patch(`/api/posts/${postId}`, {
            variants: [
              { language: 'ro', text: 'Salut' },
              { language: 'not a language', text: 'x' },
            ],
          }),
          'variants.1.language',
        ],
        [
          await admin.patch(`/api/posts/${postId}`, { variants: [{ language: 'ro', text: 'Salut', thread: 'second part' }] }),
          'variants.0.thread',
        ],
        [await admin.patch(`/api/posts/${postId}`, { media: [{ url: 'not a url', altText: { ro: 'Hartă' } }] }), 'media.0.url'],
        [
          await admin.patch(`/api/posts/${postId}`, { channelOverrides: [{ channelId: 'mastodon', text: 'x' }] }),
          'channelOverrides.0.channelId',
        ],
        [await admin.patch(`/api/posts/${postId}`, { variants: [null] }), 'variants.0'],
      ];
      for (const [res, field] of cases) expectError(res, 400, field);
    });
  });

  describe('path parameters', () => {
    it('a malformed UUID answers 400 naming the parameter', async () => {
      const cases: Array<[Reply, string]> = [
        [await admin.get('/api/posts/not-a-uuid'), 'postId'],
        [await admin.patch('/api/posts/not-a-uuid', { variants: [{ language: 'ro', text: 'Salut' }] }), 'postId'],
        [await admin.post('/api/posts/12345/reject', { reason: 'The link is broken.' }), 'postId'],
        [await admin.get('/api/institutions/not-a-uuid'), 'institutionId'],
        [await admin.get(`/api/institutions/${seed.id}x/posts/${postId}`), 'institutionId'],
        [await admin.get(`${seed.base}/campaigns/${seed.campaign.id.slice(0, -1)}`), 'campaignId'],
        [await admin.request('DELETE', `${seed.base}/members/' OR 1=1 --`), 'memberId'],
      ];
      for (const [res, field] of cases) expect(expectError(res, 400, field).code).toBe('validation_failed');
      expectError(await admin.get('/api/posts/%E0%A4%A'), 400);
    });

    it('a well-formed UUID that names nothing answers 404', async () => {
      const nobody = randomUUID();
      for (const res of [
        await admin.get(`/api/posts/${nobody}`),
        await admin.patch(`/api/posts/${nobody}`, { variants: [{ language: 'ro', text: 'Salut' }] }),
        await admin.post(`/api/posts/${nobody}/reject`, { reason: 'The link is broken.' }),
        await admin.get(`/api/institutions/${nobody}`),
        await admin.get(`${seed.base}/campaigns/${nobody}`),
        await admin.get(`/api/institutions/${nobody}/posts/${postId}`),
      ]) {
        expect(expectError(res, 404).code).toBe('not_found');
      }
      expect(expectError(await admin.get('/api/no-such-thing'), 404).code).toBe('not_found');
    });
  });

  describe('rules of the domain', () => {
    it('an unknown IANA time zone answers 4xx naming timeZone', async () => {
      expectError(await admin.post('/api/institutions', newInstitution({ timeZone: 'Mars/Olympus_Mons' })), '4xx', 'timeZone');
      expectError(await admin.patch(seed.base, { timeZone: 'Europe/Atlantis' }), '4xx', 'timeZone');
      expectError(
        await admin.patch(`/api/posts/${postId}`, { scheduledAt: '2026-12-02T09:00:00+02:00', timeZone: 'GMT+25' }),
        '4xx',
        'timeZone',
      );
    });

    it('an invalid RRULE answers 4xx naming recurrence', async () => {
      for (const recurrence of [
        'FREQ=SOMETIMES',
        'FREQ=WEEKLY;BYDAY=XX',
        'every monday',
        'FREQ=DAILY;BOGUS=1',
        'FREQ=DAILY;INTERVAL=0',
        'FREQ=DAILY;COUNT=0',
      ]) {
        expectError(
          await admin.patch(`/api/posts/${postId}`, { scheduledAt: '2026-12-02T09:00:00+02:00', recurrence }),
          '4xx',
          'recurrence',
        );
      }
    });

    it('a rule more often than once an hour answers 422 naming recurrence and the rule, and the server stays responsive', async () => {
      for (const recurrence of ['FREQ=SECONDLY', 'FREQ=MINUTELY;INTERVAL=5', 'FREQ=HOURLY;BYMINUTE=0,15,30,45']) {
        const res = await admin.patch(`/api/posts/${postId}`, { scheduledAt: '2026-12-02T09:00:00+02:00', recurrence });
        expect({ recurrence, status: res.status, field: res.body.details?.[0]?.field }).toEqual({
          recurrence,
          status: 422,
          field: 'recurrence',
        });
        expect(res.body.message).toContain(recurrence);
      }
      expect((await admin.get('/health/live')).status).toBe(200);
    });

    it('a scheduledAt that is not a date, or a wall-clock time the clocks skip or repeat, answers 4xx naming scheduledAt', async () => {
      for (const scheduledAt of ['2027-03-28T03:30:00', '2026-10-25T03:30:00', '2026-12-01 09:00', '2026-02-30T09:00:00Z', 'tomorrow']) {
        expectError(await admin.patch(`/api/posts/${postId}`, { scheduledAt }), '4xx', 'scheduledAt');
      }
      expectError(await admin.patch(`/api/posts/${postId}`, { recurrence: 'FREQ=DAILY;COUNT=2', scheduledAt: null }), '4xx', 'scheduledAt');
    });

    it('a campaign that ends before it starts answers 4xx naming endsOn', async () => {
      expectError(
        await admin.post(`${seed.base}/campaigns`, { title: 'Backwards', startsOn: '2027-02-01', endsOn: '2027-01-31' }),
        '4xx',
        'endsOn',
      );
      expectError(await admin.patch(`${seed.base}/campaigns/${seed.campaign.id}`, { endsOn: '2026-11-30' }), '4xx', 'endsOn');
      expectError(
        await admin.post(`${seed.base}/campaigns`, { title: 'Leap', startsOn: '2027-02-29', endsOn: '2027-03-31' }),
        '4xx',
        'startsOn',
      );
    });

    it('a contributor needs a partner of the institution, and only contributors have one', async () => {
      expectError(
        await admin.post(`${seed.base}/members`, { email: 'volunteer@timisoara.example', role: 'contributor' }),
        '4xx',
        'partnerId',
      );
      expectError(
        await admin.post(`${seed.base}/members`, { email: 'volunteer@timisoara.example', role: 'contributor', partnerId: randomUUID() }),
        '4xx',
        'partnerId',
      );
      expectError(
        await admin.post(`${seed.base}/members`, { email: 'volunteer@timisoara.example', role: 'contributor', partnerId: 'ngo' }),
        400,
        'partnerId',
      );
      expectError(
        await admin.post(`${seed.base}/members`, { email: 'clerk@timisoara.example', role: 'editor', partnerId: seed.partner.id }),
        '4xx',
        'partnerId',
      );
      expectError(await admin.patch(`${seed.base}/members/${seed.members.viewer.memberId}`, { role: 'contributor' }), '4xx', 'partnerId');
    });

    it('a slug already in use answers 409 naming slug', async () => {
      const created = expectError(await admin.post('/api/institutions', newInstitution({ slug: 'timisoara' })), 409, 'slug');
      expect(created.code).toBe('slug_taken');
      expect(expectError(await admin.patch(`/api/institutions/${otherId}`, { slug: 'timisoara' }), 409, 'slug').code).toBe('slug_taken');
    });

    it('rejecting without a reason answers 400 naming reason', async () => {
      for (const body of [{}, { reason: '' }, { reason: 42 }, { reason: null }]) {
        expect(expectError(await seed.members.editor.post(`/api/posts/${postId}/reject`, body), 400, 'reason').code).toBe(
          'validation_failed',
        );
      }
    });
  });

  describe('afterwards', () => {
    it('nothing was changed or lost', async () => {
      const after = await snapshot();
      expect(after).toEqual(before);
      expect(after.post).toMatchObject({
        status: 'in_review',
        revision: 1,
        rejectionReason: null,
        recurrence: 'FREQ=WEEKLY;COUNT=3',
        scheduledAt: '2026-12-01T07:00:00.000Z',
      });
      const slugs = (after.institutions as { items: Array<{ slug: string }> }).items.map((i) => i.slug).sort();
      expect(slugs).toEqual(['szeged', 'timisoara']);
      // No account was created for the refused members.
      const [row]: Array<{ n: number }> = await api.running.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM users WHERE email IN ('volunteer@timisoara.example', 'clerk@timisoara.example')`,
      );
      expect(row!.n).toBe(0);
    });
  });
});
