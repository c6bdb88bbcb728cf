import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
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

/**
 * Leaves a single path parameter as the string the client sent: the stock pipe turns `@Param('id')
 * id: number` into `+value`, so `0x10`, `1e3` and ` 1` became ids before ParseIdPipe could refuse them.
 */
class AppValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
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

/**
 * Optional but never null: an absent field skips its checks, an explicit null is checked like any
 * other value and refused (400 validation_failed naming the field). class-validator's @IsOptional()
 * skips null too, which let `{"name": null}` reach NOT NULL columns as a 500: keep @IsOptional()
 * for fields where null means "clear it".
 */
export function IsOptionalNonNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
