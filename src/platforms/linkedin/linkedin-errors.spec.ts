import { describe, expect, it } from '@jest/globals';
import { classifyLinkedInError, nextMidnightUtc } from '#src/platforms/linkedin/linkedin-errors.js';

const NOW = Date.UTC(2026, 10, 30, 21, 15, 0);
const POST = { write: true };

describe('classifyLinkedInError', () => {
  it('maps statuses and codes to kinds, carrying LinkedIn words', () => {
    const cases: Array<[number, unknown, string]> = [
      [401, { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' }, 'auth'],
      [
        401,
        {
          status: 401,
          serviceErrorCode: 65601,
          code: 'REVOKED_ACCESS_TOKEN',
          message: 'The token used in the request has been revoked by the user',
        },
        'auth',
      ],
      [
        403,
        {
          status: 403,
          serviceErrorCode: 100,
          code: 'ACCESS_DENIED',
          message: 'Not enough permissions to access: partnerApiPostsExternal.CREATE',
        },
        'auth',
      ],
      [
        422,
        {
          message: 'Content is a duplicate of urn:li:share:1',
          errorDetails: { inputErrors: [{ description: 'Duplicate post is detected', code: 'DUPLICATE_POST' }] },
          status: 422,
        },
        'duplicate',
      ],
      [422, { message: '/commentary :: too long', status: 422 }, 'invalid'],
      [426, { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 20240401 is not active' }, 'invalid'],
      [500, { message: 'Internal Server Error', status: 500 }, 'ambiguous'],
    ];
    for (const [status, data, kind] of cases) {
      const err = classifyLinkedInError({ status, data }, POST, NOW);
      expect([status, err.kind]).toEqual([status, kind]);
      expect(err.message).toContain((data as { message: string }).message);
    }
    expect(classifyLinkedInError({ status: 503, data: '' }, { write: false }, NOW).kind).toBe('transient');
  });

  it('a 429 waits until the next midnight UTC', () => {
    const err = classifyLinkedInError(
      { status: 429, data: { status: 429, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle APPLICATION DAY limit' } },
      POST,
      NOW,
    );
    expect(err.kind).toBe('rate_limit');
    expect(err.resetAt).toEqual(new Date(Date.UTC(2026, 11, 1)));
    expect(nextMidnightUtc(Date.UTC(2026, 11, 31, 0, 0, 0))).toEqual(new Date(Date.UTC(2027, 0, 1)));
  });
});
