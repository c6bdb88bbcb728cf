import { describe, expect, it } from '@jest/globals';
import { CONTEST_PHASES } from '../judging/contest-phase.js';
import { ENTRY_STATUSES } from './entry.entities.js';
import {
  canEdit, canRecommend, canWithdraw, checkActivityPeriod, isCalendarDate, MAX_TEAM_MEMBERS_HARD, RECOMMENDED_OR_LATER, submission, teamMemberLimit,
} from './entry-rules.js';

const codes = (p: { field: string; code: string }[]) => p.map((x) => `${x.field}:${x.code}`);

describe('activity period', () => {
  it('knows real calendar dates', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2021-02-29')).toBe(false);
    expect(isCalendarDate('2021-13-01')).toBe(false);
    expect(isCalendarDate('2021-1-01')).toBe(false);
    expect(isCalendarDate('2021-04-31')).toBe(false);
  });

  it('refuses an end before the start and a start before the contest limit', () => {
    expect(checkActivityPeriod('2020-01-01', '2020-06-30', null)).toEqual([]);
    expect(checkActivityPeriod('2020-01-01', '2020-01-01', null)).toEqual([]);
    expect(codes(checkActivityPeriod('2020-06-30', '2020-01-01', null))).toEqual(['activityEnd:period_ends_before_start']);
    expect(codes(checkActivityPeriod('2018-12-31', '2020-01-01', '2019-01-01'))).toEqual(['activityStart:period_starts_too_early']);
    expect(codes(checkActivityPeriod('2019-01-01', '2020-01-01', '2019-01-01'))).toEqual([]);
    expect(codes(checkActivityPeriod('2019-02-30', '2019-13-01', null))).toEqual(['activityStart:invalid_date', 'activityEnd:invalid_date']);
  });
});

describe('team size', () => {
  it('uses the contest cap, never above the hard ceiling', () => {
    expect(teamMemberLimit(15)).toBe(15);
    expect(teamMemberLimit(500)).toBe(MAX_TEAM_MEMBERS_HARD);
    expect(MAX_TEAM_MEMBERS_HARD).toBe(100);
    expect(teamMemberLimit(undefined)).toBe(MAX_TEAM_MEMBERS_HARD);
  });
});

describe('editing', () => {
  it('allows drafts while open, returned entries during review, nothing else', () => {
    for (const phase of CONTEST_PHASES) {
      for (const status of ENTRY_STATUSES) {
        const want = (status === 'draft' && phase === 'open') || (status === 'returned' && phase === 'review');
        expect([status, phase, canEdit(status, phase)]).toEqual([status, phase, want]);
      }
    }
  });
});

describe('submission', () => {
  const opensAt = new Date('2020-03-01T00:00:00Z');
  const closesAt = new Date('2020-05-31T16:00:00Z');
  const at = (iso: string) => ({ phase: 'open' as const, now: new Date(iso), opensAt, closesAt });

  it('submits a draft inside the window, both ends included', () => {
    expect(submission('draft', at('2020-04-01T00:00:00Z'))).toEqual({ to: 'submitted' });
    expect(submission('draft', at('2020-03-01T00:00:00Z'))).toEqual({ to: 'submitted' });
    expect(submission('draft', at('2020-05-31T16:00:00Z'))).toEqual({ to: 'submitted' });
  });

  it('refuses before the window, after the deadline, and outside the open phase', () => {
    expect(submission('draft', at('2020-02-29T23:59:59Z'))).toEqual({ refused: 'submission_not_open' });
    expect(submission('draft', at('2020-05-31T16:00:01Z'))).toEqual({ refused: 'submission_closed' });
    expect(submission('draft', { ...at('2020-04-01T00:00:00Z'), phase: 'review' })).toEqual({ refused: 'contest_not_open' });
    expect(submission('draft', { phase: 'open', now: new Date(), opensAt: null, closesAt: null })).toEqual({ to: 'submitted' });
  });

  it('resubmits a returned entry during review only; other statuses cannot submit', () => {
    expect(submission('returned', { ...at('2020-07-01T00:00:00Z'), phase: 'review' })).toEqual({ to: 'resubmitted' });
    expect(submission('returned', at('2020-04-01T00:00:00Z'))).toEqual({ refused: 'resubmission_closed' });
    for (const s of ENTRY_STATUSES.filter((x) => x !== 'draft' && x !== 'returned')) {
      expect(submission(s, at('2020-04-01T00:00:00Z'))).toEqual({ refused: 'entry_not_submittable' });
    }
  });
});

describe('withdrawal and recommendation', () => {
  it('withdraws before a review decision, while open or in review', () => {
    expect(canWithdraw('draft', 'open')).toBe(true);
    expect(canWithdraw('submitted', 'open')).toBe(true);
    expect(canWithdraw('recommended', 'review')).toBe(true);
    expect(canWithdraw('passed', 'review')).toBe(false);
    expect(canWithdraw('declined', 'open')).toBe(false);
    expect(canWithdraw('withdrawn', 'open')).toBe(false);
    expect(canWithdraw('submitted', 'presentation')).toBe(false);
  });

  it('recommends submitted entries while open or in review', () => {
    expect(canRecommend('submitted', 'open')).toBe(true);
    expect(canRecommend('submitted', 'review')).toBe(true);
    expect(canRecommend('submitted', 'presentation')).toBe(false);
    expect(canRecommend('resubmitted', 'review')).toBe(false);
    expect(canRecommend('draft', 'open')).toBe(false);
    expect(canRecommend('recommended', 'open')).toBe(false);
  });

  it('counts recommended and everything after it against the unit quota, not declined or withdrawn', () => {
    expect(RECOMMENDED_OR_LATER).toContain('recommended');
    expect(RECOMMENDED_OR_LATER).toContain('awarded');
    for (const s of ['draft', 'submitted', 'declined', 'withdrawn'] as const) expect(RECOMMENDED_OR_LATER).not.toContain(s);
    expect(new Set([...RECOMMENDED_OR_LATER, 'draft', 'submitted', 'declined', 'withdrawn'])).toEqual(new Set(ENTRY_STATUSES));
  });
});
