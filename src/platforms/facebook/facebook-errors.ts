/**
 * How a Graph API error answer maps to a PlatformError. Graph identifies the failure by the body's
 * `error.code` (and `error_subcode`), not by the HTTP status: throttling comes as 400 or 403 with codes
 * 4/17/32/613/80001, an expired token as 400 with code 190.
 * Source: https://developers.facebook.com/docs/graph-api/guides/error-handling and
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 */
import type { AxiosResponse } from 'axios';
import { headerValue } from '#src/platforms/axios-client.js';
import { statusKind, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError, type PlatformErrorKind } from '#src/platforms/platform-adapter.js';

export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** A PlatformError that remembers Graph's code, for callers that treat some codes specially (delete, insights). */
export class GraphError extends PlatformError {
  constructor(
    kind: PlatformErrorKind,
    message: string,
    readonly graphCode: number | undefined,
    readonly graphSubcode: number | undefined,
    resetAt?: Date,
    status?: number,
  ) {
    super(kind, message, resetAt, status);
  }
}

/** 190 invalid or expired token; 102 session invalid (legacy). */
const AUTH_CODES = new Set([102, 190]);
/** 4 app, 17 user, 32 Page, 613 calls per hour, 341 application limit, 80001 Pages business use case. */
const RATE_CODES = new Set([4, 17, 32, 341, 613, 80001]);
/** 1 unknown and 2 service: "possibly a temporary issue due to downtime" in the error-handling guide. */
const TEMPORARY_CODES = new Set([1, 2]);
/** 100/33: "Object with ID ... does not exist"; 803: "Some of the aliases you requested do not exist". */
export const NOT_FOUND = (code: number | undefined, subcode: number | undefined): boolean =>
  (code === 100 && subcode === 33) || code === 803;

/** Without an estimate from the usage headers: the app and Page limits are counted over a rolling hour. */
const DEFAULT_WAIT_MS = 60 * 60 * 1000;

export function graphErrorOf(data: unknown): GraphErrorBody | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const error = (data as { error?: unknown }).error;
  return error && typeof error === 'object' ? (error as GraphErrorBody) : undefined;
}

/**
 * 10 and 200-299 are permission errors ("permission is either not granted or has been removed"): the
 * channel must be connected again with the missing permission, so they are `auth` like an expired token.
 */
function isPermission(code: number): boolean {
  return code === 10 || (code >= 200 && code <= 299);
}

export function classifyGraphError(
  response: Pick<AxiosResponse<unknown>, 'status' | 'data' | 'headers'>,
  call: CallKind,
  now = Date.now(),
): GraphError {
  const error = graphErrorOf(response.data);
  const status = response.status;
  if (!error || typeof error.code !== 'number') {
    const kind = statusKind(status, call);
    const resetAt = kind === 'rate_limit' ? new Date(now + DEFAULT_WAIT_MS) : undefined;
    return new GraphError(kind, `facebook: HTTP ${status} without a Graph error body`, undefined, undefined, resetAt, status);
  }
  const { code, error_subcode: subcode } = error;
  const words =
    error.error_user_msg && error.error_user_msg !== error.message ? `${error.message} (${error.error_user_msg})` : error.message;
  const message = `facebook: ${words ?? 'error'} [code ${code}${subcode ? `/${subcode}` : ''}]`;
  const make = (kind: PlatformErrorKind, resetAt?: Date) => new GraphError(kind, message, code, subcode, resetAt, status);

  if (AUTH_CODES.has(code) || isPermission(code)) return make('auth');
  if (RATE_CODES.has(code) || (code >= 80000 && code <= 80014))
    return make('rate_limit', resetFromUsage(response.headers, now) ?? new Date(now + DEFAULT_WAIT_MS));
  if (code === 506) return make('duplicate');
  if (TEMPORARY_CODES.has(code) || error.is_transient === true || status >= 500) {
    return make(call.write && !call.idempotent ? 'ambiguous' : 'transient');
  }
  // 368 (blocked for policy), 100 (invalid parameter), 1609005 (link scrape) and the rest: a definite refusal.
  return make('invalid');
}

/**
 * `estimated_time_to_regain_access` (minutes) from the usage headers: X-Business-Use-Case-Usage
 * (`{"<id>":[{type,call_count,...,estimated_time_to_regain_access}]}`), X-Page-Usage and X-App-Usage
 * (flat objects). The longest wait wins; 0 or absent everywhere gives undefined.
 */
export function resetFromUsage(headers: AxiosResponse['headers'], now = Date.now()): Date | undefined {
  let minutes = 0;
  const consider = (entry: unknown) => {
    const m = Number((entry as { estimated_time_to_regain_access?: unknown } | null)?.estimated_time_to_regain_access);
    if (Number.isFinite(m) && m > minutes) minutes = m;
  };
  for (const name of ['x-business-use-case-usage', 'x-page-usage', 'x-app-usage']) {
    const raw = headerValue(headers, name);
    if (!raw) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== 'object') continue;
    consider(parsed);
    // The business use case header is keyed by business or Page id, each an array of use cases.
    for (const value of Object.values(parsed)) if (Array.isArray(value)) value.forEach(consider);
  }
  return minutes > 0 ? new Date(now + minutes * 60_000) : undefined;
}
