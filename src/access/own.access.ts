// The caller's own organisation, for the routes that act on it: an account whose record is missing
// (an expert account without an expert, an enterprise account without an enterprise) may do nothing (403).
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';

export function ownExpertId(user: AuthUser): number {
  if (user.expertId === null) throw AppError.forbidden();
  return user.expertId;
}

export function ownEnterpriseId(user: AuthUser): number {
  if (user.enterpriseId === null) throw AppError.forbidden();
  return user.enterpriseId;
}
