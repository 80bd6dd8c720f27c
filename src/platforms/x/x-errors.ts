/**
 * How an X API v2 failure becomes a PlatformError. Only the status, the rate-limit headers and X's own
 * words (`detail`, `title`, `errors[].message`) are read: twitter-api-v2's errors also hold the request,
 * whose Authorization header carries the access token (OAuth 1.0a) or the bearer token (OAuth 2.0).
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { resetFromEpochSeconds, statusKind, transportFailure, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

/** The only words X gives for a duplicate in v2 (a 403 problem body; the v1 code 187 is not sent). */
const DUPLICATE_DETAIL = /duplicate content/i;

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * When X will take the request again. POST /2/tweets has a 24-hour cap beside the 15-minute window:
 * when the 24-hour remaining is 0 its reset is the one that matters (waiting for the 15-minute reset
 * would be refused again).
 */
export function xRateLimitReset(headers: Headers): Date | undefined {
  const exhaustedDaily = ['x-user-limit-24hour', 'x-app-limit-24hour']
    .filter((family) => header(headers, `${family}-remaining`) === '0')
    .map((family) => resetFromEpochSeconds(header(headers, `${family}-reset`)))
    .filter((d): d is Date => d !== undefined);
  if (exhaustedDaily.length > 0) return new Date(Math.max(...exhaustedDaily.map((d) => d.getTime())));
  return resetFromEpochSeconds(header(headers, 'x-rate-limit-reset'));
}

/** X's own words from a v2 problem body (`detail`, `errors[].message`) or a v1 body (`errors[].message`). */
export function xErrorText(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300);
  if (!data || typeof data !== 'object') return '';
  const body = data as { title?: unknown; detail?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof body.detail === 'string') parts.push(body.detail);
  else if (typeof body.title === 'string') parts.push(body.title);
  if (Array.isArray(body.errors)) {
    for (const e of body.errors) {
      const m = (e as { message?: unknown; detail?: unknown }).message ?? (e as { detail?: unknown }).detail;
      if (typeof m === 'string' && !parts.includes(m)) parts.push(m);
    }
  }
  return parts.join('; ');
}

/** An HTTP error answer from X. */
export function classifyXResponse(status: number, data: unknown, headers: Headers, call: CallKind): PlatformError {
  const text = xErrorText(data);
  const said = text ? `: ${text}` : '';
  if (status === 429) return new PlatformError('rate_limit', `x: rate limited (429)${said}`, xRateLimitReset(headers), status);
  if (status === 401) return new PlatformError('auth', `x: the credentials were refused (401)${said}`, undefined, status);
  if (status === 403 && DUPLICATE_DETAIL.test(text)) return new PlatformError('duplicate', `x: ${text}`, undefined, status);
  const kind = statusKind(status, call);
  return new PlatformError(kind, `x: ${status}${said || ' (no detail)'}`, undefined, status);
}

/** The network error inside twitter-api-v2's ApiRequestError (its `requestError` getter reads the wrong field in 1.29). */
function innerRequestError(err: ApiRequestError): unknown {
  const options = (err as unknown as { _options?: { error?: unknown; requestError?: unknown } })._options;
  return options?.error ?? options?.requestError ?? err;
}

/** Any failure of a twitter-api-v2 call (or of our own timeout) as a PlatformError without secrets. */
export function classifyXFailure(err: unknown, call: CallKind): PlatformError {
  if (err instanceof PlatformError) return err;
  if (err instanceof ApiResponseError) return classifyXResponse(err.code, err.data, err.headers, call);
  if (err instanceof ApiPartialResponseError) {
    // Headers came but the body was cut: X may have applied a write.
    const status = err.response?.statusCode ?? 0;
    const kind = call.write && !call.idempotent ? 'ambiguous' : 'transient';
    return new PlatformError(kind, `x: the answer was cut off (HTTP ${status})`, undefined, status || undefined);
  }
  if (err instanceof ApiRequestError) {
    const inner = innerRequestError(err);
    // Our AbortSignal timeout and the library's socket timeout read as ETIMEDOUT.
    const timedOut =
      inner instanceof Error && (inner.name === 'AbortError' || inner.name === 'TimeoutError' || inner.message === 'Request timeout.');
    return transportFailure(timedOut ? Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }) : inner, call, 'x');
  }
  // Errors thrown by the library itself (e.g. "Media processing failed: ..." after upload) are X's refusal.
  const message = err instanceof Error ? err.message : String(err);
  return new PlatformError('invalid', `x: ${message.slice(0, 300)}`);
}
