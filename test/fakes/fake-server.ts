/**
 * The common part of CivicPost's fake platform servers (node:http): routing, a ledger of what was
 * posted, a log of requests, and switches for faults. Each platform's fake (x.fake.ts, ...) adds its
 * routes, its authentication check and its own error bodies and rate-limit headers.
 *
 * The fakes are written from the platforms' documentation (../shared/reference/platform-apis.md),
 * not from CivicPost's adapters, and import nothing from src/.
 *
 * Control API, for tests in other processes and for `npm run fakes`:
 *   GET    /__fake/ledger            every post accepted, in order
 *   GET    /__fake/requests          every request seen (method, path, status, headers)
 *   POST   /__fake/faults            {"fault":"rate_limit","on":"write","times":1,"skip":0}
 *   DELETE /__fake/faults            clears the faults
 *   POST   /__fake/reset             clears ledger, requests and faults
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAULTS = ['rate_limit', 'server_error', 'hang', 'accept_then_error', 'accept_then_drop', 'expired_token'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRule {
  fault: Fault;
  /** Which requests: 'write' (the default: routes that create, upload or delete), 'read', 'any', or a route name. */
  on?: string;
  /** How many requests it hits; default 1. Use a large number for "until cleared". */
  times?: number;
  /** Matching requests to let through first (e.g. 1 to fail a thread's second part); default 0. */
  skip?: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  url: URL;
  path: string;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The raw request, for checks that need it (e.g. an OAuth signature over the exact URL). */
  req: http.IncomingMessage;
  json<T = Record<string, unknown>>(): T;
  /** application/x-www-form-urlencoded bodies. */
  form(): URLSearchParams;
  /** multipart/form-data bodies, parsed by undici's Request. */
  formData(): Promise<FormData>;
}

export interface Route {
  name: string;
  method: string;
  /** A path with `:param` segments, or a RegExp whose named groups become params. */
  path: string | RegExp;
  /** Creates, uploads or deletes: what 'write' faults hit. */
  write: boolean;
  /** Whether the request must pass `authenticate`; default true. */
  auth?: boolean;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

export interface LedgerEntry {
  id: string;
  text: string;
  at: string;
  [key: string]: unknown;
}

export interface SeenRequest {
  method: string;
  path: string;
  route: string | null;
  status: number | null;
  fault: Fault | null;
  headers: http.IncomingHttpHeaders;
}

/** What a CivicPost channel needs to post to a fake: `npm run fakes` prints it, tests create channels from it. */
export interface DemoChannel {
  platform: 'x' | 'mastodon' | 'bluesky' | 'facebook' | 'linkedin' | 'telegram';
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  /** The CivicPost variables that point the platform's base URL at this fake (none for Mastodon and Bluesky: the URL is in settings). */
  env: Record<string, string>;
}

export class HttpReply extends Error {
  constructor(readonly reply: Reply) {
    super(`reply ${reply.status}`);
  }
}

export abstract class FakePlatform {
  abstract readonly name: string;
  /** Every post accepted (a thread's replies included), in order. */
  ledger: LedgerEntry[] = [];
  requests: SeenRequest[] = [];
  /**
   * How long the platform takes before it stores a request's effect and after it, before answering
   * (default none). Chaos tests draw it at random, so that a worker killed at a random moment may be
   * before the call, inside it, or after the platform accepted but before CivicPost heard.
   */
  latency: (route: Route) => { beforeMs: number; afterMs: number } = () => ({ beforeMs: 0, afterMs: 0 });
  /** Requests being answered now: still before their effect, or after it and not yet answered. */
  readonly inFlight = { before: 0, after: 0 };
  private faults: Array<Required<FaultRule>> = [];
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private compiled?: Array<{ route: Route; match: (path: string) => Record<string, string> | null }>;

  protected abstract routes(): Route[];
  /** The channel (settings, credentials, base-URL variables) that reaches this fake as its default account. */
  abstract demoChannel(): DemoChannel;
  /** The platform's 429, with its own body and rate-limit headers. */
  protected abstract rateLimited(ctx: RequestContext): Reply;
  /** The platform's 500. */
  protected abstract serverError(ctx: RequestContext): Reply;
  /** The platform's answer to an expired or revoked token. */
  protected abstract expiredToken(ctx: RequestContext): Reply;
  /** Checks the request's credentials; a Reply refuses it. */
  protected abstract authenticate(ctx: RequestContext): Reply | undefined;
  /** The platform's 404 for a path it does not serve. */
  protected notFound(_ctx: RequestContext): Reply {
    return { status: 404, body: { error: 'Not Found' } };
  }
  /** Headers the platform sends on every answer (rate-limit counters...). */
  protected commonHeaders(_ctx: RequestContext, _route: Route): Record<string, string> {
    return {};
  }

  fail(rule: FaultRule): void {
    this.faults.push({ on: 'write', times: 1, skip: 0, ...rule });
  }

  clearFaults(): void {
    this.faults = [];
  }

  reset(): void {
    this.ledger = [];
    this.requests = [];
    this.faults = [];
    this.resetState();
  }

  /** Platform state to clear on reset (ids, sessions, uploads). */
  protected resetState(): void {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`${this.name} fake is not started`);
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private matchers() {
    this.compiled ??= this.routes().map((route) => ({ route, match: compile(route.path) }));
    return this.compiled;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: null,
      status: null,
      fault: null,
      headers: req.headers,
    };
    const send = (reply: Reply) => {
      seen.status = reply.status;
      const isJson = reply.body !== undefined && !Buffer.isBuffer(reply.body);
      res.writeHead(reply.status, { ...(isJson ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...reply.headers });
      res.end(isJson ? JSON.stringify(reply.body) : (reply.body as Buffer | undefined));
    };
    if (url.pathname.startsWith('/__fake/')) return send(this.control(req.method ?? 'GET', url.pathname, body));
    this.requests.push(seen);

    let params: Record<string, string> | null = null;
    const found = this.matchers().find((m) => m.route.method === req.method && (params = m.match(url.pathname)) !== null);
    const ctx = context(req, url, body, params ?? {});
    if (!found) return send(this.notFound(ctx));
    const { route } = found;
    seen.route = route.name;
    try {
      const fault = this.takeFault(route);
      seen.fault = fault ?? null;
      if (fault === 'hang') return; // never answers; the socket is destroyed on stop()
      if (fault === 'rate_limit') return send(this.rateLimited(ctx));
      if (fault === 'server_error') return send(this.serverError(ctx));
      if (fault === 'expired_token') return send(this.expiredToken(ctx));
      if (route.auth !== false) {
        const refused = this.authenticate(ctx);
        if (refused) return send(refused);
      }
      const { beforeMs, afterMs } = this.latency(route);
      const reply = await this.timed(beforeMs, afterMs, () => route.handle(ctx));
      if (fault === 'accept_then_drop') {
        seen.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault === 'accept_then_error') return send(this.serverError(ctx));
      send({ ...reply, headers: { ...this.commonHeaders(ctx, route), ...reply.headers } });
    } catch (err) {
      if (err instanceof HttpReply) return send(err.reply);
      console.error(`${this.name} fake: handler failed`, err);
      send({ status: 500, body: { error: 'fake handler failed', message: (err as Error).message } });
    }
  }

  private async timed<T>(beforeMs: number, afterMs: number, handle: () => T | Promise<T>): Promise<T> {
    if (beforeMs <= 0 && afterMs <= 0) return handle();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    this.inFlight.before++;
    let reply: T;
    try {
      await sleep(beforeMs);
      reply = await handle();
    } finally {
      this.inFlight.before--;
    }
    this.inFlight.after++;
    try {
      await sleep(afterMs);
    } finally {
      this.inFlight.after--;
    }
    return reply;
  }

  private takeFault(route: Route): Fault | undefined {
    const i = this.faults.findIndex(
      (f) => f.on === 'any' || f.on === route.name || (f.on === 'write' && route.write) || (f.on === 'read' && !route.write),
    );
    if (i < 0) return undefined;
    const rule = this.faults[i]!;
    if (rule.skip > 0) {
      rule.skip--;
      return undefined;
    }
    if (--rule.times <= 0) this.faults.splice(i, 1);
    return rule.fault;
  }

  private control(method: string, path: string, body: Buffer): Reply {
    if (method === 'GET' && path === '/__fake/ledger') return { status: 200, body: this.ledger };
    if (method === 'GET' && path === '/__fake/requests') return { status: 200, body: this.requests.map(({ headers: _h, ...r }) => r) };
    if (method === 'DELETE' && path === '/__fake/faults') {
      this.clearFaults();
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__fake/reset') {
      this.reset();
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__fake/faults') {
      let rule: FaultRule;
      try {
        rule = JSON.parse(body.toString('utf8')) as FaultRule;
      } catch {
        return { status: 400, body: { error: 'body must be JSON: {"fault":"rate_limit","on":"write","times":1}' } };
      }
      if (!FAULTS.includes(rule.fault)) return { status: 400, body: { error: `fault must be one of ${FAULTS.join(', ')}` } };
      this.fail(rule);
      return { status: 201, body: rule };
    }
    return { status: 404, body: { error: 'unknown control path' } };
  }
}

function compile(path: string | RegExp): (p: string) => Record<string, string> | null {
  if (path instanceof RegExp) {
    return (p) => {
      const m = path.exec(p);
      return m ? { ...(m.groups ?? {}) } : null;
    };
  }
  const names: string[] = [];
  const re = new RegExp(
    '^' +
      path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      }) +
      '$',
  );
  return (p) => {
    const m = re.exec(p);
    if (!m) return null;
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
  };
}

function context(req: http.IncomingMessage, url: URL, body: Buffer, params: Record<string, string>): RequestContext {
  return {
    method: req.method ?? 'GET',
    url,
    path: url.pathname,
    params,
    headers: req.headers,
    body,
    req,
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8') || '{}') as T;
      } catch {
        throw new HttpReply({ status: 400, body: { error: 'body is not valid JSON' } });
      }
    },
    form() {
      return new URLSearchParams(body.toString('utf8'));
    },
    async formData() {
      return new Request('http://fake.local/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body,
      }).formData();
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sequential ids as strings, like most platforms' numeric ids. */
export function idCounter(start: bigint): () => string {
  let next = start;
  return () => String(next++);
}
