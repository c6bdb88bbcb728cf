// Who may see which organisation: the single-object rule beside its list filter, per kind. Route
// decorators already limit the roles; these decide the object. A caller who may not see an object
// is told it does not exist (404), so ids of other organisations reveal nothing.
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';

/** Organizers and enterprises (which choose a unit to enter through) see every unit; a recommender its own. */
export function canSeeUnit(user: AuthUser, unit: { id: number }): boolean {
  if (user.role === 'organizer' || user.role === 'enterprise') return true;
  return user.role === 'recommender' && user.unitId !== null && user.unitId === unit.id;
}

/** canSeeUnit over `recommending_units` (alias `alias`). */
export function unitVisibility<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'u'): void {
  if (user.role === 'organizer' || user.role === 'enterprise') return;
  // A recommender's list holds its own unit only (none when its account names no unit); other roles none.
  qb.andWhere(`${alias}.id = :accOwnUnit`, { accOwnUnit: user.role === 'recommender' ? (user.unitId ?? 0) : 0 });
}

/** Organizers see every enterprise; a recommender those whose default unit is its own; an enterprise itself. */
export function canSeeEnterprise(user: AuthUser, e: { id: number; defaultUnitId: number | null }): boolean {
  if (user.role === 'organizer') return true;
  if (user.role === 'recommender') return user.unitId !== null && e.defaultUnitId === user.unitId;
  return user.role === 'enterprise' && user.enterpriseId !== null && user.enterpriseId === e.id;
}

/** canSeeEnterprise over `enterprises` (alias `alias`). */
export function enterpriseVisibility<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'e'): void {
  if (user.role === 'organizer') return;
  if (user.role === 'recommender') qb.andWhere(`${alias}.default_unit_id = :accOwnUnit`, { accOwnUnit: user.unitId ?? 0 });
  else if (user.role === 'enterprise') qb.andWhere(`${alias}.id = :accOwnEnterprise`, { accOwnEnterprise: user.enterpriseId ?? 0 });
  else qb.andWhere('1 = 0');
}

/** Organizers see every expert; an expert itself. Nobody else learns who the experts are. */
export function canSeeExpert(user: AuthUser, x: { id: number }): boolean {
  if (user.role === 'organizer') return true;
  return user.role === 'expert' && user.expertId !== null && user.expertId === x.id;
}

/** canSeeExpert over `experts` (alias `alias`). */
export function expertVisibility<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'x'): void {
  if (user.role === 'organizer') return;
  qb.andWhere(`${alias}.id = :accOwnExpert`, { accOwnExpert: user.role === 'expert' ? (user.expertId ?? 0) : 0 });
}

/**
 * Who decides (approves or rejects) an enterprise's registration: an organizer, always; or a
 * recommender whose unit is the enterprise's default unit, because the unit knows its enterprises
 * (it is the one that will recommend their entries) and can vouch for them without waiting for the
 * organizer. A recommender of another unit is not told the enterprise exists (404); the route
 * already refuses every other role (403).
 */
export function canDecideEnterprise(user: AuthUser, e: { defaultUnitId: number | null }): boolean {
  if (user.role === 'organizer') return true;
  return user.role === 'recommender' && user.unitId !== null && e.defaultUnitId === user.unitId;
}

/** The roles that decide registrations at all; which enterprises, enterpriseVisibility says (a recommender: its unit's). */
export function decidesRegistrations(user: AuthUser): boolean {
  return user.role === 'organizer' || (user.role === 'recommender' && user.unitId !== null);
}

/** Organizers change any field of an enterprise; the enterprise itself only its contact fields. */
export function editsEveryEnterpriseField(user: AuthUser): boolean {
  return user.role === 'organizer';
}

/**
 * Registering an enterprise: an organizer for any unit (approved at once); a recommender for its own
 * unit only (pending approval). Returns the refusal code (403), or the unit to register under.
 */
export function registrationFor(user: AuthUser, defaultUnitId: number | null | undefined): { refused: 'forbidden' | 'unit_not_own' } | { pendingUnder: number } | null {
  if (user.role !== 'recommender') return null;
  if (user.unitId === null) return { refused: 'forbidden' };
  if (defaultUnitId !== undefined && defaultUnitId !== null && defaultUnitId !== user.unitId) return { refused: 'unit_not_own' };
  return { pendingUnder: user.unitId };
}

/** Separation of duties: whoever registered an enterprise cannot also vouch for it. */
export function approvesOwnRegistration(user: AuthUser, e: { createdBy: number | null }): boolean {
  return e.createdBy !== null && e.createdBy === user.id;
}
