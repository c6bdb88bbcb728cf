import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildScoringScenario } from '../factories/scenario.js';
import { marksFor, mySheet, reopenSheet, saveDraft, sheetPath, signOff, STAGES, submitSheet } from '../factories/scoring.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

// Building the scenario hashes a password per account (argon2): generous time on a busy machine.
jest.setTimeout(120_000);

type Scenario = Awaited<ReturnType<typeof buildScoringScenario>>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** An open server-sent-events connection whose `data:` events are collected as JSON. */
interface EventStream {
  status: number;
  headers: IncomingMessage['headers'];
  events: unknown[];
  comments: string[];
  /** Resolves once at least n data events arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<unknown[]>;
  close(): void;
}

function openStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const events: unknown[] = [];
      const comments: string[] = [];
      const waiters: { n: number; done: () => void }[] = [];
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          for (const l of block.split('\n')) if (l.startsWith(':')) comments.push(l);
          if (data) events.push(JSON.parse(data));
        }
        for (const w of [...waiters]) if (events.length >= w.n) w.done();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        waitFor: (n, timeoutMs = 10_000) =>
          new Promise((ok, fail) => {
            if (events.length >= n) return ok(events);
            const timer = setTimeout(() => fail(new Error(`only ${events.length} of ${n} events after ${timeoutMs} ms`)), timeoutMs);
            const w = { n, done: () => { clearTimeout(timer); waiters.splice(waiters.indexOf(w), 1); ok(events); } };
            waiters.push(w);
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe(`scoring progress, sign-off and phase facts (${TEST_DB})`, () => {
  let t: TestApp;
  let s: Scenario;
  let base: string;
  /** Entries that need sheets (not absent) and, for each, the experts assigned. */
  let present: number[];
  let assigned: Map<number, Scenario['experts']>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t, { entries: 4, experts: 3, absent: 1, conflicts: 1 });
    present = s.entries.map((e) => e.id).filter((id) => !s.absentEntryIds.includes(id));
    assigned = new Map(s.entries.map((e) => [e.id, s.experts.filter((x) => !s.conflicts.some((c) => c.expertId === x.id && c.entryId === e.id))]));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/api`;
  });
  afterAll(() => t.close());

  const progress = async (q = '') => (await t.http().get(`/api/contests/${s.contest.id}/progress${q}`).set(auth(s.organizer)).expect(200)).body;
  const expectedSheets = () => present.reduce((n, id) => n + assigned.get(id)!.length * 2, 0);

  it('reports progress per session and entry: assigned experts, drafted, submitted, missing names', async () => {
    const p0 = await progress();
    expect(p0).toMatchObject({ contestId: s.contest.id, phase: 'presentation', totals: { expected: expectedSheets(), submitted: 0, drafted: 0, missing: expectedSheets() } });
    const session = p0.sessions.find((x: { sessionId: number }) => x.sessionId === s.session.id);
    expect(session).toMatchObject({ sessionId: s.session.id, panelId: s.panel.id, signedOffAt: null });
    const absent = session.entries.find((e: { entryId: number }) => e.entryId === s.absentEntryIds[0]);
    expect(absent).toMatchObject({ attendance: 'absent', expected: 0, missing: 0, missingExperts: [] });
    const first = session.entries.find((e: { entryId: number }) => e.entryId === present[0]);
    expect(first.assignedExperts.map((x: { expertId: number }) => x.expertId).sort()).toEqual(assigned.get(present[0]!)!.map((x) => x.id).sort());
    expect(first.missingExperts[0]).toEqual({ expertId: expect.any(Number), name: expect.any(String), stages: ['material', 'presentation'] });

    const x = assigned.get(present[0]!)![0]!;
    await saveDraft(t, x.token, present[0]!, 'material', { marks: {} });
    await submitSheet(t, x.token, present[0]!, 'presentation');
    const p1 = await progress(`?sessionId=${s.session.id}`);
    expect(p1.sessions).toHaveLength(1);
    expect(p1.totals).toEqual({ expected: expectedSheets(), drafted: 1, submitted: 1, missing: expectedSheets() - 1 });
    const e1 = p1.sessions[0].entries.find((e: { entryId: number }) => e.entryId === present[0]);
    expect(e1).toMatchObject({ drafted: 1, submitted: 1 });
    expect(e1.missingExperts.find((m: { expertId: number }) => m.expertId === x.id)).toMatchObject({ stages: ['material'] });
    expect(p1.panels[0]).toMatchObject({ panelId: s.panel.id, submitted: 1, drafted: 1, sessions: 1, signedOffSessions: 0 });
    expect(JSON.stringify(p1)).not.toMatch(/"marks"|"total":\s*\d/);

    expectErrorBody((await t.http().get(`/api/contests/${s.contest.id}/progress?sessionId=99999999`).set(auth(s.organizer)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/api/contests/99999999/progress').set(auth(s.organizer)).expect(404)).body, 404, 'not_found');
    expect((await t.http().get(`/api/contests/${s.contest.id}/progress?sessionId=abc`).set(auth(s.organizer)).expect(400)).body.errors[0]).toMatchObject({ field: 'sessionId' });
  });

  it('streams the progress as server-sent events, pushing a new event when a sheet is submitted', async () => {
    const stream = await openStream(`${base}/contests/${s.contest.id}/progress/stream?access_token=${encodeURIComponent(s.organizer)}`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-cache');
      const [first] = (await stream.waitFor(1)) as { totals: { submitted: number }; contestId: number }[];
      expect(first).toMatchObject({ contestId: s.contest.id, totals: await progress().then((p) => p.totals) });
      const x = assigned.get(present[1]!)![0]!;
      await submitSheet(t, x.token, present[1]!, 'material');
      const events = (await stream.waitFor(2)) as { totals: { submitted: number } }[];
      expect(events[1]!.totals.submitted).toBe(first.totals.submitted + 1);
    } finally {
      stream.close();
    }
    // the header works as well
    const viaHeader = await openStream(`${base}/contests/${s.contest.id}/progress/stream?sessionId=${s.session.id}`, auth(s.organizer));
    try {
      expect(viaHeader.status).toBe(200);
      expect(((await viaHeader.waitFor(1))[0] as { sessions: unknown[] }).sessions).toHaveLength(1);
    } finally {
      viaHeader.close();
    }
  });

  it('refuses the stream without a token (401), with a bad token (401), to non-organizers (403), for an unknown contest (404)', async () => {
    const read = (st: EventStream) => st.close();
    const none = await openStream(`${base}/contests/${s.contest.id}/progress/stream`);
    expect(none.status).toBe(401);
    read(none);
    const bad = await openStream(`${base}/contests/${s.contest.id}/progress/stream?access_token=not-a-token`);
    expect(bad.status).toBe(401);
    read(bad);
    for (const token of [s.experts[0]!.token, s.enterprises[0]!.token, s.units[0]!.token, s.admin]) {
      const st = await openStream(`${base}/contests/${s.contest.id}/progress/stream?access_token=${encodeURIComponent(token)}`);
      expect(st.status).toBe(403);
      read(st);
    }
    const unknown = await openStream(`${base}/contests/99999999/progress/stream?access_token=${encodeURIComponent(s.organizer)}`);
    expect(unknown.status).toBe(404);
    read(unknown);
    // the query token is for the stream only
    await t.http().get(`/api/contests/${s.contest.id}/progress?access_token=${encodeURIComponent(s.organizer)}`).expect(401);
  });

  it('sign-off: refused while sheets are missing, by non-leaders and organizers; blocks drafts after; a reopen clears it', async () => {
    const leader = s.experts[0]!;
    const other = s.experts.find((x) => x.id !== leader.id)!;
    const missing = await t.http().post(`/api/sessions/${s.session.id}/sign-off`).set(auth(leader.token)).expect(409);
    expectErrorBody(missing.body, 409, 'sheets_missing');
    expect(missing.body.details.missing.length).toBe((await progress()).totals.missing);
    expect(missing.body.details.missing[0]).toEqual({ entryId: expect.any(Number), entryTitle: expect.any(String), expertId: expect.any(Number), expertName: expect.any(String), stage: expect.any(String), status: expect.any(String) });
    expectErrorBody((await t.http().post(`/api/sessions/${s.session.id}/sign-off`).set(auth(other.token)).expect(403)).body, 403, 'not_panel_leader');
    expectErrorBody((await t.http().post(`/api/sessions/${s.session.id}/sign-off`).set(auth(s.organizer)).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().post('/api/sessions/99999999/sign-off').set(auth(leader.token)).expect(404)).body, 404, 'not_found');

    // phase facts while sheets are missing and nobody signed
    const blocked = await t.http().post(`/api/contests/${s.contest.id}/phase`).set(auth(s.organizer)).send({ to: 'finalizing' }).expect(409);
    expectErrorBody(blocked.body, 409, 'phase_blocked');
    const codes = blocked.body.details.blockers.map((b: { code: string }) => b.code);
    expect(codes).toEqual(expect.arrayContaining(['score_sheets_missing', 'panels_not_signed_off']));
    expect(blocked.body.details.blockers.find((b: { code: string }) => b.code === 'score_sheets_missing').count).toBe((await progress()).totals.missing);

    // everyone submits everything
    for (const entryId of present) {
      for (const x of assigned.get(entryId)!) {
        for (const stage of STAGES) {
          const mine = await mySheet(t, x.token, entryId, stage);
          if (mine.status !== 'submitted') await submitSheet(t, x.token, entryId, stage, marksFor(mine.rubric, 0.8));
        }
      }
    }
    expect((await progress()).totals.missing).toBe(0);
    const onlySignOff = await t.http().post(`/api/contests/${s.contest.id}/phase`).set(auth(s.organizer)).send({ to: 'finalizing' }).expect(409);
    expect(onlySignOff.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['panels_not_signed_off']);

    const signed = await signOff(t, leader.token, s.session.id);
    expect(signed).toMatchObject({ sessionId: s.session.id, signedOffAt: expect.any(String), signedOffBy: leader.userId });
    // idempotent
    expect(await signOff(t, leader.token, s.session.id)).toEqual(signed);
    // drafts and submits are refused now
    const entryId = present[0]!;
    const x = assigned.get(entryId)![0]!;
    const sheet = await mySheet(t, x.token, entryId, 'material');
    const reopened = await reopenSheet(t, s.organizer, sheet.id!, '组长发现分数录入有误');
    expect(reopened).toMatchObject({ status: 'draft' });
    expect((await progress()).sessions[0].signedOffAt).toBeNull();
    const audit = await t.http().get(`/api/audit?action=session.sign_off_cleared&targetId=${s.session.id}`).set(auth(s.organizer)).expect(200);
    expect(audit.body.total).toBe(1);
    // the leader signs again once the sheet is resubmitted; then drafts are refused
    await expect(signOff(t, leader.token, s.session.id)).rejects.toThrow(/409/);
    await submitSheet(t, x.token, entryId, 'material', marksFor(sheet.rubric, 0.85));
    await signOff(t, leader.token, s.session.id);
    const afterSign = await t.http().put(sheetPath(entryId, 'presentation', 'draft')).set(auth(x.token)).send({ marks: {} }).expect(409);
    expectErrorBody(afterSign.body, 409, 'session_signed_off');
    // a reopened sheet of a signed session: the expert may draft again, the sign-off is gone
    const pres = await mySheet(t, x.token, entryId, 'presentation');
    await reopenSheet(t, s.organizer, pres.id!, '复核');
    const d = await saveDraft(t, x.token, entryId, 'presentation', { marks: {}, lockVersion: pres.lockVersion + 1 });
    expect(d.status).toBe('draft');
    await submitSheet(t, x.token, entryId, 'presentation', marksFor(pres.rubric, 0.5));
    await signOff(t, leader.token, s.session.id);
  });

  it('refuses drafts in a signed-off session with session_signed_off', async () => {
    // an expert whose sheet was reopened after the sign-off happened by another route cannot exist; the only
    // way to a draft in a signed session is directly in the database: check the rule itself
    const entryId = present[1]!;
    const x = assigned.get(entryId)![0]!;
    const sheet = await mySheet(t, x.token, entryId, 'material');
    await t.dataSource.query("UPDATE score_sheets SET status = 'draft' WHERE id = ?", [sheet.id]);
    const res = await t.http().put(sheetPath(entryId, 'material', 'draft')).set(auth(x.token)).send({ marks: {} }).expect(409);
    expectErrorBody(res.body, 409, 'session_signed_off');
    const sub = await t.http().post(sheetPath(entryId, 'material', 'submit')).set(auth(x.token)).send({ marks: marksFor(sheet.rubric, 0.1) }).expect(409);
    expectErrorBody(sub.body, 409, 'session_signed_off');
    await t.dataSource.query("UPDATE score_sheets SET status = 'submitted' WHERE id = ?", [sheet.id]);
  });

  it('lets the contest move to finalizing once every sheet is in and signed; then scoring is the wrong phase', async () => {
    const res = await t.http().post(`/api/contests/${s.contest.id}/phase`).set(auth(s.organizer)).send({ to: 'finalizing' }).expect(200);
    expect(res.body.phase).toBe('finalizing');
    const entryId = present[0]!;
    const x = assigned.get(entryId)![0]!;
    const sheet = await mySheet(t, x.token, entryId, 'material');
    expect(sheet.status).toBe('submitted');
    expectErrorBody((await t.http().put(sheetPath(entryId, 'material', 'draft')).set(auth(x.token)).send({ marks: {} }).expect(409)).body, 409, 'wrong_phase');
    expectErrorBody((await t.http().post(`/api/sheets/${sheet.id}/reopen`).set(auth(s.organizer)).send({ reason: '太晚了' }).expect(409)).body, 409, 'wrong_phase');
    expectErrorBody((await t.http().post(`/api/sessions/${s.session.id}/sign-off`).set(auth(s.experts[0]!.token)).expect(409)).body, 409, 'wrong_phase');
  });
});
