// Tracks placement, panels, assignments, sessions, the draw and check-in through the HTTP API.
import { commitSeed, generateSeed } from '../../src/judging/order-draw.js';
import { ADMIN, createUser, login, type TestApp } from '../support/test-app.js';
import { closeSubmissions, openContest, setPhase } from './contests.js';
import { submittedRecommendedEntry } from './entries.js';
import { createEnterprise, createEnterpriseAccount, createUnit, createUnitAccount } from './organisations.js';
import { passEntries } from './review.js';

export interface PanelOut {
  id: number;
  contestId: number;
  trackId: number;
  name: string;
  leaderExpertId: number | null;
  leader: { id: number; name: string } | null;
  members: { id: number; name: string; title: string | null; employerName: string | null }[];
  createdAt: string;
}

export interface SlotOut {
  entryId: number;
  title: string;
  teamName: string;
  enterpriseName: string | null;
  entryStatus: string;
  position: number | null;
  startsAt: string | null;
  attendance: 'pending' | 'present' | 'absent';
  checkedAt: string | null;
}

export interface SessionOut {
  id: number;
  contestId: number;
  trackId: number;
  panelId: number | null;
  name: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  slotMinutes: number;
  qaMinutes: number;
  entryCount: number;
  commitment: string | null;
  committedAt: string | null;
  seed: string | null;
  drawnAt: string | null;
  slots: SlotOut[];
}

export interface AssignmentResultOut {
  panelId: number;
  pairs: { expertId: number; entryId: number }[];
  skipped: { expertId: number; entryId: number; source: string; reason: string }[];
  unjudged: number[];
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let seq = 0;

async function send(t: TestApp, token: string, method: 'post' | 'patch', path: string, body: object, status: number, what: string): Promise<Record<string, unknown>> {
  const res = await t.http()[method](path).set(bearer(token)).send(body);
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/** POST /contests/:id/tracks/place: places every passed entry without a track. */
export async function placeTracks(t: TestApp, organizerToken: string, contestId: number) {
  return (await send(t, organizerToken, 'post', `/api/contests/${contestId}/tracks/place`, {}, 200, 'placeTracks')) as {
    placed: { entryId: number; trackId: number }[];
    unplaced: { entryId: number }[];
  };
}

/** A panel of a track; the leader is a member automatically. */
export async function createPanel(
  t: TestApp,
  organizerToken: string,
  contestId: number,
  body: { trackId: number; leaderExpertId: number; memberExpertIds?: number[]; name?: string },
): Promise<PanelOut> {
  const payload = { name: body.name ?? `第${++seq}评审组`, trackId: body.trackId, leaderExpertId: body.leaderExpertId, memberExpertIds: body.memberExpertIds ?? [] };
  return (await send(t, organizerToken, 'post', `/api/contests/${contestId}/panels`, payload, 201, 'createPanel')) as unknown as PanelOut;
}

/** Every member of the panel judges every entry of its track, except conflicted pairs. */
export async function assignDefault(t: TestApp, organizerToken: string, panelId: number): Promise<AssignmentResultOut> {
  return (await send(t, organizerToken, 'post', `/api/panels/${panelId}/assignments/default`, {}, 200, 'assignDefault')) as unknown as AssignmentResultOut;
}

/** A session of a track (default: tomorrow 09:00 UTC in a fresh venue, 15 + 5 minutes per entry). */
export async function createSession(
  t: TestApp,
  organizerToken: string,
  contestId: number,
  body: { trackId: number; panelId: number; name?: string; venue?: string; startsAt?: string; slotMinutes?: number; qaMinutes?: number; entryIds?: number[] },
): Promise<SessionOut> {
  const n = ++seq;
  const tomorrow = new Date(Date.now() + 86400_000);
  tomorrow.setUTCHours(9, 0, 0, 0);
  const payload: Record<string, unknown> = {
    trackId: body.trackId,
    panelId: body.panelId,
    name: body.name ?? `第${n}场现场发表`,
    venue: body.venue ?? `滨海新区会议中心 ${n} 号厅`,
    startsAt: body.startsAt ?? tomorrow.toISOString(),
    slotMinutes: body.slotMinutes ?? 15,
    qaMinutes: body.qaMinutes ?? 5,
  };
  if (body.entryIds) payload.entryIds = body.entryIds;
  return (await send(t, organizerToken, 'post', `/api/contests/${contestId}/sessions`, payload, 201, 'createSession')) as unknown as SessionOut;
}

/** Generates a seed, commits its SHA-256, then draws with it. */
export async function commitAndDraw(t: TestApp, organizerToken: string, sessionId: number, seed: string = generateSeed()): Promise<{ seed: string; commitment: string; session: SessionOut }> {
  const commitment = commitSeed(seed);
  await send(t, organizerToken, 'post', `/api/sessions/${sessionId}/commit`, { commitment }, 200, 'commit');
  const session = (await send(t, organizerToken, 'post', `/api/sessions/${sessionId}/draw`, { seed }, 200, 'draw')) as unknown as SessionOut;
  return { seed, commitment, session };
}

/** Records an entry of the session as present or absent (contest in phase presentation, order drawn). */
export async function checkIn(t: TestApp, organizerToken: string, sessionId: number, entryId: number, attendance: 'present' | 'absent' = 'present') {
  return send(t, organizerToken, 'post', `/api/sessions/${sessionId}/check-in`, { entryId, attendance }, 200, 'checkIn');
}

export interface EntrySpec {
  /** The industry of the entry's (own, fresh) enterprise; default 制造业. */
  industry?: string;
  entryType?: 'problem_solving' | 'innovation';
  /** Index of the recommending unit (default 0). */
  unit?: number;
  /** Pass review (default true); false leaves the entry recommended, undecided. */
  pass?: boolean;
}

export interface ReviewWorld {
  admin: string;
  organizer: string;
  contest: { id: number };
  units: { id: number; token: string }[];
  enterprises: { id: number; token: string; industry: string }[];
  entries: { id: number; enterpriseId: number; unitId: number; entryType: string; title: string }[];
}

/**
 * A contest in phase `review` with one entry per spec, each from its own enterprise (of the given
 * industry) through one of `units` recommending units, submitted, recommended and (unless
 * `pass: false`) passed.
 */
export async function reviewWorld(t: TestApp, specs: EntrySpec[], opts: { units?: number; organizer?: string } = {}): Promise<ReviewWorld> {
  const n = ++seq;
  const admin = await login(t, ADMIN.username, ADMIN.password);
  const organizer = opts.organizer ?? (await createUser(t, admin, { username: `p-organizer-${n}-${process.pid}`, role: 'organizer' })).token;
  const contest = await openContest(t, organizer, { name: `2020年滨海新区质量攻关活动 世界${n}` });
  const units: ReviewWorld['units'] = [];
  for (let i = 0; i < (opts.units ?? 2); i++) {
    const unit = await createUnit(t, organizer);
    units.push({ id: unit.id, token: (await createUnitAccount(t, organizer, unit.id)).token });
  }
  const enterprises: ReviewWorld['enterprises'] = [];
  const entries: ReviewWorld['entries'] = [];
  for (const [i, spec] of specs.entries()) {
    const unit = units[spec.unit ?? 0]!;
    const industry = spec.industry ?? '制造业';
    const enterprise = await createEnterprise(t, organizer, unit.id, { industry });
    const token = (await createEnterpriseAccount(t, organizer, enterprise.id)).token;
    enterprises.push({ id: enterprise.id, token, industry });
    const e = await submittedRecommendedEntry(t, token, unit.token, contest.id, { entryType: spec.entryType ?? 'problem_solving', title: `降低不良率课题 ${n}-${i + 1}` });
    entries.push({ id: e.id, enterpriseId: e.enterpriseId, unitId: e.unitId, entryType: e.entryType, title: e.title });
  }
  await closeSubmissions(t, organizer, contest.id);
  await setPhase(t, organizer, contest.id, 'review');
  const toPass = entries.filter((_, i) => specs[i]!.pass !== false).map((e) => e.id);
  if (toPass.length) await passEntries(t, organizer, contest.id, toPass);
  return { admin, organizer, contest: { id: contest.id }, units, enterprises, entries };
}
