// Payload formats (src/results/results-payload.ts PAYLOAD_FORMAT): a new contest's snapshot is stored
// in format 2 (stages of raw marks compact: no reason text, no object per mark) and read back with
// every explanation; a snapshot stored in format 1 — by the service before format 2 — keeps reading,
// verifying, freezing, publishing and republishing exactly as before, in format 1, with its hash.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setPhase } from '../factories/contests.js';
import { computeResults, endNotice, freezeResults, resultsContest, type ResultsScenario } from '../factories/results.js';
import { canonicalHash } from '../../src/results/canonical-json.js';
import { Contest } from '../../src/contests/contest.entities.js';
import { loadAdjustments, loadResultsFacts } from '../../src/results/results-data.js';
import { buildPayload } from '../../src/results/results-payload.js';
import { currentSnapshot, storePayload } from '../../src/results/results.repository.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies read field by field
type Json = any;

describe(`results payload formats (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let base: string;
  let viewV2: Record<string, Json>;
  let hashV2: string;

  const snapshotRow = async () => {
    const [row] = (await t.dataSource.query('SELECT id, version, status, hash, payload FROM result_snapshots WHERE contest_id = ? ORDER BY version DESC', [s.contest.id])) as { id: number; version: number; status: string; hash: string; payload: unknown }[];
    const bodies = (await t.dataSource.query('SELECT body FROM result_snapshot_entries WHERE snapshot_id = ? ORDER BY position', [row!.id])) as { body: unknown }[];
    return { ...row!, id: Number(row!.id), rest: JSON.parse(text(row!.payload)) as Record<string, unknown>, entries: bodies.map((b) => JSON.parse(text(b.body)) as Record<string, Json>) };
  };
  const view = async () => (await t.http().get(`${base}/results?pageSize=100`).set(auth(s.organizer)).expect(200)).body as Record<string, Json>;
  const verify = async () => (await t.http().post(`${base}/results/verify`).set(auth(s.organizer)).expect(200)).body as Record<string, Json>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await resultsContest(t, 'finalizing', { entries: 6, experts: 5 });
    base = `/api/contests/${s.contest.id}`;
    hashV2 = ((await computeResults(t, s)) as Json).snapshot.hash as string;
    viewV2 = await view();
  }, 240_000);
  afterAll(() => t.close());

  it('stores a new snapshot in format 2 — compact stages — and the API still explains every mark', async () => {
    const row = await snapshotRow();
    expect(row.rest.format).toBe(2);
    expect(row.hash).toBe(hashV2);
    const stage = row.entries[0]!.stages.material;
    expect(Object.keys(stage).sort()).toEqual(['pairs', 'requestedMethod', 'trimMinSheets', 'value']);
    expect(stage.pairs).toHaveLength(10); // 5 experts: expertId, total
    // The hash is over the canonical whole as stored.
    expect(canonicalHash({ ...row.rest, entries: row.entries })).toBe(row.hash);
    // Read back: the reason, the used and dropped marks with their experts, as format 1 had them.
    const first = viewV2.ranking.items[0];
    expect(first.stages.material).toMatchObject({ method: 'trimmed_mean', requestedMethod: 'trimmed_mean', normalized: false, count: 5, reason: expect.stringMatching(/^trimmed mean: 5 marks >= 5, dropped the highest \(expert \d+: [\d.]+\) and the lowest \(expert \d+: [\d.]+\), mean of the other 3 = [\d.]+$/) });
    expect(first.stages.material.marks).toHaveLength(5);
    expect(first.stages.material.marks.map((m: { status: string }) => m.status).sort()).toEqual(['dropped_highest', 'dropped_lowest', 'used', 'used', 'used']);
    expect(first.stages.material.marks.every((m: { expertName: string | null }) => typeof m.expertName === 'string')).toBe(true);
    expect(first.stages.material.dropped.map((d: { why: string }) => d.why)).toEqual(['highest', 'lowest']);
    expect(first.explanationZh.length).toBeGreaterThan(0);
    expect((await verify()).ok).toBe(true);
  });

  it('a snapshot stored in format 1 reads the same, verifies, recomputes, freezes, publishes and republishes in format 1', async () => {
    // Stored as the service stored every snapshot before format 2: the format-1 payload and its hash.
    const m = t.dataSource.manager;
    const contest = await m.getRepository(Contest).findOneByOrFail({ id: s.contest.id });
    const { facts } = await loadResultsFacts(m, contest);
    const v1 = buildPayload(facts, { tieBreakOrder: [], adjustments: await loadAdjustments(m, contest.id), format: 1 });
    const hashV1 = canonicalHash(v1);
    const snapshot = (await currentSnapshot(m, contest.id))!;
    snapshot.hash = hashV1;
    await t.dataSource.transaction((tm) => storePayload(tm, snapshot, v1, false));
    const stored = await snapshotRow();
    expect(stored.rest.format).toBe(1);
    expect(stored.entries[0]!.stages.material.reason).toMatch(/^trimmed mean/);
    expect(hashV1).not.toBe(hashV2);

    // Every reader sees what it saw of the format-2 snapshot (only the snapshot's hash differs).
    const v = await view();
    expect(v.snapshot.hash).toBe(hashV1);
    expect({ ...v, snapshot: null }).toEqual({ ...viewV2, snapshot: null });

    // Verified in its own format; recomputing keeps it (same rows: same format-1 hash).
    expect(await verify()).toMatchObject({ ok: true, storedHash: hashV1, recomputedHash: hashV1, payloadIntact: true });
    expect(((await computeResults(t, s)) as Json).snapshot.hash).toBe(hashV1);
    expect((await snapshotRow()).rest.format).toBe(1);
    // Freezing recomputes and compares hashes: a format-2 recomputation would answer results_outdated.
    await freezeResults(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
    await endNotice(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'published');
    expect(await verify()).toMatchObject({ ok: true, status: 'published', storedHash: hashV1, recomputedHash: hashV1, anchor: { ok: true } });
    const pub = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(pub.hash).toBe(hashV1);

    // A correction: the new version stays in format 1 and verifies.
    const target = viewV2.ranking.items.at(-1);
    const res = await t.http().post(`${base}/results/republish`).set(auth(s.organizer))
      .send({ reason: '复核更正', adjustments: [{ entryId: target.entryId, level: target.level === 'first' ? 'second' : 'first', reason: '复核更正' }] }).expect(201);
    expect(res.body.supersededVersion).toBe(stored.version);
    const next = await snapshotRow();
    expect(next).toMatchObject({ version: stored.version + 1, status: 'published' });
    expect(next.rest.format).toBe(1);
    expect(await verify()).toMatchObject({ ok: true, storedHash: next.hash, recomputedHash: next.hash });
  });
});
