// Who may see which organisation: one function per kind, asked before any work. Route decorators
// already limit the roles; these decide the object. A caller who may not see an object is told it
// does not exist (404), so ids of other organisations reveal nothing.
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import type { Enterprise, Expert, RecommendingUnit } from './organisation.entities.js';

/** Organizers and enterprises (which choose a unit to enter through) see every unit; a recommender its own. */
export function canSeeUnit(user: AuthUser, unit: Pick<RecommendingUnit, 'id'>): boolean {
  if (user.role === 'organizer' || user.role === 'enterprise') return true;
  return user.role === 'recommender' && user.unitId !== null && user.unitId === unit.id;
}

/** Organizers see every enterprise; a recommender those whose default unit is its own; an enterprise itself. */
export function canSeeEnterprise(user: AuthUser, e: Pick<Enterprise, 'id' | 'defaultUnitId'>): boolean {
  if (user.role === 'organizer') return true;
  if (user.role === 'recommender') return user.unitId !== null && e.defaultUnitId === user.unitId;
  return user.role === 'enterprise' && user.enterpriseId !== null && user.enterpriseId === e.id;
}

/** Organizers see every expert; an expert itself. Nobody else learns who the experts are. */
export function canSeeExpert(user: AuthUser, x: Pick<Expert, 'id'>): boolean {
  if (user.role === 'organizer') return true;
  return user.role === 'expert' && user.expertId !== null && user.expertId === x.id;
}

export function assertCanSeeUnit(user: AuthUser, unit: Pick<RecommendingUnit, 'id'>): void {
  if (!canSeeUnit(user, unit)) throw AppError.notFound();
}

export function assertCanSeeEnterprise(user: AuthUser, e: Pick<Enterprise, 'id' | 'defaultUnitId'>): void {
  if (!canSeeEnterprise(user, e)) throw AppError.notFound();
}

export function assertCanSeeExpert(user: AuthUser, x: Pick<Expert, 'id'>): void {
  if (!canSeeExpert(user, x)) throw AppError.notFound();
}

/**
 * Who decides (approves or rejects) an enterprise's registration: an organizer, always; or a
 * recommender whose unit is the enterprise's default unit, because the unit knows its enterprises
 * (it is the one that will recommend their entries) and can vouch for them without waiting for the
 * organizer. A recommender of another unit is not told the enterprise exists (404); the route
 * already refuses every other role (403).
 */
export function canDecideEnterprise(user: AuthUser, e: Pick<Enterprise, 'defaultUnitId'>): boolean {
  if (user.role === 'organizer') return true;
  return user.role === 'recommender' && user.unitId !== null && e.defaultUnitId === user.unitId;
}

export function assertCanDecideEnterprise(user: AuthUser, e: Pick<Enterprise, 'id' | 'defaultUnitId'>): void {
  if (canDecideEnterprise(user, e)) return;
  assertCanSeeEnterprise(user, e);
  throw AppError.forbidden();
}
