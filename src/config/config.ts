import { z } from 'zod';

/**
 * The only reader of process.env. Every variable is listed in .env.example and
 * in the README's configuration table; keep the three in step.
 */

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

export type StorageMode = 'embedded' | 'postgres' | 'postgres+redis';

const optional = (s: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), s.optional());

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

const booleanFlag = (name: string, fallback: boolean) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? String(fallback) : v), z.string())
    .transform((v, ctx) => {
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false` });
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
  CREDENTIALS_KEY: optional(z.string()),
  PUBLIC_BASE_URL: optional(httpUrl('https://civicpost.example.org')),
  ADMIN_EMAIL: optional(z.email({ error: () => 'is not a valid e-mail address' })),
  ADMIN_PASSWORD: optional(z.string().min(12, { error: () => 'must be at least 12 characters' })),
  SEED_DEMO: booleanFlag('SEED_DEMO', true),
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
  X_API_BASE_URL: optional(httpUrl('https://api.x.com')),
  X_UPLOAD_BASE_URL: optional(httpUrl('https://upload.x.com')),
  FACEBOOK_GRAPH_BASE_URL: optional(httpUrl('https://graph.facebook.com')),
  LINKEDIN_API_BASE_URL: optional(httpUrl('https://api.linkedin.com')),
  TELEGRAM_API_BASE_URL: optional(httpUrl('https://api.telegram.org')),
});

export interface AppConfig {
  role: Role;
  port: number;
  host: string;
  dataDir: string;
  storage: StorageMode;
  databaseUrl?: string;
  redisUrl?: string;
  /** Raw key from the environment; in embedded mode it may instead come from DATA_DIR. */
  credentialsKey?: Buffer;
  publicBaseUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  seedDemo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  queuePrefix: string;
  shutdownTimeoutMs: number;
  platformBaseUrls: {
    x: string;
    xUpload: string;
    facebookGraph: string;
    linkedin: string;
    telegram: string;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

/** Parses the environment; throws ConfigError naming the first variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'configuration'), issue.message);
  }
  const e = parsed.data;
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      'REDIS_URL',
      'is set but DATABASE_URL is not: Redis only carries the queue, PostgreSQL stays the source of truth (set DATABASE_URL too, or unset REDIS_URL for embedded storage)',
    );
  }
  const storage: StorageMode = e.DATABASE_URL ? (e.REDIS_URL ? 'postgres+redis' : 'postgres') : 'embedded';
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
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      e.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD',
      'must be set together with ' + (e.ADMIN_EMAIL === undefined ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'),
    );
  }
  return {
    role: e.ROLE,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    storage,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    credentialsKey,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.QUEUE_PREFIX,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    platformBaseUrls: {
      x: e.X_API_BASE_URL ?? 'https://api.x.com',
      xUpload: e.X_UPLOAD_BASE_URL ?? 'https://upload.x.com',
      facebookGraph: e.FACEBOOK_GRAPH_BASE_URL ?? 'https://graph.facebook.com',
      linkedin: e.LINKEDIN_API_BASE_URL ?? 'https://api.linkedin.com',
      telegram: e.TELEGRAM_API_BASE_URL ?? 'https://api.telegram.org',
    },
  };
}

/** Injection token of the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
