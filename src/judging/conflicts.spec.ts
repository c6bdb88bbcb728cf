import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { conflictPredicate, findConflict, type ConflictExpert } from './conflicts.js';

const expert = (over: Partial<ConflictExpert> = {}): ConflictExpert => ({ id: 1, employerEnterpriseId: null, employerUnitId: null, declared: [], ...over });
const entry = { id: 10, enterpriseId: 100, unitId: 200 };

describe('findConflict', () => {
  it('finds no conflict for an unrelated expert', () => {
    expect(findConflict(expert({ employerEnterpriseId: 101, employerUnitId: 201 }), entry)).toBeNull();
  });

  it("finds the expert's employer being the entry's enterprise", () => {
    expect(findConflict(expert({ employerEnterpriseId: 100 }), entry)).toEqual({ source: 'employer_enterprise', reason: expect.any(String) });
  });

  it("finds the expert's employer being the recommending unit", () => {
    expect(findConflict(expert({ employerUnitId: 200 }), entry)).toMatchObject({ source: 'employer_unit' });
  });

  it('finds a declared conflict with its reason', () => {
    const declared = [{ entryId: 11, reason: '其他' }, { entryId: 10, reason: '曾指导该小组' }];
    expect(findConflict(expert({ declared }), entry)).toEqual({ source: 'declared', reason: '曾指导该小组' });
  });

  it('reports automatic conflicts before declared ones', () => {
    const declared = [{ entryId: 10, reason: '亲属' }];
    expect(findConflict(expert({ employerEnterpriseId: 100, employerUnitId: 200, declared }), entry)?.source).toBe('employer_enterprise');
    expect(findConflict(expert({ employerUnitId: 200, declared }), entry)?.source).toBe('employer_unit');
  });

  it('never matches missing ids with each other', () => {
    fc.assert(
      fc.property(fc.constantFrom(null, undefined), fc.constantFrom(null, undefined), fc.integer(), (employer, unit, enterpriseId) => {
        const e = { id: 1, enterpriseId, unitId: unit };
        expect(findConflict({ id: 2, employerEnterpriseId: employer, employerUnitId: unit, declared: [] }, e)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });

  it('is a conflict exactly when one of the three rules applies', () => {
    const id = fc.option(fc.integer({ min: 1, max: 3 }), { nil: null });
    fc.assert(
      fc.property(id, id, fc.integer({ min: 1, max: 3 }), id, fc.subarray([1, 2, 3]), (emp, unit, entEnterprise, entUnit, declaredIds) => {
        const x = expert({ employerEnterpriseId: emp, employerUnitId: unit, declared: declaredIds.map((entryId) => ({ entryId, reason: 'r' })) });
        const e = { id: 2, enterpriseId: entEnterprise, unitId: entUnit };
        const expected = emp === entEnterprise || (unit !== null && unit === entUnit) || declaredIds.includes(2);
        expect(findConflict(x, e) !== null).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('conflictPredicate', () => {
  it('answers for pairs and treats unknown ids as conflicted', () => {
    const conflicted = conflictPredicate([expert({ id: 1, employerEnterpriseId: 100 }), expert({ id: 2 })], [entry]);
    expect(conflicted(1, 10)).toBe(true);
    expect(conflicted(2, 10)).toBe(false);
    expect(conflicted(3, 10)).toBe(true);
    expect(conflicted(2, 11)).toBe(true);
  });
});
