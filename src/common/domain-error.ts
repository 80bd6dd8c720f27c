import { HttpException } from '@nestjs/common';

/** An error the HTTP surface answers as { statusCode, code, message, details? }. */
export class DomainError extends HttpException {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(details === undefined ? { code, message } : { code, message, details }, status);
  }
}

export const notFound = (what: string) => new DomainError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new DomainError(403, 'forbidden', message);
export const conflict = (code: string, message: string, details?: unknown) => new DomainError(409, code, message, details);
export const invalid = (code: string, message: string, details?: unknown) => new DomainError(422, code, message, details);

/** A well-formed request whose value for `field` cannot be accepted (422), naming the field. */
export const fieldError = (field: string, problems: string | string[], message?: string) => {
  const list = Array.isArray(problems) ? problems : [problems];
  return new DomainError(422, 'validation_failed', message ?? `${field} ${list[0]}`, [{ field, problems: list }]);
};
