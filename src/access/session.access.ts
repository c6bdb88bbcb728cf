// Who may see a presentation session, and who signs it off: the single-session rules beside the
// list filter (sessionVisibility), as plain functions and SQL fragments.
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';

/**
 * Organizers see every session; an expert the sessions whose panel it is a member of (its
 * schedule lists exactly those); anyone else none.
 */
export function sessionVisibility<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 's'): void {
  if (user.role === 'organizer') return;
  if (user.role === 'expert' && user.expertId !== null) {
    qb.andWhere(`EXISTS (SELECT 1 FROM panel_members acc_pm WHERE acc_pm.panel_id = ${alias}.panel_id AND acc_pm.expert_id = :accExpert)`, { accExpert: user.expertId });
    return;
  }
  qb.andWhere('1 = 0');
}

/** What a sign-off use case read about the session in its own query. */
export interface SignOffFacts {
  leaderExpertId: number | null;
  /** The caller is a member of the session's panel. */
  member: boolean;
}

/**
 * Sign-off (status or act) belongs to the leader of the session's panel; the status also to
 * organizers. Another member of the panel is told it is not the leader (403), anyone else 404.
 */
export function signOffRefusal(user: AuthUser, s: SignOffFacts, act: 'status' | 'sign'): 404 | 403 | null {
  if (act === 'status' && user.role === 'organizer') return null;
  const leader = s.leaderExpertId !== null && user.expertId !== null && s.leaderExpertId === user.expertId;
  if (leader) return null;
  return s.member ? 403 : 404;
}

/** The projector display of a session (its timer, links and the organizer's live stream) is run by organizers. */
export function canRunDisplay(user: Pick<AuthUser, 'role'>): boolean {
  return user.role === 'organizer';
}
