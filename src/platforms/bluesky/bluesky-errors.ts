import { XRPCError } from '@atproto/api';
import { resetFromEpochSeconds, statusKind, transportFailure, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

/** XRPCError statuses the client gives when there was no usable HTTP answer (@atproto/xrpc ResponseType). */
const NO_ANSWER = 1;
const UNREADABLE_ANSWER = 2;

/**
 * Error names that mean the session or the credentials are refused (packages/pds/src/auth-verifier.ts).
 * The agent already tried refreshSession on ExpiredToken and 401 before we see them.
 */
const AUTH_ERRORS = new Set([
  'ExpiredToken',
  'InvalidToken',
  'AuthMissing',
  'AuthenticationRequired',
  'AccountTakedown',
  'AccountDeactivated',
  'InvalidDID',
]);

export function isAuthRefusal(err: unknown): boolean {
  return err instanceof XRPCError && (err.status === 401 || (err.error !== undefined && AUTH_ERRORS.has(err.error)));
}

/** The PDS answered nothing usable: the request may or may not have been applied. */
export function isLostAnswer(err: unknown): boolean {
  return err instanceof XRPCError && (err.status === NO_ANSWER || err.status === UNREADABLE_ANSWER || err.status >= 500);
}

/**
 * A createRecord with a record key already in the repository. The reference PDS answers 500
 * InternalServerError (bluesky-social/atproto#3718, indigo#873); bluesky-social/atproto#4728 (open)
 * adds an explicit lexicon error, and other PDS implementations answer 409 RecordAlreadyExists.
 */
export function mayBeExistingRecord(err: unknown): boolean {
  // The client folds statuses it has no name for (409) into 400, so the error name is what tells.
  return isLostAnswer(err) || (err instanceof XRPCError && /AlreadyExists|RecordExists/i.test(err.error ?? ''));
}

export function isRecordNotFound(err: unknown): boolean {
  return err instanceof XRPCError && err.error === 'RecordNotFound';
}

/** Every failure of a Bluesky call as a PlatformError; `secrets` are blanked out of the message. */
export function classify(err: unknown, call: CallKind, secrets: readonly string[] = []): PlatformError {
  if (err instanceof PlatformError) return err;
  const error = toPlatformError(err, call);
  const message = redact(error.message, secrets);
  return message === error.message ? error : new PlatformError(error.kind, message, error.resetAt, error.status);
}

function toPlatformError(err: unknown, call: CallKind): PlatformError {
  if (!(err instanceof XRPCError) || err.status === NO_ANSWER) return transportFailure(err, call, 'bluesky');
  const said = `bluesky: ${err.error ? `${err.error}: ` : ''}${err.message}`;
  if (err.status === UNREADABLE_ANSWER) {
    // The server answered 2xx with a body the lexicon refuses: a write did happen.
    return new PlatformError(call.write && !call.idempotent ? 'ambiguous' : 'transient', `${said} (unreadable answer)`);
  }
  if (err.status === 429) {
    // RateLimit-Reset is epoch seconds (packages/xrpc-server/src/rate-limiter-http.ts); fetch lower-cases header names.
    return new PlatformError('rate_limit', said, resetFromEpochSeconds(err.headers?.['ratelimit-reset']), 429);
  }
  if (isAuthRefusal(err)) return new PlatformError('auth', said, undefined, err.status);
  return new PlatformError(statusKind(err.status, call), said, undefined, err.status);
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}
