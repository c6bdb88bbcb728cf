import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setPhase } from '../factories/contests.js';
import { buildResultsScenario, computeResults, freezeResults, scoreAll, seedSheets, toFinalizing, type ResultsScenario, type Totals } from '../factories/results.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * The seed's year (2020): quotas 14/26/32/45 and 5 excellent units, here with 120 entries in 10 units.
 * Unit u recommended a block of consecutive entries by rank (sizes below), so the units' points are
 * 120, 80, 72, 48, 33, 39, … and the top five are units 0, 1, 2, 3 and 5 with no tie at the cut.
 */
const UNIT_SIZES = [12, 12, 12, 12, 11, 13, 12, 12, 12, 12];
const unitOf = (i: number): number => {
  let end = 0;
  for (const [u, size] of UNIT_SIZES.entries()) {
    end += size;
    if (i < end) return u;
  }
  throw new Error(`no unit for entry ${i}`);
};
/** Entry i: material 95 − 0.5·i, presentation 94 − 0.5·i (means of three experts at +0.3, 0, −0.3): all distinct. */
const totals: Totals = (i, x, stage) => (stage === 'material' ? 950 : 940) - 5 * i + [3, 0, -3][x]!;

describe(`results at the seed's scale: 14/26/32/45 and 5 units (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let base: string;
  const id = (i: number) => s.entries[i]!.id;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildResultsScenario(t, { entries: 120, experts: 3, units: 10, perEnterprise: 5, unitOf, rules: { showScoresPublicly: true } });
    await seedSheets(t, s, totals);
    await toFinalizing(t, s);
    base = `/api/contests/${s.contest.id}`;
  }, 120_000);
  afterAll(() => t.close());

  it('without ties at the boundaries: exactly 14/26/32/45 awards and 5 excellent units', async () => {
    const res = await computeResults(t, s);
    expect(res.levelCounts).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    expect(res.boundaryTies).toEqual([]);
    expect(res.unresolvedRankTies).toEqual([]);
    expect((res.excellentUnits as { unitId: number }[]).map((u) => u.unitId)).toEqual([0, 1, 2, 3, 5].map((u) => s.units[u]!.id));
    expect((res.excellentUnits as { points: number }[]).map((u) => u.points)).toEqual([120, 80, 72, 48, 39]);
    const view = await t.http().get(`${base}/results?pageSize=200`).set(auth(s.organizer)).expect(200);
    const items = view.body.ranking.items as { entryId: number; rank: number; level: string | null; decidedBy: string }[];
    expect(items.map((e) => e.entryId)).toEqual(s.entries.map((e) => e.id));
    expect(items.map((e) => e.rank)).toEqual(s.entries.map((_, i) => i + 1));
    expect(items[13]!.level).toBe('first');
    expect(items[14]!.level).toBe('second');
    expect(items.slice(117).map((e) => e.level)).toEqual([null, null, null]);
    expect(view.body.excellentUnits).toMatchObject({ topN: 5, selectedCount: 5, tieAtCutoff: null });
  });

  it("with a tie at the first-level boundary the contest's policy (include_all) awards the whole group and reports it", async () => {
    // Test set-up: entry 15 gets exactly entry 14's sheets, so they are equal on every tie-break step.
    const rows = (await t.dataSource.query('SELECT expert_id, stage, total FROM score_sheets WHERE entry_id = ?', [id(13)])) as { expert_id: number; stage: string; total: number }[];
    for (const r of rows) await t.dataSource.query('UPDATE score_sheets SET total = ? WHERE entry_id = ? AND expert_id = ? AND stage = ?', [r.total, id(14), r.expert_id, r.stage]);
    const res = await computeResults(t, s);
    expect(res.levelCounts).toEqual({ first: 15, second: 26, third: 32, excellence: 45 });
    expect(res.quotas).toEqual([
      { level: 'first', quota: 14, awarded: 15, exceededBy: 1 },
      { level: 'second', quota: 26, awarded: 26, exceededBy: 0 },
      { level: 'third', quota: 32, awarded: 32, exceededBy: 0 },
      { level: 'excellence', quota: 45, awarded: 45, exceededBy: 0 },
    ]);
    expect(res.boundaryTies).toEqual([
      { scope: 'overall', level: 'first', policy: 'include_all', rank: 14, entryIds: [id(13), id(14)].sort((a, b) => a - b), seatsLeft: 1, outcome: 'all_awarded', needsOrganizerDecision: false, settledByAdjustment: false },
    ]);
    expect(res.unresolvedTieCount).toBe(0);
    const view = await t.http().get(`${base}/results?pageSize=20`).set(auth(s.organizer)).expect(200);
    const tied = view.body.ranking.items.filter((e: { rank: number }) => e.rank === 14);
    expect(tied.map((e: { decidedBy: string; level: string; levelReason: string }) => [e.decidedBy, e.level, e.levelReason])).toEqual([
      ['unresolved_tie', 'first', 'tie at boundary of first: include_all'],
      ['unresolved_tie', 'first', 'tie at boundary of first: include_all'],
    ]);
  });

  it("the organizer's recorded order settles the tie: back to 14/26/32/45", async () => {
    const res = await computeResults(t, s, { tieBreakOrder: [id(14), id(13)], reason: '组委会决定：第15项现场答辩更佳' });
    expect(res.levelCounts).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    expect(res.boundaryTies).toEqual([]);
    const view = await t.http().get(`${base}/results?pageSize=20`).set(auth(s.organizer)).expect(200);
    const at = (entryId: number) => view.body.ranking.items.find((e: { entryId: number }) => e.entryId === entryId);
    expect(at(id(14))).toMatchObject({ rank: 14, decidedBy: 'organizer_decision', level: 'first' });
    expect(at(id(13))).toMatchObject({ rank: 15, decidedBy: 'organizer_decision', level: 'second' });
    expect(view.body.tieBreakOrder).toEqual([id(14), id(13)]);
  });

  it('during the notice the public list carries the scores (2 decimals) when the contest shows them', async () => {
    await freezeResults(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
    const res = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    expect(Object.fromEntries(Object.entries(res.body.levels as Record<string, unknown[]>).map(([l, xs]) => [l, xs.length]))).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    // Entry 1: 0.6 × 95 + 0.4 × 94 = 94.6
    expect(res.body.levels.first[0]).toMatchObject({ seq: 1, entryId: id(0), score: '94.60' });
    for (const e of Object.values(res.body.levels as Record<string, { score: string }[]>).flat()) expect(e.score).toMatch(/^\d{2}\.\d{2}$/);
    expect(res.body.excellentUnits.map((u: { place: number }) => u.place)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe(`results: a boundary tie needing the organizer's decision (report_only) (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildResultsScenario(t, {
      entries: 5,
      experts: 3,
      rules: { boundaryTiePolicy: 'report_only', quotas: { mode: 'count', scope: 'overall', counts: { first: 2, second: 2, third: 0, excellence: 1 } } },
    });
    // Entries 1 and 2 have identical sheets: a tie for the last first-level seat.
    await scoreAll(t, s, (i, x, stage) => [900, 850, 850, 800, 750][i]! + (stage === 'material' ? 0 : 5) + [2, 0, -2][x]!);
    await toFinalizing(t, s);
    base = `/api/contests/${s.contest.id}`;
  }, 120_000);
  afterAll(() => t.close());

  it('leaves the seat empty, flags the tie, and blocks freezing and the notice until the organizer decides', async () => {
    const res = await computeResults(t, s);
    expect(res.levelCounts).toEqual({ first: 1, second: 2, third: 0, excellence: 1 });
    expect(res.boundaryTies).toEqual([expect.objectContaining({ level: 'first', policy: 'report_only', seatsLeft: 1, outcome: 'fell_to_next_level', needsOrganizerDecision: true, settledByAdjustment: false })]);
    expect(res.unresolvedTieCount).toBe(1);
    const freeze = await t.http().post(`${base}/results/freeze`).set(auth(s.organizer)).expect(409);
    expectErrorBody(freeze.body, 409, 'ties_unresolved');
    const phase = await t.http().post(`${base}/phase`).set(auth(s.organizer)).send({ to: 'notice' }).expect(409);
    expect(phase.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['results_not_frozen', 'ties_unresolved']);
  });

  it('an adjustment with a reason settles it; then the result freezes and the notice opens', async () => {
    const adj = await t.http().post(`${base}/results/adjustments`).set(auth(s.organizer)).send({ entryId: s.entries[1]!.id, level: 'first', reason: '组委会评议：该项目创新性更强' }).expect(201);
    expect(adj.body).toMatchObject({ unresolvedTieCount: 0, levelCounts: { first: 2, second: 1 }, computedLevelCounts: { first: 1, second: 2 } });
    await freezeResults(t, s);
    const c = await setPhase(t, s.organizer, s.contest.id, 'notice');
    expect(c.phase).toBe('notice');
    const list = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    expect(list.body.levels.first.map((e: { entryId: number }) => e.entryId)).toEqual([s.entries[0]!.id, s.entries[1]!.id]);
  });
});
