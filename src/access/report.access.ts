// The year's report of a contest: organizers manage it (statistics, documents, the notice's 文号) at
// any time; anyone else, logged in or not, sees the public subset of the statistics once the
// results are published (the notice list is not final), and nothing before (404, like the contest's
// unpublished results).
import type { AuthUser } from '../auth/auth-user.js';

export type StatisticsScope = 'full' | 'public';

/** The report's documents and settings, and the full statistics: organizers. */
export function canManageReport(user: Pick<AuthUser, 'role'>): boolean {
  return user.role === 'organizer';
}

/** Phases in which the public subset of a contest's statistics is shown. */
export const PUBLIC_STATISTICS_PHASES = ['published', 'archived'] as const;

/** Which statistics the caller sees of a contest, or null (404). */
export function statisticsScope(user: Pick<AuthUser, 'role'> | undefined | null, contest: { phase: string }): StatisticsScope | null {
  if (user && canManageReport(user)) return 'full';
  return (PUBLIC_STATISTICS_PHASES as readonly string[]).includes(contest.phase) ? 'public' : null;
}
