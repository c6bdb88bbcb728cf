// What the scoring use cases share beyond SQL: a sheet as the API answers it, its content-free audit
// snapshot, the validation of submitted marks and comments, and refusals as coded errors.
import { AppError, fieldError, wrongPhase as phaseError, type FieldError } from '../common/errors.js';
import type { ContestPhase } from '../judging/contest-phase.js';
import type { Stage } from '../contests/contest.entities.js';
import { validateMarks, type RubricItem } from '../judging/rubric.js';
import type { Refusal } from '../access/sheet.access.js';
import { iso, marksInPoints, points, type SaveSheetDto, type SheetResponse } from './scoring.dto.js';
import type { SheetStatus } from './scoring.entities.js';
import { SCORING_TEXTS } from './scoring.errors.js';
import { validateComments } from './sheet-rules.js';
import type { SheetState } from './sheets.repository.js';

/** Scoring's wrong phase (the one wrong_phase): only the presentation phase scores. */
export function wrongPhase(current: string): AppError {
  return phaseError(current as ContestPhase, 'presentation');
}

/** An access refusal of src/access/sheet.access.ts as the routes answer it. */
export function refuse(r: Refusal): AppError {
  switch (r.status) {
    case 404:
      return AppError.notFound();
    case 403:
      return AppError.forbidden('conflict_of_interest', SCORING_TEXTS.conflict_of_interest);
    case 409:
      return r.code === 'wrong_phase' ? wrongPhase(r.phase) : AppError.conflict(r.code, SCORING_TEXTS[r.code]);
  }
}

/** Stable, content-free audit snapshot: marks are scores, and nobody but organizers may see scores. */
export function auditState(s: { id: number; entryId: number; stage: Stage; status: SheetStatus; version: number; lockVersion: number }) {
  return { sheetId: s.id, entryId: s.entryId, stage: s.stage, status: s.status, version: s.version, lockVersion: s.lockVersion };
}

export function emptySheet(rubricId: number): SheetState {
  return { id: null, status: 'draft', marks: {}, comments: {}, total: null, rubricId, version: 0, lockVersion: 0, reopenReason: null, submittedAt: null, createdAt: null, updatedAt: null };
}

export function toSheetResponse(row: { contestId: number; entryId: number }, expertId: number, stage: Stage, items: readonly RubricItem[], s: SheetState): SheetResponse {
  return {
    id: s.id,
    contestId: Number(row.contestId),
    entryId: Number(row.entryId),
    expertId,
    stage,
    status: s.status,
    marks: marksInPoints(items, s.marks),
    comments: s.comments,
    total: s.total === null ? null : points(s.total),
    rubricId: s.rubricId,
    version: s.version,
    lockVersion: s.lockVersion,
    reopenReason: s.reopenReason,
    submittedAt: iso(s.submittedAt),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

/** Marks and comments checked against the rubric; every field's problem at once (400, nothing written). */
export function validateContent(items: readonly RubricItem[], dto: SaveSheetDto, partial: boolean, current: Record<string, string>) {
  const errors: FieldError[] = [];
  const marks = validateMarks(items, dto.marks, { partial });
  if (!marks.ok) for (const e of marks.errors) errors.push(fieldError(e.field ? `marks.${e.field}` : 'marks', e.code, e.message, englishMark(e.code, e.field)));
  let comments = current;
  if (dto.comments !== undefined) {
    const c = validateComments(items, dto.comments);
    if (!c.ok) for (const e of c.errors) errors.push(fieldError(e.field ? `comments.${e.field}` : 'comments', e.code, e.message, englishComment(e.code, e.field)));
    else comments = c.comments;
  }
  if (errors.length || !marks.ok) throw AppError.badRequest('validation_failed', undefined, errors);
  return { marks: marks.marks, total: marks.total, comments };
}

const MARK_EN: Record<string, string> = {
  not_an_object: 'marks must be an object of item key → points',
  required: 'not marked',
  unknown_item: 'no such rubric item',
  not_a_number: 'must be a number of points',
  below_zero: 'must not be negative',
  above_max: "exceeds the item's maximum",
  too_many_decimals: 'at most one decimal',
};
const COMMENT_EN: Record<string, string> = {
  not_an_object: 'comments must be an object of item key → text',
  unknown_item: 'no such rubric item',
  not_a_string: 'must be text',
  too_long: 'at most 500 characters',
};

function englishMark(code: string, field: string): string {
  return field ? `${field}: ${MARK_EN[code] ?? code}` : (MARK_EN[code] ?? code);
}
function englishComment(code: string, field: string): string {
  return field ? `${field}: ${COMMENT_EN[code] ?? code}` : (COMMENT_EN[code] ?? code);
}
