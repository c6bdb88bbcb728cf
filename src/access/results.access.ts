// Who sees which results: an organizer the current list at any time after computation, with
// scores and every version; anyone else exactly the public list. Certificates of excellent units:
// the unit's own recommenders and organizers (the units are on the public list, so another unit's is 403).
import type { AuthUser } from '../auth/auth-user.js';

export function seesUnpublishedResults(user: Pick<AuthUser, 'role'> | undefined | null): boolean {
  return user?.role === 'organizer';
}

export function canGetUnitCertificate(user: AuthUser, unitId: number): boolean {
  return user.role === 'organizer' || (user.role === 'recommender' && user.unitId === unitId);
}

/** The live progress of a contest's scoring: organizers (the stream checks it itself, it has no route guard). */
export function canFollowProgress(user: Pick<AuthUser, 'role'>): boolean {
  return user.role === 'organizer';
}

/** Phases in which a contest's award list is public (the notice, then publication). */
export const PUBLIC_RESULT_PHASES = ['notice', 'published', 'archived'] as const;

/** Whether anyone may read the contest's award list (the public contests list filters with the same phases). */
export function resultsArePublic(contest: { phase: string }): boolean {
  return (PUBLIC_RESULT_PHASES as readonly string[]).includes(contest.phase);
}

/**
 * Which snapshot the public may read: a given version once published (or superseded), or the frozen
 * one during the notice; the current one when frozen or published.
 */
export function snapshotIsPublic(snapshot: { status: string }, contest: { phase: string }, byVersion: boolean): boolean {
  if (byVersion) return ['published', 'superseded'].includes(snapshot.status) || (snapshot.status === 'frozen' && contest.phase === 'notice');
  return ['frozen', 'published'].includes(snapshot.status);
}
