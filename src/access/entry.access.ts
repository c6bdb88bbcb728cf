// Who may see an entry: the single-object rule (canSeeEntry) beside its list filter
// (entryVisibility), so that a GET and a list cannot disagree. The expert part needs the
// assignments and conflicts, so it exists only as SQL (the single object asks it with ids).
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Role } from '../accounts/role.js';
import type { AuthUser } from '../auth/auth-user.js';

export interface Viewer {
  role: Role;
  enterpriseId: number | null;
  unitId: number | null;
}

export interface VisibleFacts {
  enterpriseId: number;
  unitId: number;
  /** Set at the first submission: a unit never sees an entry still being drafted. */
  submittedAt: Date | null;
}

/**
 * An enterprise sees its own entries; a recommender the entries naming its unit once they have
 * been submitted; an organizer every entry. Experts see the entries they are assigned to and not
 * in conflict with (SQL only: see expertSeesEntrySql); admins manage accounts only.
 */
export function canSeeEntry(viewer: Viewer, entry: VisibleFacts): boolean {
  switch (viewer.role) {
    case 'organizer':
      return true;
    case 'enterprise':
      return viewer.enterpriseId !== null && viewer.enterpriseId === entry.enterpriseId;
    case 'recommender':
      return viewer.unitId !== null && viewer.unitId === entry.unitId && entry.submittedAt !== null;
    default:
      return false;
  }
}

/**
 * The expert rule as SQL over an entries alias: assigned to the entry, and neither employed by its
 * enterprise or unit nor having a declared conflict with it (the rule of judging/conflicts.ts).
 */
export function expertSeesEntrySql(alias: string, param: string): string {
  // `param`: a named parameter (':x', TypeORM) or '?' (raw SQL: then bind the expert id three times).
  return `EXISTS (SELECT 1 FROM assignments acc_a WHERE acc_a.entry_id = ${alias}.id AND acc_a.expert_id = ${param})
    AND NOT EXISTS (SELECT 1 FROM declared_conflicts acc_d WHERE acc_d.entry_id = ${alias}.id AND acc_d.expert_id = ${param})
    AND NOT EXISTS (SELECT 1 FROM experts acc_x WHERE acc_x.id = ${param}
      AND (acc_x.employer_enterprise_id = ${alias}.enterprise_id OR acc_x.employer_unit_id = ${alias}.unit_id))`;
}

/**
 * The same rule as a filter on a query over `entries` (alias `alias`). Returns false when the
 * caller sees no entry at all (the caller may then skip the query).
 */
export function entryVisibility<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias = 'e'): boolean {
  switch (user.role) {
    case 'organizer':
      return true;
    case 'enterprise':
      if (user.enterpriseId === null) return false;
      qb.andWhere(`${alias}.enterprise_id = :accOwnEnterprise`, { accOwnEnterprise: user.enterpriseId });
      return true;
    case 'recommender':
      if (user.unitId === null) return false;
      qb.andWhere(`${alias}.unit_id = :accOwnUnit AND ${alias}.submitted_at IS NOT NULL`, { accOwnUnit: user.unitId });
      return true;
    case 'expert':
      if (user.expertId === null) return false;
      qb.andWhere(`(${expertSeesEntrySql(alias, ':accExpert')})`, { accExpert: user.expertId });
      return true;
    default:
      return false;
  }
}

/** An entry's presentation schedule: its own enterprise and organizers (list: the entries list of those roles). */
export function canSeeEntrySchedule(user: AuthUser, entry: Pick<VisibleFacts, 'enterpriseId'>): boolean {
  if (user.role === 'organizer') return true;
  return user.role === 'enterprise' && user.enterpriseId !== null && user.enterpriseId === entry.enterpriseId;
}

/** Organizers see the reviewers' checklist answers and notes of a review decision; the entry's own side the outcome. */
export function seesReviewDetail(user: AuthUser): boolean {
  return user.role === 'organizer';
}

/** An expert's own score sheets it may open: those of the entries it may see (raw SQL over `entries` alias `alias`; bind the expert id 4 times). */
export function expertSheetsSql(sheetAlias: string, entryAlias: string): string {
  return `${sheetAlias}.expert_id = ? AND ${expertSeesEntrySql(entryAlias, '?')}`;
}

/** Which presentation slots of a contest's schedule a caller may export (.xlsx / .ics). */
export interface ScheduleScope {
  /** A condition over `entries` (raw SQL, `?` placeholders) and its parameters; '' for every slot. */
  sql: string;
  params: unknown[];
  /** 'all': organizers, who also get sessions without a slot of theirs; 'own': only the caller's slots. */
  scope: 'all' | 'own';
}

/**
 * Organizers every slot; an enterprise the slots of its own entries; an expert the slots of the
 * entries it may see (assigned and not in conflict: its task list). null for anyone else (403).
 */
export function scheduleScope(user: AuthUser, alias: string): ScheduleScope | null {
  switch (user.role) {
    case 'organizer':
      return { sql: '', params: [], scope: 'all' };
    case 'enterprise':
      return { sql: ` AND ${alias}.enterprise_id = ?`, params: [user.enterpriseId ?? -1], scope: 'own' };
    case 'expert': {
      const id = user.expertId ?? -1;
      return { sql: ` AND ${expertSeesEntrySql(alias, '?')}`, params: [id, id, id], scope: 'own' };
    }
    default:
      return null;
  }
}
