import { describe, expect, it } from '@jest/globals';
import { checkTransition, type PhaseFacts } from '../judging/contest-phase.js';
import { phaseConditions } from './phase-conditions.js';

const now = new Date('2020-06-01T00:00:00Z');
const past = new Date('2020-05-01T00:00:00Z');
const future = new Date('2020-07-01T00:00:00Z');

// Facts under which every condition of the step fails (and, second, under which every one holds).
const failing: Record<string, [string, PhaseFacts, PhaseFacts]> = {
  open: ['draft', { now, hasRubrics: false, submissionWindowSet: false, submissionDeadline: past }, { now, hasRubrics: true, submissionWindowSet: true, submissionDeadline: future }],
  review: ['open', { now, submissionDeadline: future, recommendedEntryCount: 0 }, { now, submissionDeadline: past, recommendedEntryCount: 2 }],
  presentation: ['review', { undecidedReviewCount: 2, reviewClosedWithOutcome: false, sessionsScheduled: false }, { undecidedReviewCount: 0, reviewClosedWithOutcome: true, sessionsScheduled: true }],
  finalizing: ['presentation', { pendingPresentationCount: 1, missingSheetCount: 3, unsignedPanelCount: 1 }, { pendingPresentationCount: 0, missingSheetCount: 0, unsignedPanelCount: 0 }],
  notice: ['finalizing', { now, resultsFrozen: false, unresolvedTieCount: 1, noticeEndsAt: past }, { now, resultsFrozen: true, unresolvedTieCount: 0, noticeEndsAt: future }],
  published: ['notice', { now, noticeEndsAt: future, openObjectionCount: 2 }, { now, noticeEndsAt: past, openObjectionCount: 0 }],
};

describe('phase conditions (the checklist of the next phase)', () => {
  it.each(Object.entries(failing))('names every blocker of entering %s as an unmet condition, and all met when none', (to, [from, bad, good]) => {
    const check = checkTransition(from as never, to as never, bad);
    expect(check.ok).toBe(false);
    const blockers = check.ok ? [] : check.blockers;
    const conditions = phaseConditions(to as never, blockers);
    // Every blocker is explained by a condition of the table (no extra rows for known codes).
    expect(conditions.every((c) => !c.met)).toBe(true);
    expect(conditions.map((c) => c.message).join('；')).toBe(blockers.map((b) => b.message).join('；'));
    expect(checkTransition(from as never, to as never, good)).toEqual({ ok: true });
    expect(phaseConditions(to as never, []).every((c) => c.met && c.message === null)).toBe(true);
  });

  it('lists blockers it does not know as unmet conditions of their own', () => {
    const out = phaseConditions('review', [{ code: 'fact_missing', message: '缺少判断条件：now', fact: 'now' }]);
    expect(out.map((c) => [c.key, c.met])).toEqual([['deadline_reached', true], ['recommended_entries', true], ['fact_missing', false]]);
    expect(phaseConditions('archived', [])).toEqual([]);
    expect(phaseConditions(null, [])).toEqual([]);
  });
});
