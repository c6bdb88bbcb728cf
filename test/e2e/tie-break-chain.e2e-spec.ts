// The tie-break chain as a contest rule: edited with the other rules (validated, refused once the
// rules are frozen, organizers only), and used by the result: a chain that puts the sum of all marks
// before the presentation score ranks a tie the other way, and the explanation names the criterion.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createContest } from '../factories/contests.js';
import { createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { computeResults, resultsContest } from '../factories/results.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries((body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));

describe(`tie-break chain rule (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
  });
  afterAll(() => t.close());

  it('defaults to the fixed chain, is reordered and shortened, refuses unknown and repeated criteria, and is audited', async () => {
    const c = await createContest(t, w.organizer);
    expect(c.rules.tieBreakChain).toEqual(['presentation_score', 'untrimmed_sum', 'organizer_decision']);
    expect((await t.http().get('/api/contests/defaults').set(auth(w.organizer)).expect(200)).body.rules.tieBreakChain).toEqual(['presentation_score', 'untrimmed_sum', 'organizer_decision']);

    const patch = (rules: Body) => t.http().patch(`/api/contests/${c.id}`).set(auth(w.organizer)).send({ rules });
    const ok = await patch({ tieBreakChain: ['untrimmed_sum', 'presentation_score'] }).expect(200);
    expect(ok.body.rules.tieBreakChain).toEqual(['untrimmed_sum', 'presentation_score']);

    let bad = await patch({ tieBreakChain: ['untrimmed_sum', 'lottery'] }).expect(400);
    expectErrorBody(bad.body, 400, 'validation_failed');
    expect(fieldCodes(bad.body)).toEqual({ 'rules.tieBreakChain.1': 'unknown_criterion' });
    expect((bad.body.errors as { message: string }[])[0]!.message).toContain('未知的判定依据');
    bad = await patch({ tieBreakChain: ['untrimmed_sum', 'untrimmed_sum'] }).expect(400);
    expect(fieldCodes(bad.body)).toEqual({ 'rules.tieBreakChain.1': 'duplicate_criterion' });
    expect(fieldCodes((await patch({ tieBreakChain: 'untrimmed_sum' }).expect(400)).body)).toEqual({ 'rules.tieBreakChain': 'not_array' });
    // final_score is always first and is not a criterion to place.
    expect(fieldCodes((await patch({ tieBreakChain: ['final_score'] }).expect(400)).body)).toEqual({ 'rules.tieBreakChain.0': 'unknown_criterion' });

    const now = (await t.http().get(`/api/contests/${c.id}`).set(auth(w.organizer)).expect(200)).body;
    expect(now.rules.tieBreakChain).toEqual(['untrimmed_sum', 'presentation_score']);
    const audit = await t.http().get(`/api/audit?action=contest.update&targetId=${c.id}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { rules: { tieBreakChain: ['presentation_score', 'untrimmed_sum', 'organizer_decision'] } }, after: { rules: { tieBreakChain: ['untrimmed_sum', 'presentation_score'] } } });

    for (const token of [w.a.recommender.token, w.a.owner.token, w.expert, w.admin]) {
      expectErrorBody((await t.http().patch(`/api/contests/${c.id}`).set(auth(token)).send({ rules: { tieBreakChain: [] } }).expect(403)).body, 403, 'forbidden');
    }
  });

  it('a contest stored before the rule (no chain in its rules) reads and ranks with the default', async () => {
    const c = await createContest(t, w.organizer);
    const row = (await t.dataSource.query('SELECT rules FROM contests WHERE id = ?', [c.id])) as { rules: string }[];
    const { tieBreakChain: _drop, ...old } = JSON.parse(row[0]!.rules) as Body;
    void _drop;
    await t.dataSource.query('UPDATE contests SET rules = ? WHERE id = ?', [JSON.stringify(old), c.id]);
    expect((await t.http().get(`/api/contests/${c.id}`).set(auth(w.organizer)).expect(200)).body.rules.tieBreakChain).toEqual(['presentation_score', 'untrimmed_sum', 'organizer_decision']);
    // And may be given one.
    expect((await t.http().patch(`/api/contests/${c.id}`).set(auth(w.organizer)).send({ rules: { tieBreakChain: ['organizer_decision'] } }).expect(200)).body.rules.tieBreakChain).toEqual(['organizer_decision']);
  });

  it('the result applies the contest chain: equal final scores ordered by the sum of all marks, the explanation names it; frozen afterwards', async () => {
    // Weights 30/70. Entry 0: material 83.0, presentation 90.0; entry 1: material 90.0, presentation 87.0 —
    // both 87.9 final. The default chain would put entry 0 first (presentation); this chain puts entry 1 (sum 177 > 173).
    const totals = (i: number, _x: number, stage: 'material' | 'presentation') => (i === 0 ? (stage === 'material' ? 830 : 900) : i === 1 ? (stage === 'material' ? 900 : 870) : 700);
    const s = await resultsContest(t, 'finalizing', { entries: 3, experts: 5, totals, rules: { stageWeights: { material: 30, presentation: 70 }, tieBreakChain: ['untrimmed_sum', 'presentation_score', 'organizer_decision'] } });
    await computeResults(t, s);
    const res = (await t.http().get(`/api/contests/${s.contest.id}/results`).set(auth(s.organizer)).expect(200)).body;
    const [e0, e1] = [s.entries[0]!.id, s.entries[1]!.id];
    const row = (id: number) => (res.ranking.items as Body[]).find((e) => e.entryId === id)!;
    expect(row(e0).finalScore).toBe(row(e1).finalScore);
    expect(row(e1)).toMatchObject({ rank: 1, decidedBy: 'untrimmed_sum' });
    expect(row(e0)).toMatchObject({ rank: 2, decidedBy: 'untrimmed_sum' });
    expect(row(e1).rankReason).toContain(`before entry ${e0} by untrimmed_sum`);
    expect(res.rules.tieBreakChain).toEqual(['untrimmed_sum', 'presentation_score', 'organizer_decision']);
    // The stored result recomputes to the same hash.
    expect((await t.http().post(`/api/contests/${s.contest.id}/results/verify`).set(auth(s.organizer)).expect(200)).body.ok).toBe(true);
    // Rules are frozen once presentation has started: the chain cannot change under the result.
    const frozen = await t.http().patch(`/api/contests/${s.contest.id}`).set(auth(s.organizer)).send({ rules: { tieBreakChain: ['presentation_score'] } }).expect(409);
    expectErrorBody(frozen.body, 409, 'rules_frozen');
  });
});
