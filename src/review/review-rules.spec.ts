import { describe, expect, it } from '@jest/globals';
import { ENTRY_STATUSES } from '../entries/entry.entities.js';
import { allOk, checkDecision, notAwaitingReason, reviewState, timelineReason } from './review-rules.js';

const checklist = [
  { key: 'materials_complete', title: '材料齐全' },
  { key: 'activity_period', title: '活动时间在规定范围内' },
];
const codes = (r: ReturnType<typeof checkDecision>) => (r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`));

describe('checkDecision', () => {
  it('accepts a pass with every item ok, in the checklist order, notes trimmed or null', () => {
    const r = checkDecision(checklist, { decision: 'pass', checklist: [{ key: 'activity_period', ok: true, note: '  ' }, { key: 'materials_complete', ok: true, note: ' 齐全 ✅ ' }] });
    expect(r).toEqual({ ok: true, results: [{ key: 'materials_complete', ok: true, note: '齐全 ✅' }, { key: 'activity_period', ok: true, note: null }] });
  });

  it('refuses a pass with a failed item', () => {
    expect(codes(checkDecision(checklist, { decision: 'pass', checklist: [{ key: 'materials_complete', ok: false }, { key: 'activity_period', ok: true }] }))).toEqual(['checklist.0.ok:pass_requires_all_ok']);
  });

  it('asks a return for a failed item, and a note on each failed item', () => {
    expect(codes(checkDecision(checklist, { decision: 'return', checklist: [{ key: 'materials_complete', ok: true }, { key: 'activity_period', ok: true }] }))).toEqual(['checklist:return_requires_failed_item']);
    expect(codes(checkDecision(checklist, { decision: 'return', checklist: [{ key: 'materials_complete', ok: false, note: ' ' }, { key: 'activity_period', ok: false, note: '早于规定日期' }] }))).toEqual(['checklist.0.note:note_required']);
    expect(checkDecision(checklist, { decision: 'return', checklist: [{ key: 'materials_complete', ok: false, note: '缺少报告' }, { key: 'activity_period', ok: true }] }).ok).toBe(true);
    // The message names the item as the reviewer sees it, not its key.
    const r = checkDecision(checklist, { decision: 'return', checklist: [{ key: 'materials_complete', ok: false }, { key: 'activity_period', ok: true }] });
    expect(r.ok ? [] : r.problems.map((p) => p.zh)).toEqual(['请说明检查项「材料齐全」不合格的原因']);
  });

  it('asks a reject for a reason, whatever the items say', () => {
    const items = [{ key: 'materials_complete', ok: true }, { key: 'activity_period', ok: true }];
    expect(codes(checkDecision(checklist, { decision: 'reject', checklist: items }))).toEqual(['reason:required']);
    expect(codes(checkDecision(checklist, { decision: 'reject', checklist: items, reason: '  ' }))).toEqual(['reason:required']);
    expect(checkDecision(checklist, { decision: 'reject', checklist: items, reason: '往届已获奖' }).ok).toBe(true);
  });

  it('reports unknown, duplicate and missing keys together', () => {
    const r = checkDecision(checklist, { decision: 'pass', checklist: [{ key: 'materials_complete', ok: true }, { key: 'bogus', ok: true }, { key: 'materials_complete', ok: true }] });
    expect(codes(r)).toEqual(['checklist.1.key:unknown_checklist_key', 'checklist.2.key:duplicate_checklist_key', 'checklist:checklist_item_missing']);
  });

  it('accepts an empty checklist for a pass when the contest has none', () => {
    expect(checkDecision([], { decision: 'pass', checklist: [] })).toEqual({ ok: true, results: [] });
    expect(codes(checkDecision([], { decision: 'return', checklist: [] }))).toEqual(['checklist:return_requires_failed_item']);
  });
});

describe('review states', () => {
  it('maps every entry status to at most one review state', () => {
    const states = Object.fromEntries(ENTRY_STATUSES.map((s) => [s, reviewState(s)]));
    expect(states).toEqual({
      draft: null, submitted: null, recommended: 'awaiting', declined: null, passed: 'passed', returned: 'returned', resubmitted: 'awaiting',
      rejected: 'rejected', scheduled: 'passed', presented: 'passed', absent: 'passed', scored: 'passed', awarded: 'passed', not_awarded: 'passed', withdrawn: null,
    });
  });

  it('tells an already decided round from an entry that never reached review', () => {
    expect(notAwaitingReason('recommended')).toBeNull();
    expect(notAwaitingReason('resubmitted')).toBeNull();
    expect(notAwaitingReason('returned')).toBe('already_decided');
    expect(notAwaitingReason('passed')).toBe('already_decided');
    expect(notAwaitingReason('submitted')).toBe('entry_not_awaiting_review');
    expect(notAwaitingReason('withdrawn')).toBe('entry_not_awaiting_review');
  });
});

describe('timelineReason', () => {
  it('lists the failed items of a return after the reason', () => {
    expect(timelineReason(checklist, 'return', [{ key: 'materials_complete', ok: false, note: '缺少报告' }, { key: 'activity_period', ok: true, note: null }], '请补充')).toBe('请补充\n材料齐全：缺少报告');
    expect(timelineReason(checklist, 'pass', allOk(checklist), null)).toBeNull();
    expect(timelineReason(checklist, 'reject', [], '不符合条件')).toBe('不符合条件');
  });
});
