/**
 * Every failure of a masto call as a PlatformError. masto throws MastoHttpError for a JSON error answer
 * (`message` = the body's `error`, `cause` = the Response, so the headers are readable), MastoTimeoutError
 * when its `timeout` fires, and fetch's TypeError (with a `cause.code`) when no answer came.
 */
import { MastoDeserializeError, MastoHttpError, MastoUnexpectedError } from 'masto';
import { resetFromIso, statusKind, transportFailure, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

/**
 * 403 bodies of Mastodon's Api::BaseController that mean the credentials or the account cannot post
 * (reconnect, or an admin must act): scopes missing from the token, login disabled (suspended),
 * e-mail not confirmed, account pending approval. Any other 403 ("This action is not allowed",
 * Mastodon::NotPermittedError) refuses this one action, e.g. replying to a post we may not reply to.
 */
const ACCOUNT_403 = [
  /outside the authorized scopes/i,
  /login is currently disabled/i,
  /missing a confirmed e-mail/i,
  /pending approval/i,
  /suspended/i,
];

export function classifyMastodonError(err: unknown, call: CallKind, secrets: string[] = []): PlatformError {
  if (err instanceof PlatformError) return err;
  if (err instanceof MastoHttpError) {
    const status = err.statusCode;
    const said = redact(err.description ? `${err.message}: ${err.description}` : err.message || `HTTP ${status}`, secrets);
    const message = `mastodon: ${said}`;
    if (status === 429) return new PlatformError('rate_limit', message, resetFromIso(headerOf(err, 'x-ratelimit-reset')), status);
    if (status === 403) return new PlatformError(ACCOUNT_403.some((re) => re.test(said)) ? 'auth' : 'invalid', message, undefined, status);
    // 422 validation, and 404 on create ("The post you are trying to reply to does not appear to exist.").
    return new PlatformError(statusKind(status, call), message, undefined, status);
  }
  if (err instanceof MastoUnexpectedError || err instanceof MastoDeserializeError) {
    // An answer came but is not Mastodon's JSON (a proxy's HTML error page): treat it like a 5xx.
    return new PlatformError(
      statusKind(502, call),
      `mastodon: unreadable answer from the instance: ${redact(err.message, secrets).slice(0, 200)}`,
    );
  }
  const failure = transportFailure(err, call, 'mastodon');
  return new PlatformError(failure.kind, redact(failure.message, secrets), failure.resetAt, failure.status);
}

function headerOf(err: MastoHttpError, name: string): string | null {
  const cause = err.cause;
  return cause instanceof Response ? cause.headers.get(name) : null;
}

/** Library messages may quote request details; a token never leaves in an error. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
