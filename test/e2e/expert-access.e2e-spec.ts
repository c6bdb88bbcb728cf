import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

// Experts read the entries they judge, with their materials, and nothing else.
describe(`expert access to entries (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ScoringScenario;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t, { entries: 3, experts: 3, absent: 0, conflicts: 1 });
  });
  afterAll(() => t.close());

  it('lets an assigned expert read the entry and download its report', async () => {
    const leader = s.experts[0];
    const entry = s.entries[0];
    const got = await t.http().get(`/api/entries/${entry.id}`).set(auth(leader.token)).expect(200);
    expect(got.body).toMatchObject({ id: entry.id, enterpriseId: entry.enterpriseId });
    const files = await t.http().get(`/api/entries/${entry.id}/attachments`).set(auth(leader.token)).expect(200);
    const report = files.body.items.find((a: { kind: string; current: boolean }) => a.kind === 'report' && a.current);
    const pdf = await t.http().get(`/api/attachments/${report.id}/download`).set(auth(leader.token)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses the entry to a conflicted expert, who is not assigned to it (404)', async () => {
    const [conflict] = s.conflicts;
    const expert = s.experts.find((x) => x.id === conflict.expertId)!;
    expectErrorBody((await t.http().get(`/api/entries/${conflict.entryId}`).set(auth(expert.token)).expect(404)).body, 404, 'not_found');
    await t.http().get(`/api/entries/${conflict.entryId}/attachments`).set(auth(expert.token)).expect(404);
  });

  it('never lets an expert write an entry it can read', async () => {
    const leader = s.experts[0];
    const res = await t.http().patch(`/api/entries/${s.entries[0].id}`).set(auth(leader.token)).send({ title: '改' }).expect(403);
    expectErrorBody(res.body, 403, 'forbidden');
  });
});
