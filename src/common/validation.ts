import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '#src/common/domain-error.js';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** Whitelist, forbid unknown fields, transform; errors name each field (nested ones as a.0.b). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const message = details.map((d) => d.problems.join('; ')).join('; ');
      return new DomainError(400, 'validation_failed', message || 'invalid request', details);
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own: FieldProblem[] = e.constraints
      ? [{ field, problems: Object.values(e.constraints).map((m) => m.replace(new RegExp(`^${escape(e.property)}\\b`), field)) }]
      : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
