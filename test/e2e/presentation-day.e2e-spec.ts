import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { checkIn } from '../factories/presentation.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { marksFor, mySheet, saveDraft, signOff, submitAll } from '../factories/scoring.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`the day of the presentation: check-in corrections, the leader's sign-off status (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ScoringScenario;
  let late: number;
  const undo = (token: string | null, entryId: number, body: Record<string, unknown> = { reason: '该小组迟到，已到场' }) => {
    const req = t.http().post(`/api/sessions/${s.session.id}/check-in/${entryId}/undo`);
    return (token ? req.set(auth(token)) : req).send(body);
  };
  const slot = async (entryId: number) =>
    ((await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body.slots as { entryId: number; attendance: string }[]).find((x) => x.entryId === entryId);

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t, { entries: 3, experts: 2, absent: 1, conflicts: 0 });
    late = s.absentEntryIds[0]!;
  });
  afterAll(() => t.close());

  it('is for organizers only: the panel leader, the enterprise and its unit are refused, without a token 401', async () => {
    expectErrorBody((await undo(null, late).expect(401)).body, 401, 'unauthenticated');
    for (const token of [s.experts[0]!.token, s.enterprises[2]!.token, s.units[0]!.token, s.admin]) {
      expectErrorBody((await undo(token, late).expect(403)).body, 403, 'forbidden');
    }
    expect((await slot(late))?.attendance).toBe('absent');
  });

  it('requires a reason, and the entry to be in the session', async () => {
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const res = await undo(s.organizer, late, body).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['reason']);
    }
    expectErrorBody((await t.http().post(`/api/sessions/${s.session.id}/check-in/999999/undo`).set(auth(s.organizer)).send({ reason: '误操作' }).expect(404)).body, 404, 'not_found');
    expect((await slot(late))?.attendance).toBe('absent');
  });

  it('undoes an absence: the slot is pending, the entry scheduled, the timeline and the audit trail say why', async () => {
    const res = await undo(s.organizer, late, { reason: ' 该小组迟到，已到场 ' }).expect(200);
    expect(res.body).toMatchObject({ sessionId: s.session.id, entryId: late, attendance: 'pending', checkedAt: null, entryStatus: 'scheduled' });
    expect((await slot(late))?.attendance).toBe('pending');
    const events = (await t.http().get(`/api/entries/${late}/events`).set(auth(s.organizer)).expect(200)).body.items as { fromStatus: string; toStatus: string; reason: string }[];
    expect(events.slice(-2).map((e) => [e.fromStatus, e.toStatus])).toEqual([['scheduled', 'absent'], ['absent', 'scheduled']]);
    expect(events.at(-1)!.reason).toContain('该小组迟到，已到场');
    const audit = (await t.http().get(`/api/audit?action=presentation.session.check_in_undo&targetId=${s.session.id}`).set(auth(s.organizer)).expect(200)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0].before).toMatchObject({ entryId: late, attendance: 'absent', entryStatus: 'absent' });
    expect(audit[0].after).toEqual({ entryId: late, attendance: 'pending', checkedAt: null, entryStatus: 'scheduled', reason: '该小组迟到，已到场' });

    // Nothing left to undo; the desk then records what happened.
    expectErrorBody((await undo(s.organizer, late).expect(409)).body, 409, 'not_checked_in');
    const again = await t.http().post(`/api/sessions/${s.session.id}/check-in`).set(auth(s.organizer)).send({ entryId: late, attendance: 'present' }).expect(200);
    expect(again.body).toMatchObject({ attendance: 'present', entryStatus: 'presented' });
  });

  it('is refused once scoring of the entry has started (scoring_started), even on a draft', async () => {
    const entry = s.entries[0]!.id;
    const rubric = (await mySheet(t, s.experts[1]!.token, entry, 'material')).rubric;
    const [first] = Object.entries(marksFor(rubric));
    await saveDraft(t, s.experts[1]!.token, entry, 'material', { marks: { [first![0]]: first![1] } });
    const res = await undo(s.organizer, entry).expect(409);
    expectErrorBody(res.body, 409, 'scoring_started');
    expect((await slot(entry))?.attendance).toBe('present');
  });

  it('shows the panel leader (and organizers) the sheets the sign-off waits for; other members and roles are refused', async () => {
    const status = (token: string) => t.http().get(`/api/sessions/${s.session.id}/sign-off`).set(auth(token));
    const leader = (await status(s.experts[0]!.token).expect(200)).body;
    // Everyone's sheets of the present entries (the late one is present now), both stages; experts[1] has a draft of one.
    expect(leader).toMatchObject({ sessionId: s.session.id, signedOffAt: null, signedOffBy: null });
    expect(leader.missing).toHaveLength(s.entries.length * s.experts.length * 2);
    expect(leader.missing).toContainEqual(expect.objectContaining({ entryId: s.entries[0]!.id, expertId: s.experts[1]!.id, stage: 'material', status: 'draft' }));
    expect(leader.missing.filter((x: { status: string }) => x.status === 'not_started')).toHaveLength(leader.missing.length - 1);
    expect((await status(s.organizer).expect(200)).body.missing).toEqual(leader.missing);
    expectErrorBody((await status(s.experts[1]!.token).expect(403)).body, 403, 'not_panel_leader');
    expectErrorBody((await status(s.enterprises[0]!.token).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().get('/api/sessions/999999/sign-off').set(auth(s.organizer)).expect(404)).body, 404, 'not_found');
  });

  it('is refused once the panel leader signed the session off (session_signed_off)', async () => {
    // The late entry back to absent, so only the two present entries need sheets before the sign-off.
    const present = s.entries.map((e) => e.id).filter((id) => id !== late);
    await undo(s.organizer, late, { reason: '误记为到场' }).expect(200);
    await checkIn(t, s.organizer, s.session.id, late, 'absent');
    for (const x of s.experts) await submitAll(t, x.token, present);
    expect((await t.http().get(`/api/sessions/${s.session.id}/sign-off`).set(auth(s.experts[0]!.token)).expect(200)).body.missing).toEqual([]);
    const signed = await signOff(t, s.experts[0]!.token, s.session.id);
    expect((await t.http().get(`/api/sessions/${s.session.id}/sign-off`).set(auth(s.experts[0]!.token)).expect(200)).body)
      .toEqual({ sessionId: s.session.id, signedOffAt: signed.signedOffAt, signedOffBy: s.experts[0]!.userId, missing: [] });
    const res = await undo(s.organizer, late).expect(409);
    expectErrorBody(res.body, 409, 'session_signed_off');

    // The organizer finds an entry's sheets (to read or reopen one); nobody else lists them.
    const list = (await t.http().get(`/api/entries/${present[0]}/sheets`).set(auth(s.organizer)).expect(200)).body.items as Record<string, unknown>[];
    expect(list).toHaveLength(s.experts.length * 2);
    for (const x of list) expect(x).toMatchObject({ status: 'submitted', version: 1, reopenReason: null, expertName: expect.any(String) });
    expect(new Set(list.map((x) => `${x.expertId}:${x.stage}`)).size).toBe(list.length);
    for (const token of [s.experts[0]!.token, s.enterprises[0]!.token]) {
      expectErrorBody((await t.http().get(`/api/entries/${present[0]}/sheets`).set(auth(token)).expect(403)).body, 403, 'forbidden');
    }
    expectErrorBody((await t.http().get('/api/entries/999999/sheets').set(auth(s.organizer)).expect(404)).body, 404, 'not_found');
    expect((await slot(late))?.attendance).toBe('absent');
  });
});
