// Integrity of one submitted score sheet, as plain functions over plain data (no Nest, no TypeORM):
// the stored sheet against its rubric, against the version row written when it was submitted, and
// against the `sheet.submit` audit event (in a hash chain) that recorded its content hash.
//
// The content hash (sheet-rules.ts `contentHash`) covers the marks and the comments; the total is a
// function of the marks (checked here), and who/what the sheet is about (expert, entry, stage,
// version) is checked against the audit event, whose own hash chain covers those fields.
import type { RubricItem } from '../judging/rubric.js';
import { contentHash } from './sheet-rules.js';

/** Marks and comments as stored (tampered rows may hold anything, so nothing is assumed of the values). */
export interface SheetContent {
  marks: Record<string, unknown>;
  comments: Record<string, unknown>;
}

export interface SheetIntegrityInput {
  sheet: SheetContent & { id: number; entryId: number; expertId: number; stage: string; version: number; total: number | null };
  /** The items of the sheet's rubric; null when that rubric row is missing. */
  items: readonly RubricItem[] | null;
  /** The score_sheet_versions row of the sheet's current version, or null. */
  versionRow: (SheetContent & { total: number; contentHash: string }) | null;
  /** The `sheet.submit` audit event of that version: its actor's expert id and its parsed `after`. */
  audit: { eventId: number; actorExpertId: number | null; after: Record<string, unknown> } | null;
}

export const SHEET_PROBLEM_CODES = [
  'content_unreadable',
  'rubric_missing',
  'mark_missing',
  'mark_unknown_item',
  'mark_invalid',
  'total_mismatch',
  'mark_changed',
  'comment_changed',
  'content_hash_mismatch',
  'version_missing',
  'version_altered',
  'version_total_mismatch',
  'audit_event_missing',
  'audit_mismatch',
] as const;
export type SheetProblemCode = (typeof SHEET_PROBLEM_CODES)[number];

/**
 * One finding. Marks and totals are given in points ("15.5"); `expected` is what the rubric, the
 * sum of the marks, or the content recorded at submission says.
 */
export interface SheetProblem {
  code: SheetProblemCode;
  /** The rubric item key (marks, comments), the audit field (audit_mismatch), or null for the whole sheet. */
  item: string | null;
  stored: string | null;
  expected: string | null;
}

/** Tenths as points: 155 → "15.5", 150 → "15.0", 8.5 → "0.85"; anything else as its JSON text. */
export function tenthsText(v: unknown): string | null {
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) return JSON.stringify(v);
  if (!Number.isInteger(v)) return String(v / 10);
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10}`;
}

/** The content hash of stored marks and comments, whatever they hold (same function the submit used). */
export function storedContentHash(c: SheetContent): string {
  return contentHash(c.marks as Record<string, number>, c.comments as Record<string, string>);
}

/** Sum of the marks when each rubric item has an integer mark within 0..max, else null. */
export function recomputeTotal(items: readonly RubricItem[], marks: Record<string, unknown>): number | null {
  let total = 0;
  for (const i of items) {
    const v = marks[i.key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > i.max) return null;
    total += v;
  }
  return total;
}

/**
 * The marks that hash to `recordedHash` when exactly one item's mark was changed (each item, each
 * value 0..max: at most ~1,000 hashes for a 100-point rubric), or null. This names the item and its
 * original value even when the sheet and its version row were both changed the same way.
 */
export function recoverSingleChange(items: readonly RubricItem[], content: SheetContent, recordedHash: string): Record<string, unknown> | null {
  for (const item of items) {
    const current = content.marks[item.key];
    for (let v = 0; v <= item.max; v++) {
      if (v === current) continue;
      const marks = { ...content.marks, [item.key]: v };
      if (storedContentHash({ marks, comments: content.comments }) === recordedHash) return marks;
    }
  }
  return null;
}

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>, order: readonly string[]): string[] {
  const keys = [...new Set([...order, ...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}

/**
 * Every problem of one submitted sheet: marks outside the rubric, a total that is not the sum of its
 * marks, content that no longer hashes to what was recorded at submission (naming the items when the
 * recorded content can be found), a missing or altered version row, a missing audit event or one
 * that names another entry, stage or expert. [] when the sheet is intact.
 */
export function checkSheetIntegrity(input: SheetIntegrityInput, opts: { recover?: boolean } = {}): SheetProblem[] {
  const { sheet, items, versionRow, audit } = input;
  const problems: SheetProblem[] = [];
  const itemKeys = items ? items.map((i) => i.key) : [];

  // 1. Against the rubric: every item marked in tenths within 0..max, and the total their sum.
  if (!items) problems.push({ code: 'rubric_missing', item: null, stored: null, expected: null });
  else {
    for (const i of items) {
      const v = sheet.marks[i.key];
      if (v === undefined) problems.push({ code: 'mark_missing', item: i.key, stored: null, expected: `0.0–${tenthsText(i.max)}` });
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > i.max) problems.push({ code: 'mark_invalid', item: i.key, stored: tenthsText(v), expected: `0.0–${tenthsText(i.max)}` });
    }
    for (const k of Object.keys(sheet.marks)) if (!itemKeys.includes(k)) problems.push({ code: 'mark_unknown_item', item: k, stored: tenthsText(sheet.marks[k]), expected: null });
    const total = recomputeTotal(items, sheet.marks);
    if (total !== null && total !== sheet.total) problems.push({ code: 'total_mismatch', item: null, stored: tenthsText(sheet.total), expected: tenthsText(total) });
  }

  // 2. The version row written at submission: its own content must still hash to its recorded hash.
  let versionIntact = false;
  if (!versionRow) problems.push({ code: 'version_missing', item: null, stored: null, expected: `version ${sheet.version}` });
  else {
    const own = storedContentHash(versionRow);
    versionIntact = own === versionRow.contentHash;
    if (!versionIntact) problems.push({ code: 'version_altered', item: null, stored: own, expected: versionRow.contentHash });
    if (versionRow.total !== sheet.total) problems.push({ code: 'version_total_mismatch', item: null, stored: tenthsText(sheet.total), expected: tenthsText(versionRow.total) });
  }

  // 3. The audit event (hash-chained): who submitted which entry and stage, and the content hash.
  const auditHash = typeof audit?.after.contentHash === 'string' ? audit.after.contentHash : null;
  if (!audit) problems.push({ code: 'audit_event_missing', item: null, stored: null, expected: `sheet.submit version ${sheet.version}` });
  else {
    const fields: [string, unknown, unknown][] = [
      ['entryId', sheet.entryId, audit.after.entryId],
      ['stage', sheet.stage, audit.after.stage],
      ['expertId', sheet.expertId, audit.actorExpertId],
      ['contentHash', versionRow?.contentHash ?? null, auditHash],
    ];
    for (const [field, stored, expected] of fields) {
      if (field === 'contentHash' && stored === null) continue;
      if (stored !== expected) problems.push({ code: 'audit_mismatch', item: field, stored: stored === null ? null : String(stored), expected: expected === null || expected === undefined ? null : String(expected) });
    }
  }

  // 4. The sheet's content against the hash recorded at submission (the audit event's first: it is chained).
  const recorded = auditHash ?? versionRow?.contentHash ?? null;
  const current = storedContentHash(sheet);
  if (recorded !== null && current !== recorded) {
    let original: SheetContent | null = versionRow && versionIntact && versionRow.contentHash === recorded ? versionRow : null;
    if (!original && items && opts.recover !== false) {
      const marks = recoverSingleChange(items, sheet, recorded);
      if (marks) original = { marks, comments: sheet.comments };
    }
    if (original) {
      for (const k of differingKeys(sheet.marks, original.marks, itemKeys)) {
        problems.push({ code: 'mark_changed', item: k, stored: tenthsText(sheet.marks[k]), expected: tenthsText(original.marks[k]) });
      }
      for (const k of differingKeys(sheet.comments, original.comments, itemKeys)) {
        problems.push({ code: 'comment_changed', item: k, stored: null, expected: null });
      }
    } else {
      problems.push({ code: 'content_hash_mismatch', item: null, stored: current, expected: recorded });
    }
  }
  return problems;
}
