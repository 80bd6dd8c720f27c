import { describe, expect, it } from '@jest/globals';
import { XRPCError } from '@atproto/api';
import { classify, isAuthRefusal, mayBeExistingRecord } from '#src/platforms/bluesky/bluesky-errors.js';

const WRITE = { write: true, idempotent: true };
const READ = { write: false };

function xrpc(status: number, error?: string, message?: string, headers?: Record<string, string>): XRPCError {
  return new XRPCError(status, error, message, headers);
}

describe('classify', () => {
  it.each([
    [xrpc(400, 'ExpiredToken', 'Token has expired'), 'auth'],
    [xrpc(400, 'InvalidToken', 'Token could not be verified'), 'auth'],
    [xrpc(401, 'AuthMissing', 'Authentication Required'), 'auth'],
    [xrpc(401, 'AuthenticationRequired', 'Invalid identifier or password'), 'auth'],
    [xrpc(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes'), 'invalid'],
    [xrpc(400, 'BlobTooLarge', 'This file is too large.'), 'invalid'],
    [xrpc(500, 'InternalServerError', 'Internal Server Error'), 'transient'],
    [xrpc(502, 'UpstreamFailure', 'Upstream Failure'), 'transient'],
  ])('%s -> %s', (err, kind) => {
    expect(classify(err, WRITE).kind).toBe(kind);
  });

  it('keeps the PDS error name and message', () => {
    expect(classify(xrpc(400, 'InvalidRequest', 'Record/text must not be longer than 300 graphemes'), WRITE).message).toBe(
      'bluesky: InvalidRequest: Record/text must not be longer than 300 graphemes',
    );
  });

  it('a 429 resets at RateLimit-Reset (epoch seconds)', () => {
    const err = classify(xrpc(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-reset': '1767225600' }), WRITE);
    expect(err.kind).toBe('rate_limit');
    expect(err.resetAt).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('a 5xx on a write that is not idempotent would be ambiguous; a read is transient', () => {
    expect(classify(xrpc(500), { write: true }).kind).toBe('ambiguous');
    expect(classify(xrpc(500), READ).kind).toBe('transient');
  });

  it('no answer: a timeout of an idempotent write is transient', () => {
    const timeout = new XRPCError(1, undefined, 'The operation was aborted due to timeout', undefined, {
      cause: new DOMException('timeout', 'TimeoutError'),
    });
    const err = classify(timeout, WRITE);
    expect(err.kind).toBe('transient');
    expect(err.message).toContain('ETIMEDOUT');
  });

  it('blanks secrets out of messages', () => {
    const err = classify(xrpc(400, 'InvalidRequest', 'bad token eyJhbGciOi.secret'), READ, ['eyJhbGciOi.secret']);
    expect(err.message).not.toContain('eyJhbGciOi.secret');
    expect(err.message).toContain('[redacted]');
  });
});

describe('mayBeExistingRecord', () => {
  it('is true for the reference PDS 500, a lost answer, and an explicit "already exists" error', () => {
    expect(mayBeExistingRecord(xrpc(500, 'InternalServerError'))).toBe(true);
    expect(mayBeExistingRecord(new XRPCError(1, undefined, 'fetch failed'))).toBe(true);
    // 409 reaches us as 400 (the client has no name for it): the error name tells.
    expect(mayBeExistingRecord(xrpc(409, 'RecordAlreadyExists'))).toBe(true);
  });

  it('is false for refusals of the content, of the session, and for rate limits', () => {
    expect(mayBeExistingRecord(xrpc(400, 'InvalidRequest'))).toBe(false);
    expect(mayBeExistingRecord(xrpc(400, 'ExpiredToken'))).toBe(false);
    expect(mayBeExistingRecord(xrpc(429, 'RateLimitExceeded'))).toBe(false);
  });
});

describe('isAuthRefusal', () => {
  it('knows the PDS auth errors and nothing else', () => {
    expect(isAuthRefusal(xrpc(400, 'ExpiredToken'))).toBe(true);
    expect(isAuthRefusal(xrpc(401))).toBe(true);
    expect(isAuthRefusal(xrpc(400, 'InvalidRequest'))).toBe(false);
    expect(isAuthRefusal(new Error('ExpiredToken'))).toBe(false);
  });
});
