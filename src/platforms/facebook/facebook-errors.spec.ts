import { describe, expect, it } from '@jest/globals';
import { classifyGraphError, resetFromUsage } from '#src/platforms/facebook/facebook-errors.js';
import { unknownIds } from '#src/platforms/facebook/facebook.adapter.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const answer = (
  code: number | undefined,
  opts: { status?: number; subcode?: number; headers?: Record<string, string>; transient?: boolean } = {},
) => ({
  status: opts.status ?? 400,
  data:
    code === undefined
      ? '<html>gateway</html>'
      : {
          error: {
            message: `(#${code}) words from Graph`,
            type: 'OAuthException',
            code,
            error_subcode: opts.subcode,
            is_transient: opts.transient,
          },
        },
  headers: opts.headers ?? {},
});
const WRITE = { write: true };
const READ = { write: false };

describe('classifyGraphError', () => {
  it.each([
    [190, 'auth'],
    [102, 'auth'],
    [10, 'auth'],
    [200, 'auth'],
    [283, 'auth'],
    [4, 'rate_limit'],
    [17, 'rate_limit'],
    [32, 'rate_limit'],
    [613, 'rate_limit'],
    [80001, 'rate_limit'],
    [506, 'duplicate'],
    [368, 'invalid'],
    [100, 'invalid'],
    [1609005, 'invalid'],
  ])('code %i is %s', (code, kind) => {
    const err = classifyGraphError(answer(code), WRITE, NOW);
    expect(err.kind).toBe(kind);
    expect(err.message).toContain('words from Graph');
    expect(err.graphCode).toBe(code);
  });

  it('temporary codes and 5xx are ambiguous on a post, transient on a read or a harmless write', () => {
    expect(classifyGraphError(answer(1, { status: 500 }), WRITE, NOW).kind).toBe('ambiguous');
    expect(classifyGraphError(answer(2, { status: 503 }), READ, NOW).kind).toBe('transient');
    expect(classifyGraphError(answer(2), { write: true, idempotent: true }, NOW).kind).toBe('transient');
    expect(classifyGraphError(answer(100, { transient: true }), WRITE, NOW).kind).toBe('ambiguous');
    expect(classifyGraphError(answer(undefined, { status: 502 }), WRITE, NOW).kind).toBe('ambiguous');
  });

  it('a throttle waits for estimated_time_to_regain_access, else one hour', () => {
    const buc = {
      'x-business-use-case-usage': JSON.stringify({ '1234': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 12 }] }),
    };
    expect(classifyGraphError(answer(80001, { headers: buc }), WRITE, NOW).resetAt).toEqual(new Date(NOW + 12 * 60_000));
    expect(classifyGraphError(answer(4, { headers: { 'x-app-usage': '{"call_count":100}' } }), WRITE, NOW).resetAt).toEqual(
      new Date(NOW + 3600_000),
    );
  });
});

describe('resetFromUsage', () => {
  it('takes the longest wait of the usage headers and ignores malformed ones', () => {
    const headers = {
      'x-business-use-case-usage': JSON.stringify({
        a: [{ estimated_time_to_regain_access: 5 }],
        b: [{ estimated_time_to_regain_access: 9 }],
      }),
      'x-page-usage': '{"call_count":100,"estimated_time_to_regain_access":7}',
      'x-app-usage': 'not json',
    };
    expect(resetFromUsage(headers, NOW)).toEqual(new Date(NOW + 9 * 60_000));
    expect(resetFromUsage({ 'x-app-usage': '{"call_count":5}' }, NOW)).toBeUndefined();
  });
});

describe('unknownIds', () => {
  it('reads the ids Graph says do not exist, keeping only ids that were asked', () => {
    expect(
      unknownIds('facebook: (#803) Some of the aliases you requested do not exist: 1_2,1_3 [code 803]', ['1_1', '1_2', '1_3']),
    ).toEqual(['1_2', '1_3']);
    expect(unknownIds("facebook: Unsupported get request. Object with ID '1_9' does not exist [code 100/33]", ['1_9'])).toEqual(['1_9']);
    expect(unknownIds('facebook: (#803) Some of the aliases you requested do not exist: zzz', ['1_1'])).toEqual([]);
  });
});
