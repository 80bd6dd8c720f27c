/**
 * A minimal Mastodon for benchmarks: POST /api/v1/statuses and GET /api/v1/accounts/verify_credentials,
 * answering after `latencyMs` with the JSON the masto client expects (the shape of test/fakes/mastodon.fake.ts,
 * without its validation, formatting and fault injection, so that the fake costs next to nothing).
 * It counts the statuses created and the Idempotency-Keys seen twice, so a benchmark can check that
 * nothing was published twice.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const DOMAIN = 'bench.social.example';

export interface MastodonFake {
  url: string;
  /** Statuses created so far. */
  readonly created: number;
  /** Creations that carried an Idempotency-Key already seen (a publication sent twice). */
  readonly repeated: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startMastodonFake(latencyMs: number): Promise<MastodonFake> {
  let nextId = 110_000_000_000_000_000n;
  let created = 0;
  let repeated = 0;
  const keys = new Set<string>();

  const account = {
    id: '1',
    username: 'bench',
    acct: 'bench',
    display_name: 'Bench',
    locked: false,
    bot: false,
    created_at: '2023-01-10T00:00:00.000Z',
    note: '',
    url: `https://${DOMAIN}/@bench`,
    avatar: `https://${DOMAIN}/avatars/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: 0,
    emojis: [],
    fields: [],
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }, latencyMs);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/v1/accounts/verify_credentials') return send(res, 200, account);
    if (req.method === 'POST' && path === '/api/v1/statuses') {
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string') {
        if (keys.has(key)) repeated++;
        keys.add(key);
      }
      let params: Record<string, unknown> = {};
      try {
        params = JSON.parse(body) as Record<string, unknown>;
      } catch {
        params = Object.fromEntries(new URLSearchParams(body));
      }
      const id = String(nextId++);
      created++;
      const text = String(params.status ?? '');
      return send(res, 200, {
        id,
        created_at: new Date().toISOString(),
        in_reply_to_id: params.in_reply_to_id ?? null,
        in_reply_to_account_id: null,
        sensitive: false,
        spoiler_text: '',
        visibility: params.visibility ?? 'public',
        language: params.language ?? null,
        uri: `https://${DOMAIN}/users/bench/statuses/${id}`,
        url: `https://${DOMAIN}/@bench/${id}`,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        edited_at: null,
        content: `<p>${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
        reblog: null,
        application: { name: 'CivicPost', website: null },
        account,
        media_attachments: [],
        mentions: [],
        tags: [],
        emojis: [],
        card: null,
        poll: null,
      });
    }
    send(res, 404, { error: 'Record not found' });
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get created() {
      return created;
    },
    get repeated() {
      return repeated;
    },
    reset() {
      created = 0;
      repeated = 0;
      keys.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
