import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { AppError, type ErrorCode } from '../common/errors.js';
import { writeLock } from './write-lock.js';

export { writeLock };

/**
 * One row by `where`, or a 404 (`code`, by default `not_found`). With `lock: true` (inside a
 * transaction) the row is read FOR UPDATE where the database has row locks (see writeLock): the
 * one way the services lock a row they are about to change.
 */
export async function findOr404<T extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  opts: { lock?: boolean; code?: ErrorCode } = {},
): Promise<T> {
  const row = await m.getRepository(entity).findOne({ where, lock: opts.lock ? writeLock(m) : undefined });
  if (!row) throw AppError.notFound(opts.code ?? 'not_found');
  return row;
}

