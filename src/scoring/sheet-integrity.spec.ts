import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultRubric } from '../judging/rubric.js';
import { checkSheetIntegrity, recomputeTotal, recoverSingleChange, tenthsText, type SheetIntegrityInput } from './sheet-integrity.js';
import { contentHash } from './sheet-rules.js';

const items = defaultRubric('material', 'problem_solving'); // topic 150, cause_analysis 300, countermeasures 200, effect 200, report 50, features 100
const marks = { topic: 120, cause_analysis: 255, countermeasures: 170, effect: 160, report: 40, features: 85 };
const comments = { topic: '选题理由充分' };
const TOTAL = 830;

/** An intact submitted sheet with its version row and audit event; `change` edits a deep copy. */
function intact(change: (i: SheetIntegrityInput) => void = () => {}): SheetIntegrityInput {
  const hash = contentHash(marks, comments);
  const input: SheetIntegrityInput = {
    sheet: { id: 7, entryId: 3, expertId: 11, stage: 'material', version: 1, marks: { ...marks }, comments: { ...comments }, total: TOTAL },
    items,
    versionRow: { marks: { ...marks }, comments: { ...comments }, total: TOTAL, contentHash: hash },
    audit: { eventId: 99, actorExpertId: 11, after: { sheetId: 7, entryId: 3, stage: 'material', status: 'submitted', version: 1, contentHash: hash } },
  };
  change(input);
  return input;
}

describe('checkSheetIntegrity', () => {
  it('finds nothing wrong with an intact sheet', () => {
    expect(recomputeTotal(items, marks)).toBe(TOTAL);
    expect(checkSheetIntegrity(intact())).toEqual([]);
  });

  it('names the item changed in the sheet, with the value recorded at submission, and the total that no longer adds up', () => {
    const problems = checkSheetIntegrity(intact((i) => { i.sheet.marks.effect = 190; }));
    expect(problems).toEqual([
      { code: 'total_mismatch', item: null, stored: '83.0', expected: '86.0' },
      { code: 'mark_changed', item: 'effect', stored: '19.0', expected: '16.0' },
    ]);
  });

  it('recovers the original mark from the recorded hash when the version row was changed the same way', () => {
    const problems = checkSheetIntegrity(intact((i) => {
      i.sheet.marks.effect = 190;
      i.sheet.total = 860;
      i.versionRow!.marks.effect = 190;
      i.versionRow!.total = 860;
    }));
    expect(problems).toEqual([
      { code: 'version_altered', item: null, stored: expect.stringMatching(/^[0-9a-f]{64}$/), expected: contentHash(marks, comments) },
      { code: 'mark_changed', item: 'effect', stored: '19.0', expected: '16.0' },
    ]);
  });

  it('reports a changed total alone, against the sum of the marks and the version row', () => {
    expect(checkSheetIntegrity(intact((i) => { i.sheet.total = 870; }))).toEqual([
      { code: 'total_mismatch', item: null, stored: '87.0', expected: '83.0' },
      { code: 'version_total_mismatch', item: null, stored: '87.0', expected: '83.0' },
    ]);
  });

  it('respects the rubric maxima and refuses unknown items and non-integers', () => {
    const problems = checkSheetIntegrity(intact((i) => {
      i.sheet.marks.report = 51;
      i.sheet.marks.extra = 10;
      i.sheet.marks.features = 8.5;
      delete i.sheet.marks.topic;
    }), { recover: false });
    expect(problems).toEqual([
      { code: 'mark_missing', item: 'topic', stored: null, expected: '0.0–15.0' },
      { code: 'mark_invalid', item: 'report', stored: '5.1', expected: '0.0–5.0' },
      { code: 'mark_invalid', item: 'features', stored: '0.85', expected: '0.0–10.0' },
      { code: 'mark_unknown_item', item: 'extra', stored: '1.0', expected: null },
      { code: 'mark_changed', item: 'topic', stored: null, expected: '12.0' },
      { code: 'mark_changed', item: 'report', stored: '5.1', expected: '4.0' },
      { code: 'mark_changed', item: 'features', stored: '0.85', expected: '8.5' },
      { code: 'mark_changed', item: 'extra', stored: '1.0', expected: null },
    ]);
  });

  it('checks who and what the audit event recorded, and its content hash against the version row', () => {
    const problems = checkSheetIntegrity(intact((i) => {
      i.sheet.expertId = 12;
      i.sheet.stage = 'presentation';
      i.versionRow!.contentHash = 'f'.repeat(64);
    }));
    expect(problems).toEqual([
      { code: 'version_altered', item: null, stored: contentHash(marks, comments), expected: 'f'.repeat(64) },
      { code: 'audit_mismatch', item: 'stage', stored: 'presentation', expected: 'material' },
      { code: 'audit_mismatch', item: 'expertId', stored: '12', expected: '11' },
      { code: 'audit_mismatch', item: 'contentHash', stored: 'f'.repeat(64), expected: contentHash(marks, comments) },
    ]);
  });

  it('reports a missing version row and a missing audit event, and a changed comment', () => {
    expect(checkSheetIntegrity(intact((i) => { i.versionRow = null; i.audit = null; }))).toEqual([
      { code: 'version_missing', item: null, stored: null, expected: 'version 1' },
      { code: 'audit_event_missing', item: null, stored: null, expected: 'sheet.submit version 1' },
    ]);
    expect(checkSheetIntegrity(intact((i) => { i.sheet.comments.topic = '改过的评语'; }))).toEqual([{ code: 'comment_changed', item: 'topic', stored: null, expected: null }]);
  });

  it('says the content hash differs when no single change explains it', () => {
    const problems = checkSheetIntegrity(intact((i) => {
      i.sheet.marks.effect = 190;
      i.sheet.marks.topic = 100;
      i.versionRow = null;
    }));
    expect(problems).toContainEqual({ code: 'content_hash_mismatch', item: null, stored: contentHash({ ...marks, effect: 190, topic: 100 }, comments), expected: contentHash(marks, comments) });
  });
});

describe('recoverSingleChange', () => {
  it('finds any single changed mark within the rubric (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: items.length - 1 }), fc.integer({ min: 0, max: 300 }), (k, raw) => {
        const item = items[k]!;
        const v = raw % (item.max + 1);
        fc.pre(v !== marks[item.key as keyof typeof marks]);
        const tampered = { ...marks, [item.key]: v };
        expect(recoverSingleChange(items, { marks: tampered, comments }, contentHash(marks, comments))).toEqual(marks);
      }),
      { numRuns: 40 },
    );
  });
});

describe('tenthsText', () => {
  it('writes tenths as points with one decimal', () => {
    expect([tenthsText(155), tenthsText(150), tenthsText(0), tenthsText(-5), tenthsText(8.5), tenthsText(null), tenthsText('x'), tenthsText(undefined)]).toEqual(['15.5', '15.0', '0.0', '-0.5', '0.85', 'null', '"x"', null]);
  });
});
