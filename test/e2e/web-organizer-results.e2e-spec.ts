import { afterAll, beforeAll, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { resultsContest } from '../factories/results.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });
it('dump', async () => {
  const s = await resultsContest(t, 'finalizing', { entries: 4, experts: 5, absent: 1, rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 1, third: 1, excellence: 0 } } } });
  const c = await t.http().post(`/api/contests/${s.contest.id}/results/compute`).set(auth(s.organizer)).send({});
  const v = await t.http().get(`/api/contests/${s.contest.id}/results`).set(auth(s.organizer));
  const q = await t.http().get(`/api/contests/${s.contest.id}/results/quality`).set(auth(s.organizer));
  const a = await t.http().get(`/api/audit?pageSize=5`).set(auth(s.organizer));
  const adj = await t.http().post(`/api/contests/${s.contest.id}/results/adjustments`).set(auth(s.organizer)).send({ entryId: s.entries[0]!.id, level: 'second' });
  const ph = await t.http().get(`/api/contests/${s.contest.id}/phase`).set(auth(s.organizer));
  const ver = await t.http().post(`/api/contests/${s.contest.id}/results/verify`).set(auth(s.organizer));
  const vf = await t.http().post(`/api/audit/verify`).set(auth(s.organizer));
  const ct = await t.http().get(`/api/contests/${s.contest.id}`).set(auth(s.organizer));
  writeFileSync('/tmp/h3/dump.json', JSON.stringify({ compute: c.body, view: v.body, quality: q.body, audit: a.body, adj: adj.body, phase: ph.body, verify: ver.body, auditVerify: vf.body, contest: ct.body }, null, 1));
});
