// The demo's present: after the published 2020 competition, the 2021 competition is being judged
// today (sessions drawn, experts scoring, some sheets still missing) and the 2022 call for entries
// is open (a draft, entries waiting for their unit's recommendation). Through the API only.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client.js';
import { inParallel } from './api-client.js';
import type { Schemas } from './api-client.js';
import { entryTitle, gaussian, team, TRACKS, type DemoEnterprise } from './demo-data.js';
import { demoReportPdf } from './demo-pdf.js';
import { cst, dayOf } from './demo-calendar.js';
import type { SetClock } from '../common/clock.js';

type EntryType = 'problem_solving' | 'innovation';
type Stage = 'material' | 'presentation';
interface RubricItem { key: string; max: number }
interface Contest { id: number; rubrics: { entryType: string; stage: string; items: RubricItem[] }[] }
export interface PlannedEntry {
  enterprise: { name: string }; type: EntryType; title: string; team: ReturnType<typeof team>;
  /** Its report, when drawn ahead (see demo-pdf.ts); drawn when filed otherwise. */
  report?: Promise<Buffer>;
}

/**
 * Creates an entry, uploads its report and (unless `draft`) submits it; returns its id. The seeded
 * draws are made at once.
 */
export async function fileEntry(client: ApiClient, contestId: number, p: PlannedEntry, rng: () => number, activityYear: number, draft = false): Promise<number> {
  const id = await createEntry(client, contestId, p, rng, activityYear);
  if (!draft) await reportAndSubmit(client, id, p);
  return id;
}

/** Creates an entry (its seeded draws made at once); returns its id. */
export async function createEntry(client: ApiClient, contestId: number, p: PlannedEntry, rng: () => number, activityYear: number): Promise<number> {
  const start = new Date(Date.UTC(activityYear, Math.floor(rng() * 8), 1 + Math.floor(rng() * 27)));
  const end = new Date(start.getTime() + (120 + Math.floor(rng() * 200)) * 86400_000);
  const body = {
    title: p.title, entryType: p.type, team: p.team,
    summary: `${p.enterprise.name}${p.team.name}围绕「${p.title}」开展质量攻关活动，运用PDCA循环和统计工具，取得了明显成效。`,
    activityStart: start.toISOString().slice(0, 10), activityEnd: end.toISOString().slice(0, 10),
    economicBenefit: 50_000 + Math.floor(rng() * 2_000_000), benefitDescription: '年节约成本、减少返工，质量指标稳定达标。',
  };
  return (await client.post<{ id: number }>(`/api/contests/${contestId}/entries`, body)).id;
}

/** Uploads an entry's report and submits the entry. */
export async function reportAndSubmit(client: ApiClient, id: number, p: PlannedEntry): Promise<void> {
  await client.upload(`/api/entries/${id}/attachments`, { kind: 'report' }, { name: `${p.title}-成果报告.pdf`, type: 'application/pdf', data: await (p.report ?? demoReportPdf(p.title, p.enterprise.name, p.team.name)) });
  await client.post(`/api/entries/${id}/submit`);
}

/** Marks for one sheet: the entry's quality, the expert's severity and some noise, in tenths. */
export function demoMarks(rng: () => number, items: RubricItem[], quality: number, severity: number, stage: Stage): Record<string, number> {
  const q = quality + (stage === 'presentation' ? 0.03 * gaussian(rng) : 0);
  const marks: Record<string, number> = {};
  for (const item of items) {
    const share = Math.min(1, Math.max(0.3, q + severity + 0.04 * gaussian(rng)));
    marks[item.key] = Math.round(item.max * 10 * share) / 10;
  }
  return marks;
}

/** The draw of a session's order: the seed's hash is published first, the seed after the draw. */
export async function drawOrder(org: ApiClient, sessionId: number): Promise<void> {
  const seed = randomBytes(32).toString('hex');
  await org.post(`/api/sessions/${sessionId}/commit`, { commitment: createHash('sha256').update(seed).digest('hex') });
  await org.post(`/api/sessions/${sessionId}/draw`, { seed });
}

/** The expert's assignments in one contest. */
export async function assignmentsOf(client: ApiClient, contestId: number): Promise<{ entryId: number; contestId: number }[]> {
  const mine = await client.get<Schemas['MyAssignmentsResponse']>('/api/experts/me/assignments');
  return mine.items.filter((a) => a.contestId === contestId);
}

export interface CurrentYearsInput {
  org: ApiClient;
  api: ApiClient;
  rng: () => number;
  password: string;
  small: boolean;
  step: (line: string) => void;
  /** The service's clock: 2021 is played in its own year, 2022's call opens at the clock's now. */
  clock: SetClock;
  units: { id: number; username: string }[];
  enterprises: (DemoEnterprise & { id: number; unitId: number; username: string })[];
  entClients: Map<number, ApiClient>;
  unitClients: Map<number, ApiClient>;
  experts: { id: number; username: string; panel: number; track: string }[];
  /** 2021's entries (planLiveEntries). */
  livePlan: LiveEntryPlan[];
  /** The client of an account, logged in once (see run-demo.ts). */
  session: (username: string) => Promise<ApiClient>;
}

export interface DemoDisplay { sessionId: number; label: string; path: string }

/** The 2021 competition's tracks: manufacturing problem-solving and services. */
const LIVE_TRACKS = [TRACKS[0], TRACKS[2]];

/** A 2021 entry, planned ahead: its enterprise by index in the 2020 cast, its report being drawn. */
export interface LiveEntryPlan { enterprise: number; type: EntryType; title: string; team: ReturnType<typeof team>; quality: number; report: Promise<Buffer> }

/**
 * The 2021 entries, drawn with their own generator when the demo starts: their reports are drawn
 * (in npm run demo's PDF thread) while 2020 is played, so that filing them today waits for none.
 */
export function planLiveEntries(cast: readonly { name: string; industry: DemoEnterprise['industry'] }[], small: boolean, rng: () => number): LiveEntryPlan[] {
  const perTrack = small ? 4 : 8;
  return LIVE_TRACKS.flatMap((t) => cast.flatMap((e, i) => (e.industry === t.industry ? [i] : [])).slice(0, perTrack).map((i) => {
    const type: EntryType = t.entryType ?? 'problem_solving';
    const p = { enterprise: i, type, title: entryTitle(rng, cast[i].industry, type), team: team(rng), quality: Math.min(0.97, Math.max(0.6, 0.82 + 0.06 * gaussian(rng))) };
    const report = demoReportPdf(p.title, cast[i].name, p.team.name);
    report.catch(() => undefined); // awaited when filed
    return { ...p, report };
  }));
}

export async function runCurrentYears(c: CurrentYearsInput): Promise<{ liveContestId: number; openContestId: number; expertUsername: string; displays: DemoDisplay[] }> {
  const { org, rng } = c;
  const day = dayOf(c.clock);
  const create = (name: string, year: number, opensAt: Date, closesAt: Date) => org.post<Contest>('/api/contests', {
    name, year, theme: '提升质量 追求卓越',
    submissionOpensAt: opensAt.toISOString(),
    submissionClosesAt: closesAt.toISOString(),
    noticeDays: 7,
    rules: {
      quotas: { mode: 'ratio', scope: 'overall', ratios: { first: 100, second: 200, third: 300, excellence: 300 } },
      excellentUnits: { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: 3 },
      caps: { entriesPerEnterprise: 3, recommendedPerUnit: 60, maxTeamMembers: 15 },
      showScoresPublicly: false,
    },
  });

  // 2021: two tracks (manufacturing problem-solving, services) judged today by the 2020 panels of those tracks.
  // Its own year: the call from June, the deadline at the end of August, presentations on 16 September.
  c.step('2021年度：今日（2021年9月16日）现场发表与评分进行中');
  day('2021-06-01 09:00');
  const live = await create('2021年滨海新区质量攻关活动', 2021, cst('2021-06-01 09:00'), cst('2021-08-31 17:00'));
  const tracks: ((typeof TRACKS)[number] & { id: number })[] = [];
  for (const t of LIVE_TRACKS) tracks.push({ ...t, ...(await org.post<{ id: number }>(`/api/contests/${live.id}/tracks`, { name: t.name, industry: t.industry, ...(t.entryType ? { entryType: t.entryType } : {}) })) });
  await org.post(`/api/contests/${live.id}/phase`, { to: 'open' });
  const plan = c.livePlan.map((p) => ({ ...p, enterprise: c.enterprises[p.enterprise] }));
  day('2021-07-05 09:00');
  const filed = await inParallel(plan, 8, async (p) => ({ ...p, id: await fileEntry(c.entClients.get(p.enterprise.id)!, live.id, p, rng, 2020) }));
  day('2021-08-16 09:00');
  await inParallel(filed, 8, (e) => c.unitClients.get(e.enterprise.unitId)!.post(`/api/entries/${e.id}/recommend`));
  day('2021-09-01 09:00');
  await org.post(`/api/contests/${live.id}/phase`, { to: 'review' });
  await org.post(`/api/contests/${live.id}/review/bulk-pass`, { entryIds: filed.map((e) => e.id) });
  await org.post(`/api/contests/${live.id}/tracks/place`);
  day('2021-09-08 09:00');
  const sessions: { id: number; panelExperts: typeof c.experts }[] = [];
  for (let p = 0; p < tracks.length; p++) {
    const members = c.experts.filter((x) => x.track === tracks[p].name);
    const panel = await org.post<{ id: number }>(`/api/contests/${live.id}/panels`, { trackId: tracks[p].id, name: `第${'一二'[p]}评审组（${tracks[p].name}）`, leaderExpertId: members[0].id, memberExpertIds: members.map((m) => m.id) });
    await org.post(`/api/panels/${panel.id}/assignments/default`);
    const ids = filed.filter((e) => e.enterprise.industry === tracks[p].industry).map((e) => e.id);
    const startsAt = cst(p === 0 ? '2021-09-16 08:30' : '2021-09-16 13:30').toISOString();
    const s = await org.post<{ id: number }>(`/api/contests/${live.id}/sessions`, { trackId: tracks[p].id, panelId: panel.id, name: `${tracks[p].name} 现场发表`, venue: '滨海新区市场监管局一楼报告厅', startsAt, slotMinutes: 15, qaMinutes: 5, entryIds: ids });
    await drawOrder(org, s.id);
    sessions.push({ id: s.id, panelExperts: members });
  }
  await org.post(`/api/contests/${live.id}/phase`, { to: 'presentation' });
  const rubric = (type: string, stage: string) => live.rubrics.find((r) => r.entryType === type && r.stage === stage)!.items;
  const quality = new Map(filed.map((e) => [e.id, e.quality]));
  const typeOf = new Map(filed.map((e) => [e.id, e.type]));
  // Today, mid-afternoon. The first half of each session has presented: checked in and scored by
  // every member but the leader (the demo's expert account, who has everything still to do) and one who only drafted.
  day('2021-09-16 14:30');
  for (const s of sessions) {
    const detail = await org.get<Schemas['SessionResponse']>(`/api/sessions/${s.id}`);
    const ordered = [...(detail.slots ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const presented = ordered.slice(0, Math.ceil(ordered.length / 2)).map((x) => x.entryId);
    await inParallel(presented, 8, (id) => org.post(`/api/sessions/${s.id}/check-in`, { entryId: id, attendance: 'present' }));
    await inParallel(s.panelExperts.slice(1), 8, async (x, i) => {
      const client = await c.session(x.username);
      const severity = 0.025 * gaussian(rng);
      const mine = new Set((await assignmentsOf(client, live.id)).map((a) => a.entryId));
      for (const id of presented.filter((e) => mine.has(e))) {
        for (const stage of ['material', 'presentation'] as const) {
          const marks = demoMarks(rng, rubric(typeOf.get(id)!, stage), quality.get(id)!, severity, stage);
          if (i === 0 && id === presented[presented.length - 1]) await client.put(`/api/entries/${id}/sheets/${stage}/draft`, { marks, lockVersion: 0 });
          else await client.post(`/api/entries/${id}/sheets/${stage}/submit`, { marks });
        }
      }
    });
  }

  // The wall of each session (现场发表投屏): a display link for the hall's projector; in the afternoon
  // session the first team after the presented half is on, its timer running since a few minutes ago.
  const displays: { sessionId: number; label: string; path: string }[] = [];
  for (const [i, s] of sessions.entries()) {
    const link = await org.post<{ path: string }>(`/api/sessions/${s.id}/display-links`, { label: '报告厅投影' });
    const label = i === 0 ? '上午场' : '下午场';
    displays.push({ sessionId: s.id, label, path: link.path });
  }
  const afternoon = sessions.at(-1);
  if (afternoon) {
    const detail = await org.get<{ slots: { entryId: number; position: number | null; attendance: string }[] }>(`/api/sessions/${afternoon.id}`);
    const up = [...detail.slots].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).find((x) => x.attendance === 'pending');
    if (up) {
      await org.post(`/api/sessions/${afternoon.id}/check-in`, { entryId: up.entryId, attendance: 'present' });
      await org.post(`/api/sessions/${afternoon.id}/display/advance`, { entryId: up.entryId });
      await org.post(`/api/sessions/${afternoon.id}/display/start`);
    }
  }

  // 2022: the call for entries is open; an enterprise has a draft, others wait for their unit.
  // Opened an hour ago by the demo's clock, open for 30 days.
  c.step('2022年度：成果征集中');
  const now = c.clock.now();
  const open = await create('2022年滨海新区质量攻关活动', 2022, new Date(now.getTime() - 3600_000), new Date(now.getTime() + 30 * 86400_000));
  for (const t of TRACKS) await org.post(`/api/contests/${open.id}/tracks`, { name: t.name, industry: t.industry, ...(t.entryType ? { entryType: t.entryType } : {}) });
  await org.post(`/api/contests/${open.id}/phase`, { to: 'open' });
  const home = c.enterprises[0];
  const neighbours = c.enterprises.filter((e) => e.unitId === home.unitId && e.id !== home.id).slice(0, 3);
  const next = (e: DemoEnterprise): PlannedEntry => ({ enterprise: e, type: 'problem_solving', title: entryTitle(rng, e.industry, 'problem_solving'), team: team(rng) });
  await fileEntry(c.entClients.get(home.id)!, open.id, next(home), rng, 2021, true);
  await inParallel(neighbours, 3, (e) => fileEntry(c.entClients.get(e.id)!, open.id, next(e), rng, 2021));

  return { liveContestId: live.id, openContestId: open.id, displays, expertUsername: sessions.length ? sessions[0].panelExperts[0].username : c.experts[0].username };
}
