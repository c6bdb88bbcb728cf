import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, constraintCode, constraintText, type FieldError } from './errors.js';

/** One error per field: `required` when the value is missing, else the first failed constraint. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      const names = Object.keys(e.constraints);
      const missing = e.value === undefined || e.value === null;
      // A missing value is `required`; otherwise a wrong type is reported before limits on the value.
      const typeCheck = names.find((n) => /^is[A-Z]/.test(n));
      const chosen = missing && !names.includes('whitelistValidation') ? 'isNotEmpty' : (typeCheck ?? names[0]);
      const en = e.constraints[chosen] ?? `${field} is required`;
      // An empty text that must have some length reads as 不能为空, keeping its code (min_length).
      const blank = chosen === 'minLength' && typeof e.value === 'string' && e.value.trim() === '';
      out.push({ field, code: constraintCode(chosen), text: constraintText(blank ? 'isNotEmpty' : chosen, blank ? `${field} must not be empty` : en) });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Explicit conversions only (@Type): implicit conversion would turn "abc" into NaN silently.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => AppError.badRequest('validation_failed', undefined, flattenValidationErrors(errors)),
  });
}
