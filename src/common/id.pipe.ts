import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { AppError, fieldError } from './errors.js';
import { COMMON_TEXTS } from './common.errors.js';

/**
 * Ids in paths are written one way only: decimal digits, no sign, no leading zero, no spaces,
 * within Number.MAX_SAFE_INTEGER. ParseIntPipe and Number() also took `0x10`, `1e3` and ` 1`, so
 * one object had many URLs and odd ones reached the database.
 */
const ID = /^[1-9][0-9]{0,15}$/;

/** The id the text names, or null when it is not one. */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !ID.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** 400 `invalid_id` naming the path parameter: a malformed id is the client's mistake, not a missing object. */
export function invalidId(field: string): AppError {
  return AppError.badRequest('invalid_id', undefined, [
    fieldError(field, 'invalid_id', COMMON_TEXTS.invalidId(field)),
  ]);
}

/** `@Param('id', ParseIdPipe) id: number` for every id in a path. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const id = parseId(value);
    if (id === null) throw invalidId(metadata.data ?? 'id');
    return id;
  }
}

/** The same rule for an id inside a params DTO (`@Param() p: SomeParams`). */
export function IdParam(): PropertyDecorator {
  return Transform(({ value, key }) => {
    const id = parseId(value);
    if (id === null) throw invalidId(key);
    return id;
  });
}
