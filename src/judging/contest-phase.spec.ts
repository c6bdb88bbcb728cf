import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  CONTEST_PHASES,
  checkTransition,
  entriesEditable,
  isContestPhase,
  isRubricFrozen,
  nextPhases,
  resubmissionAllowed,
  type ContestPhase,
  type PhaseFacts,
} from './contest-phase.js';

const now = new Date('2020-09-15T08:00:00Z');
const before = new Date('2020-09-01T00:00:00Z');
const after = new Date('2020-09-22T00:00:00Z');

// Facts that satisfy every step's preconditions, except the dates, which each step sees differently.
const good: PhaseFacts = {
  now,
  hasRubrics: true,
  submissionWindowSet: true,
  recommendedEntryCount: 140,
  undecidedReviewCount: 0,
  reviewClosedWithOutcome: true,
  sessionsScheduled: true,
  pendingPresentationCount: 0,
  missingSheetCount: 0,
  unsignedPanelCount: 0,
  resultsFrozen: true,
  unresolvedTieCount: 0,
  openObjectionCount: 0,
};
const goodFor: Record<Exclude<ContestPhase, 'draft'>, PhaseFacts> = {
  open: { ...good, submissionDeadline: after },
  review: { ...good, submissionDeadline: before },
  presentation: good,
  finalizing: good,
  notice: { ...good, noticeEndsAt: after },
  published: { ...good, noticeEndsAt: before },
  archived: {},
};

const codes = (result: ReturnType<typeof checkTransition>): string[] => (result.ok ? [] : result.blockers.map((b) => b.code));

describe('phases', () => {
  it('move forward one step at a time and stop at archived', () => {
    expect(nextPhases('draft')).toEqual(['open']);
    expect(nextPhases('finalizing')).toEqual(['notice']);
    expect(nextPhases('archived')).toEqual([]);
    const chain: ContestPhase[] = ['draft'];
    for (let next = nextPhases('draft'); next.length > 0; next = nextPhases(next[0]!)) chain.push(next[0]!);
    expect(chain).toEqual([...CONTEST_PHASES]);
  });

  it('recognises phase names', () => {
    expect(isContestPhase('notice')).toBe(true);
    expect(isContestPhase('closed')).toBe(false);
    expect(isContestPhase(3)).toBe(false);
  });

  it('freeze rubrics from presentation onward and allow entry edits only while open', () => {
    expect(CONTEST_PHASES.filter(isRubricFrozen)).toEqual(['presentation', 'finalizing', 'notice', 'published', 'archived']);
    expect(CONTEST_PHASES.filter(entriesEditable)).toEqual(['open']);
    expect(CONTEST_PHASES.filter(resubmissionAllowed)).toEqual(['review']);
  });
});

describe('checkTransition', () => {
  it('allows every forward step when its preconditions hold', () => {
    for (const to of CONTEST_PHASES.slice(1) as Exclude<ContestPhase, 'draft'>[]) {
      const from = CONTEST_PHASES[CONTEST_PHASES.indexOf(to) - 1]!;
      expect([from, to, checkTransition(from, to, goodFor[to])]).toEqual([from, to, { ok: true }]);
    }
  });

  it('refuses every move that is not to the next phase, whatever the facts', () => {
    const phase = fc.constantFrom(...CONTEST_PHASES);
    fc.assert(
      fc.property(phase, phase, (from, to) => {
        fc.pre(nextPhases(from)[0] !== to);
        expect(checkTransition(from, to, good)).toEqual({ ok: false, blockers: [expect.objectContaining({ code: 'transition_not_allowed' })] });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses unknown phases', () => {
    expect(codes(checkTransition('draft', 'closed' as ContestPhase, good))).toEqual(['unknown_phase']);
  });

  it('lists every unmet precondition, with counts', () => {
    const result = checkTransition('review', 'presentation', { undecidedReviewCount: 3, reviewClosedWithOutcome: false, sessionsScheduled: false });
    expect(result).toEqual({
      ok: false,
      blockers: [
        { code: 'reviews_undecided', message: expect.stringContaining('3'), count: 3 },
        { code: 'review_not_closed', message: expect.any(String) },
        { code: 'sessions_not_scheduled', message: expect.any(String) },
      ],
    });
    expect(codes(checkTransition('presentation', 'finalizing', { ...good, pendingPresentationCount: 1, missingSheetCount: 7, unsignedPanelCount: 2 }))).toEqual([
      'presentations_pending',
      'score_sheets_missing',
      'panels_not_signed_off',
    ]);
  });

  it('checks the deadlines against now', () => {
    expect(codes(checkTransition('draft', 'open', { ...good, submissionDeadline: before }))).toEqual(['submission_deadline_passed']);
    expect(codes(checkTransition('open', 'review', { ...good, submissionDeadline: after }))).toEqual(['submission_deadline_not_reached']);
    expect(codes(checkTransition('open', 'review', { ...good, submissionDeadline: before, recommendedEntryCount: 0 }))).toEqual(['no_recommended_entries']);
    expect(codes(checkTransition('finalizing', 'notice', { ...good, noticeEndsAt: before }))).toEqual(['notice_end_not_in_future']);
    expect(codes(checkTransition('notice', 'published', { ...good, noticeEndsAt: after, openObjectionCount: 2 }))).toEqual([
      'notice_period_not_over',
      'objections_open',
    ]);
    // The notice period ends exactly now: publishing is allowed.
    expect(checkTransition('notice', 'published', { ...good, noticeEndsAt: now })).toEqual({ ok: true });
  });

  it('reports an unset date once, as unset', () => {
    expect(codes(checkTransition('draft', 'open', { ...good, submissionWindowSet: false, submissionDeadline: null }))).toEqual(['submission_window_not_set']);
    expect(codes(checkTransition('finalizing', 'notice', { ...good, resultsFrozen: false, noticeEndsAt: null }))).toEqual([
      'results_not_frozen',
      'notice_period_not_set',
    ]);
  });

  it('reports facts the service forgot to supply instead of letting the contest through', () => {
    const result = checkTransition('notice', 'published', {});
    expect(result).toEqual({
      ok: false,
      blockers: [
        expect.objectContaining({ code: 'fact_missing', fact: 'noticeEndsAt' }),
        expect.objectContaining({ code: 'fact_missing', fact: 'now' }),
        expect.objectContaining({ code: 'fact_missing', fact: 'openObjectionCount' }),
      ],
    });
  });

  it('blocks whenever any single fact of a step is spoiled', () => {
    const spoil: Partial<Record<keyof PhaseFacts, unknown>> = {
      hasRubrics: false,
      submissionWindowSet: false,
      recommendedEntryCount: 0,
      undecidedReviewCount: 1,
      reviewClosedWithOutcome: false,
      sessionsScheduled: false,
      pendingPresentationCount: 2,
      missingSheetCount: 1,
      unsignedPanelCount: 1,
      resultsFrozen: false,
      unresolvedTieCount: 1,
      openObjectionCount: 1,
    };
    const steps = CONTEST_PHASES.slice(1) as Exclude<ContestPhase, 'draft'>[];
    fc.assert(
      fc.property(fc.constantFrom(...steps), fc.constantFrom(...(Object.keys(spoil) as (keyof PhaseFacts)[])), (to, fact) => {
        const from = CONTEST_PHASES[CONTEST_PHASES.indexOf(to) - 1]!;
        const facts = { ...goodFor[to], [fact]: spoil[fact] } as PhaseFacts;
        const relevant = checkTransition(from, to, { ...goodFor[to], [fact]: undefined }).ok === false;
        // A fact matters to a step exactly when leaving it out blocks the step; spoiling it then blocks too.
        expect(checkTransition(from, to, facts).ok).toBe(!relevant);
      }),
      { numRuns: 150 },
    );
  });
});
