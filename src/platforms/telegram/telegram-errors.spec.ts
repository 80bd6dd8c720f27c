import { describe, expect, it } from '@jest/globals';
import { PlatformError } from '#src/platforms/platform-adapter.js';
import { classifyFailure, redact } from '#src/platforms/telegram/telegram-errors.js';

const SEND = { write: true };
const READ = { write: false };
const body = (error_code: number, description: string, parameters?: object) => ({
  ok: false,
  error_code,
  description,
  ...(parameters ? { parameters } : {}),
});

describe('classifyFailure', () => {
  const now = Date.UTC(2025, 0, 1);

  it.each([
    [401, 'Unauthorized', SEND, 'auth'],
    [404, 'Not Found', READ, 'auth'],
    [403, 'Forbidden: bot was kicked from the channel chat', SEND, 'auth'],
    [403, 'Forbidden: bot is not a member of the channel chat', READ, 'auth'],
    [400, 'Bad Request: need administrator rights in the channel chat', SEND, 'auth'],
    [400, 'Bad Request: not enough rights to send photos to the chat', SEND, 'auth'],
    [400, 'Bad Request: message is too long', SEND, 'invalid'],
    [400, 'Bad Request: chat not found', READ, 'invalid'],
    [400, "Bad Request: message can't be deleted", { write: true, idempotent: true }, 'invalid'],
    [500, 'Internal Server Error', SEND, 'ambiguous'],
    [502, 'Bad Gateway', SEND, 'ambiguous'],
    [500, 'Internal Server Error', READ, 'transient'],
    [500, 'Internal Server Error', { write: true, idempotent: true }, 'transient'],
  ] as const)('%i "%s" → %s', (status, description, call, kind) => {
    const err = classifyFailure('sendMessage', { status, body: body(status, description) }, call, now);
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.message).toContain(description);
  });

  it('takes the reset of a 429 from parameters.retry_after, else from Retry-After', () => {
    const fromBody = classifyFailure(
      'sendMessage',
      { status: 429, body: body(429, 'Too Many Requests: retry after 35', { retry_after: 35 }), retryAfter: '99' },
      SEND,
      now,
    );
    expect(fromBody).toMatchObject({ kind: 'rate_limit', resetAt: new Date(now + 35_000) });
    const fromHeader = classifyFailure('sendMessage', { status: 429, body: '<html>429</html>', retryAfter: '12' }, SEND, now);
    expect(fromHeader).toMatchObject({ kind: 'rate_limit', resetAt: new Date(now + 12_000) });
    expect(fromHeader.message).toContain('HTTP 429');
  });
});

describe('redact', () => {
  it('replaces the token, plain or URL-encoded, and keeps the rest of the error', () => {
    const token = '123:AbC-d/e';
    const err = new PlatformError('rate_limit', `at /bot${token}/x and /bot${encodeURIComponent(token)}/y`, new Date(5), 429);
    const clean = redact(err, token);
    expect(clean.message).toBe('at /bot<bot token>/x and /bot<bot token>/y');
    expect(clean).toMatchObject({ kind: 'rate_limit', resetAt: new Date(5), status: 429 });
  });
});
