import { PlatformError, type PlatformErrorKind } from '#src/platforms/platform-adapter.js';

/** What a call did, which decides whether a lost answer is harmless. */
export interface CallKind {
  /** The call creates or changes something on the platform (publish, upload, delete). */
  write: boolean;
  /** Sending it twice does no harm (Mastodon with an Idempotency-Key, Bluesky with our record key). */
  idempotent?: boolean;
}

/** Failures before the request left this machine: nothing was sent, a retry is safe. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The error code of a network failure, looking through the causes that fetch and axios wrap it in. */
export function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'ETIMEDOUT';
  }
  return undefined;
}

/**
 * A call that got no HTTP answer. Refused connections and DNS failures sent nothing (transient);
 * a timeout or a dropped connection may have been applied by the platform (ambiguous for a write
 * that is not idempotent).
 */
export function transportFailure(err: unknown, call: CallKind, platform: string): PlatformError {
  const code = networkCode(err) ?? 'unknown';
  const detail = err instanceof Error ? err.message : String(err);
  if (NOT_SENT.has(code)) return new PlatformError('transient', `${platform}: could not reach the platform (${code}): ${detail}`);
  const kind: PlatformErrorKind = call.write && !call.idempotent ? 'ambiguous' : 'transient';
  return new PlatformError(kind, `${platform}: no answer after the request was sent (${code}): ${detail}`);
}

/**
 * The usual meaning of an HTTP status, for what an adapter does not recognise in the body:
 * 401 auth, 429 rate limit, 408 and 5xx a server failure (ambiguous for a write that is not
 * idempotent: the platform may have stored the post before failing), other 4xx invalid.
 */
export function statusKind(status: number, call: CallKind): PlatformErrorKind {
  if (status === 401) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status >= 500) return call.write && !call.idempotent ? 'ambiguous' : 'transient';
  return 'invalid';
}

/** A reset given as Unix seconds (X `x-rate-limit-reset`, Bluesky `RateLimit-Reset`). */
export function resetFromEpochSeconds(value: unknown): Date | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : undefined;
}

/** A reset given as seconds from now (Telegram `retry_after`, HTTP `Retry-After`). */
export function resetFromSeconds(value: unknown, now = Date.now()): Date | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n >= 0 ? new Date(now + n * 1000) : undefined;
}

/** A reset given as an ISO 8601 timestamp (Mastodon `X-RateLimit-Reset`). */
export function resetFromIso(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
