// Conflicts of interest (回避): an expert must not judge an entry of their own employer, nor one
// recommended by a unit they belong to, nor one they declared a conflict with.

export interface ConflictExpert {
  id: number;
  employerEnterpriseId?: number | null;
  employerUnitId?: number | null;
  declared: readonly { entryId: number; reason: string }[];
}

export interface ConflictEntry {
  id: number;
  enterpriseId: number;
  /** The recommending unit (推荐单位) the entry came through. */
  unitId?: number | null;
}

export type ConflictSource = 'employer_enterprise' | 'employer_unit' | 'declared';

export interface Conflict {
  source: ConflictSource;
  reason: string;
}

// Absent ids never match each other: an expert without a recorded employer is not in conflict
// with an entry that has no unit.
function sameId(a: number | null | undefined, b: number | null | undefined): boolean {
  return a !== null && a !== undefined && a === b;
}

/**
 * The conflict between an expert and an entry, or null. When several apply, the automatic ones come
 * first (employer enterprise, then employer unit), because they cannot be withdrawn by the expert.
 */
export function findConflict(expert: ConflictExpert, entry: ConflictEntry): Conflict | null {
  if (sameId(expert.employerEnterpriseId, entry.enterpriseId)) {
    return { source: 'employer_enterprise', reason: '专家任职于该成果的申报企业' };
  }
  if (sameId(expert.employerUnitId, entry.unitId)) {
    return { source: 'employer_unit', reason: '专家任职于该成果的推荐单位' };
  }
  const declared = expert.declared.find((d) => d.entryId === entry.id);
  if (declared !== undefined) return { source: 'declared', reason: declared.reason };
  return null;
}

/**
 * A conflict predicate over whole lists, in the shape assignment expects. Pairs whose expert or
 * entry is unknown count as conflicted, so that a stale id can never produce an assignment.
 */
export function conflictPredicate(
  experts: readonly ConflictExpert[],
  entries: readonly ConflictEntry[],
): (expertId: number, entryId: number) => boolean {
  const expertById = new Map(experts.map((e) => [e.id, e]));
  const entryById = new Map(entries.map((e) => [e.id, e]));
  return (expertId, entryId) => {
    const expert = expertById.get(expertId);
    const entry = entryById.get(entryId);
    return expert === undefined || entry === undefined || findConflict(expert, entry) !== null;
  };
}
