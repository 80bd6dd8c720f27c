import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
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
    exceptionFactory: validationFailed,
  });
}

/** The 400 naming each refused field. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const details = flatten(errors);
  const message = details.map((d) => d.problems.join('; ')).join('; ');
  return new DomainError('validation_failed', message || 'invalid request', details);
}

/** A DTO from plain values, validated as the API's pipe would (the web forms use the API's DTOs). */
export async function toDto<T extends object>(cls: new () => T, plain: object): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationFailed(errors);
  return instance;
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
