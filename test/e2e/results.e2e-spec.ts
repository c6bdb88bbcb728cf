import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setPhase } from '../factories/contests.js';
import { buildResultsScenario, endNotice, scoreAll, toFinalizing, type ResultsScenario } from '../factories/results.js';
import type { Stage } from '../factories/scoring.js';
import { verifyCommand } from '../../src/results/verify-command.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Per entry (by index) the trimmed mean of each stage, in tenths: every expert marks it at that value
 * plus an offset (+4, +2, 0, −2, −4 for experts 0..4), so expert 0 is dropped as the highest and
 * expert 4 as the lowest, and the mean of the other three is the base exactly.
 * Entries 1 and 2 tie on the final score (0.6·80 + 0.4·90 = 0.6·85 + 0.4·82.5 = 84): the
 * presentation score puts entry 1 first. Entry 7 is absent.
 */
const BASE: Record<Stage, number>[] = [
  { material: 900, presentation: 900 },
  { material: 800, presentation: 900 },
  { material: 850, presentation: 825 },
  { material: 800, presentation: 800 },
  { material: 780, presentation: 780 },
  { material: 760, presentation: 760 },
  { material: 700, presentation: 700 },
  { material: 650, presentation: 650 },
];
const OFFSETS = [4, 2, 0, -2, -4];

interface StageView { score: string; reason: string; marks: unknown[]; dropped: unknown[] }
interface Explained {
  entryId: number;
  rank: number | null;
  computedLevel: string | null;
  rankReason: string;
  levelReason: string;
  finalScoreExplanation: string;
  stages: { material: StageView; presentation: StageView };
}

describe(`results: from scored sheets to a published list (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let org: string;
  let base: string;
  let hashV1: string;
  let objectionId: number;
  const entry = (i: number) => s.entries[i]!;
  const lastEvent = async (entryId: number) => {
    const events = (await t.http().get(`/api/entries/${entryId}/events`).set(auth(org)).expect(200)).body;
    const items = (events.items ?? events) as Record<string, unknown>[];
    return items[items.length - 1];
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildResultsScenario(t, {
      entries: 8,
      experts: 5,
      absent: 1,
      units: 2,
      rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 2, third: 2, excellence: 1 } }, excellentUnits: { topN: 1 } },
      title: (i) => (i === 0 ? '降低焊接缺陷率 🔧 “一次合格”' : `提高产品一次交检合格率 第${i + 1}项`),
    });
    await scoreAll(t, s, (i, x, stage) => BASE[i]![stage] + OFFSETS[x]!);
    org = s.organizer;
    base = `/api/contests/${s.contest.id}`;
  }, 120_000);
  afterAll(() => t.close());

  it('refuses to compute outside the finalizing phase', async () => {
    const res = await t.http().post(`${base}/results/compute`).set(auth(org)).send({}).expect(409);
    expectErrorBody(res.body, 409, 'wrong_phase');
    await toFinalizing(t, s);
  });

  it('refuses to compute while an assigned sheet is not submitted, and writes nothing', async () => {
    const [sheet] = (await t.dataSource.query('SELECT id FROM score_sheets WHERE entry_id = ? AND expert_id = ? AND stage = ?', [entry(3).id, s.experts[2]!.id, 'presentation'])) as { id: number }[];
    // Test set-up: in finalizing no sheet can be reopened through the API any more.
    await t.dataSource.query("UPDATE score_sheets SET status = 'draft' WHERE id = ?", [sheet!.id]);
    const res = await t.http().post(`${base}/results/compute`).set(auth(org)).send({}).expect(409);
    expectErrorBody(res.body, 409, 'sheets_missing');
    expect(res.body.details).toEqual({ count: 1, sheets: [{ entryId: entry(3).id, expertId: s.experts[2]!.id, stage: 'presentation', status: 'draft' }] });
    expectErrorBody((await t.http().get(`${base}/results`).set(auth(org)).expect(404)).body, 404, 'results_not_computed');
    await t.dataSource.query("UPDATE score_sheets SET status = 'submitted' WHERE id = ?", [sheet!.id]);
  });

  it('names an assigned sheet that does not exist as not started; a sheet of an entry absent from judging counts for nothing', async () => {
    const [sheet] = (await t.dataSource.query('SELECT id FROM score_sheets WHERE entry_id = ? AND expert_id = ? AND stage = ?', [entry(3).id, s.experts[2]!.id, 'presentation'])) as { id: number }[];
    // Test set-up: the sheet moved to the absent entry (which has none): entry 3 lacks it, and the
    // absent entry's sheet is neither counted nor missing.
    await t.dataSource.query('UPDATE score_sheets SET entry_id = ? WHERE id = ?', [entry(7).id, sheet!.id]);
    const res = await t.http().post(`${base}/results/compute`).set(auth(org)).send({}).expect(409);
    expectErrorBody(res.body, 409, 'sheets_missing');
    expect(res.body.details).toEqual({ count: 1, sheets: [{ entryId: entry(3).id, expertId: s.experts[2]!.id, stage: 'presentation', status: 'not_started' }] });
    await t.dataSource.query('UPDATE score_sheets SET entry_id = ? WHERE id = ?', [entry(3).id, sheet!.id]);
  });

  it('validates the computation request', async () => {
    const bad = await t.http().post(`${base}/results/compute`).set(auth(org)).send({ tieBreakOrder: ['x', 1, 1], reason: '', extra: true }).expect(400);
    expectErrorBody(bad.body, 400, 'validation_failed');
    const byField = Object.fromEntries(bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(byField).toMatchObject({ tieBreakOrder: expect.any(String), reason: 'matches', extra: 'unknown_field' });
    const unknown = await t.http().post(`${base}/results/compute`).set(auth(org)).send({ tieBreakOrder: [entry(1).id, 99999999] }).expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'tieBreakOrder', code: 'unknown_entry', message: expect.stringContaining('99999999') }]);
    // The absent entry is not judged either.
    await t.http().post(`${base}/results/compute`).set(auth(org)).send({ tieBreakOrder: [entry(7).id] }).expect(400);
    await t.http().get(`${base}/results`).set(auth(org)).expect(404);
  });

  it('computes from the raw sheets', async () => {
    const res = await t.http().post(`${base}/results/compute`).set(auth(org)).send({ reason: '首次汇总 📊' }).expect(200);
    expect(res.body).toMatchObject({
      snapshot: { version: 1, status: 'computed', reason: '首次汇总 📊', frozenAt: null, publishedAt: null },
      entryCount: 8,
      rankedCount: 7,
      levelCounts: { first: 1, second: 2, third: 2, excellence: 1 },
      computedLevelCounts: { first: 1, second: 2, third: 2, excellence: 1 },
      boundaryTies: [],
      unresolvedTieCount: 0,
      unranked: [{ entryId: entry(7).id, reason: 'not ranked: absent from the on-site presentation' }],
      excellentUnits: [{ place: 1, unitId: s.units[0]!.id, unitName: s.units[0]!.name, points: 25 }],
    });
    expect(res.body.snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.quotas).toEqual([
      { level: 'first', quota: 1, awarded: 1, exceededBy: 0 },
      { level: 'second', quota: 2, awarded: 2, exceededBy: 0 },
      { level: 'third', quota: 2, awarded: 2, exceededBy: 0 },
      { level: 'excellence', quota: 1, awarded: 1, exceededBy: 0 },
    ]);
    // The same sheets give the same hash: recomputing replaces the computed snapshot in place.
    const again = await t.http().post(`${base}/results/compute`).set(auth(org)).send({}).expect(200);
    expect(again.body.snapshot).toMatchObject({ id: res.body.snapshot.id, version: 1, hash: res.body.snapshot.hash, reason: null });
  });

  it('serialises concurrent computations into the one computed snapshot', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => t.http().post(`${base}/results/compute`).set(auth(org)).send({})));
    expect(all.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(all.map((r) => r.body.snapshot.hash)).size).toBe(1);
    const rows = (await t.dataSource.query('SELECT version, status FROM result_snapshots WHERE contest_id = ?', [s.contest.id])) as { version: number; status: string }[];
    expect(rows.map((r) => [Number(r.version), r.status])).toEqual([[1, 'computed']]);
  });

  it('explains every entry: marks with experts, dropped marks, method, stage scores, final score, rank and tie-break', async () => {
    const res = await t.http().get(`${base}/results?pageSize=200`).set(auth(org)).expect(200);
    const r = res.body;
    expect(r.ranking).toMatchObject({ total: 8, page: 1, pageSize: 200 });
    const items = r.ranking.items as Explained[];
    expect(items.map((e) => [e.entryId, e.rank, e.computedLevel])).toEqual([
      [entry(0).id, 1, 'first'],
      [entry(1).id, 2, 'second'],
      [entry(2).id, 3, 'second'],
      [entry(3).id, 4, 'third'],
      [entry(4).id, 5, 'third'],
      [entry(5).id, 6, 'excellence'],
      [entry(6).id, 7, null],
      [entry(7).id, null, null],
    ]);
    const best = items[0]!;
    expect(best).toMatchObject({
      title: '降低焊接缺陷率 🔧 “一次合格”',
      enterpriseName: s.enterprises[0]!.name,
      teamName: entry(0).teamName,
      unitName: s.units[0]!.name,
      trackName: s.track.name,
      finalScore: '90.0000',
      decidedBy: 'final_score',
      level: 'first',
      adjusted: false,
      adjustment: null,
      participation: 'judged',
    });
    const material = best.stages.material;
    expect(material).toMatchObject({ method: 'trimmed_mean', requestedMethod: 'trimmed_mean', score: '90.0000', count: 5, normalized: false });
    expect(material.marks).toEqual(
      s.experts.map((x, k) => ({
        expertId: x.id,
        expertName: `评审专家 ${s.contest.name.match(/结果(\d+)/)![1]}-${k + 1}`,
        points: ((900 + OFFSETS[k]!) / 10).toFixed(1),
        status: k === 0 ? 'dropped_highest' : k === 4 ? 'dropped_lowest' : 'used',
      })),
    );
    expect(material.dropped).toEqual([
      { expertId: s.experts[0]!.id, expertName: expect.any(String), points: '90.4', why: 'highest' },
      { expertId: s.experts[4]!.id, expertName: expect.any(String), points: '89.6', why: 'lowest' },
    ]);
    expect(material.reason).toContain('trimmed mean');
    expect(best.finalScoreExplanation).toBe('material 90 × 60% + presentation 90 × 40% = 90 (rounded half-up to 0.0001)');
    // The same steps in Chinese, one sentence each, for every client to show.
    const zh = (e: Explained) => (e as unknown as { explanationZh: { code: string; text: string }[] }).explanationZh;
    expect(zh(best).map((x) => x.code)).toEqual(['stage_score', 'stage_score', 'final_score', 'rank', 'level_within_quota']);
    expect(zh(best)[0]!.text).toBe('材料评审：5 位专家评分，去掉一个最高分和一个最低分后取平均，得 90.0000 分。');
    expect(zh(best)[2]!.text).toBe('最终得分 = 材料评审 90.0000 × 60% + 现场发表 90.0000 × 40% = 90.0000 分（四舍五入到 0.0001）。');
    expect(zh(best)[4]!.text).toMatch(/^一等奖：在名额内（(全部成果|本分组)共 1 个名额），获得一等奖。$/);
    expect(zh(items[1]!)[3]!.text).toBe('排名第 2 名，与相邻成果的先后由现场发表得分决定。');
    expect(zh(items[6]!).at(-1)!.text).toBe('不在任何等级的名额内，未获奖。');
    expect(zh(items[7]!)).toEqual([{ code: 'not_ranked_absent', params: {}, text: '未参加现场发表（缺席），不参加排名和评奖。' }]);
    // Equal final scores: the presentation score decides.
    expect(items[1]).toMatchObject({ finalScore: '84.0000', decidedBy: 'presentation_score' });
    expect(items[2]).toMatchObject({ finalScore: '84.0000', decidedBy: 'presentation_score' });
    expect(items[1]!.rankReason).toContain('presentation_score');
    expect(items[1]!.stages.presentation.score).toBe('90.0000');
    expect(items[2]!.stages.presentation.score).toBe('82.5000');
    expect(items[6]!.levelReason).toContain('no level');
    expect(items[7]).toMatchObject({ participation: 'absent', finalScore: null, stages: { material: null, presentation: null }, rankReason: 'not ranked: absent from the on-site presentation' });
    expect(r.allocation.totals.map((x: { quota: number; awarded: number }) => [x.quota, x.awarded])).toEqual([[1, 1], [2, 2], [2, 2], [1, 1]]);
    expect(r.excellentUnits.units[0]).toMatchObject({ unitId: s.units[0]!.id, place: 1, selected: true, points: 25 });
    expect(r.unranked).toEqual([{ entryId: entry(7).id, title: entry(7).title, reason: 'not ranked: absent from the on-site presentation' }]);
    expect(r.snapshot.status).toBe('computed');
    // Paging through the ranking.
    const page2 = await t.http().get(`${base}/results?page=2&pageSize=3`).set(auth(org)).expect(200);
    expect(page2.body.ranking.items.map((e: { entryId: number }) => e.entryId)).toEqual([entry(3).id, entry(4).id, entry(5).id]);
    const bad = await t.http().get(`${base}/results?pageSize=abc&version=0`).set(auth(org)).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['pageSize', 'version']);
  });

  it('reports the panel quality', async () => {
    const res = await t.http().get(`${base}/results/quality`).set(auth(org)).expect(200);
    expect(res.body.panels).toHaveLength(2);
    const material = res.body.panels.find((p: { stage: string }) => p.stage === 'material');
    expect(material).toMatchObject({ panel: `panel:${s.panel.id}`, panelName: expect.stringContaining('第一评审组') });
    expect(material.kendallW).toBe(1);
    expect(material.experts).toHaveLength(5);
    expect(material.experts[0]).toMatchObject({ expertId: s.experts[0]!.id, count: 7, meanDeviation: '0.4000', droppedHighest: 7, droppedLowest: 0, droppedShare: 1 });
    expect(material.entries[0]).toMatchObject({ entryId: entry(0).id, title: entry(0).title, count: 5, disagreement: '0.8' });
  });

  it('adjusts a level with a reason; the computed level stays visible', async () => {
    const missing = await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(6).id, level: 'gold', reason: '   ' }).expect(400);
    const codes = Object.fromEntries(missing.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(codes).toEqual({ level: 'is_in', reason: 'matches' });
    const noReason = await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(6).id, level: 'third' }).expect(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', code: 'required', message: expect.any(String) }]);
    const outsider = await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: 99999999, level: null, reason: '测试' }).expect(400);
    expect(outsider.body.errors[0]).toMatchObject({ field: 'entryId', code: 'not_in_results' });
    expectErrorBody((await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(7).id, level: 'first', reason: '缺席' }).expect(409)).body, 409, 'entry_not_judged');
    const before = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    expect(before.body.adjustments).toEqual([]);

    const res = await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(6).id, level: 'excellence', reason: '专家组复议：成果推广价值突出 🏭' }).expect(201);
    expect(res.body.adjustment).toMatchObject({ entryId: entry(6).id, level: 'excellence', computedLevel: null, reason: '专家组复议：成果推广价值突出 🏭' });
    expect(res.body).toMatchObject({ levelCounts: { excellence: 2 }, computedLevelCounts: { excellence: 1 }, snapshot: { version: 1, status: 'computed' } });
    const view = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    const adjusted = view.body.ranking.items.find((e: { entryId: number }) => e.entryId === entry(6).id);
    expect(adjusted).toMatchObject({ computedLevel: null, level: 'excellence', adjusted: true, adjustment: { level: 'excellence', reason: '专家组复议：成果推广价值突出 🏭' } });
    expect(view.body.adjustments).toHaveLength(1);
    expect(view.body.excellentUnits.units.find((u: { unitId: number }) => u.unitId === s.units[1]!.id).points).toBe(5);
    // An adjustment "to no award" of a computed winner: null is a level too.
    await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(5).id, level: null, reason: '材料存在抄袭嫌疑' }).expect(201);
    await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(5).id, level: 'excellence', reason: '经核查无抄袭，恢复原等级' }).expect(201);
    const after = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    expect(after.body.ranking.items.find((e: { entryId: number }) => e.entryId === entry(5).id)).toMatchObject({ computedLevel: 'excellence', level: 'excellence', adjusted: true });
    expect(after.body.adjustments.map((a: { applied: boolean }) => a.applied)).toEqual([true, false, true]);
  });

  it('freezes the result with its hash; then compute and adjust are refused', async () => {
    const current = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    const res = await t.http().post(`${base}/results/freeze`).set(auth(org)).expect(200);
    expect(res.body.snapshot).toMatchObject({ version: 1, status: 'frozen', hash: current.body.snapshot.hash, frozenAt: expect.any(String) });
    hashV1 = res.body.snapshot.hash;
    expect(res.body.adjustmentCount).toBe(3);
    expectErrorBody((await t.http().post(`${base}/results/compute`).set(auth(org)).send({}).expect(409)).body, 409, 'results_frozen');
    expectErrorBody((await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(6).id, level: null, reason: '再议' }).expect(409)).body, 409, 'results_frozen');
    expectErrorBody((await t.http().post(`${base}/results/freeze`).set(auth(org)).expect(409)).body, 409, 'results_frozen');
    const early = await t.http().post(`${base}/results/republish`).set(auth(org)).send({ reason: '尚未发布' }).expect(409);
    expectErrorBody(early.body, 409, 'wrong_phase');
    expect(early.body.details).toEqual({ phase: 'finalizing', needs: 'published' });
    expectErrorBody((await t.http().get('/api/contests/99999999/results/quality').set(auth(org)).expect(404)).body, 404, 'not_found');
    const verify = await t.http().post(`${base}/results/verify`).set(auth(org)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, storedHash: hashV1, recomputedHash: hashV1, payloadIntact: true, status: 'frozen' });
  });

  it('shows nothing publicly before the notice', async () => {
    expectErrorBody((await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(404)).body, 404, 'not_found');
    const list = await t.http().get('/api/public/contests').expect(200);
    expect(list.body.items.map((c: { id: number }) => c.id)).not.toContain(s.contest.id);
    const obj = await t.http().post(`/api/public/contests/${s.contest.id}/objections`).send({ entryId: entry(1).id, name: '王先生', contact: '13800000000', content: '异议' }).expect(404);
    expectErrorBody(obj.body, 404, 'not_found');
  });

  it('opens the notice: the public list by level, scores hidden by the contest setting', async () => {
    const c = await setPhase(t, org, s.contest.id, 'notice');
    expect(c.phase).toBe('notice');
    const list = await t.http().get('/api/public/contests').expect(200);
    expect(list.body.items).toContainEqual({ id: s.contest.id, name: s.contest.name, year: 2020, theme: expect.any(String), phase: 'notice', noticeEndsAt: expect.any(String) });
    const res = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    const a = res.body;
    expect(a).toMatchObject({ contest: { id: s.contest.id, name: s.contest.name, year: 2020 }, status: 'notice', version: 1, hash: hashV1, publishedAt: null });
    expect(new Date(a.noticeEndsAt).getTime()).toBeGreaterThan(Date.now());
    expect(a.levels.first).toEqual([
      { seq: 1, entryId: entry(0).id, title: '降低焊接缺陷率 🔧 “一次合格”', enterpriseName: s.enterprises[0]!.name, teamName: entry(0).teamName, unitName: s.units[0]!.name, trackName: s.track.name, level: 'first', score: null },
    ]);
    expect(a.levels.second.map((e: { entryId: number; seq: number }) => [e.seq, e.entryId])).toEqual([[1, entry(1).id], [2, entry(2).id]]);
    expect(a.levels.third.map((e: { entryId: number }) => e.entryId)).toEqual([entry(3).id, entry(4).id]);
    expect(a.levels.excellence.map((e: { entryId: number }) => e.entryId)).toEqual([entry(5).id, entry(6).id]);
    expect(a.excellentUnits).toEqual([{ place: 1, unitId: s.units[0]!.id, unitName: s.units[0]!.name, points: 25, awardedEntries: 4 }]);
    const text = JSON.stringify(a);
    for (const secret of ['expert', 'marks', 'dropped', 'finalScore', 'rankReason', 'computedLevel', 'reason', '专家', '84.0', '90.0']) expect(text).not.toContain(secret);
    expect(text).not.toContain(`"entryId":${entry(7).id}`);
    // The organizer still sees everything.
    const org2 = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    expect(org2.body.snapshot.status).toBe('frozen');
  });

  it('takes an objection from the public and lists it for the organizer; bad input writes nothing', async () => {
    const url = `/api/public/contests/${s.contest.id}/objections`;
    const bad = await t.http().post(url).send({ entryId: 'x', name: '   ', contact: 'a'.repeat(101), extra: 1 }).expect(400);
    const codes = Object.fromEntries(bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(codes).toEqual({ entryId: 'is_int', name: 'matches', contact: 'max_length', content: 'required', extra: 'unknown_field' });
    const notListed = await t.http().post(url).send({ entryId: 99999999, name: '王先生', contact: '13800000000', content: '异议' }).expect(400);
    expect(notListed.body.errors[0]).toMatchObject({ field: 'entryId', code: 'not_in_results' });
    const empty = await t.http().get(`${base}/objections`).set(auth(org)).expect(200);
    expect(empty.body).toMatchObject({ items: [], total: 0 });

    const res = await t.http().post(url).send({ entryId: entry(1).id, name: '王先生 👀', contact: '13800000000', content: '该成果的活动时间是否符合“近两年”要求？🤔' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), status: 'open', createdAt: expect.any(String) });
    objectionId = res.body.id;
    const listed = await t.http().get(`${base}/objections?status=open`).set(auth(org)).expect(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1 });
    expect(listed.body.items[0]).toMatchObject({
      id: objectionId, entryId: entry(1).id, entryTitle: entry(1).title, name: '王先生 👀', contact: '13800000000',
      content: '该成果的活动时间是否符合“近两年”要求？🤔', status: 'open', answer: null, answeredAt: null,
    });
    // A second objection, answered by several organizer requests at once: answered exactly once.
    const second = await t.http().post(url).send({ entryId: entry(6).id, name: '匿名', contact: '—', content: '为何调整等级？' }).expect(201);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, k) => t.http().post(`/api/objections/${second.body.id}/answer`).set(auth(org)).send({ answer: `答复 ${k}` })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const all = await t.http().get(`${base}/objections`).set(auth(org)).expect(200);
    expect(all.body.items.map((o: { status: string }) => o.status)).toEqual(['open', 'answered']);
    expect((await t.http().get('/api/audit?action=objection.answer').set(auth(org)).expect(200)).body.total).toBe(1);
  });

  it('refuses publication while an objection is open; answering it lets the result be published', async () => {
    await endNotice(t, s);
    const refused = await t.http().post(`${base}/phase`).set(auth(org)).send({ to: 'published' }).expect(409);
    expectErrorBody(refused.body, 409, 'phase_blocked');
    expect(refused.body.details.blockers).toEqual([expect.objectContaining({ code: 'objections_open', count: 1 })]);
    // The notice period is over: no more objections.
    const late = await t.http().post(`/api/public/contests/${s.contest.id}/objections`).send({ entryId: entry(1).id, name: '李女士', contact: 'li@example.com', content: '迟到的异议' }).expect(409);
    expectErrorBody(late.body, 409, 'objections_closed');

    expect((await t.http().post(`/api/objections/${objectionId}/answer`).set(auth(org)).send({ answer: '' }).expect(400)).body.errors[0]).toMatchObject({ field: 'answer' });
    expectErrorBody((await t.http().post('/api/objections/99999999/answer').set(auth(org)).send({ answer: '答复' }).expect(404)).body, 404, 'not_found');
    const answered = await t.http().post(`/api/objections/${objectionId}/answer`).set(auth(org)).send({ answer: '经核查，活动时间为 2019 年 3 月至 12 月，符合要求。✅' }).expect(200);
    expect(answered.body).toMatchObject({ id: objectionId, status: 'answered', answer: '经核查，活动时间为 2019 年 3 月至 12 月，符合要求。✅', answeredAt: expect.any(String) });
    expectErrorBody((await t.http().post(`/api/objections/${objectionId}/answer`).set(auth(org)).send({ answer: '再次答复' }).expect(409)).body, 409, 'objection_already_answered');

    const published = await setPhase(t, org, s.contest.id, 'published');
    expect(published.phase).toBe('published');
    const a = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    expect(a.body).toMatchObject({ status: 'published', version: 1, hash: hashV1, publishedAt: expect.any(String) });
    const view = await t.http().get(`${base}/results`).set(auth(org)).expect(200);
    expect(view.body.snapshot).toMatchObject({ status: 'published', hash: hashV1 });
    const objections = await t.http().post(`/api/public/contests/${s.contest.id}/objections`).send({ entryId: entry(1).id, name: '李女士', contact: 'li', content: '发布后' }).expect(409);
    expectErrorBody(objections.body, 409, 'objections_closed');
    // Each entry now says its outcome: awarded with the level on its timeline, or not awarded.
    const awardedIds = new Set((Object.values(a.body.levels) as { entryId: number }[][]).flat().map((e) => e.entryId));
    for (const e of s.entries) {
      const status = (await t.http().get(`/api/entries/${e.id}`).set(auth(org)).expect(200)).body.status;
      expect([e.id, status]).toEqual([e.id, awardedIds.has(e.id) ? 'awarded' : expect.stringMatching(/^(not_awarded|absent|withdrawn)$/)]);
    }
    expect(await lastEvent(entry(1).id)).toMatchObject({ fromStatus: expect.any(String), toStatus: 'awarded', reason: '结果发布：二等奖' });
  });

  it('republishes a correction with a reason as a new version; both versions stay readable', async () => {
    const url = `${base}/results/republish`;
    const noReason = await t.http().post(url).set(auth(org)).send({ adjustments: [{ entryId: entry(4).id, level: 'second', reason: '复核' }] }).expect(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', code: 'required', message: expect.any(String) }]);
    const badItem = await t.http().post(url).set(auth(org)).send({ reason: '更正', adjustments: [{ entryId: entry(4).id, level: 'platinum' }] }).expect(400);
    expect(badItem.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['adjustments.0.level', 'adjustments.0.reason']);
    expectErrorBody((await t.http().post(url).set(auth(org)).send({ reason: '没有变化' }).expect(409)).body, 409, 'results_unchanged');
    expect((await t.http().get(`${base}/results`).set(auth(org)).expect(200)).body.snapshot.version).toBe(1);

    const res = await t.http().post(url).set(auth(org)).send({ reason: '异议复核后更正 📝', adjustments: [{ entryId: entry(4).id, level: 'second', reason: '复核发现评分录入错误' }] }).expect(201);
    expect(res.body).toMatchObject({ supersededVersion: 1, snapshot: { version: 2, status: 'published', reason: '异议复核后更正 📝' }, levelCounts: { first: 1, second: 3, third: 1, excellence: 2 } });
    // Only the corrected entry gets a line on its timeline.
    expect(await lastEvent(entry(4).id)).toMatchObject({ fromStatus: 'awarded', toStatus: 'awarded', reason: '更正发布：二等奖' });
    expect(await lastEvent(entry(1).id)).toMatchObject({ reason: '结果发布：二等奖' });
    const v2 = await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200);
    expect(v2.body).toMatchObject({ status: 'published', version: 2, hash: res.body.snapshot.hash });
    expect(v2.body.levels.second.map((e: { entryId: number }) => e.entryId)).toEqual([entry(1).id, entry(2).id, entry(4).id]);
    const v1 = await t.http().get(`/api/public/contests/${s.contest.id}/results?version=1`).expect(200);
    expect(v1.body).toMatchObject({ status: 'published', version: 1, hash: hashV1 });
    expect(v1.body.levels.third.map((e: { entryId: number }) => e.entryId)).toEqual([entry(3).id, entry(4).id]);
    expectErrorBody((await t.http().get(`/api/public/contests/${s.contest.id}/results?version=3`).expect(404)).body, 404, 'not_found');
    expect((await t.http().get(`/api/public/contests/${s.contest.id}/results?version=x`).expect(400)).body.errors[0]).toMatchObject({ field: 'version' });
    const old = await t.http().get(`${base}/results?version=1`).set(auth(org)).expect(200);
    expect(old.body.snapshot).toMatchObject({ version: 1, status: 'superseded', hash: hashV1 });

    // After publication an adjustment is a correction too: it issues version 3 with its reason.
    const corr = await t.http().post(`${base}/results/adjustments`).set(auth(org)).send({ entryId: entry(6).id, level: 'third', reason: '补充材料证明推广应用效果' }).expect(201);
    expect(corr.body).toMatchObject({ supersededVersion: 2, snapshot: { version: 3, status: 'published', reason: '补充材料证明推广应用效果' } });
    expect((await t.http().get(`/api/public/contests/${s.contest.id}/results?version=2`).expect(200)).body.version).toBe(2);
  });

  it('verifies the published result, then detects a sheet total altered directly in the database', async () => {
    const okRes = await t.http().post(`${base}/results/verify`).set(auth(org)).expect(200);
    expect(okRes.body).toMatchObject({ ok: true, version: 3, status: 'published', payloadIntact: true, missingSheetCount: 0, differences: { entryCount: 0 } });
    expect(okRes.body.recomputedHash).toBe(okRes.body.storedHash);
    const v1 = await t.http().post(`${base}/results/verify?version=1`).set(auth(org)).expect(200);
    expect(v1.body).toMatchObject({ ok: true, version: 1, status: 'superseded', storedHash: hashV1 });
    // The results:verify command, on the same database (an in-memory SQLite cannot be shared).
    const lines: string[] = [];
    const sink = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const env = { DATABASE_URL: t.config.databaseUrl ?? undefined, JWT_SECRET: t.config.jwtSecret, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' };
    expect(await verifyCommand(['x'], env, sink)).toBe(2);
    if (TEST_DB === 'mariadb') {
      expect(await verifyCommand([String(s.contest.id)], env, sink)).toBe(0);
      expect(lines.at(-1)).toMatch(/^OK: contest \d+ version 3 \(published\)/);
      expect(await verifyCommand([String(s.contest.id), '9'], env, sink)).toBe(2);
    }

    await t.dataSource.query('UPDATE score_sheets SET total = total + 37 WHERE entry_id = ? AND expert_id = ? AND stage = ?', [entry(3).id, s.experts[2]!.id, 'material']);
    const bad = await t.http().post(`${base}/results/verify`).set(auth(org)).expect(200);
    expect(bad.body).toMatchObject({ ok: false, payloadIntact: true, storedHash: okRes.body.storedHash });
    expect(bad.body.recomputedHash).not.toBe(bad.body.storedHash);
    const diff = bad.body.differences.entries.find((e: { entryId: number }) => e.entryId === entry(3).id);
    expect(diff).toMatchObject({ fields: expect.arrayContaining(['stages', 'finalScore']), stored: { finalScore: '80.0000' } });
    expect(diff.recomputed.finalScore).not.toBe('80.0000');
    if (TEST_DB === 'mariadb') {
      const out: string[] = [];
      expect(await verifyCommand([String(s.contest.id)], { DATABASE_URL: t.config.databaseUrl ?? undefined, JWT_SECRET: t.config.jwtSecret, DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' }, { log: (l) => out.push(l), error: (l) => out.push(l) })).toBe(1);
      expect(out.at(-1)).toMatch(/^MISMATCH: contest \d+ version 3/);
    }
    // The public list is still the published one.
    expect((await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body.version).toBe(3);
  });

  it('recorded every step in the audit trail, and the chain verifies', async () => {
    const actions = new Set<string>();
    for (const action of ['results.compute', 'results.adjust', 'results.freeze', 'results.publish', 'results.republish', 'objection.file', 'objection.answer']) {
      const res = await t.http().get(`/api/audit?action=${action}`).set(auth(org)).expect(200);
      if (res.body.total > 0) actions.add(action);
    }
    expect([...actions].sort()).toEqual(['objection.answer', 'objection.file', 'results.adjust', 'results.compute', 'results.freeze', 'results.publish', 'results.republish']);
    const adjust = await t.http().get('/api/audit?action=results.adjust').set(auth(org)).expect(200);
    expect(JSON.stringify(adjust.body)).toContain('专家组复议：成果推广价值突出 🏭');
    const v = await t.http().post('/api/audit/verify').set(auth(org)).expect(200);
    expect(v.body).toMatchObject({ ok: true });
  });
});
