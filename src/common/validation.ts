import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage, ValidateIf } from 'class-validator';
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

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = MetadataStorage['getTargetValidationMetadatas'];
const CACHED = Symbol('cachedTargetMetadatas');

/**
 * class-validator looks a DTO's rules up anew for every object it validates, and the lookup walks
 * every class that has rules (≈ 200 here) with an `instanceof` each, to find inherited ones: ≈ 3 %
 * of a score submit's CPU. The answer only changes when rules are added (at class definition, i.e.
 * module loading), so it is kept per class and options until then. Returns the storage, for tests.
 */
export function cacheValidationLookups(storage: MetadataStorage = getMetadataStorage()): MetadataStorage {
  const patched = storage as MetadataStorage & { [CACHED]?: true };
  if (patched[CACHED]) return storage;
  patched[CACHED] = true;
  const lookup: TargetMetadatas = storage.getTargetValidationMetadatas.bind(storage);
  let cache = new Map<unknown, Map<string, ReturnType<TargetMetadatas>>>();
  const clearing = <F extends (...args: never[]) => unknown>(f: F): F =>
    ((...args: Parameters<F>) => {
      cache = new Map();
      return f.apply(storage, args);
    }) as F;
  storage.addValidationMetadata = clearing(storage.addValidationMetadata);
  storage.addConstraintMetadata = clearing(storage.addConstraintMetadata);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let found = byOptions.get(key);
    // A copy per call, as class-validator returns a fresh array (callers may not mutate ours).
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found.slice();
  };
  return storage;
}

export function createValidationPipe(): ValidationPipe {
  cacheValidationLookups();
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
