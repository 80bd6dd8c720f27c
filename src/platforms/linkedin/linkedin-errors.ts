/**
 * How a LinkedIn REST answer maps to a PlatformError. Bodies are Rest.li errors:
 * `{"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}`,
 * or for validation `{"errorDetailType":...,"message":...,"errorDetails":{"inputErrors":[{description,code,input}]},"status":422}`.
 * Sources: shared/reference/platform-apis.md section 6; learn.microsoft.com/linkedin/shared/api-guide/concepts/error-handling
 * and .../rate-limits (daily limits reset at midnight UTC, no rate-limit headers).
 */
import type { AxiosResponse } from 'axios';
import { statusKind, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

interface RestliError {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
  errorDetails?: { inputErrors?: Array<{ description?: string; code?: string; input?: unknown }> };
}

function bodyOf(data: unknown): RestliError {
  return data && typeof data === 'object' ? (data as RestliError) : {};
}

/** The next 00:00 UTC: LinkedIn's application and member limits are per day. */
export function nextMidnightUtc(now = Date.now()): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}

export function classifyLinkedInError(
  response: Pick<AxiosResponse<unknown>, 'status' | 'data'>,
  call: CallKind,
  now = Date.now(),
): PlatformError {
  const { status } = response;
  const body = bodyOf(response.data);
  const inputErrors = body.errorDetails?.inputErrors ?? [];
  const codes = [body.code, ...inputErrors.map((e) => e.code)].filter((c): c is string => typeof c === 'string');
  const details = inputErrors.map((e) => e.description).filter((d): d is string => typeof d === 'string' && d !== body.message);
  const words = [body.message, ...details].filter(Boolean).join('; ') || `HTTP ${status}`;
  const message = `linkedin: ${words}${codes.length ? ` [${codes.join(', ')}]` : ''}`;

  if (codes.includes('DUPLICATE_POST')) return new PlatformError('duplicate', message, undefined, status);
  // 401: invalid, expired or revoked token (65600, 65601...). 403: the member lacks the permission or the
  // Page role for this organisation; either way the channel must be connected again by an admin.
  if (status === 401 || status === 403) return new PlatformError('auth', message, undefined, status);
  if (status === 429) return new PlatformError('rate_limit', message, nextMidnightUtc(now), status);
  // 426: the LinkedIn-Version asked for is sunset; a configuration problem, not worth retrying.
  return new PlatformError(statusKind(status, call), message, undefined, status);
}
