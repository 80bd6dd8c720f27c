import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { currentMode } from '#test/support/test-storage.js';
import { seedInstitution, TestApi, type Client } from '#test/support/api.js';
import { png } from '#test/support/images.js';

/**
 * Hostile input: for every operation of the OpenAPI document, generated requests (bodies built
 * from the schema and then broken, junk query strings and headers, odd ids) sent as an admin of
 * institution A. No answer may be a 5xx, the server must still be healthy afterwards, and
 * institution B must be exactly as it was.
 *
 * FUZZ_SEED reproduces a run (the seed is printed); FUZZ_REQUESTS sets the number of requests.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : randomBytes(4).readUInt32LE(0);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 4000);

/**
 * The one 5xx that is not CivicPost's fault: an operation that calls the platform (verify, withdraw)
 * answers 502 platform_unavailable when the platform does not answer. The fuzz's Mastodon channel
 * points at an address that does not exist, so this is expected there and nowhere else.
 */
const PLATFORM_CALLS = [/\/channels\/\{channelId\}\/verify$/, /\/targets\/\{targetId\}\/withdraw$/];

/** mulberry32: small, seeded, good enough to pick inputs. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  example?: unknown;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: { contentType: string; schema?: Schema };
}

/** The ids the fuzz may name, by path or body parameter name. */
type Pools = Record<string, string[]>;

/** A request as sent, kept for the report when it fails. */
interface Sent {
  op: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const HUGE = 100 * 1024;
/** Bytes that are not UTF-8: a lone continuation byte, an overlong NUL, a truncated sequence, a surrogate. */
const INVALID_UTF8 = [
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc0, 0x80]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe2, 0x82]),
];
/** Stands in a JSON string for invalid UTF-8 bytes, replaced after serialising. */
const RAW_MARK = 'RAWBYTES-7f3a';

const ODD_STRINGS = [
  '',
  ' ',
  '\u202Eevil\u202C',
  '\ud800',
  '\udfff\ud800',
  'ﷺ𝔘𝔫𝔦𝔠𝔬𝔡𝔢🏳️‍🌈',
  'a\u0301\u0301\u0301',
  "'; DROP TABLE posts; --",
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '%00',
  '%s%s%n',
  'null',
  '0',
  '-1',
  '1e400',
  'true',
  '2026-02-30',
  '2026-12-01T25:61',
  '9999999-01-01T00:00',
  '0000-00-00',
  'Etc/Nowhere',
  'FREQ=SECONDLY;INTERVAL=0',
  'FREQ=DAILY;COUNT=100000000',
  'RRULE:FREQ=YEARLY;BYSETPOS=-9999',
  'x'.repeat(1000),
  '\t\n\r\v\f',
  '😀'.repeat(300),
];

const ODD_NUMBERS = [0, -1, -0, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE];

function resolve(doc: { components?: { schemas?: Record<string, Schema> } }, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length === 1) return { ...resolve(doc, schema.allOf[0]), nullable: schema.nullable };
  return schema;
}

/** A plausible value for a field named `name`, so that generated bodies reach the services and not only the validators. */
function hinted(rng: Rng, name: string, pools: Pools): unknown {
  const id = (pool: string) => rng.pick(pools[pool] ?? [randomUUID()]);
  switch (name) {
    case 'campaignId':
    case 'channelId':
    case 'partnerId':
    case 'mediaId':
      return id(name);
    case 'channelIds':
    case 'partnerIds':
      return Array.from({ length: 1 + rng.int(2) }, () => id(name.slice(0, -1)));
    case 'startsOn':
      return rng.pick(['2027-01-01', '2027-03-01', '2026-12-01']);
    case 'endsOn':
      return rng.pick(['2027-01-31', '2027-06-30', '2026-11-01']);
    case 'startsAt':
      return rng.pick(['2031-02-01T07:00', '2031-02-01T07:00:00Z', '2031-03-29T03:30']);
    case 'endsAt':
      return rng.pick(['2031-02-02T07:00', '2031-02-02T07:00:00+02:00', '2031-01-01T00:00']);
    case 'scheduledAt':
      return rng.pick(['2031-05-01T09:00', '2031-05-01T09:00:00+02:00', '2020-01-01T09:00', null]);
    case 'timeZone':
      return rng.pick(['Europe/Bucharest', 'UTC', 'America/New_York']);
    case 'language':
      return rng.pick(['ro', 'hu', 'en']);
    case 'languages':
    case 'optionalLanguages':
      return rng.pick([['ro', 'hu'], ['ro'], ['en']]);
    case 'email':
      return `fuzz-${rng.int(1e9)}@fuzz.example`;
    case 'slug':
      return `fuzz-${rng.int(1e9)}`;
    case 'website':
    case 'url':
      return rng.pick(['https://ngo.example.org', 'https://t.me/x/1']);
    case 'recurrence':
      return rng.pick(['FREQ=WEEKLY;BYDAY=MO;COUNT=3', null]);
    case 'altText':
      return { ro: 'Harta', hu: 'Térkép' };
    case 'settings':
      return rng.pick([{ instanceUrl: 'https://mastodon.fuzz.invalid' }, { pageId: '123' }, {}]);
    case 'credentials':
      return { accessToken: `fuzz-token-${rng.int(1e6)}` };
    case 'platform':
      return rng.pick(['sandbox', 'sandbox', 'mastodon', 'telegram']);
    case 'currentPassword':
      return 'not the password';
    case 'password':
      return 'not the password either';
    default:
      return undefined;
  }
}

/** A value that the schema accepts (as far as the schema says). */
function generate(rng: Rng, doc: object, raw: Schema | undefined, pools: Pools, name = '', depth = 0): unknown {
  const schema = resolve(doc, raw);
  const hint = hinted(rng, name, pools);
  if (hint !== undefined) return hint;
  if (!schema) return rng.pick(['x', 1, true]);
  if (schema.enum) return rng.pick(schema.enum);
  if (schema.example !== undefined && rng.chance(0.5)) return schema.example;
  switch (schema.type) {
    case 'string':
      return rng.chance(0.8) ? `fuzz text ${rng.int(1e6)}` : rng.pick(ODD_STRINGS);
    case 'number':
    case 'integer': {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 100;
      return lo + rng.int(hi - lo + 1);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return depth > 4
        ? []
        : Array.from({ length: rng.int(3) + (name === 'variants' ? 1 : 0) }, () => generate(rng, doc, schema.items, pools, '', depth + 1));
    case 'object':
    default: {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.6)) out[key] = generate(rng, doc, prop, pools, key, depth + 1);
      }
      return out;
    }
  }
}

/** Every place in a JSON value where a value sits: [parent, key] pairs. */
function slots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) (out.push([value as Record<string, unknown>, k]), slots(v, out));
  return out;
}

function deep(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** A wrong value for any slot: another type, a huge string, deep nesting, odd numbers. */
function junkValue(rng: Rng): unknown {
  switch (rng.int(9)) {
    case 0:
      return rng.pick(ODD_NUMBERS);
    case 1:
      return rng.pick(ODD_STRINGS);
    case 2:
      return 'Z'.repeat(HUGE);
    case 3:
      return deep(5 + rng.int(40));
    case 4:
      return rng.pick([null, true, false, [], {}, [null], { $gt: '' }]);
    case 5:
      return `${RAW_MARK}`;
    case 6:
      return 'a\u0000b';
    case 7:
      return Array.from({ length: 1000 }, (_, i) => i);
    default:
      return { toString: 'x', valueOf: 1, __proto__: { admin: true }, constructor: { prototype: { admin: true } } };
  }
}

/** The body of one request: generated from the schema, then (mostly) broken. */
function bodyFor(rng: Rng, doc: object, op: Operation, pools: Pools): { bytes?: Buffer; contentType?: string; mutation: string } {
  if (!op.body && rng.chance(0.7)) return { mutation: 'none' };
  if (op.body?.contentType === 'multipart/form-data') return multipart(rng);
  const valid = op.body ? generate(rng, doc, op.body.schema, pools) : {};
  let value: unknown = valid;
  let mutation = 'valid';
  let text: string | undefined;
  const kind = rng.int(12);
  const places = slots(value);
  const place = places.length ? rng.pick(places) : undefined;
  switch (kind) {
    case 0:
      break;
    case 1:
    case 2:
      mutation = 'wrong value';
      if (place) place[0][place[1] as never] = junkValue(rng) as never;
      else value = junkValue(rng);
      break;
    case 3:
      mutation = 'missing field';
      if (place && !Array.isArray(place[0])) delete (place[0] as Record<string, unknown>)[place[1] as string];
      break;
    case 4:
      mutation = 'extra fields';
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        Object.assign(value, {
          id: randomUUID(),
          institutionId: rng.pick(pools.foreignInstitutionId!),
          status: 'published',
          revision: -1,
          createdBy: randomUUID(),
        });
        text = JSON.stringify(value).replace(/^\{/, '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},');
      }
      break;
    case 5:
      mutation = 'huge strings';
      for (const [parent, key] of places) if (typeof parent[key as never] === 'string') parent[key as never] = 'H'.repeat(HUGE) as never;
      break;
    case 6:
      mutation = 'deep JSON';
      if (rng.chance(0.5)) value = deep(20 + rng.int(20), value);
      else text = '{"a":['.repeat(5000) + JSON.stringify(value) + ']}'.repeat(5000); // far deeper than any parser should follow
      break;
    case 7:
      mutation = 'numbers out of range';
      text = JSON.stringify(value).replace(
        /:"[^"]*"/,
        `:${rng.pick(['1e400', '-1e400', '123456789012345678901234567890', '-0', '0.0000000000000000000001'])}`,
      );
      break;
    case 8:
      mutation = 'invalid UTF-8';
      if (place) place[0][place[1] as never] = RAW_MARK as never;
      else value = RAW_MARK;
      break;
    case 9:
      mutation = 'NUL';
      text = JSON.stringify(value).replace(/":"/, rng.chance(0.5) ? '":"\\u0000' : '":"\u0000');
      break;
    case 10:
      mutation = 'not JSON';
      text = rng.pick([
        '',
        'null',
        '[]',
        '"text"',
        '123',
        '{',
        '{"a":',
        '{"a":1}}',
        "{'a':1}",
        '\ufeff{}',
        'a=1&b=2',
        '{"a":1,"a":2}',
        '[' + '1,'.repeat(10000) + '1]',
      ]);
      break;
    default:
      mutation = 'wrong top-level type';
      value = rng.pick([[valid], 'string', 42, null, true]);
  }
  let bytes = Buffer.from(text ?? JSON.stringify(value) ?? '', 'utf8');
  if (bytes.includes(RAW_MARK)) {
    const bad = rng.pick(INVALID_UTF8);
    const parts: Buffer[] = [];
    let rest = bytes;
    for (let i = rest.indexOf(RAW_MARK); i >= 0; i = rest.indexOf(RAW_MARK)) {
      parts.push(rest.subarray(0, i), Buffer.from('x'), bad, Buffer.from('y'));
      rest = rest.subarray(i + RAW_MARK.length);
    }
    bytes = Buffer.concat([...parts, rest]);
  }
  return { bytes, contentType: 'application/json', mutation };
}

/** A multipart upload: a real image, a lying one, none, several, odd names and boundaries. */
function multipart(rng: Rng): { bytes: Buffer; contentType: string; mutation: string } {
  const boundary = `fuzz${rng.int(1e9)}`;
  const kind = rng.int(7);
  const file = [png(4, 3), Buffer.from('GIF89a not really'), Buffer.from('<svg onload="alert(1)"/>'), randomBytes(2000), Buffer.alloc(0)][
    kind % 5
  ]!;
  const type = rng.pick(['image/png', 'image/jpeg', 'text/html', 'application/octet-stream', '', 'image/png\u00ff']);
  const field = rng.chance(0.8) ? 'file' : rng.pick(['files', '', 'file[]', '__proto__']);
  const name = rng.pick(['photo.png', '../../etc/passwd', 'x'.repeat(2000) + '.png', 'a"b.png', 'ünïcødé.png', '']);
  const part = (b: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
        'latin1',
      ),
      b,
      Buffer.from('\r\n'),
    ]);
  let parts = [part(file)];
  if (kind === 5) parts = [part(file), part(png(2, 2))];
  if (kind === 6) parts = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nno file at all\r\n`)];
  const body = Buffer.concat([...parts, Buffer.from(rng.chance(0.9) ? `--${boundary}--\r\n` : '')]);
  const contentType = rng.chance(0.9)
    ? `multipart/form-data; boundary=${boundary}`
    : rng.pick(['multipart/form-data', 'multipart/form-data; boundary=other', 'application/json']);
  return { bytes: body, contentType, mutation: `multipart ${kind}` };
}

/** A value for a path parameter: mostly A's real ids, sometimes B's, random or junk (percent-encoded or raw bytes). */
function pathValue(rng: Rng, name: string, pools: Pools): string {
  const roll = rng.next();
  const own = pools[name];
  if (own?.length && roll < 0.6) return rng.pick(own);
  if (roll < 0.7 && pools[`foreign:${name}`]?.length) return rng.pick(pools[`foreign:${name}`]!);
  if (roll < 0.8)
    return rng.pick([
      randomUUID(),
      '00000000-0000-0000-0000-000000000000',
      randomUUID().toUpperCase(),
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ]);
  return rng.pick([
    'not-a-uuid',
    '%FF%FE',
    '%C3%28',
    '%ED%A0%80',
    '\u00ff\u00fe', // sent as raw bytes 0xff 0xfe (latin1 request line)
    '..%2F..%2Fhealth',
    '%2e%2e',
    'a'.repeat(5000),
    '1',
    '-1',
    '1e400',
    `${randomUUID()}%20`,
    `${randomUUID()};drop`,
    '%25',
    '%',
    '%00',
    '__proto__',
    'constructor',
  ]);
}

function queryFor(rng: Rng, op: Operation, pools: Pools): string {
  const pairs: string[] = [];
  for (const p of op.parameters.filter((p) => p.in === 'query')) {
    if (rng.chance(0.4)) continue;
    // A lone surrogate cannot be percent-encoded: it goes as it is (Node sends it as latin1 bytes).
    const enc = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return v.replace(/[^\u0021-\u00ff]/g, '\u00ff');
      }
    };
    const r = rng.int(10);
    if (r < 4) {
      const v = p.schema?.enum
        ? rng.pick(p.schema.enum)
        : p.schema?.type === 'number'
          ? (p.schema.minimum ?? 0) + rng.int(20)
          : (hinted(rng, p.name, pools) ?? rng.pick(['2026-12-01', '2027-01-31T00:00:00Z', 'post.created']));
      pairs.push(`${enc(p.name)}=${enc(String(v))}`);
    } else if (r === 4) pairs.push(`${p.name}=1&${p.name}=2`, `${p.name}=x`);
    else if (r === 5) pairs.push(`${p.name}[a][b]=1`);
    else if (r === 6) pairs.push(`${p.name}=${'q'.repeat(4000 + rng.int(8000))}`);
    else if (r === 7) pairs.push(`${p.name}=%FF%FE`, `${p.name}[]=\u00ff`);
    else pairs.push(`${p.name}=${enc(String(rng.pick<unknown>([...ODD_STRINGS.slice(0, 26), ...ODD_NUMBERS])))}`);
  }
  if (rng.chance(0.2))
    pairs.push(
      rng.pick([
        '__proto__[admin]=1',
        'constructor[prototype][admin]=1',
        'a[' + '['.repeat(200) + ']=1',
        '&&&==&',
        'x=%',
        '%zz=1',
        `junk=${'j'.repeat(2000)}`,
        'limit=1&limit[]=2',
      ]),
    );
  return pairs.length ? `?${pairs.join('&')}` : '';
}

const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/xml',
  '',
  'a/b/c;;==',
  '*/*',
  'application/merge-patch+json',
  'application/json; boundary=x; charset=utf-8',
];

function headersFor(rng: Rng, token: string, contentType: string | undefined): Record<string, string> {
  const h: Record<string, string> = { authorization: `Bearer ${token}` };
  if (contentType !== undefined) h['content-type'] = contentType;
  if (rng.chance(0.25)) {
    switch (rng.int(10)) {
      case 0:
        h['content-type'] = rng.pick(CONTENT_TYPES);
        break;
      case 1:
        h['x-fuzz'] = 'h'.repeat(1000 + rng.int(20_000)); // past 16 KB Node answers 431
        break;
      case 2:
        h['accept-language'] = rng.pick(['\u00ff\u00fe', 'ro-RO;q=abc, *;q=-1', 'x'.repeat(5000), 'hu, ro;q=0.9, en;q=0.8']);
        break;
      case 3:
        h['x-forwarded-for'] = rng.pick(['not-an-ip', '1.1.1.1, \u00ff', '::1, ::1, ::1', '999.999.999.999']);
        break;
      case 4:
        h['content-encoding'] = rng.pick(['gzip', 'deflate', 'br', 'identity', 'junk']);
        break;
      case 5:
        h.authorization = rng.pick(['Bearer ', `Bearer ${token}x`, 'Basic YTpi', `bearer ${token}`, `Bearer ${'\u00ff'.repeat(10)}`]);
        break;
      case 6:
        h.cookie = rng.pick(['civicpost_session=junk', 'civicpost_session=%FF', `civicpost_session=${token}; civicpost_csrf=x`, '=;=;=']);
        break;
      case 7:
        h.accept = rng.pick(['text/html', 'application/xml', '*/*;q=abc', '\u00ff']);
        break;
      case 8:
        h['x-csrf-token'] = rng.pick(['junk', '\u00ff'.repeat(50)]);
        break;
      default:
        h['if-none-match'] = rng.pick(['*', 'W/"x"', '\u00ff']);
    }
  }
  return h;
}

/** One request through node:http, so that raw bytes reach the server as they are (fetch would re-encode them). */
function send(baseUrl: string, s: Sent): Promise<{ status: number; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: s.method,
        path: s.path,
        headers: { ...s.headers, ...(s.body ? { 'content-length': String(s.body.length) } : {}) },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(s.body);
  });
}

function describeSent(s: Sent, status: number | string, answer: string): string {
  const body = s.body
    ? s.body.length > 400
      ? `${s.body.subarray(0, 400).toString('latin1')}... (${s.body.length} bytes)`
      : s.body.toString('latin1')
    : '(none)';
  const headers = Object.fromEntries(
    Object.entries(s.headers).map(([k, v]) => [
      k,
      k === 'authorization' ? '(token)' : v.length > 100 ? `${v.slice(0, 100)}... (${v.length})` : v,
    ]),
  );
  return `${status} ${s.method} ${s.path.length > 300 ? s.path.slice(0, 300) + '...' : s.path}\n  op: ${s.op}\n  headers: ${JSON.stringify(headers)}\n  body: ${body}\n  answer: ${answer.slice(0, 500)}`;
}

type Seed = Awaited<ReturnType<typeof seedInstitution>>;

describe(`fuzz of every API operation (${currentMode()} storage)`, () => {
  let api: TestApi;
  let a: Seed;
  let b: Seed;
  let fuzzer: Client & { userId: string; memberId: string };
  let fuzzerPassword: string;
  let bAdmin: Client;
  let operations: Operation[];
  let doc: object;
  let pools: Pools;
  let bBefore: unknown;
  const counts = new Map<string, number>();

  const variants = (text: string) => [
    { language: 'ro', text },
    { language: 'hu', text: `${text} (hu)` },
  ];

  /** Posts in several states, a comment, a blackout and an image: what the fuzz can reach in one institution. */
  async function furnish(s: Seed, label: string) {
    const { editor, editor2 } = s.members;
    const mk = async (by: Client, text: string) => {
      const res = await by.post(`${s.base}/posts`, {
        campaignId: s.campaign.id,
        channelIds: [s.sandbox.id, s.channel.id],
        variants: variants(text),
        scheduledAt: '2031-06-01T09:00',
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; targets: Array<{ id: string }> };
    };
    const draft = await mk(editor, `Draft of ${label}`);
    const review = await mk(editor2, `In review of ${label}`);
    expect((await editor2.post(`/api/posts/${review.id}/submit`)).status).toBe(200);
    const approved = await mk(editor2, `Approved of ${label}`);
    expect((await editor2.post(`/api/posts/${approved.id}/submit`)).status).toBe(200);
    expect((await editor.post(`/api/posts/${approved.id}/approve`)).status).toBe(200);
    const rejected = await mk(editor2, `Rejected of ${label}`);
    expect((await editor2.post(`/api/posts/${rejected.id}/submit`)).status).toBe(200);
    expect((await editor.post(`/api/posts/${rejected.id}/reject`, { reason: 'Not yet' })).status).toBe(200);
    expect((await editor.post(`/api/posts/${review.id}/comments`, { body: `A comment in ${label}` })).status).toBe(201);
    const blackout = await api.admin.post(`${s.base}/blackouts`, {
      startsAt: '2032-01-01T00:00',
      endsAt: '2032-01-02T00:00',
      reason: `Window of ${label}`,
    });
    expect(blackout.status).toBe(201);
    const image = await editor.upload(`${s.base}/media`, png(4, 3), 'photo.png', 'image/png');
    expect(image.status).toBe(201);
    const posts = [draft, review, approved, rejected];
    return {
      institutionId: [s.id],
      postId: posts.map((p) => p.id),
      targetId: posts.flatMap((p) => p.targets.map((t) => t.id)),
      // Not the fuzzer's own membership (nor the system admin's): removing it would end the fuzz, not test anything.
      memberId: [
        s.members.editor.memberId,
        s.members.editor2.memberId,
        s.members.author.memberId,
        s.members.contributor.memberId,
        s.members.viewer.memberId,
      ],
      partnerId: [s.partner.id],
      channelId: [s.channel.id, s.sandbox.id],
      campaignId: [s.campaign.id, s.privateCampaign.id],
      blackoutId: [blackout.body.id as string],
      mediaId: [image.body.id as string],
    };
  }

  /** Everything of B that B's own admin can read. */
  async function snapshotOfB(): Promise<unknown> {
    const read = async (path: string) => {
      const res = await bAdmin.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      return res.body;
    };
    const posts = await read(`${b.base}/posts?limit=200`);
    return {
      institution: await read(b.base),
      members: await read(`${b.base}/members?limit=200`),
      partners: await read(`${b.base}/partners?limit=200`),
      channels: await read(`${b.base}/channels?limit=200`),
      campaigns: await read(`${b.base}/campaigns?limit=200`),
      blackouts: await read(`${b.base}/blackouts?limit=200`),
      posts,
      each: await Promise.all(posts.items.map((p: { id: string }) => read(`/api/posts/${p.id}`))),
      comments: await Promise.all(posts.items.map((p: { id: string }) => read(`/api/posts/${p.id}/comments?limit=200`))),
      audit: await read(`${b.base}/audit?limit=200`),
      // The chain is shared by all institutions: its last hash moves with A's events, B's count must not.
      verify: ((v: { ok: boolean; events: number }) => ({ ok: v.ok, events: v.events }))(await read(`${b.base}/audit/verify`)),
    };
  }

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS}`);
    api = await TestApi.start();
    a = await seedInstitution(api, 'fuzz-a');
    b = await seedInstitution(api, 'fuzz-b');
    // The fuzzer is an admin of A alone (the system admin of the seed is an admin of both).
    const added = await api.admin.post(`${a.base}/members`, { email: 'fuzzer@fuzz-a.example', role: 'admin', displayName: 'Fuzzer' });
    expect(added.status).toBe(201);
    fuzzerPassword = added.body.temporaryPassword;
    fuzzer = Object.assign(await api.login(api.client(), 'fuzzer@fuzz-a.example', fuzzerPassword), {
      userId: added.body.member.userId as string,
      memberId: added.body.member.id as string,
    });
    bAdmin = await api.member(api.admin, b.id, 'admin@fuzz-b-only.example', 'admin');

    const own = await furnish(a, 'A');
    const foreign = await furnish(b, 'B');
    pools = { ...own };
    for (const [k, v] of Object.entries(foreign)) pools[`foreign:${k}`] = v;
    pools.foreignInstitutionId = [b.id];

    const res = await fetch(`${api.url}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as object;
    const paths = (
      doc as {
        paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: Schema }> } }>>;
      }
    ).paths;
    operations = Object.entries(paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, o]) => {
          const content = o.requestBody?.content ?? {};
          const contentType = Object.keys(content)[0];
          return {
            method: m.toUpperCase(),
            template,
            parameters: o.parameters ?? [],
            body: contentType ? { contentType, schema: content[contentType]!.schema } : undefined,
          };
        }),
    );
    bBefore = await snapshotOfB();
  }, 240_000);
  afterAll(async () => api?.stop());

  it('answers thousands of generated requests to every operation without a 5xx', async () => {
    const rng = prng(SEED);
    const perOperation = Math.max(3, Math.ceil(REQUESTS / operations.length));
    const failures: string[] = [];
    let relogins = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    // Interleaved (one of each operation in turn) so that destructive calls do not come in a block.
    for (let round = 0; round < perOperation; round++) {
      for (const op of operations) {
        const key = `${op.method} ${op.template}`;
        const path = op.template.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(rng, name, pools)) + queryFor(rng, op, pools);
        const { bytes, contentType, mutation } = bodyFor(rng, doc, op, pools);
        const sent: Sent = {
          op: `${key} (${mutation})`,
          method: op.method,
          path,
          headers: headersFor(rng, fuzzer.token!, contentType),
          body: bytes,
        };
        let answer: { status: number; text: string };
        try {
          answer = await send(api.url, sent);
        } catch (err) {
          failures.push(describeSent(sent, 'no answer', (err as Error).message));
          continue;
        }
        counts.set(key, (counts.get(key) ?? 0) + 1);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const platformDown =
          answer.status === 502 && PLATFORM_CALLS.some((re) => re.test(op.template)) && answer.text.includes('"platform_unavailable"');
        if (answer.status >= 500 && !platformDown) failures.push(describeSent(sent, answer.status, answer.text));
        // Logging out (or a password change) ends the fuzzer's session: log in again and go on.
        if (answer.status === 401 || key === 'POST /api/auth/logout') {
          const me = await fuzzer.get('/api/me');
          if (me.status === 401) {
            await api.login(fuzzer, 'fuzzer@fuzz-a.example', fuzzerPassword);
            relogins++;
          }
        }
      }
    }
    const total = [...counts.values()].reduce((x, y) => x + y, 0);
    console.log(
      `fuzz: ${total} requests over ${operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s, ${relogins} re-logins, seed ${SEED}; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])))}`,
    );
    if (failures.length) console.log(`fuzz: ${failures.length} failures (FUZZ_SEED=${SEED}):\n${failures.slice(0, 30).join('\n')}`);
    expect(failures).toEqual([]);
    for (const op of operations)
      expect({ op: `${op.method} ${op.template}`, sent: (counts.get(`${op.method} ${op.template}`) ?? 0) >= perOperation }).toEqual({
        op: `${op.method} ${op.template}`,
        sent: true,
      });
  }, 600_000);

  it('is still healthy afterwards', async () => {
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
  });

  it('leaves institution B exactly as it was (posts, campaigns, channels, members, audit trail)', async () => {
    expect(await snapshotOfB()).toEqual(bBefore);
  });

  it("leaves A's data readable, and A's audit trail intact", async () => {
    const admin = api.admin;
    for (const path of [
      '',
      '/members',
      '/partners',
      '/channels',
      '/campaigns',
      '/posts?limit=200',
      '/blackouts',
      '/audit?limit=200',
      '/reports/engagement',
      '/reports/top-posts',
      '/reports/campaigns',
      '/reports/punctuality',
    ]) {
      const res = await admin.get(`${a.base}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const posts = (await admin.get(`${a.base}/posts?limit=200`)).body.items as Array<{ id: string }>;
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) {
      for (const path of [`/api/posts/${p.id}`, `/api/posts/${p.id}/comments`])
        expect({ path, status: (await admin.get(path)).status }).toEqual({ path, status: 200 });
    }
    expect((await admin.get(`${a.base}/audit/verify`)).body).toMatchObject({ ok: true });
  });
});
