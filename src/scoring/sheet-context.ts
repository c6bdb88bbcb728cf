// What the expert's sheet use cases (read, draft, submit) decide on, from the one context row
// (SheetsRepository.context / contexts): the access facts and the rubric of the sheet.
import type { EntityManager } from 'typeorm';
import { needsPanelMembership, type ScoringFacts } from '../access/sheet.access.js';
import { AppError } from '../common/errors.js';
import type { ContextRow, SheetsRepository } from './sheets.repository.js';
import { readDate } from './sql.js';

/** The facts src/access/sheet.access.ts decides on, from the context row (and, rarely, the panel membership). */
export async function scoringFacts(sheets: SheetsRepository, m: EntityManager, row: ContextRow): Promise<ScoringFacts> {
  const facts: ScoringFacts = {
    phase: row.phase,
    assigned: row.assignmentId !== null && row.assignmentId !== undefined,
    panelMember: false,
    declaredConflict: row.declaredReason !== null && row.declaredReason !== undefined ? { reason: row.declaredReason } : null,
    expert: row.expertId === null || row.expertId === undefined ? null : { id: row.expertId, employerEnterpriseId: row.employerEnterpriseId, employerUnitId: row.employerUnitId },
    entry: { id: row.entryId, enterpriseId: row.enterpriseId, unitId: row.unitId },
    attendance: row.attendance,
    signedOff: readDate(row.signedOffAt) !== null,
  };
  if (needsPanelMembership(facts)) facts.panelMember = await sheets.onPanelOfEntry(m, row.expertId as number, row.entryId);
  return facts;
}

/** The sheet's rubric: the one it was started on, else the current one of the entry's type and stage. */
export function rubricIdOf(row: ContextRow): number {
  const id = row.sheetId !== null && row.sheetId !== undefined ? row.rubricId : row.currentRubricId;
  if (id === null || id === undefined) throw AppError.conflict('rubric_missing');
  return Number(id);
}
