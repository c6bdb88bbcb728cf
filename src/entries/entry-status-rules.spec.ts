import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CONTEST_PHASES } from '../judging/contest-phase.js';
import { ENTRY_STATUSES, type EntryStatus } from './entry.entities.js';
import { RECOMMENDED_OR_LATER } from './entry-rules.js';
import {
  ENTRY_ACTIONS, ENTRY_TRANSITIONS, JUDGING_STATUSES, nextStatus, OUTCOME_STATUSES, PRESENTATION_STATUSES, reachableFrom, RESERVED_STATUSES, TERMINAL_STATUSES,
} from './entry-status-rules.js';

const status = fc.constantFrom(...ENTRY_STATUSES);
const action = fc.constantFrom(...ENTRY_ACTIONS);
const phase = fc.constantFrom(...CONTEST_PHASES);
const asSet = (xs: Iterable<EntryStatus>) => new Set(xs);

describe('the entry status transition table', () => {
  it('takes no entry out of a terminal status, in any phase, by any action', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), action, phase, (s, a, p) => {
        expect(nextStatus(s, a, p)).toEqual({ refused: 'status' });
      }),
    );
  });

  it('answers every (status, action, phase) either with the table\'s target or with why not', () => {
    fc.assert(
      fc.property(status, action, phase, (s, a, p) => {
        const t = ENTRY_TRANSITIONS[a];
        const out = nextStatus(s, a, p);
        if (!t.from.includes(s)) expect(out).toEqual({ refused: 'status' });
        else if (!t.phases.includes(p)) expect(out).toEqual({ refused: 'phase' });
        else expect(out).toEqual({ to: t.to });
      }),
    );
  });

  it('moves an entry forward along any random walk, never back to draft, and ends it only in a terminal or judged status', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(action, phase), { maxLength: 40 }), (steps) => {
        let s: EntryStatus = 'draft';
        for (const [a, p] of steps) {
          const out = nextStatus(s, a, p);
          if ('to' in out) {
            expect(out.to).not.toBe('draft');
            expect(reachableFrom(s).has(out.to)).toBe(true);
            s = out.to;
          }
        }
        expect(reachableFrom('draft').has(s)).toBe(true);
      }),
    );
  });

  it('reaches every status from draft but the reserved ones (no use case sets `scored`)', () => {
    const reachable = reachableFrom('draft');
    expect(ENTRY_STATUSES.filter((s) => !reachable.has(s))).toEqual([...RESERVED_STATUSES]);
  });

  it('has no transition out of exactly the terminal statuses (the rest each have a way on)', () => {
    const hasWayOut = (s: EntryStatus) => Object.values(ENTRY_TRANSITIONS).some((t) => t.from.includes(s));
    expect(ENTRY_STATUSES.filter((s) => !hasWayOut(s) && !RESERVED_STATUSES.includes(s))).toEqual([...TERMINAL_STATUSES]);
  });

  it('defines the judging statuses once: what the table reaches from passed (plus the reserved scored)', () => {
    expect(asSet(JUDGING_STATUSES)).toEqual(asSet([...reachableFrom('passed'), ...RESERVED_STATUSES]));
    // The presentation's list (assignments) is the judging statuses before an outcome.
    expect(asSet([...PRESENTATION_STATUSES, ...OUTCOME_STATUSES])).toEqual(asSet(JUDGING_STATUSES));
    expect(asSet(PRESENTATION_STATUSES)).toEqual(asSet(['passed', 'scheduled', 'presented', 'absent']));
  });

  it('counts a recommendation slot for recommended and everything after it but a withdrawal', () => {
    expect(asSet(RECOMMENDED_OR_LATER)).toEqual(asSet([...reachableFrom('recommended'), ...RESERVED_STATUSES].filter((s) => s !== 'withdrawn')));
    expect(RECOMMENDED_OR_LATER).not.toContain('declined');
  });

  it('lets every action happen in some phase, and names only known statuses and phases', () => {
    for (const a of ENTRY_ACTIONS) {
      const t = ENTRY_TRANSITIONS[a];
      expect(t.phases.length).toBeGreaterThan(0);
      expect(t.from.every((s) => ENTRY_STATUSES.includes(s))).toBe(true);
      expect(ENTRY_STATUSES).toContain(t.to);
      expect(t.phases.every((p) => CONTEST_PHASES.includes(p))).toBe(true);
    }
  });
});
