// A contest from intake to scored sheets, and on to results, notice and publication (the results
// feature). Everything goes through the HTTP API, except `seedSheets`, which writes submitted score
// sheets straight into score_sheets for scale tests (never any result table).
import { ADMIN, createUser, login, type TestApp } from '../support/test-app.js';
import { closeSubmissions, createTrack, openContest, setPhase } from './contests.js';
import { submittedRecommendedEntry } from './entries.js';
import { createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount } from './organisations.js';
import { assignDefault, checkIn, commitAndDraw, createPanel, createSession, placeTracks } from './presentation.js';
import { passEntries } from './review.js';
import { mySheet, signOff, STAGES, type RubricOut, type Stage } from './scoring.js';

export interface ResultsScenario {
  admin: string;
  organizer: string;
  contest: { id: number; name: string };
  track: { id: number; name: string };
  panel: { id: number };
  session: { id: number };
  units: { id: number; name: string; token: string }[];
  enterprises: { id: number; name: string; token: string; unitId: number }[];
  /** In creation order; `index` is the position used by `totals`. */
  entries: { index: number; id: number; enterpriseId: number; unitId: number; entryType: string; title: string; teamName: string }[];
  /** Panel members; experts[0] leads the panel. */
  experts: { id: number; userId: number; token: string }[];
  absentEntryIds: number[];
}

export interface ResultsScenarioOptions {
  entries?: number;
  experts?: number;
  /** The last `absent` entries are checked in as absent. */
  absent?: number;
  units?: number;
  /** Entries per enterprise (≤ the contest cap of 5). */
  perEnterprise?: number;
  /** The unit index of entry i (default: its enterprise's, enterprises round-robin over units). */
  unitOf?: (i: number) => number;
  /** Partial contest rules (quotas, tie policy, showScoresPublicly, …), fixed before presentation. */
  rules?: Record<string, unknown>;
  /** Title of entry i. */
  title?: (i: number) => string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let seq = 0;

/**
 * A contest in phase `presentation`: entries submitted, recommended, passed, placed in one track,
 * judged by one panel of `experts` experts (every member assigned to every entry), drawn and
 * checked in (the last `absent` entries absent). No sheet is scored yet: see `scoreAll`.
 */
export async function buildResultsScenario(t: TestApp, opts: ResultsScenarioOptions = {}): Promise<ResultsScenario> {
  const entryCount = opts.entries ?? 6;
  const expertCount = opts.experts ?? 5;
  const absentCount = opts.absent ?? 0;
  const unitCount = opts.units ?? 2;
  const perEnterprise = opts.perEnterprise ?? 4;
  const n = ++seq;

  const admin = await login(t, ADMIN.username, ADMIN.password);
  const organizer = (await createUser(t, admin, { username: `results-organizer-${n}-${process.pid}`, role: 'organizer', displayName: '组委会 结果汇总' })).token;
  const contest = await openContest(t, organizer, { name: `2020年滨海新区质量攻关成果评比 结果${n}`, ...(opts.rules ? { rules: opts.rules } : {}) });

  const units: ResultsScenario['units'] = [];
  for (let i = 0; i < unitCount; i++) {
    const unit = await createUnit(t, organizer, { name: `滨海新区推荐单位 ${n}-${i + 1}` });
    units.push({ id: unit.id, name: unit.name, token: (await createUnitAccount(t, organizer, unit.id)).token });
  }

  const unitOf = opts.unitOf ?? ((i: number) => Math.floor(i / perEnterprise) % unitCount);
  const enterprises: ResultsScenario['enterprises'] = [];
  const byUnit = new Map<number, { enterprise: ResultsScenario['enterprises'][number]; used: number }>();
  const entries: ResultsScenario['entries'] = [];
  for (let i = 0; i < entryCount; i++) {
    const u = unitOf(i);
    const unit = units[u]!;
    let slot = byUnit.get(u);
    if (!slot || slot.used >= perEnterprise) {
      const ent = await createEnterprise(t, organizer, unit.id, { name: `滨海精工制造有限公司 ${n}-${enterprises.length + 1}` });
      slot = { enterprise: { id: ent.id, name: ent.name, token: (await createEnterpriseAccount(t, organizer, ent.id)).token, unitId: unit.id }, used: 0 };
      enterprises.push(slot.enterprise);
      byUnit.set(u, slot);
    }
    slot.used++;
    const entryType = i % 2 === 0 ? 'problem_solving' : 'innovation';
    const title = opts.title ? opts.title(i) : `提高焊接一次合格率 ${n}-${i + 1}`;
    const e = await submittedRecommendedEntry(t, slot.enterprise.token, unit.token, contest.id, { entryType, title });
    entries.push({ index: i, id: e.id, enterpriseId: e.enterpriseId, unitId: e.unitId, entryType: e.entryType, title: e.title, teamName: e.team.name });
  }

  await closeSubmissions(t, organizer, contest.id);
  await setPhase(t, organizer, contest.id, 'review');
  await passEntries(t, organizer, contest.id, entries.map((e) => e.id));
  const track = await createTrack(t, organizer, contest.id, { name: `综合组 ${n}` });
  const placed = await placeTracks(t, organizer, contest.id);
  if (placed.placed.length !== entryCount) throw new Error(`buildResultsScenario: placed ${placed.placed.length} of ${entryCount}`);

  const experts: ResultsScenario['experts'] = [];
  for (let i = 0; i < expertCount; i++) {
    const x = await createExpert(t, organizer, { name: `评审专家 ${n}-${i + 1}` });
    experts.push({ id: x.id, userId: x.account.userId, token: x.account.token });
  }
  const panel = await createPanel(t, organizer, contest.id, { trackId: track.id, leaderExpertId: experts[0]!.id, memberExpertIds: experts.map((x) => x.id), name: `第一评审组 ${n}` });
  await assignDefault(t, organizer, panel.id);
  const session = await createSession(t, organizer, contest.id, { trackId: track.id, panelId: panel.id });
  await commitAndDraw(t, organizer, session.id);
  await setPhase(t, organizer, contest.id, 'presentation');
  const absentEntryIds = entries.slice(entryCount - absentCount).map((e) => e.id);
  for (const e of entries) await checkIn(t, organizer, session.id, e.id, absentEntryIds.includes(e.id) ? 'absent' : 'present');

  return {
    admin, organizer, contest: { id: contest.id, name: contest.name }, track: { id: track.id, name: track.name }, panel: { id: panel.id }, session: { id: session.id },
    units, enterprises, entries, experts, absentEntryIds,
  };
}

/** Marks (points, one decimal) for every item of a rubric adding up to `total` tenths exactly. */
export function marksForTotal(rubric: RubricOut, total: number): Record<string, number> {
  const maxima = rubric.items.map((i) => Math.round(i.max * 10));
  const sum = maxima.reduce((a, b) => a + b, 0);
  if (total < 0 || total > sum) throw new Error(`marksForTotal: ${total} outside 0..${sum}`);
  const tenths = maxima.map((m) => Math.floor((m * total) / sum));
  let left = total - tenths.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % tenths.length) {
    if (tenths[k]! < maxima[k]!) {
      tenths[k]!++;
      left--;
    }
  }
  return Object.fromEntries(rubric.items.map((i, k) => [i.key, tenths[k]! / 10]));
}

/** The sheet total (tenths) expert `x` gives entry `i` at a stage. */
export type Totals = (entryIndex: number, expertIndex: number, stage: Stage) => number;

/** Every present entry scored by every panel expert through the API (POST …/submit), totals as given. */
export async function scoreAll(t: TestApp, s: ResultsScenario, totals: Totals): Promise<void> {
  const rubrics = new Map<string, RubricOut>();
  for (const e of s.entries) {
    if (s.absentEntryIds.includes(e.id)) continue;
    for (const stage of STAGES) {
      const key = `${e.entryType}:${stage}`;
      if (!rubrics.has(key)) rubrics.set(key, (await mySheet(t, s.experts[0]!.token, e.id, stage)).rubric);
      for (const [x, expert] of s.experts.entries()) {
        const marks = marksForTotal(rubrics.get(key)!, totals(e.index, x, stage));
        const res = await t.http().post(`/api/entries/${e.id}/sheets/${stage}/submit`).set(bearer(expert.token)).send({ marks });
        if (res.status !== 200) throw new Error(`scoreAll: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  }
}

/**
 * Writes submitted sheets straight into score_sheets (test set-up for scale: a few statements
 * instead of thousands of requests); marks add up to the total; the current rubric of the entry's
 * type and stage. Only for present entries of a contest in phase presentation.
 */
export async function seedSheets(t: TestApp, s: ResultsScenario, totals: Totals): Promise<void> {
  const rubrics = (await t.dataSource.query('SELECT id, entry_type, stage, version, items FROM rubrics WHERE contest_id = ? ORDER BY version', [s.contest.id])) as {
    id: number; entry_type: string; stage: string; items: string;
  }[];
  const current = new Map<string, { id: number; rubric: RubricOut }>();
  for (const r of rubrics) {
    const items = (JSON.parse(r.items) as { key: string; title: string; description: string; max: number }[]).map((i) => ({ ...i, max: i.max / 10 }));
    current.set(`${r.entry_type}:${r.stage}`, { id: Number(r.id), rubric: { id: Number(r.id), items, maxTotal: items.reduce((a, i) => a + i.max, 0) } });
  }
  // 'YYYY-MM-DD HH:MM:SS' (UTC): what both drivers accept for a datetime parameter.
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const rows: unknown[][] = [];
  for (const e of s.entries) {
    if (s.absentEntryIds.includes(e.id)) continue;
    for (const stage of STAGES) {
      const rubric = current.get(`${e.entryType}:${stage}`)!;
      for (const [x, expert] of s.experts.entries()) {
        const total = totals(e.index, x, stage);
        const marks = Object.fromEntries(Object.entries(marksForTotal(rubric.rubric, total)).map(([k, v]) => [k, Math.round(v * 10)]));
        rows.push([s.contest.id, e.id, expert.id, stage, 'submitted', JSON.stringify(marks), '{}', total, rubric.id, 1, 1, null, now, now, now]);
      }
    }
  }
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await t.dataSource.query(
      `INSERT INTO score_sheets (contest_id, entry_id, expert_id, stage, status, marks, comments, total, rubric_id, version, lock_version, reopen_reason, submitted_at, created_at, updated_at) VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      chunk.flat(),
    );
  }
}

/** The panel leader signs the session off and the contest moves to `finalizing`. */
export async function toFinalizing(t: TestApp, s: ResultsScenario): Promise<void> {
  await signOff(t, s.experts[0]!.token, s.session.id);
  await setPhase(t, s.organizer, s.contest.id, 'finalizing');
}

async function ok(t: TestApp, token: string, path: string, body: object, status: number, what: string): Promise<Record<string, unknown>> {
  const res = await t.http().post(path).set(bearer(token)).send(body);
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

export const computeResults = (t: TestApp, s: ResultsScenario, body: { tieBreakOrder?: number[]; reason?: string } = {}) =>
  ok(t, s.organizer, `/api/contests/${s.contest.id}/results/compute`, body, 200, 'compute');
export const freezeResults = (t: TestApp, s: ResultsScenario) => ok(t, s.organizer, `/api/contests/${s.contest.id}/results/freeze`, {}, 200, 'freeze');

/** Computes, freezes and moves the contest to the notice (公示). */
export async function toNotice(t: TestApp, s: ResultsScenario): Promise<void> {
  await computeResults(t, s);
  await freezeResults(t, s);
  await setPhase(t, s.organizer, s.contest.id, 'notice');
}

/** Ends the notice period now (PATCH noticeEndsAt a second ago, with the reason shortening needs). */
export async function endNotice(t: TestApp, s: ResultsScenario): Promise<void> {
  const res = await t.http().patch(`/api/contests/${s.contest.id}`).set(bearer(s.organizer))
    .send({ noticeEndsAt: new Date(Date.now() - 1000).toISOString(), reason: '测试：公示期届满' });
  if (res.status !== 200) throw new Error(`endNotice: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Ends the notice and publishes (every objection must be answered). */
export async function publish(t: TestApp, s: ResultsScenario): Promise<void> {
  await endNotice(t, s);
  await setPhase(t, s.organizer, s.contest.id, 'published');
}

/** Distinct totals: entry i is better the lower its index; experts differ a little; both stages. */
export const descendingTotals: Totals = (i, x, stage) => 950 - 3 * i - (stage === 'material' ? 0 : 1) - 2 * x;

/**
 * A contest scored (through the API) and moved to `finalizing`, `notice` or `published`, for tests of
 * later features (exports, certificates). Defaults: 6 entries, 5 experts, 2 units, default rules.
 */
export async function resultsContest(t: TestApp, phase: 'finalizing' | 'notice' | 'published', opts: ResultsScenarioOptions & { totals?: Totals } = {}): Promise<ResultsScenario> {
  const s = await buildResultsScenario(t, opts);
  await scoreAll(t, s, opts.totals ?? descendingTotals);
  await toFinalizing(t, s);
  if (phase === 'finalizing') return s;
  await toNotice(t, s);
  if (phase === 'notice') return s;
  await publish(t, s);
  return s;
}
