// What the expert's sheet use cases (read, draft, submit) decide on, from the one context row
// (SheetsRepository.context / contexts): the access facts and the rubric of the sheet.
import type { EntityManager } from 'typeorm';
import { needsPanelMembership, readRefusal, type ScoringFacts } from '../access/sheet.access.js';
import { AppError } from '../common/errors.js';
import type { SaveSheetDto } from './scoring.dto.js';
import { refuse, validateContent } from './sheet-view.js';
import { type ContextRow, type SheetsRepository, toSheet } from './sheets.repository.js';
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

/**
 * What a draft save and a submit both start from, after their context read: the facts (refused when
 * the expert may not even read the sheet), the rubric and its items, the sheet and the validated content.
 */
export async function checkedWrite(sheets: SheetsRepository, m: EntityManager, row: ContextRow, dto: SaveSheetDto, partial: boolean) {
  const facts = await scoringFacts(sheets, m, row);
  const read = readRefusal(facts);
  if (read) throw refuse(read);
  const rubricId = rubricIdOf(row);
  const items = await sheets.rubricItems(m, rubricId);
  const sheet = toSheet(row);
  const content = validateContent(items, dto, partial, sheet?.comments ?? {});
  return { facts, rubricId, items, sheet, content, expertId: row.expertId as number };
}
