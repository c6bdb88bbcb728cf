/**
 * Allocation of award levels (一/二/三等奖, 优秀奖) in rank order by quotas.
 *
 * Rules:
 * - Within a scope (the whole contest, or each track) entries are taken in rank order and levels are
 *   filled first → second → third → excellence. Entries that share a rank (an unresolved tie) are a
 *   group and are always treated alike. A level never skips over a group to reach a lower one, so an
 *   entry gets at most one level and, within a scope, a higher final score never gets a lower level.
 * - Count quotas are taken as given. Ratio quotas are per mille of the eligible entries of the scope
 *   (those passed in), rounded DOWN: quota = floor(eligible × ratio / 1000), computed in integers.
 * - An optional minimum final score (Score4) per level: an entry below it cannot get that level and
 *   is considered for the next one. A level's effective minimum is the highest minimum of it and of
 *   every lower level (a score too low for excellence is too low for third as well).
 * - A tie at a quota boundary (a group that does not fit in the seats left) follows the contest's
 *   policy: `include_all` gives the level to the whole group, exceeding the quota by less than the
 *   group's size, and reports it; `exclude_all` gives it to none of them, they fall to the next level
 *   and the seats stay empty; `report_only` does the same as exclude_all and flags the group as
 *   needing an organizer decision. The quota of the next level is not changed by either.
 */
import { JudgingInputError, assertSafeInteger, flatString, formatScore4, type Score4 } from './aggregation.js';

export type AwardLevel = 'first' | 'second' | 'third' | 'excellence';
export const AWARD_LEVELS: readonly AwardLevel[] = ['first', 'second', 'third', 'excellence'];
export type LevelCounts = Record<AwardLevel, number>;

export type Quotas = { mode: 'count'; counts: LevelCounts } | { mode: 'ratio'; /** per mille of eligible entries */ ratios: LevelCounts };
export type AllocationScope = 'overall' | 'per_track';
export type BoundaryTiePolicy = 'include_all' | 'exclude_all' | 'report_only';

export interface AllocationRules {
  quotas: Quotas;
  scope: AllocationScope;
  minimumScores?: Partial<Record<AwardLevel, Score4>>;
  boundaryTiePolicy: BoundaryTiePolicy;
}

export interface AllocationCandidate {
  entryId: number;
  trackId: number;
  /** From the ranking: equal ranks are unresolved ties. */
  rank: number;
  finalScore: Score4;
}

export interface AllocationExplanation {
  entryId: number;
  trackId: number;
  /** 'overall' or 'track:<trackId>' */
  scope: string;
  rank: number;
  /** Competition rank within the scope. */
  scopeRank: number;
  level: AwardLevel | null;
  /** The quota of the level awarded (null when none). */
  quota: { level: AwardLevel; quota: number; awarded: number } | null;
  reason: string;
  /** Level by level, what happened to this entry. */
  trail: string[];
  needsOrganizerDecision: boolean;
}

export interface LevelReport {
  level: AwardLevel;
  quota: number;
  awarded: number;
  exceededBy: number;
  /** The effective minimum (see above), null when none. */
  minimumScore: Score4 | null;
  /** Why the level stopped taking entries. */
  closedBy: 'quota_filled' | 'minimum_score' | 'boundary_tie' | 'no_more_entries';
}

export interface BoundaryTie {
  scope: string;
  level: AwardLevel;
  policy: BoundaryTiePolicy;
  rank: number;
  entryIds: number[];
  seatsLeft: number;
  outcome: 'all_awarded' | 'fell_to_next_level';
  needsOrganizerDecision: boolean;
}

export interface ScopeReport {
  scope: string;
  trackId: number | null;
  eligible: number;
  levels: LevelReport[];
}

export interface AllocationReport {
  scope: AllocationScope;
  policy: BoundaryTiePolicy;
  quotaMode: Quotas['mode'];
  scopes: ScopeReport[];
  totals: { level: AwardLevel; quota: number; awarded: number; exceededBy: number }[];
  boundaryTies: BoundaryTie[];
  quotaExceeded: boolean;
  needsOrganizerDecision: boolean;
}

export interface AllocationResult {
  /** In scope order, then rank, then entryId. */
  entries: AllocationExplanation[];
  report: AllocationReport;
}

export function validateAllocationRules(rules: AllocationRules): void {
  const values = rules.quotas.mode === 'count' ? rules.quotas.counts : rules.quotas.ratios;
  for (const level of AWARD_LEVELS) {
    const v = values[level];
    assertSafeInteger(v, `${rules.quotas.mode} of ${level}`);
    if (v < 0) throw new JudgingInputError(`${rules.quotas.mode} of ${level} must not be negative`);
    const min = rules.minimumScores?.[level];
    if (min !== undefined) assertSafeInteger(min, `minimum score of ${level}`);
  }
  if (rules.quotas.mode === 'ratio') {
    const sum = AWARD_LEVELS.reduce((s, l) => s + values[l], 0);
    if (sum > 1000) throw new JudgingInputError(`ratios must not exceed 1000 per mille in all, got ${sum}`);
  }
  if (!['overall', 'per_track'].includes(rules.scope)) throw new JudgingInputError(`unknown scope ${String(rules.scope)}`);
  if (!['include_all', 'exclude_all', 'report_only'].includes(rules.boundaryTiePolicy)) {
    throw new JudgingInputError(`unknown boundary tie policy ${String(rules.boundaryTiePolicy)}`);
  }
}

function effectiveMinimum(rules: AllocationRules, level: AwardLevel): Score4 | null {
  const mins = AWARD_LEVELS.slice(AWARD_LEVELS.indexOf(level))
    .map((l) => rules.minimumScores?.[l])
    .filter((m): m is Score4 => m !== undefined);
  return mins.length === 0 ? null : Math.max(...mins);
}

function quotaFor(quotas: Quotas, level: AwardLevel, eligible: number): number {
  return quotas.mode === 'count' ? quotas.counts[level] : Math.floor((eligible * quotas.ratios[level]) / 1000);
}

export function allocateAwards(candidates: readonly AllocationCandidate[], rules: AllocationRules): AllocationResult {
  validateAllocationRules(rules);
  const ids = new Set<number>();
  for (let ix = 0; ix < candidates.length; ix++) {
    const c = candidates[ix];
    assertSafeInteger(c.entryId, 'entryId');
    if (!Number.isSafeInteger(c.trackId)) assertSafeInteger(c.trackId, `trackId of entry ${c.entryId}`);
    if (!Number.isSafeInteger(c.rank)) assertSafeInteger(c.rank, `rank of entry ${c.entryId}`);
    if (!Number.isSafeInteger(c.finalScore)) assertSafeInteger(c.finalScore, `final score of entry ${c.entryId}`);
    if (ids.has(c.entryId)) throw new JudgingInputError(`entry ${c.entryId} given twice`);
    ids.add(c.entryId);
  }
  const ordered = [...candidates].sort((a, b) => a.rank - b.rank || a.entryId - b.entryId);
  // A ranking is only usable if it agrees with the scores; otherwise monotonicity could not hold.
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1];
    const b = ordered[i];
    if (b.finalScore > a.finalScore || (a.rank === b.rank && a.finalScore !== b.finalScore)) {
      throw new JudgingInputError(`ranks disagree with final scores (entries ${a.entryId} and ${b.entryId})`);
    }
  }

  const scopes = new Map<string, { trackId: number | null; members: AllocationCandidate[] }>();
  for (let ix = 0; ix < ordered.length; ix++) {
    const c = ordered[ix];
    const key = rules.scope === 'overall' ? 'overall' : `track:${c.trackId}`;
    const s = scopes.get(key) ?? { trackId: rules.scope === 'overall' ? null : c.trackId, members: [] };
    s.members.push(c);
    scopes.set(key, s);
  }
  const scopeList = [...scopes.entries()].sort(([, a], [, b]) => (a.trackId ?? 0) - (b.trackId ?? 0));

  const entries: AllocationExplanation[] = [];
  const scopeReports: ScopeReport[] = [];
  const boundaryTies: BoundaryTie[] = [];

  for (const [scope, { trackId, members }] of scopeList) {
    const groups: AllocationCandidate[][] = [];
    for (let ix = 0; ix < members.length; ix++) {
      const c = members[ix];
      const last = groups[groups.length - 1];
      if (last && last[0].rank === c.rank) last.push(c);
      else groups.push([c]);
    }
    const eligible = members.length;
    const assigned = new Map<number, { level: AwardLevel; byTie: boolean }>();
    const excludedByTie = new Map<number, Set<AwardLevel>>();
    const flagged = new Set<number>();
    const levels: LevelReport[] = [];

    let g = 0;
    for (const level of AWARD_LEVELS) {
      const quota = quotaFor(rules.quotas, level, eligible);
      const minimumScore = effectiveMinimum(rules, level);
      let awarded = 0;
      let closedBy: LevelReport['closedBy'] = 'no_more_entries';
      while (g < groups.length) {
        const group = groups[g];
        if (awarded >= quota) {
          closedBy = 'quota_filled';
          break;
        }
        if (minimumScore !== null && group[0].finalScore < minimumScore) {
          closedBy = 'minimum_score';
          break;
        }
        if (awarded + group.length <= quota) {
          for (const c of group) assigned.set(c.entryId, { level, byTie: false });
          awarded += group.length;
          g++;
          continue;
        }
        // The group straddles the boundary: seats are left, but not enough for all of it.
        const policy = rules.boundaryTiePolicy;
        const seatsLeft = quota - awarded;
        closedBy = 'boundary_tie';
        boundaryTies.push({
          scope,
          level,
          policy,
          rank: group[0].rank,
          entryIds: group.map((c) => c.entryId),
          seatsLeft,
          outcome: policy === 'include_all' ? 'all_awarded' : 'fell_to_next_level',
          needsOrganizerDecision: policy === 'report_only',
        });
        if (policy === 'include_all') {
          for (const c of group) assigned.set(c.entryId, { level, byTie: true });
          awarded += group.length;
          g++;
        } else {
          for (const c of group) {
            excludedByTie.set(c.entryId, (excludedByTie.get(c.entryId) ?? new Set()).add(level));
            if (policy === 'report_only') flagged.add(c.entryId);
          }
        }
        break;
      }
      levels.push({ level, quota, awarded, exceededBy: Math.max(0, awarded - quota), minimumScore, closedBy });
    }
    scopeReports.push({ scope, trackId, eligible, levels });

    // Competition rank within the scope: members are in rank order, so a tie shares its first index.
    const scopeRanks: number[] = [];
    members.forEach((c, i) => scopeRanks.push(i > 0 && members[i - 1].rank === c.rank ? scopeRanks[i - 1] : i + 1));

    // The notes that do not depend on the entry, written once per level of the scope (thousands of
    // entries share them).
    const notes = levels.map((report) => {
      const level = report.level;
      return {
        byTie: flatString(`tie at boundary of ${level}: include_all`),
        within: flatString(`within ${level} quota`),
        excludedByTie: flatString(`tie at boundary of ${level}: ${rules.boundaryTiePolicy}`),
        noQuota: flatString(`no ${level} quota`),
        closedByTie: flatString(`${level} quota closed at a tie on its boundary`),
        filled: flatString(`${level} quota filled (${report.awarded} of ${report.quota})`),
      };
    });

    for (let index = 0; index < members.length; index++) {
      const c = members[index];
      const got = assigned.get(c.entryId);
      const trail: string[] = [];
      const notable: string[] = [];
      for (let l = 0; l < levels.length; l++) {
        const report = levels[l];
        const level = report.level;
        if (got && got.level === level) {
          const note = got.byTie ? notes[l].byTie : notes[l].within;
          trail.push(note);
          notable.push(note);
          break;
        }
        let note: string;
        if (excludedByTie.get(c.entryId)?.has(level)) {
          note = notes[l].excludedByTie;
          notable.push(note);
        } else if (report.minimumScore !== null && c.finalScore < report.minimumScore) {
          note = flatString(`below minimum score for ${level} (${formatScore4(c.finalScore)} < ${formatScore4(report.minimumScore)})`);
          notable.push(note);
        } else if (report.quota === 0) {
          note = notes[l].noQuota;
        } else if (report.closedBy === 'boundary_tie') {
          note = notes[l].closedByTie;
        } else {
          note = notes[l].filled;
        }
        trail.push(note);
      }
      if (!got) notable.push('no level: outside all quotas');
      const levelReport = got ? levels.find((l) => l.level === got.level)! : null;
      const scopeRank = scopeRanks[index];
      entries.push({
        entryId: c.entryId,
        trackId: c.trackId,
        scope,
        rank: c.rank,
        scopeRank,
        level: got?.level ?? null,
        quota: levelReport ? { level: levelReport.level, quota: levelReport.quota, awarded: levelReport.awarded } : null,
        reason: notable.join('; '),
        trail: trail.slice(), // exact length (the pushed-to array has room for 17)
        needsOrganizerDecision: flagged.has(c.entryId),
      });
    }
  }

  const totals = AWARD_LEVELS.map((level) => {
    const rows = scopeReports.map((s) => s.levels.find((l) => l.level === level)!);
    return {
      level,
      quota: rows.reduce((s, r) => s + r.quota, 0),
      awarded: rows.reduce((s, r) => s + r.awarded, 0),
      exceededBy: rows.reduce((s, r) => s + r.exceededBy, 0),
    };
  });

  return {
    entries,
    report: {
      scope: rules.scope,
      policy: rules.boundaryTiePolicy,
      quotaMode: rules.quotas.mode,
      scopes: scopeReports,
      totals,
      boundaryTies,
      quotaExceeded: totals.some((t) => t.exceededBy > 0),
      needsOrganizerDecision: boundaryTies.some((t) => t.needsOrganizerDecision),
    },
  };
}
