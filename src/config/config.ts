import { z } from 'zod';

/**
 * The only reader of process.env. Every variable is listed in .env.example and
 * in the README's configuration table; keep the three in step.
 */

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export type StorageMode = 'embedded' | 'postgres' | 'postgres+redis';

const optional = (s: z.ZodType<string>) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s.optional());

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      // The value may hold a password: never echo it back.
      ctx.addIssue({ code: 'custom', message: `is not a valid URL (expected something like ${example})` });
      return;
    }
    if (!protocols.includes(url.protocol)) {
      ctx.addIssue({
        code: 'custom',
        message: `must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${url.protocol}//; expected something like ${example})`,
      });
    } else if (!url.hostname) {
      ctx.addIssue({ code: 'custom', message: `has no host name (expected something like ${example})` });
    }
  });
}

const httpUrl = (example: string) => urlWithProtocols(['http:', 'https:'], example);

const booleanFlag = (fallback: boolean) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? String(fallback) : v), z.string())
    .transform((v, ctx) => {
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

/** A 256-bit key, written as 64 hex digits or as base64 of 32 bytes. */
export function parseCredentialsKey(value: string): Buffer | string {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) {
    const b = Buffer.from(v, 'base64');
    if (b.length === 32) return b;
    return `must be 32 bytes (64 hex digits or 44 base64 characters); it decodes to ${b.length} bytes`;
  }
  return 'must be 64 hex digits or base64 of 32 bytes (generate one with: openssl rand -hex 32)';
}

const positiveInt = (fallback: number) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? String(fallback) : v), z.string())
    .transform((v, ctx) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n < 1) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number of at least 1' });
        return z.NEVER;
      }
      return n;
    });

const schema = z.object({
  PORT: z
    .preprocess((v) => (v === undefined || v === '' ? '3000' : v), z.string())
    .transform((v, ctx) => {
      if (!/^\d+$/.test(v.trim())) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number from 0 to 65535' });
        return z.NEVER;
      }
      const n = Number(v);
      if (n > 65535) {
        ctx.addIssue({ code: 'custom', message: `must be from 0 to 65535 (got ${n})` });
        return z.NEVER;
      }
      return n;
    }),
  HOST: z.preprocess((v) => (v === undefined || v === '' ? '0.0.0.0' : v), z.string()),
  ROLE: z.preprocess(
    (v) => (v === undefined || v === '' ? 'all' : String(v).trim().toLowerCase()),
    z.enum(ROLES, { error: () => 'must be one of api, worker, all' }),
  ),
  DATA_DIR: z.preprocess((v) => (v === undefined || v === '' ? './data' : v), z.string()),
  DATABASE_URL: optional(urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/civicpost')),
  REDIS_URL: optional(urlWithProtocols(['redis:', 'rediss:'], 'redis://host:6379')),
  REDIS_CLUSTER_NODES: optional(z.string()),
  CREDENTIALS_KEY: optional(z.string()),
  CREDENTIALS_KEY_PREVIOUS: optional(z.string()),
  SCHEDULER_INTERVAL_MS: positiveInt(5_000),
  DUE_WINDOW_SECONDS: positiveInt(120),
  WORKER_CONCURRENCY: positiveInt(20),
  LOGIN_MAX_PER_ADDRESS: positiveInt(20),
  LOGIN_MAX_PER_ACCOUNT: positiveInt(10),
  SESSION_TTL_MINUTES: z
    .preprocess((v) => (v === undefined || v === '' ? '720' : v), z.string())
    .transform((v, ctx) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 60 * 24 * 30) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number of minutes from 1 to 43200 (30 days)' });
        return z.NEVER;
      }
      return n;
    }),
  PUBLIC_BASE_URL: optional(httpUrl('https://civicpost.example.org')),
  ADMIN_EMAIL: optional(z.email({ error: () => 'is not a valid e-mail address' })),
  ADMIN_PASSWORD: optional(z.string().min(12, { error: () => 'must be at least 12 characters' })),
  SEED_DEMO: booleanFlag(true),
  TRUST_PROXY: z
    .preprocess((v) => (v === undefined || v === '' ? 'false' : String(v).trim()), z.string())
    .transform((v, ctx): boolean | number | string => {
      if (v === 'true' || v === 'false') return v === 'true';
      if (/^\d+$/.test(v)) return Number(v);
      if (/^[0-9a-fA-F.:/,\s]+$|^(loopback|linklocal|uniquelocal)(,\s*(loopback|linklocal|uniquelocal))*$/.test(v)) return v;
      ctx.addIssue({
        code: 'custom',
        message: 'must be false, true, a number of proxy hops, or addresses/subnets (e.g. loopback, 10.0.0.0/8)',
      });
      return z.NEVER;
    }),
  LOG_LEVEL: z.preprocess(
    (v) => (v === undefined || v === '' ? 'info' : String(v).trim().toLowerCase()),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: () => 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
  QUEUE_PREFIX: z
    .preprocess((v) => (v === undefined || v === '' ? '{civicpost}' : v), z.string())
    .refine((v) => !v.includes(' '), { message: 'must not contain spaces' }),
  SHUTDOWN_TIMEOUT_MS: z
    .preprocess((v) => (v === undefined || v === '' ? '30000' : v), z.string())
    .transform((v, ctx) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number of milliseconds' });
        return z.NEVER;
      }
      return n;
    }),
  PLATFORM_TIMEOUT_MS: positiveInt(30_000),
  METRICS_CADENCE: z
    .preprocess((v) => (v === undefined || v === '' ? DEFAULT_METRICS_CADENCE : v), z.string())
    .transform((v, ctx) => {
      const cadence = parseCadence(v);
      if (typeof cadence === 'string') {
        ctx.addIssue({ code: 'custom', message: cadence });
        return z.NEVER;
      }
      return cadence;
    }),
  METRICS_INTERVAL_MS: positiveInt(60_000),
  METRICS_TOKEN: optional(z.string().min(16, { error: () => 'must be at least 16 characters (a random token)' })),
  CLOCK_START: optional(
    z
      .string()
      .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
        error: () => 'must be an ISO 8601 instant with its offset, such as 2026-12-09T09:00:00+02:00',
      }),
  ),
  NODE_ENV: optional(z.string()),
  TRANSPARENCY_LICENCE: z.preprocess(
    (v) => (v === undefined || v === '' ? 'CC-BY-4.0' : v),
    z.string().regex(/^[A-Za-z0-9.+-]{2,64}$/, { error: () => 'must be an SPDX licence identifier such as CC-BY-4.0' }),
  ),
});

/** Every 15 minutes in a post's first day, hourly to day 7, daily to day 30, then stop. */
export const DEFAULT_METRICS_CADENCE = '15m:1d,1h:7d,1d:30d';

/** One step of the collection cadence: collect every `everyMs` while the post is younger than `untilAgeMs`. */
export interface CadenceStep {
  everyMs: number;
  untilAgeMs: number;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m:1d,1h:7d,1d:30d` → steps; a string names what is wrong. */
export function parseCadence(value: string): CadenceStep[] | string {
  const steps: CadenceStep[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    const m = /^(\d+)([mhd]):(\d+)([mhd])$/.exec(part);
    if (!m) return `has "${part}": each step must be EVERY:UNTIL with units m, h or d (for example ${DEFAULT_METRICS_CADENCE})`;
    const step = { everyMs: Number(m[1]) * UNIT_MS[m[2]!]!, untilAgeMs: Number(m[3]) * UNIT_MS[m[4]!]! };
    if (step.everyMs < 60_000) return `has "${part}": collect at most once a minute`;
    if (steps.length && step.untilAgeMs <= steps[steps.length - 1]!.untilAgeMs)
      return `has "${part}": each step must end later than the one before`;
    steps.push(step);
  }
  return steps;
}

/** A Redis Cluster to queue in: seed nodes (the client discovers the rest) and what every node shares. */
export interface RedisClusterConfig {
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_EXAMPLE = '10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379 or rediss://user:password@10.0.0.1:6379,...';

/**
 * `host:port,host:port` or redis:// / rediss:// URLs, comma-separated. Credentials and TLS are one
 * setting for the whole cluster: written once or on every node, never different. A string names what
 * is wrong (without echoing a password).
 */
export function parseRedisClusterNodes(value: string): RedisClusterConfig | string {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.some((e) => e === '')) return `has an empty entry (expected ${CLUSTER_EXAMPLE})`;
  const nodes: RedisClusterConfig['nodes'] = [];
  let protocol: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  for (const [i, entry] of entries.entries()) {
    const explicit = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
    let url: URL;
    try {
      url = new URL(explicit ? entry : `redis://${entry}`);
    } catch {
      return `entry ${i + 1} is not host:port or a redis:// URL (expected ${CLUSTER_EXAMPLE})`;
    }
    if (explicit && !['redis:', 'rediss:'].includes(url.protocol))
      return `entry ${i + 1} must start with redis:// or rediss:// (got ${url.protocol}//)`;
    if (!url.hostname) return `entry ${i + 1} has no host name (expected ${CLUSTER_EXAMPLE})`;
    if (url.pathname.length > 1 && url.pathname !== '/0') return `entry ${i + 1} names a database: a Redis Cluster has only database 0`;
    if (url.search || url.hash)
      return `entry ${i + 1} has options after the address; only host:port (with user and password in a URL) is understood`;
    if (explicit) {
      if (protocol && protocol !== url.protocol) return 'mixes redis:// and rediss:// nodes: TLS is one setting for the whole cluster';
      protocol = url.protocol;
    }
    const user = url.username ? decodeURIComponent(url.username) : undefined;
    const pass = url.password ? decodeURIComponent(url.password) : undefined;
    if ((user && username && user !== username) || (pass && password && pass !== password)) {
      return 'gives different credentials for different nodes: write them once, or the same on every node';
    }
    username ??= user;
    password ??= pass;
    nodes.push({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) });
  }
  return { nodes, username, password, tls: protocol === 'rediss:' };
}

/**
 * BullMQ's scripts touch several keys of a queue at once, which a cluster only allows within one
 * hash slot: the key's hash tag, the text between its first `{` and the next `}`, must not be empty.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}

export interface AppConfig {
  role: Role;
  port: number;
  host: string;
  dataDir: string;
  storage: StorageMode;
  databaseUrl?: string;
  redisUrl?: string;
  /** Set when the queue is on a Redis Cluster (REDIS_CLUSTER_NODES) instead of one Redis (REDIS_URL). */
  redisCluster?: RedisClusterConfig;
  /** Raw key from the environment; in embedded mode it may instead come from DATA_DIR. */
  credentialsKey?: Buffer;
  /** Keys that sealed credentials before the last rotation: read, never used to seal. */
  credentialsPreviousKeys: Buffer[];
  sessionTtlMinutes: number;
  /** How often the scheduler queues what is due, how far ahead it looks, and how many jobs a worker runs at once. */
  publishing: { schedulerIntervalMs: number; dueWindowSeconds: number; workerConcurrency: number };
  /** Login attempts allowed per client address per minute, and per account per 15 minutes. */
  loginThrottle: { perAddressPerMinute: number; perAccountPer15Minutes: number };
  publicBaseUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  seedDemo: boolean;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe (client address for login throttling). */
  trustProxy: boolean | number | string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  queuePrefix: string;
  shutdownTimeoutMs: number;
  /**
   * Platform API base URLs that are set (X_API_BASE_URL, TELEGRAM_API_BASE_URL...), by variable name.
   * Which variables exist, and their defaults, is each platform's descriptor's to say (platforms/).
   */
  platformBaseUrls: Record<string, string>;
  /** How long a platform call may take before it counts as lost (ambiguous for a publication). */
  platformTimeoutMs: number;
  /** Engagement collection: the cadence by age of the post, and how often the collection cron runs. */
  /** Engagement collection; `scrapeToken`: the bearer token /metrics asks for (none: /metrics is open, as on a private network). */
  metrics: { cadence: CadenceStep[]; intervalMs: number; scrapeToken?: string };
  /** The licence of the public transparency data (SPDX identifier). */
  transparencyLicence: string;
  /** Tests and demos only (CLOCK_START): the clock reads this instant at start and runs on from it. */
  clockStart?: Date;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

/**
 * A platform's API base URL is a variable named `<SOMETHING>_BASE_URL` (PUBLIC_BASE_URL is CivicPost's
 * own). Configuration sits below the platforms, so it cannot ask their registry which names exist: it
 * checks every such variable that is set, and each platform's descriptor names the ones it reads.
 */
const PLATFORM_BASE_URL = /^[A-Z][A-Z0-9_]*_BASE_URL$/;
const platformUrl = httpUrl('https://api.example.com');

function readPlatformBaseUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [variable, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!PLATFORM_BASE_URL.test(variable) || variable === 'PUBLIC_BASE_URL') continue;
    if (raw === undefined || raw.trim() === '') continue;
    const checked = platformUrl.safeParse(raw);
    if (!checked.success) throw new ConfigError(variable, checked.error.issues[0]!.message);
    urls[variable] = checked.data;
  }
  return urls;
}

/** Parses the environment; throws ConfigError naming the first variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'configuration'), issue.message);
  }
  const e = parsed.data;
  const platformBaseUrls = readPlatformBaseUrls(env);
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      'REDIS_URL',
      'is set but DATABASE_URL is not: Redis only carries the queue, PostgreSQL stays the source of truth (set DATABASE_URL too, or unset REDIS_URL for embedded storage)',
    );
  }
  let redisCluster: RedisClusterConfig | undefined;
  if (e.REDIS_CLUSTER_NODES !== undefined) {
    if (e.REDIS_URL) {
      throw new ConfigError(
        'REDIS_CLUSTER_NODES',
        'is set together with REDIS_URL: set REDIS_URL for one Redis, or REDIS_CLUSTER_NODES for a Redis Cluster, not both',
      );
    }
    if (!e.DATABASE_URL) {
      throw new ConfigError(
        'REDIS_CLUSTER_NODES',
        'is set but DATABASE_URL is not: Redis only carries the queue, PostgreSQL stays the source of truth (set DATABASE_URL too)',
      );
    }
    const cluster = parseRedisClusterNodes(e.REDIS_CLUSTER_NODES);
    if (typeof cluster === 'string') throw new ConfigError('REDIS_CLUSTER_NODES', cluster);
    if (!hasHashTag(e.QUEUE_PREFIX)) {
      throw new ConfigError(
        'QUEUE_PREFIX',
        `is "${e.QUEUE_PREFIX}", which has no hash tag: on a Redis Cluster (REDIS_CLUSTER_NODES) every queue key must hash to one slot, so the prefix needs a non-empty {tag}, e.g. {civicpost}`,
      );
    }
    redisCluster = cluster;
  }
  const storage: StorageMode = e.DATABASE_URL ? (e.REDIS_URL || redisCluster ? 'postgres+redis' : 'postgres') : 'embedded';
  if (storage === 'embedded' && e.ROLE !== 'all') {
    throw new ConfigError(
      'ROLE',
      `is ${e.ROLE}, but embedded storage lives inside one process: use ROLE=all, or set DATABASE_URL to split api and worker`,
    );
  }
  let credentialsKey: Buffer | undefined;
  if (e.CREDENTIALS_KEY !== undefined) {
    const key = parseCredentialsKey(e.CREDENTIALS_KEY);
    if (typeof key === 'string') throw new ConfigError('CREDENTIALS_KEY', key);
    credentialsKey = key;
  } else if (storage !== 'embedded') {
    throw new ConfigError(
      'CREDENTIALS_KEY',
      'is required when DATABASE_URL is set (every api and worker process must share one key; generate one with: openssl rand -hex 32)',
    );
  }
  const credentialsPreviousKeys: Buffer[] = [];
  for (const [i, part] of (e.CREDENTIALS_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((s) => s.trim())
    .entries()) {
    const key = parseCredentialsKey(part);
    if (typeof key === 'string') throw new ConfigError('CREDENTIALS_KEY_PREVIOUS', `key ${i + 1} ${key}`);
    credentialsPreviousKeys.push(key);
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      e.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD',
      'must be set together with ' + (e.ADMIN_EMAIL === undefined ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'),
    );
  }
  if (e.CLOCK_START !== undefined && e.NODE_ENV === 'production') {
    throw new ConfigError('CLOCK_START', 'is for tests and demos: it may not be set when NODE_ENV is production');
  }
  return {
    role: e.ROLE,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    storage,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisCluster,
    credentialsKey,
    credentialsPreviousKeys,
    sessionTtlMinutes: e.SESSION_TTL_MINUTES,
    publishing: {
      schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
      dueWindowSeconds: e.DUE_WINDOW_SECONDS,
      workerConcurrency: e.WORKER_CONCURRENCY,
    },
    loginThrottle: { perAddressPerMinute: e.LOGIN_MAX_PER_ADDRESS, perAccountPer15Minutes: e.LOGIN_MAX_PER_ACCOUNT },
    publicBaseUrl: e.PUBLIC_BASE_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    seedDemo: e.SEED_DEMO,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.QUEUE_PREFIX,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    platformBaseUrls,
    platformTimeoutMs: e.PLATFORM_TIMEOUT_MS,
    metrics: { cadence: e.METRICS_CADENCE, intervalMs: e.METRICS_INTERVAL_MS, scrapeToken: e.METRICS_TOKEN },
    transparencyLicence: e.TRANSPARENCY_LICENCE,
    clockStart: e.CLOCK_START === undefined ? undefined : new Date(e.CLOCK_START),
  };
}

/** Injection token of the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
