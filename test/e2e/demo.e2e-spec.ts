import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runDemo } from '../../src/demo/run-demo.js';
import { ADMIN, createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

// The demo pipeline (reduced size) through the real HTTP API: every stage of the competition.
describe(`demo pipeline, small (${TEST_DB})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  it('runs the whole competition and publishes the quota counts', async () => {
    const lines: string[] = [];
    const summary = await runDemo(base, { size: 'small', seed: 2020, adminUsername: ADMIN.username, adminPassword: ADMIN.password, password: 'demo2020', log: (l) => lines.push(l) });
    expect(summary.levelCounts).toEqual({ first: 2, second: 4, third: 6, excellence: 8 });
    expect(summary.excellentUnits).toHaveLength(2);
    expect(lines.length).toBeGreaterThan(8);

    const pub = await t.http().get(`/api/public/contests/${summary.contestId}/results`).expect(200);
    expect(pub.body.status).toBe('published');
    expect(Object.keys(pub.body.levels)).toEqual(['first', 'second', 'third', 'excellence']);
    expect(pub.body.levels.first).toHaveLength(2);
    expect(pub.body.excellentUnits.map((u: { unitName: string }) => u.unitName)).toEqual(summary.excellentUnits);
    const list = await t.http().get('/api/public/contests').expect(200);
    expect(JSON.stringify(list.body)).toContain('2020年滨海新区质量攻关活动');
  }, 300_000);
});
