import { describe, expect, it } from '@jest/globals';
import { classifyXResponse, xErrorText, xRateLimitReset } from '#src/platforms/x/x-errors.js';

const POST = { write: true };
const READ = { write: false };

describe('xRateLimitReset', () => {
  const window = { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1700000900' };

  it('takes the 15-minute reset when no 24-hour allowance is spent', () => {
    expect(xRateLimitReset({ ...window, 'x-user-limit-24hour-remaining': '3', 'x-user-limit-24hour-reset': '1700086400' })).toEqual(
      new Date(1700000900 * 1000),
    );
  });

  it('takes the 24-hour reset when the user allowance is spent', () => {
    expect(
      xRateLimitReset({
        ...window,
        'x-rate-limit-remaining': '40',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': '1700086400',
      }),
    ).toEqual(new Date(1700086400 * 1000));
  });

  it('takes the later reset when both the app and the user 24-hour allowances are spent', () => {
    expect(
      xRateLimitReset({
        'x-app-limit-24hour-remaining': '0',
        'x-app-limit-24hour-reset': '1700090000',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': '1700086400',
      }),
    ).toEqual(new Date(1700090000 * 1000));
  });

  it('gives nothing when X sent no reset', () => {
    expect(xRateLimitReset({})).toBeUndefined();
  });
});

describe('classifyXResponse', () => {
  it('reads the v2 duplicate detail of a 403 as duplicate', () => {
    const e = classifyXResponse(
      403,
      { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 },
      {},
      POST,
    );
    expect(e.kind).toBe('duplicate');
  });

  it('reads any other 403 or 400 as invalid, with X words', () => {
    const e = classifyXResponse(
      403,
      { detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.', title: 'Forbidden' },
      {},
      POST,
    );
    expect([e.kind, e.message]).toEqual(['invalid', 'x: 403: You attempted to reply to a Tweet that is deleted or not visible to you.']);
    const bad = classifyXResponse(
      400,
      { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', errors: [{ message: 'text too long' }] },
      {},
      POST,
    );
    expect(bad.message).toContain('text too long');
  });

  it('reads 401 as auth and 429 as rate_limit with its reset', () => {
    expect(classifyXResponse(401, { title: 'Unauthorized', detail: 'Unauthorized' }, {}, READ).kind).toBe('auth');
    const limited = classifyXResponse(429, { title: 'Too Many Requests' }, { 'x-rate-limit-reset': '1700000900' }, POST);
    expect([limited.kind, limited.resetAt]).toEqual(['rate_limit', new Date(1700000900 * 1000)]);
  });

  it('reads a 5xx as ambiguous on a post, transient on a read or a repeatable write', () => {
    expect(classifyXResponse(500, {}, {}, POST).kind).toBe('ambiguous');
    expect(classifyXResponse(503, {}, {}, READ).kind).toBe('transient');
    expect(classifyXResponse(502, {}, {}, { write: true, idempotent: true }).kind).toBe('transient');
  });
});

describe('xErrorText', () => {
  it('reads v1 error lists and plain text bodies', () => {
    expect(xErrorText({ errors: [{ code: 88, message: 'Rate limit exceeded' }] })).toBe('Rate limit exceeded');
    expect(xErrorText('upstream connect error')).toBe('upstream connect error');
    expect(xErrorText(undefined)).toBe('');
  });
});
