// A contest ready for scoring, built entirely through the HTTP API (used by the scoring feature).
import { ADMIN, createUser, login, type TestApp } from '../support/test-app.js';
import { closeSubmissions, createTrack, openContest, setPhase } from './contests.js';
import { submittedRecommendedEntry } from './entries.js';
import { createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount } from './organisations.js';
import { assignDefault, checkIn, commitAndDraw, createPanel, createSession, placeTracks } from './presentation.js';
import { passEntries } from './review.js';

export interface ScoringScenario {
  admin: string; organizer: string;              // tokens
  contest: { id: number }; track: { id: number }; panel: { id: number }; session: { id: number };
  units: { id: number; token: string }[];         // recommender tokens
  enterprises: { id: number; token: string }[];   // enterprise tokens
  entries: { id: number; enterpriseId: number; unitId: number; entryType: string }[];
  experts: { id: number; userId: number; token: string }[];  // panel members; experts[0] is the leader
  absentEntryIds: number[];
  conflicts: { expertId: number; entryId: number }[];        // automatic (employer) conflicts
}

let seq = 0;

/**
 * An open contest with `entries` entries (one enterprise each, over two recommending units,
 * alternating problem_solving / innovation), submitted, recommended and passed; one track taking
 * them all; `experts` experts on one panel (experts[0] leads it; experts[1..conflicts] each work for
 * the enterprise of entries[0..], so each is automatically conflicted with that entry); the default
 * assignment; one session, committed and drawn; the contest moved to `presentation`; every entry
 * checked in, the last `absent` of them absent.
 */
export async function buildScoringScenario(
  t: TestApp,
  opts: { entries?: number; experts?: number; absent?: number; conflicts?: number } = {},
): Promise<ScoringScenario> {
  const entryCount = opts.entries ?? 4;
  const expertCount = opts.experts ?? 5;
  const absentCount = opts.absent ?? 1;
  const conflictCount = opts.conflicts ?? 1;
  if (entryCount < 1 || expertCount < 1) throw new Error('buildScoringScenario: at least one entry and one expert');
  if (absentCount > entryCount) throw new Error('buildScoringScenario: more absent entries than entries');
  if (conflictCount > expertCount - 1) throw new Error('buildScoringScenario: conflicted experts must leave the leader unconflicted');
  const n = ++seq;

  const admin = await login(t, ADMIN.username, ADMIN.password);
  const organizer = (await createUser(t, admin, { username: `scenario-organizer-${n}-${process.pid}`, role: 'organizer', displayName: '组委会 评审办' })).token;
  const contest = await openContest(t, organizer, { name: `滨海新区质量攻关成果评比 场景${n}` });

  const units: ScoringScenario['units'] = [];
  for (let i = 0; i < Math.min(2, entryCount); i++) {
    const unit = await createUnit(t, organizer);
    units.push({ id: unit.id, token: (await createUnitAccount(t, organizer, unit.id)).token });
  }

  const enterprises: ScoringScenario['enterprises'] = [];
  const entries: ScoringScenario['entries'] = [];
  for (let i = 0; i < entryCount; i++) {
    const unit = units[i % units.length]!;
    const enterprise = await createEnterprise(t, organizer, unit.id);
    const token = (await createEnterpriseAccount(t, organizer, enterprise.id)).token;
    enterprises.push({ id: enterprise.id, token });
    const entryType = i % 2 === 0 ? 'problem_solving' : 'innovation';
    const entry = await submittedRecommendedEntry(t, token, unit.token, contest.id, { entryType, title: `提高产品一次交检合格率 场景${n}-${i + 1}` });
    entries.push({ id: entry.id, enterpriseId: entry.enterpriseId, unitId: entry.unitId, entryType: entry.entryType });
  }

  await closeSubmissions(t, organizer, contest.id);
  await setPhase(t, organizer, contest.id, 'review');
  await passEntries(t, organizer, contest.id, entries.map((e) => e.id));
  const track = await createTrack(t, organizer, contest.id, { name: `综合组 ${n}` });
  const placed = await placeTracks(t, organizer, contest.id);
  if (placed.placed.length !== entryCount) throw new Error(`buildScoringScenario: placed ${placed.placed.length} of ${entryCount} entries`);

  const experts: ScoringScenario['experts'] = [];
  const conflicts: ScoringScenario['conflicts'] = [];
  for (let i = 0; i < expertCount; i++) {
    const conflicted = i >= 1 && i <= conflictCount ? entries[(i - 1) % entryCount]! : null;
    const expert = await createExpert(t, organizer, conflicted ? { employerEnterpriseId: conflicted.enterpriseId } : {});
    experts.push({ id: expert.id, userId: expert.account.userId, token: expert.account.token });
    if (conflicted) conflicts.push({ expertId: expert.id, entryId: conflicted.id });
  }

  const panel = await createPanel(t, organizer, contest.id, { trackId: track.id, leaderExpertId: experts[0]!.id, memberExpertIds: experts.map((x) => x.id) });
  await assignDefault(t, organizer, panel.id);
  const session = await createSession(t, organizer, contest.id, { trackId: track.id, panelId: panel.id });
  await commitAndDraw(t, organizer, session.id);
  await setPhase(t, organizer, contest.id, 'presentation');

  const absentEntryIds = entries.slice(entryCount - absentCount).map((e) => e.id);
  for (const e of entries) await checkIn(t, organizer, session.id, e.id, absentEntryIds.includes(e.id) ? 'absent' : 'present');

  return {
    admin,
    organizer,
    contest: { id: contest.id },
    track: { id: track.id },
    panel: { id: panel.id },
    session: { id: session.id },
    units,
    enterprises,
    entries,
    experts,
    absentEntryIds,
    conflicts,
  };
}
