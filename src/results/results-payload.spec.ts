import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultRules, type ContestRules } from '../contests/contest-rules.js';
import { toAwardList } from './award-list-builder.js';
import { canonicalHash, canonicalJson } from './canonical-json.js';
import { buildPayload, expandEntry, formatPoints, PAYLOAD_FORMAT, payloadFormat, formatTenths, toCoreRules, type AdjustmentFact, type EntryFacts, type ResultsInputFacts, type SheetColumns, type SheetFact } from './results-payload.js';
import { diffPayloads } from './payload-diff.js';

function entry(id: number, unitId: number, over: Partial<EntryFacts> = {}): EntryFacts {
  return {
    entryId: id,
    title: `降低焊接缺陷率 🔧 ${id}`,
    enterpriseId: 1000 + id,
    enterpriseName: `滨海精密制造有限公司${id}`,
    teamName: `精益QC小组${id}`,
    unitId,
    unitName: `推荐单位${unitId}`,
    trackId: 1,
    trackName: '制造类',
    panelId: 7,
    panelName: '第一评审组',
    participation: 'judged',
    ...over,
  };
}

/** Five experts per stage; entry i's marks are base+0..40 (trimmed mean base+20). */
function sheetsFor(id: number, material: number, presentation: number): SheetFact[] {
  const out: SheetFact[] = [];
  for (let k = 0; k < 5; k++) {
    out.push({ entryId: id, expertId: k + 1, stage: 'material', total: material + 10 * k });
    out.push({ entryId: id, expertId: k + 1, stage: 'presentation', total: presentation + 10 * k });
  }
  return out;
}

/** The seed's year: 120 distinct entries (units 1–5 recommended the 50 best), plus one absent, one withdrawn. */
function seedFacts(rules: ContestRules = defaultRules()): ResultsInputFacts & { sheets: SheetFact[] } {
  const entries: EntryFacts[] = [];
  const sheets: SheetFact[] = [];
  for (let i = 1; i <= 120; i++) {
    const rank = 121 - i;
    entries.push(entry(i, rank <= 50 ? ((rank - 1) % 5) + 1 : (rank % 10) + 6));
    sheets.push(...sheetsFor(i, 500 + 3 * i, 500 + 2 * i));
  }
  entries.push(entry(121, 1, { participation: 'absent' }), entry(122, 2, { participation: 'withdrawn' }));
  return { contestId: 3, rules, entries, sheets };
}

const adj = (id: number, entryId: number, level: AdjustmentFact['level'], reason = '专家组复议 ✅'): AdjustmentFact => ({
  id, entryId, level, reason, createdBy: 9, createdAt: '2020-10-20T08:00:00.000Z',
});

describe('toCoreRules', () => {
  it('maps the contest rules to the judging core (minimum scores points → Score4)', () => {
    const rules = defaultRules();
    rules.minScores = { first: 90, second: null, third: 60, excellence: null };
    rules.quotas = { mode: 'ratio', scope: 'per_track', ratios: { first: 100, second: 200, third: 300, excellence: 100 } };
    expect(toCoreRules(rules, [5, 3])).toEqual({
      aggregationMethod: 'trimmed_mean',
      trimMinSheets: 5,
      normalizeByJudge: false,
      weights: { material: 60, presentation: 40 },
      quotas: { mode: 'ratio', ratios: { first: 100, second: 200, third: 300, excellence: 100 } },
      scope: 'per_track',
      minimumScores: { first: 900000, third: 600000 },
      boundaryTiePolicy: 'include_all',
      excellentUnits: { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: 5 },
      tieBreakOrder: [5, 3],
    });
  });
});

describe('buildPayload', () => {
  it('the seed year: exactly 14/26/32/45 and 5 units; absent and withdrawn listed unranked with the reason', () => {
    const p = buildPayload(seedFacts());
    expect(p.levelCounts).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    expect(p.computedLevelCounts).toEqual(p.levelCounts);
    expect(p.excellentUnits.selectedCount).toBe(5);
    expect(p.excellentUnits.units.filter((u) => u.selected).map((u) => u.unitName).sort()).toEqual(['推荐单位1', '推荐单位2', '推荐单位3', '推荐单位4', '推荐单位5']);
    expect(p.boundaryTies).toEqual([]);
    expect(p.unresolvedTieCount).toBe(0);
    expect(p.entries).toHaveLength(122);
    expect(p.entries.filter((e) => e.ranked && e.level === null).map((e) => e.entryId)).toEqual([3, 2, 1]);
    expect(p.entries[0]).toMatchObject({ entryId: 120, rank: 1, decidedBy: 'final_score', computedLevel: 'first', level: 'first', adjustmentId: null, title: '降低焊接缺陷率 🔧 120' });
    expect(p.entries[0].stages.material).toEqual({ requestedMethod: 'trimmed_mean', trimMinSheets: 5, value: expect.any(Number), pairs: expect.any(Array) });
    expect(expandEntry(p.entries[0]).stages.material).toMatchObject({ method: 'trimmed_mean', count: 5, used: [2, 3, 4] });
    expect(expandEntry(p.entries[0]).stages.material!.dropped.map((d) => [d.expertId, d.why])).toEqual([[5, 'highest'], [1, 'lowest']]);
    expect(p.entries.slice(-2).map((e) => [e.entryId, e.participation, e.rank, e.level])).toEqual([[121, 'absent', null, null], [122, 'withdrawn', null, null]]);
    expect(p.unranked).toEqual([
      { entryId: 121, reason: 'not ranked: absent from the on-site presentation' },
      { entryId: 122, reason: 'not ranked: withdrawn' },
    ]);
  });

  it('applies the latest adjustment per entry, keeps the computed level, and recomputes the excellent units', () => {
    const facts = seedFacts();
    const base = buildPayload(facts);
    const last = base.entries.find((e) => e.rank === 120)!;
    expect(last.computedLevel).toBeNull();
    const p = buildPayload(facts, { adjustments: [adj(2, last.entryId, 'first', '异议成立'), adj(1, last.entryId, 'third'), adj(3, 121, 'first')] });
    const e = p.entries.find((x) => x.entryId === last.entryId)!;
    expect(e).toMatchObject({ computedLevel: null, level: 'first', adjustmentId: 2 });
    expect(p.levelCounts).toEqual({ first: 15, second: 26, third: 32, excellence: 45 });
    expect(p.computedLevelCounts).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    expect(p.adjustments.map((a) => [a.id, a.applied])).toEqual([[1, false], [2, true], [3, false]]);
    // The absent entry's adjustment is listed but not applied.
    expect(p.entries.find((x) => x.entryId === 121)!.level).toBeNull();
    const unit = p.excellentUnits.units.find((u) => u.unitId === last.unitId)!;
    const before = base.excellentUnits.units.find((u) => u.unitId === last.unitId)!;
    expect(unit.points).toBe(before.points + 10);
  });

  it('reports a report_only boundary tie until the organizer decides by adjustment or by a recorded order', () => {
    const rules = defaultRules();
    rules.boundaryTiePolicy = 'report_only';
    rules.quotas = { mode: 'count', scope: 'overall', counts: { first: 1, second: 1, third: 0, excellence: 0 } };
    const facts: ResultsInputFacts = {
      contestId: 1,
      rules,
      entries: [entry(1, 1), entry(2, 2), entry(3, 3)],
      sheets: [...sheetsFor(1, 900, 900), ...sheetsFor(2, 800, 800), ...sheetsFor(3, 800, 800)],
    };
    const p = buildPayload(facts);
    expect(p.boundaryTies).toHaveLength(1);
    expect(p.boundaryTies[0]).toMatchObject({ level: 'second', entryIds: [2, 3], needsOrganizerDecision: true, settledByAdjustment: false });
    expect(p.unresolvedTieCount).toBe(1);
    expect(p.entries.filter((e) => e.needsOrganizerDecision).map((e) => e.entryId)).toEqual([2, 3]);

    const adjusted = buildPayload(facts, { adjustments: [adj(1, 3, 'second', '现场答辩更佳')] });
    expect(adjusted.unresolvedTieCount).toBe(0);
    expect(adjusted.entries.find((e) => e.entryId === 3)!.level).toBe('second');

    const ordered = buildPayload(facts, { tieBreakOrder: [3, 2] });
    expect(ordered.boundaryTies).toEqual([]);
    expect(ordered.entries.map((e) => [e.entryId, e.rank, e.decidedBy, e.level])).toEqual([
      [1, 1, 'final_score', 'first'],
      [3, 2, 'organizer_decision', 'second'],
      [2, 3, 'organizer_decision', null],
    ]);
  });

  it('does not depend on the order of its inputs (same hash)', () => {
    const facts = seedFacts();
    const hash = canonicalHash(buildPayload(facts, { adjustments: [adj(1, 5, 'third'), adj(2, 9, null)] }));
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: facts.sheets.length + facts.entries.length, maxLength: facts.sheets.length + facts.entries.length }), (keys) => {
        const shuffle = <T>(xs: T[], offset: number) => xs.map((x, i) => [keys[i + offset], x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
        const shuffled = { ...facts, sheets: shuffle(facts.sheets, 0), entries: shuffle(facts.entries, facts.sheets.length) };
        expect(canonicalHash(buildPayload(shuffled, { adjustments: [adj(2, 9, null), adj(1, 5, 'third')] }))).toBe(hash);
      }),
      { numRuns: 10 },
    );
  });

  it('gives the same payload for the sheets as columns (what the loader gives) as for the list', () => {
    const facts = seedFacts();
    const columns = (sheets: SheetFact[]): SheetColumns => {
      const of = (stage: SheetFact['stage']) => {
        const list = sheets.filter((s) => s.stage === stage);
        return { entryId: Float64Array.from(list, (s) => s.entryId), expertId: Float64Array.from(list, (s) => s.expertId), total: Float64Array.from(list, (s) => s.total) };
      };
      return { material: of('material'), presentation: of('presentation') };
    };
    const options = { tieBreakOrder: [3, 1], adjustments: [adj(1, 5, 'third'), adj(2, 9, null)] };
    const fromList = buildPayload(facts, options);
    expect(canonicalJson(buildPayload({ ...facts, sheets: columns(facts.sheets) }, options))).toBe(canonicalJson(fromList));
    // Sheets of entries that are not judged (absent, withdrawn, unknown) are left out in both forms.
    const extra: SheetFact[] = [...facts.sheets, ...sheetsFor(121, 800, 800), ...sheetsFor(122, 800, 800), ...sheetsFor(999, 800, 800)];
    expect(canonicalJson(buildPayload({ ...facts, sheets: columns(extra) }, options))).toBe(canonicalJson(buildPayload({ ...facts, sheets: extra }, options)));
    expect(canonicalHash(buildPayload({ ...facts, sheets: columns(extra) }, options))).toBe(canonicalHash(fromList));
  });

  it('is plain JSON: a JSON round trip keeps the hash', () => {
    const p = buildPayload(seedFacts(), { adjustments: [adj(1, 5, 'third')] });
    expect(canonicalHash(JSON.parse(JSON.stringify(p)))).toBe(canonicalHash(p));
  });
});

describe('payload formats', () => {
  const median = () => {
    const r = defaultRules();
    r.aggregation = { ...r.aggregation, method: 'median' };
    return r;
  };
  const normalised = () => {
    const r = defaultRules();
    r.aggregation = { ...r.aggregation, normalizeByJudge: true };
    return r;
  };

  it('format 1 is still exactly what it was: the hashes of the code before format 2 (2c61569)', () => {
    const options = { tieBreakOrder: [3, 1], adjustments: [adj(1, 5, 'third'), adj(2, 9, null)] };
    expect(canonicalHash(buildPayload(seedFacts(), { ...options, format: 1 }))).toBe('f192994576f2411971bc6e39253c9a7cfc445ea5421b5340192756f61b03b840');
    expect(canonicalHash(buildPayload(seedFacts(median()), { format: 1 }))).toBe('45df2e19411f88c856845b202ab25bc812ab34a343f5288e73480ab7aa2ff31d');
    expect(canonicalHash(buildPayload(seedFacts(normalised()), { format: 1 }))).toBe('eea5763fd32757badcb5268e17e67c86524adee681b7fb4d4212bd23cbd0acf3');
    expect(buildPayload(seedFacts(), { format: 1 }).format).toBe(1);
  });

  it('new payloads are format 2; read back (expandEntry) their entries are format 1\'s, the rest is the same', () => {
    for (const rules of [defaultRules(), median(), normalised()]) {
      const options = { tieBreakOrder: [3, 1], adjustments: [adj(1, 5, 'third'), adj(2, 9, null)] };
      const one = buildPayload(seedFacts(rules), { ...options, format: 1 });
      const two = buildPayload(seedFacts(rules), options);
      expect(two.format).toBe(PAYLOAD_FORMAT);
      expect(PAYLOAD_FORMAT).toBe(2);
      const { entries: e1, format: _f1, ...rest1 } = one;
      const { entries: e2, format: _f2, ...rest2 } = two;
      expect(rest2).toEqual(rest1);
      // Through JSON, as the entries are stored and read.
      expect(e2.map((e) => expandEntry(JSON.parse(JSON.stringify(e))))).toEqual(e1);
      expect(canonicalHash(two)).not.toBe(canonicalHash(one));
      // Normalised stages stay full in format 2; raw ones are compact (and much smaller).
      const stage = e2[0].stages.material!;
      expect('pairs' in stage).toBe(!rules.aggregation.normalizeByJudge);
      if (!rules.aggregation.normalizeByJudge) expect(canonicalJson(e2).length).toBeLessThan(canonicalJson(e1).length * 0.7);
    }
  });

  it('format 2 is a pure function of the facts too (shuffled inputs, columns: same hash)', () => {
    const facts = seedFacts();
    const hash = canonicalHash(buildPayload(facts));
    const reversed = { ...facts, sheets: [...facts.sheets].reverse(), entries: [...facts.entries].reverse() };
    expect(canonicalHash(buildPayload(reversed))).toBe(hash);
    expect(canonicalHash(JSON.parse(JSON.stringify(buildPayload(facts))))).toBe(hash);
  });

  it('payloadFormat: 2 only when a payload says so; an unknown format is refused when building', () => {
    expect(payloadFormat({ format: 2 })).toBe(2);
    expect(payloadFormat({ format: 1 })).toBe(1);
    expect(payloadFormat(null)).toBe(1);
    expect(payloadFormat({})).toBe(1);
    expect(() => buildPayload(seedFacts(), { format: 3 as 1 })).toThrow(/unknown payload format 3/);
  });
});

describe('diffPayloads', () => {
  it('names the sections and the entries that differ after a sheet changed', () => {
    const facts = seedFacts();
    const stored = buildPayload(facts);
    const changed = { ...facts, sheets: facts.sheets.map((s) => (s.entryId === 60 && s.expertId === 3 && s.stage === 'material' ? { ...s, total: s.total + 5 } : s)) };
    const d = diffPayloads(stored, buildPayload(changed), canonicalJson);
    // Its neighbours' explanations name its score, so they differ too.
    expect(d.entryCount).toBe(3);
    expect(d.entries.map((e) => e.entryId)).toEqual([59, 60, 61]);
    expect(d.entries[1]).toMatchObject({ entryId: 60, fields: ['finalScore', 'finalScoreExplanation', 'rankReason', 'stages', 'untrimmedSum'] });
    expect(d.entries[1].stored.material).not.toBe(d.entries[1].recomputed.material);
    expect(d.entries[0].fields).toEqual(['rankReason']);
    expect(diffPayloads(stored, buildPayload(facts), canonicalJson)).toEqual({ sections: [], entries: [], entryCount: 0 });
  });
});

describe('formatting', () => {
  it('formats Score4 as points, rounding half up', () => {
    expect(formatPoints(912500)).toBe('91.2500');
    expect(formatPoints(912500, 2)).toBe('91.25');
    expect(formatPoints(912550, 2)).toBe('91.26');
    expect(formatPoints(912549, 2)).toBe('91.25');
    expect(formatPoints(5, 2)).toBe('0.00');
    expect(formatPoints(50, 2)).toBe('0.01');
    expect(formatPoints(1000000, 0)).toBe('100');
    expect(formatPoints(-12345)).toBe('-1.2345');
    expect(formatTenths(855)).toBe('85.5');
    expect(formatTenths(850)).toBe('85.0');
  });
});

describe('toAwardList', () => {
  const meta = {
    contest: { id: 3, name: '2020年滨海新区质量攻关活动', year: 2020, theme: '质量月 🏅' },
    status: 'notice' as const,
    version: 1,
    hash: 'ab'.repeat(32),
    noticeEndsAt: new Date('2020-10-27T00:00:00Z'),
    publishedAt: null,
  };

  it('groups awarded entries by level in rank order with 序号, units by place, scores only when asked', () => {
    const p = buildPayload(seedFacts(), { adjustments: [adj(1, 1, 'excellence', '补充')] });
    const list = toAwardList(p, meta, false);
    expect(Object.fromEntries(Object.entries(list.levels).map(([l, xs]) => [l, xs.length]))).toEqual({ first: 14, second: 26, third: 32, excellence: 46 });
    expect(list.levels.first[0]).toEqual({
      seq: 1, entryId: 120, title: '降低焊接缺陷率 🔧 120', enterpriseName: '滨海精密制造有限公司120', teamName: '精益QC小组120', unitName: '推荐单位1', trackName: '制造类', level: 'first', score: null,
    });
    expect(list.levels.first.map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // The adjusted-in entry (ranked last) closes its level.
    expect(list.levels.excellence.at(-1)).toMatchObject({ entryId: 1, seq: 46, level: 'excellence' });
    expect(list.excellentUnits).toHaveLength(5);
    expect(list.excellentUnits[0]).toMatchObject({ place: 1 });
    expect(list).toMatchObject({ status: 'notice', version: 1, noticeEndsAt: '2020-10-27T00:00:00.000Z', publishedAt: null, contest: meta.contest });
    const text = JSON.stringify(list);
    expect(text).not.toMatch(/expertId|marks|dropped|rankReason/);
    expect(text).not.toContain('"entryId":121');
    expect(text).not.toContain('"entryId":2,');

    const scored = toAwardList(p, meta, true);
    expect(scored.levels.first[0].score).toMatch(/^\d+\.\d{2}$/);
    expect(scored.levels.first[0].score).toBe(formatPoints(p.entries[0].finalScore!, 2));
  });
});
