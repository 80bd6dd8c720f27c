import { describe, expect, it } from '@jest/globals';
import { conflict, DomainError, fieldError, forbidden, invalid, notFound } from '#src/common/domain-error.js';
import { HTTP_STATUS_OF_CODE } from '#src/common/error-codes.js';

const answer = (err: DomainError) => ({ status: err.getStatus(), ...(err.getResponse() as object) });

describe('DomainError', () => {
  it('is answered with the status of its code, from the one table', () => {
    expect(answer(new DomainError('media_too_large', 'too big'))).toEqual({ status: 413, code: 'media_too_large', message: 'too big' });
    expect(answer(conflict('slug_taken', 'taken', { slug: 'x' }))).toEqual({
      status: 409,
      code: 'slug_taken',
      message: 'taken',
      details: { slug: 'x' },
    });
    expect(answer(invalid('post_invalid', 'no'))).toMatchObject({ status: 422, code: 'post_invalid' });
    expect(answer(notFound('campaign'))).toEqual({ status: 404, code: 'not_found', message: 'campaign not found' });
    expect(answer(forbidden('no'))).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('keeps the public codes the API answered before codes had one status each', () => {
    expect(answer(fieldError('name', 'is required'))).toEqual({
      status: 422,
      code: 'validation_failed',
      message: 'name is required',
      details: [{ field: 'name', problems: ['is required'] }],
    });
    expect(answer(new DomainError('validation_failed', 'bad'))).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(answer(new DomainError('current_password_wrong', 'wrong'))).toMatchObject({ status: 400, code: 'invalid_credentials' });
    expect(answer(new DomainError('invalid_credentials', 'wrong'))).toMatchObject({ status: 401, code: 'invalid_credentials' });
  });

  it('has only error statuses in its table', () => {
    for (const status of Object.values(HTTP_STATUS_OF_CODE)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
