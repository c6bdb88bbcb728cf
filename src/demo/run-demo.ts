// Drives the whole 2020 competition through the HTTP API, as the people of the competition would:
// organizer, recommending units, enterprises, experts and the public. Never writes tables directly.
import { ApiClient, closeConnections, csvFile, inParallel } from './api-client.js';
import type { Schemas } from './api-client.js';
import { EXPERT_FIELDS, EXPERT_TITLES, EXPERT_TOPICS, entryTitle, enterprises as makeEnterprises, gaussian, pick, personName, seededRandom, team, TRACKS, UNITS, type Industry } from './demo-data.js';
import { demoReportPdf } from './demo-pdf.js';
import { assignmentsOf, createEntry, type DemoDisplay, demoMarks, drawOrder, planLiveEntries, reportAndSubmit, runCurrentYears } from './current-years.js';
import type { SetClock } from '../common/clock.js';
import { cst, dayOf } from './demo-calendar.js';
import { demoProgress, type DemoProgress } from './demo-progress.js';

export { DEMO_CLOCK } from './demo-calendar.js';

export interface DemoOptions {
  /** full: the seed's year (≈160 entries, 14/26/32/45, 5 units); small: a quick version for tests. */
  size: 'full' | 'small';
  seed: number;
  adminUsername: string;
  adminPassword: string;
  /** Password of every demo account (organizer, units, enterprises, experts). */
  password: string;
  log: (line: string) => void;
  /** A progress bar per long step (on a terminal); plain lines otherwise. */
  progressBar?: boolean;
  /** Shows the progress elsewhere (the client in a worker thread: on the main thread, see demo-client-thread.ts). */
  progress?: DemoProgress;
  /** The service's clock (started with DEMO_CLOCK): the demo sets it to each day it plays. */
  clock: SetClock;
  /**
   * A token for an account from the service itself (npm run demo: AuthService.issueToken, see
   * demo-sessions.ts). When given, only the accounts the summary lists log in with their password;
   * without it every account logs in over HTTP.
   */
  signIn?: (username: string) => Promise<string>;
  /**
   * Told as soon as the 2020 competition is published, before this year's are set up: npm run demo
   * writes the year's files (award list, certificates) then, on the service's thread, while the client
   * plays 2021 and 2022 (mostly waiting on each answer in turn).
   */
  published?: (contestId: number) => void;
}

export interface DemoSummary {
  /** The 2020 competition, published. */
  contestId: number;
  /** 2021: on-site presentation and scoring under way (some sheets missing). */
  liveContestId: number;
  /** 2022: open for entries. */
  openContestId: number;
  /** 2021's sessions: a display link each for the hall's projector (path relative to the site: #/display/<token>). */
  displays: DemoDisplay[];
  levelCounts: Record<'first' | 'second' | 'third' | 'excellence', number>;
  excellentUnits: string[];
  accounts: { role: string; username: string }[];
  entries: number;
}

const SIZES = {
  full: { units: 20, enterprises: 150, entries: 160, expertsPerPanel: 7, quotas: { first: 14, second: 26, third: 32, excellence: 45 }, topN: 5, returned: 5, rejected: 3, declined: 2 },
  small: { units: 6, enterprises: 24, entries: 30, expertsPerPanel: 5, quotas: { first: 2, second: 4, third: 6, excellence: 8 }, topN: 2, returned: 2, rejected: 1, declined: 1 },
} as const;

interface RubricItem { key: string; max: number }

/**
 * How many requests the demo keeps in flight in its parallel steps: enough to keep the service (and
 * the argon2 thread pool, for account creations and logins) busy, few enough not to queue on SQLite.
 */
const PARALLEL = 8;
/**
 * The score submits in flight at once: the room's 35 experts on their tablets. The submits that reach
 * the service in one turn of its event loop are committed together on SQLite (see sheet-submit), so a
 * deeper queue makes larger groups and keeps the service's thread busy while the client reads answers
 * (the scoring step: ≈ 1.6 s with 8 in flight, ≈ 1.25 s with 32).
 */
const SCORING_ROOM = 32;

/**
 * Every seeded draw of the demo's cast, made before any request: the 2020 units, enterprises, experts and
 * entries, then 2021's entries (their own generator); the entries' reports are asked for at once. npm run
 * demo makes it while the service starts (see demo-client-thread.ts); `rng` goes on with the run's draws.
 */
export function planDemo(o: Pick<DemoOptions, 'size' | 'seed'>) {
  const size = SIZES[o.size];
  const rng = seededRandom(o.seed);
  // Every seeded draw of the 2020 cast is made first, in order, before any request (so that the parallel
  // requests leave the generator alone): units, enterprises, experts and the entries (by enterprise index).
  const unitPlan = UNITS.slice(0, size.units).map((u, i) => ({ ...u, contactPerson: personName(rng), phone: `022-6${String(1000000 + i * 7919).slice(0, 7)}` }));
  const cast = makeEnterprises(rng, size.enterprises).map((e) => ({
    ...e,
    contact: {
      address: `天津市滨海新区${pick(rng, ['第一大街', '第三大街', '黄海路', '南海路', '西藏路', '响螺湾'])}${1 + Math.floor(rng() * 200)}号`,
      contactPerson: personName(rng), phone: `1${String(3000000000 + Math.floor(rng() * 999999999)).slice(0, 10)}`,
    },
  }));
  const expertPlan: { username: string; name: string; employer: number; employerName: string | null; title: string; industry: Industry; panel: number }[] = [];
  for (let p = 0; p < TRACKS.length; p++) {
    for (let k = 0; k < size.expertsPerPanel; k++) {
      const n = expertPlan.length + 1;
      // Every panel has one expert employed by an enterprise of its own industry: an automatic conflict.
      const employer = k === size.expertsPerPanel - 1 ? cast.findIndex((e) => e.industry === TRACKS[p].industry) : -1;
      const name = personName(rng);
      const employerName = employer >= 0 ? null : pick(rng, ['天津大学', '河北工业大学', '天津市质量协会', '中国民航大学', '天津理工大学']);
      expertPlan.push({ username: `expert${String(n).padStart(2, '0')}`, name, employer, employerName, title: pick(rng, EXPERT_TITLES), industry: TRACKS[p].industry, panel: p });
    }
  }
  const entryPlan = Array.from({ length: size.entries }, (_, i) => {
    const e = i % cast.length;
    const { industry } = cast[e];
    const type: 'problem_solving' | 'innovation' = industry === '制造' ? (rng() < 0.3 ? 'innovation' : 'problem_solving') : rng() < 0.15 ? 'innovation' : 'problem_solving';
    return { enterprise: e, type, title: entryTitle(rng, industry, type), team: team(rng), quality: Math.min(0.97, Math.max(0.6, 0.82 + 0.06 * gaussian(rng))) };
  });

  // The reports are drawn (in npm run demo's PDF thread) from the start, ahead of their uploads: npm run
  // demo plans while the service starts, when the other core has room.
  const reports = entryPlan.map((p) => {
    const report = demoReportPdf(p.title, cast[p.enterprise].name, p.team.name);
    report.catch(() => undefined); // awaited when filed
    return report;
  });
  const livePlan = planLiveEntries(cast, o.size === 'small', seededRandom(o.seed + 1));
  return { size: o.size, seed: o.seed, rng, unitPlan, cast, expertPlan, entryPlan, reports, livePlan };
}

export type DemoPlan = ReturnType<typeof planDemo>;

/** Imports a register from its CSV (POST /api/imports/:kind): the ids of the records made, in row order. */
async function importSheet(org: ApiClient, kind: 'units' | 'enterprises' | 'experts', name: string, header: string[], rows: string[][]): Promise<number[]> {
  const done = await org.upload<Schemas['ImportResult']>(`/api/imports/${kind}`, {}, { name: `${name}名录.csv`, type: 'text/csv', data: csvFile(header, rows) });
  if (done.ids.length !== rows.length) throw new Error(`The ${kind} import made ${done.ids.length} of ${rows.length} records`);
  return done.ids;
}

/** The demo's run; `plan`: made ahead with the same size and seed (planDemo), or made now. */
export async function runDemo(base: string, o: DemoOptions, plan?: DemoPlan): Promise<DemoSummary> {
  try {
    return await playYears(base, o, plan);
  } finally {
    closeConnections();
  }
}

async function playYears(base: string, o: DemoOptions, ahead: DemoPlan | undefined): Promise<DemoSummary> {
  const size = SIZES[o.size];
  const api = new ApiClient(base);
  const bar = o.progress ?? demoProgress(o.log, o.progressBar ?? false);
  const step = (s: string) => {
    bar.end();
    o.log(`▶ ${s}`);
  };
  const day = dayOf(o.clock);
  const progress = (label: string, total: number) => bar.count(label, total);
  // Each account gets one session; its client renews its token when the clock moved past it. With
  // `signIn`, the accounts a person would try (the summary's) log in with their password and the others
  // get their token from the service: the same token, checked by the same guard on every request, without
  // ≈ 200 more argon2 verifications (≈ 23 ms of CPU each) that would prove nothing new. Their tokens
  // are renewed the same way after the first login: as the clock moves by days, a login each day would
  // verify the same password again (≈ 20 of them, one after another on the organizer's path, ≈ 0.6 s).
  const signIn = o.signIn;
  const logIn = (username: string, password: string) => api.login(username, password, signIn && (() => signIn(username)));
  const byPassword = new Set<string>();
  const sessionsOf = new Map<string, Promise<ApiClient>>();
  const session = (username: string): Promise<ApiClient> => {
    let c = sessionsOf.get(username);
    if (!c) {
      c = signIn && !byPassword.has(username) ? api.signedIn(() => signIn(username)) : logIn(username, o.password);
      sessionsOf.set(username, c);
    }
    return c;
  };

  const { rng, unitPlan, cast, expertPlan, entryPlan, reports, livePlan } = ahead && ahead.seed === o.seed && ahead.size === o.size ? ahead : planDemo(o);
  step('登录系统管理员，创建组委会账号');
  day('2020-06-01 09:30');
  const admin = await logIn(o.adminUsername, o.adminPassword);
  await admin.post('/api/users', { username: 'organizer', displayName: '滨海新区质量工作领导小组办公室', role: 'organizer', password: o.password });
  const org = await logIn('organizer', o.password);

  // The register (units, enterprises, experts) comes from the office's spreadsheets, as an organizer
  // would bring it: one import each (every row checked as the routes check it), then an account each.
  step(`推荐单位 ${size.units} 家（表格导入）`);
  const unitDone = progress('已开通账号', unitPlan.length);
  const unitIds = await importSheet(org, 'units', '推荐单位', ['单位名称', '单位类型', '联系人', '联系电话'], unitPlan.map((u) => [u.name, u.kind, u.contactPerson, u.phone]));
  const units = await inParallel(unitPlan, PARALLEL, async (u, i) => {
    const username = `unit${String(i + 1).padStart(2, '0')}`;
    await org.post(`/api/units/${unitIds[i]}/accounts`, { username, displayName: u.name, password: o.password });
    unitDone();
    return { id: unitIds[i], name: u.name, username };
  });

  step(`企业 ${size.enterprises} 家（表格导入，统一社会信用代码均经校验）`);
  const entDone = progress('已开通账号', cast.length);
  const entIds = await importSheet(org, 'enterprises', '企业', ['企业名称', '统一社会信用代码', '所属行业', '地址', '联系人', '联系电话', '推荐单位'],
    cast.map((e) => [e.name, e.uscc, e.industry, e.contact.address, e.contact.contactPerson, e.contact.phone, units[e.unitIndex % units.length].name]));
  const ents = await inParallel(cast, PARALLEL, async (e, i) => {
    const username = `ent${String(i + 1).padStart(3, '0')}`;
    await org.post(`/api/enterprises/${entIds[i]}/accounts`, { username, displayName: e.name, password: o.password });
    entDone();
    return { id: entIds[i], name: e.name, uscc: e.uscc, industry: e.industry, unitIndex: e.unitIndex, unitId: units[e.unitIndex % units.length].id, username };
  });
  // The summary's accounts (the home enterprise, its unit, the first panel's leader) log in with their password.
  byPassword.add(ents[0].username).add(units.find((u) => u.id === ents[0].unitId)!.username).add(expertPlan[0].username);

  step('创建评比活动、分组与规则');
  day('2020-06-05 09:00');
  const contest = await org.post<{ id: number; rubrics: { entryType: string; stage: string; items: RubricItem[] }[] }>('/api/contests', {
    name: o.size === 'full' ? '2020年滨海新区质量攻关活动' : '2020年滨海新区质量攻关活动（演示·小规模）',
    year: 2020,
    theme: '建设质量强国 决胜全面小康',
    submissionOpensAt: cst('2020-06-08 08:00').toISOString(),
    submissionClosesAt: cst('2020-08-31 17:00').toISOString(),
    noticeDays: 7,
    rules: {
      quotas: { mode: 'count', scope: 'overall', counts: size.quotas },
      excellentUnits: { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: size.topN },
      caps: { entriesPerEnterprise: 3, recommendedPerUnit: 60, maxTeamMembers: 15 },
      showScoresPublicly: false,
    },
  });
  const rubric = (type: string, stage: string) => contest.rubrics.find((r) => r.entryType === type && r.stage === stage)!.items;
  const tracks = [];
  for (const t of TRACKS) tracks.push({ ...t, ...(await org.post<{ id: number }>(`/api/contests/${contest.id}/tracks`, { name: t.name, industry: t.industry, ...(t.entryType ? { entryType: t.entryType } : {}) })) });
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'open' });

  step(`评审专家 ${TRACKS.length * size.expertsPerPanel} 名（表格导入，含专业特长；部分与参评企业有回避关系）`);
  // Profiles of expertise (assignment by expertise): each expert knows its panel's industry and its
  // methods; the topics are the organizer's list, made first.
  for (const t of [...new Set(Object.values(EXPERT_TOPICS).flat())]) await org.post('/api/expertise/topics', { name: t });
  const expertMade = progress('已开通账号', expertPlan.length);
  const expertIds = await importSheet(org, 'experts', '评审专家', ['姓名', '职称', '专业领域', '工作单位类型', '工作单位名称', '工作单位统一社会信用代码', '熟悉行业', '擅长课题类型', '方法与专业', '从业年限'],
    expertPlan.map((x, k) => [
      x.name, x.title, EXPERT_FIELDS[x.industry].join('、'),
      x.employer >= 0 ? 'enterprise' : 'other', x.employer >= 0 ? '' : x.employerName!, x.employer >= 0 ? ents[x.employer].uscc : '',
      x.industry, k % 3 === 0 ? 'problem_solving、innovation' : 'problem_solving', EXPERT_TOPICS[x.industry].slice(0, 1 + (k % 3)).join('、'), String(5 + ((k * 7) % 20)),
    ]));
  const experts = await inParallel(expertPlan, PARALLEL, async (x, i) => {
    await org.post(`/api/experts/${expertIds[i]}/accounts`, { username: x.username, displayName: x.name, password: o.password });
    expertMade();
    return { id: expertIds[i], username: x.username, industry: x.industry, panel: x.panel };
  });

  step(`企业申报成果 ${size.entries} 项（附成果报告 PDF）`);
  day('2020-07-06 09:00');
  const plan = entryPlan.map(({ enterprise, ...p }, i) => ({ ...p, report: reports[i], enterprise: ents[enterprise] }));
  const entClients = new Map<number, ApiClient>();
  await inParallel(ents, PARALLEL, async (e) => entClients.set(e.id, await session(e.username)));
  const entryDone = progress('已提交', plan.length);
  // Created one after another, with nothing else in flight (ids in the order of the plan: tie-breaks go
  // by id; each creation is answered at once), then each entry's report, submission and topics in parallel.
  const ids: number[] = [];
  for (const p of plan) ids.push(await createEntry(entClients.get(p.enterprise.id)!, contest.id, p, rng, 2019));
  const entries = await inParallel(plan, SCORING_ROOM, async (p, i) => {
    const client = entClients.get(p.enterprise.id)!;
    await reportAndSubmit(client, ids[i], p);
    await client.put(`/api/entries/${ids[i]}/topics`, { topics: EXPERT_TOPICS[p.enterprise.industry].slice(i % 2, 1 + (i % 2)) });
    entryDone();
    return { id: ids[i], index: i, ...p };
  });

  step('推荐单位推荐成果');
  day('2020-08-17 09:00');
  const unitClients = new Map<number, ApiClient>();
  await inParallel(units, PARALLEL, async (u) => unitClients.set(u.id, await session(u.username)));
  const declined = new Set(entries.slice(-size.declined).map((e) => e.id));
  const recommendDone = progress('已推荐', entries.length);
  await inParallel(entries, PARALLEL, async (e) => {
    const client = unitClients.get(e.enterprise.unitId)!;
    if (declined.has(e.id)) await client.post(`/api/entries/${e.id}/decline`, { reason: '该成果活动周期不完整，本年度暂不推荐' });
    else await client.post(`/api/entries/${e.id}/recommend`);
    recommendDone();
  });

  step('申报截止（8月31日17时），进入材料初审');
  day('2020-09-01 09:00');
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'review' });
  const recommended = entries.filter((e) => !declined.has(e.id));
  const checklistKeys = ['materials_complete', 'activity_period', 'report_length', 'type_fits', 'not_repeated'];
  const allOk = checklistKeys.map((key) => ({ key, ok: true }));
  const returned = recommended.slice(3, 3 + size.returned);
  const rejected = recommended.slice(3 + size.returned, 3 + size.returned + size.rejected);
  await inParallel(returned, PARALLEL, (e) => org.post(`/api/contests/${contest.id}/review/${e.id}`, {
    decision: 'return',
    checklist: checklistKeys.map((key) => (key === 'report_length' ? { key, ok: false, note: '成果报告缺少效果检查数据，请补充后重新提交' } : { key, ok: true })),
    reason: '材料需补充',
  }));
  await inParallel(rejected, PARALLEL, (e) => org.post(`/api/contests/${contest.id}/review/${e.id}`, {
    decision: 'reject',
    checklist: checklistKeys.map((key) => (key === 'not_repeated' ? { key, ok: false, note: '与往届获奖成果重复' } : { key, ok: true })),
    reason: '该课题已于往届获奖，不符合申报条件',
  }));
  const skip = new Set([...returned, ...rejected].map((e) => e.id));
  await org.post(`/api/contests/${contest.id}/review/bulk-pass`, { entryIds: recommended.filter((e) => !skip.has(e.id)).map((e) => e.id) });
  step(`退回修改 ${returned.length} 项，企业补充材料后重新提交`);
  day('2020-09-04 10:00');
  await inParallel(returned, PARALLEL, async (e) => {
    const client = entClients.get(e.enterprise.id)!;
    await client.patch(`/api/entries/${e.id}`, { benefitDescription: '补充：效果检查数据见报告第 5 章，目标达成率 112%。' });
    await client.upload(`/api/entries/${e.id}/attachments`, { kind: 'report' }, { name: `${e.title}-成果报告（修改稿）.pdf`, type: 'application/pdf', data: await demoReportPdf(e.title, e.enterprise.name, e.team.name, '修改稿') });
    await client.post(`/api/entries/${e.id}/submit`);
    await org.post(`/api/contests/${contest.id}/review/${e.id}`, { decision: 'pass', checklist: allOk });
  });
  const passed = recommended.filter((e) => !rejected.some((r) => r.id === e.id));

  step('分组、评审组、回避与评审任务分配');
  day('2020-09-07 09:00');
  await org.post(`/api/contests/${contest.id}/tracks/place`);
  const panels: { id: number; trackId: number; leader: number }[] = [];
  for (let p = 0; p < tracks.length; p++) {
    const members = experts.filter((x) => x.panel === p);
    const panel = await org.post<{ id: number }>(`/api/contests/${contest.id}/panels`, { trackId: tracks[p].id, name: `第${'一二三四五六七八九十'[p]}评审组（${tracks[p].name}）`, leaderExpertId: members[0].id, memberExpertIds: members.map((m) => m.id) });
    await org.post(`/api/panels/${panel.id}/assignments/default`);
    panels.push({ id: panel.id, trackId: tracks[p].id, leader: members[0].id });
  }

  step('现场发表场次与抽签（先公布种子哈希，抽签后公开种子）');
  day('2020-09-10 09:00');
  const placed = await org.get<Schemas['EntryPage']>(`/api/entries?contestId=${contest.id}&status=passed&pageSize=200`);
  // (the same steps for this year's competition are in current-years.ts)
  const venues = ['滨海新区市场监管局一楼报告厅', '泰达会展中心第二会议室', '滨海科技馆学术报告厅'];
  const sessionPlan: { panelId: number; trackId: number; name: string; venue: string; entryIds: number[]; startsAt: string }[] = [];
  for (const panel of panels) {
    const ids = placed.items.filter((e) => e.trackId === panel.trackId).map((e) => e.id);
    for (let i = 0; i < ids.length; i += 16) {
      const k = sessionPlan.length;
      // Mid-September, three venues a day, from Tuesday the 15th, at 08:30 China time.
      const startsAt = cst(`2020-09-${15 + Math.floor(k / venues.length)} 08:30`).toISOString();
      sessionPlan.push({ panelId: panel.id, trackId: panel.trackId, name: `${tracks.find((t) => t.id === panel.trackId)!.name} 第${i / 16 + 1}场`, venue: venues[k % venues.length], entryIds: ids.slice(i, i + 16), startsAt });
    }
  }
  // Created one after another (their ids follow the calendar), drawn in parallel.
  const sessions: { id: number; entryIds: number[]; startsAt: string }[] = [];
  for (const p of sessionPlan) {
    const s = await org.post<{ id: number }>(`/api/contests/${contest.id}/sessions`, { trackId: p.trackId, panelId: p.panelId, name: p.name, venue: p.venue, startsAt: p.startsAt, slotMinutes: 15, qaMinutes: 5, entryIds: p.entryIds });
    sessions.push({ id: s.id, entryIds: p.entryIds, startsAt: p.startsAt });
  }
  await inParallel(sessions, PARALLEL, (s) => drawOrder(org, s.id));
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'presentation' });

  step('现场签到（1 项缺席）');
  const absentId = sessions[0].entryIds[sessions[0].entryIds.length - 1];
  const checkedIn = progress('已签到', sessions.reduce((n, s) => n + s.entryIds.length, 0));
  // Checked in as each day's sessions begin (the clock only moves forward): the sessions of one start time together.
  for (const startsAt of [...new Set(sessions.map((s) => s.startsAt))].sort()) {
    if (o.clock.now().getTime() < Date.parse(startsAt)) o.clock.set(new Date(startsAt), true);
    const slots = sessions.filter((s) => s.startsAt === startsAt).flatMap((s) => s.entryIds.map((id) => ({ sessionId: s.id, id })));
    await inParallel(slots, PARALLEL, async ({ sessionId, id }) => {
      await org.post(`/api/sessions/${sessionId}/check-in`, { entryId: id, attendance: id === absentId ? 'absent' : 'present' });
      checkedIn();
    });
  }
  const lastDay = sessions.reduce((a, s) => (s.startsAt > a ? s.startsAt : a), '').slice(0, 10);

  step('专家现场评分（材料评审 + 现场发表），评审组长确认');
  o.clock.set(new Date(`${lastDay}T09:30:00Z`), true); // 17:30 China time on the last day of presentations
  const quality = new Map(passed.map((e) => [e.id, e.quality]));
  const typeOf = new Map(passed.map((e) => [e.id, e.type]));
  // Each expert's assignments first (in parallel), then every sheet's marks drawn in order, then the submits in parallel.
  const severities = experts.map(() => 0.025 * gaussian(rng));
  const work = await inParallel(experts, PARALLEL, async (x) => {
    const client = await session(x.username);
    // By entry, not in the order of presentation (a random draw each run): the same marks for the same sheets every run.
    return { client, assignments: (await assignmentsOf(client, contest.id)).filter((a) => a.entryId !== absentId).sort((a, b) => a.entryId - b.entryId) };
  });
  const perExpert = work.map(({ client, assignments }, i) => assignments.flatMap((a) => (['material', 'presentation'] as const).map((stage) => ({
    client, path: `/api/entries/${a.entryId}/sheets/${stage}/submit`, marks: demoMarks(rng, rubric(typeOf.get(a.entryId)!, stage), quality.get(a.entryId)!, severities[i], stage),
  }))));
  // Interleaved (each expert's first sheet, then each one's second, …): the room scores together.
  const sheets = Array.from({ length: Math.max(0, ...perExpert.map((l) => l.length)) }, (_, k) => perExpert.flatMap((l) => (k < l.length ? [l[k]] : []))).flat();
  const sheetDone = progress('已提交评分表', sheets.length);
  await inParallel(sheets, SCORING_ROOM, async (sheet) => {
    await sheet.client.post(sheet.path, { marks: sheet.marks });
    sheetDone();
  });
  const allSessions = (await org.get<Schemas['SessionPage']>(`/api/contests/${contest.id}/sessions`)).items;
  await inParallel(panels, PARALLEL, async (panel) => {
    const client = await session(experts.find((x) => x.id === panel.leader)!.username);
    for (const s of allSessions.filter((x) => x.panelId === panel.id)) await client.post(`/api/sessions/${s.id}/sign-off`);
  });

  step('汇总计算：去掉最高分和最低分，按名额评定等级');
  day('2020-09-21 09:00');
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'finalizing' });
  const computed = await org.post<{ boundaryTies: { entryIds: number[] }[]; unresolvedRankTies: { entryIds: number[] }[] }>(`/api/contests/${contest.id}/results/compute`, {});
  const ties = [...computed.boundaryTies, ...computed.unresolvedRankTies].flatMap((t) => t.entryIds);
  if (ties.length) {
    // The organizer records the order of the tied entries (here: by registration), as the rules allow.
    await org.post(`/api/contests/${contest.id}/results/compute`, { tieBreakOrder: [...new Set(ties)].sort((a, b) => a - b), reason: '名额边界并列，由组委会按申报先后确定' });
  }
  await org.post(`/api/contests/${contest.id}/results/freeze`);
  // Seven days of public notice, to 09:00 on 29 September.
  day('2020-09-22 09:00');
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'notice' });

  step('公示：公众提出异议，组委会答复');
  day('2020-09-24 10:00');
  const pub = await api.get<Schemas['AwardListResponse']>(`/api/public/contests/${contest.id}/results`);
  const objected = pub.levels.first[0].entryId;
  const objection = await api.post<{ id: number }>(`/api/public/contests/${contest.id}/objections`, { entryId: objected, name: '李先生', contact: '13800000000', content: '该成果的经济效益数据是否经过财务部门核实？' });
  day('2020-09-25 15:00');
  await org.post(`/api/objections/${objection.id}/answer`, { answer: '经核查，该成果经济效益已由企业财务部门出具证明，数据属实，维持评审结果。' });
  // The notice is over: the results are published at the 2020 forum, 29 September.
  step('公示期满，9月29日发布评审结果');
  day('2020-09-29 10:00');
  await org.post(`/api/contests/${contest.id}/phase`, { to: 'published' });

  const final = await api.get<Schemas['AwardListResponse']>(`/api/public/contests/${contest.id}/results`);
  o.published?.(contest.id);

  // This year: one competition being judged today and next year's call for entries, so every
  // screen of the interface has something to show.
  const current = await runCurrentYears({
    org, api, rng, password: o.password, small: o.size === 'small', step, clock: o.clock,
    units, enterprises: ents, entClients, unitClients, experts: experts.map((x) => ({ ...x, track: TRACKS[x.panel].name })), session, livePlan,
  });
  bar.end();
  const home = ents[0];
  return {
    contestId: contest.id,
    liveContestId: current.liveContestId,
    openContestId: current.openContestId,
    displays: current.displays,
    levelCounts: { first: final.levels.first.length, second: final.levels.second.length, third: final.levels.third.length, excellence: final.levels.excellence.length },
    excellentUnits: final.excellentUnits.map((u) => u.unitName),
    entries: entries.length,
    accounts: [
      { role: 'admin', username: o.adminUsername },
      { role: 'organizer', username: 'organizer' },
      { role: 'recommender', username: units.find((u) => u.id === home.unitId)!.username },
      { role: 'enterprise', username: home.username },
      { role: 'expert', username: current.expertUsername },
    ],
  };
}
