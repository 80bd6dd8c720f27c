import { HttpException } from '@nestjs/common';
import { HTTP_STATUS_OF_CODE, PUBLIC_CODE_OF, type CodeWithStatus, type DomainErrorCode } from '#src/common/error-codes.js';

/**
 * An error of the domain: a code, a message and optional details, answered by the HTTP filter as
 * { statusCode, code, message, details? }. The thrower never chooses a status: the code's row in
 * HTTP_STATUS_OF_CODE does. It stays an HttpException so that code reading `getStatus()` (web pages
 * deciding between a form with errors and an error page) keeps working.
 */
export class DomainError extends HttpException {
  readonly code: DomainErrorCode;
  readonly details: unknown;

  constructor(code: DomainErrorCode, message: string, details?: unknown) {
    const publicCode = PUBLIC_CODE_OF[code] ?? code;
    super(details === undefined ? { code: publicCode, message } : { code: publicCode, message, details }, HTTP_STATUS_OF_CODE[code]);
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (code: CodeWithStatus<409>, message: string, details?: unknown) => new DomainError(code, message, details);
export const invalid = (code: CodeWithStatus<422>, message: string, details?: unknown) => new DomainError(code, message, details);

/** A well-formed request whose value for `field` cannot be accepted (422), naming the field. */
export const fieldError = (field: string, problems: string | string[], message?: string) => {
  const list = Array.isArray(problems) ? problems : [problems];
  return new DomainError('field_rejected', message ?? `${field} ${list[0]}`, [{ field, problems: list }]);
};
