import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '#src/common/domain-error.js';

/** Parses a UUID path parameter; anything else answers 400 naming the parameter. */
export function uuid(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => new DomainError('validation_failed', `${name} must be a UUID`, [{ field: name, problems: ['must be a UUID'] }]),
  });
}
