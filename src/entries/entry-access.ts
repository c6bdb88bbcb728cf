// Who may see an entry: the one place that decides it (lists filter with the same rule in SQL,
// see EntriesService.list). Plain functions over plain data.
import type { Role } from '../accounts/role.js';

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
 * been submitted; an organizer every entry. Experts see nothing until assignments exist, admins
 * manage accounts only.
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
