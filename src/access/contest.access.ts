// Who may see a contest: organizers every contest, everyone else (logged in or not) only contests
// that have left the draft. The single-contest rule beside its list filter.
import type { AuthUser } from '../auth/auth-user.js';

export function canSeeContest(user: Pick<AuthUser, 'role'> | null, contest: { phase: string }): boolean {
  return contest.phase !== 'draft' || (user !== null && user.role === 'organizer');
}

/** canSeeContest as a where-object for the contests list (TypeORM find options). */
export function contestVisibility<W extends object>(user: Pick<AuthUser, 'role'>, draftExcluded: W): W | object {
  return user.role === 'organizer' ? {} : draftExcluded;
}
