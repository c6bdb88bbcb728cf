// Contests through the HTTP API.
import type { TestApp } from '../support/test-app.js';

export interface ContestOut {
  id: number;
  name: string;
  phase: string;
  rules: Record<string, unknown>;
  submissionOpensAt: string | null;
  submissionClosesAt: string | null;
  rubrics?: { entryType: string; stage: string; items: { key: string; max: number }[] }[];
}

let n = 0;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A draft contest whose submission window runs from an hour ago to 30 days ahead.
 * To test a passed deadline: open it, then `closeSubmissions` (a deadline in the past cannot be opened).
 */
export async function createContest(t: TestApp, organizerToken: string, overrides: Record<string, unknown> = {}): Promise<ContestOut> {
  const now = Date.now();
  const body = {
    name: `2020年滨海新区质量攻关活动 #${++n}`,
    year: 2020,
    theme: '建设质量强国 决胜全面小康',
    submissionOpensAt: new Date(now - 3600_000).toISOString(),
    submissionClosesAt: new Date(now + 30 * 86400_000).toISOString(),
    ...overrides,
  };
  const res = await t.http().post('/api/contests').set(auth(organizerToken)).send(body);
  if (res.status !== 201) throw new Error(`createContest: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ContestOut;
}

export async function setPhase(t: TestApp, organizerToken: string, contestId: number, to: string): Promise<ContestOut> {
  const res = await t.http().post(`/api/contests/${contestId}/phase`).set(auth(organizerToken)).send({ to });
  if (res.status !== 200) throw new Error(`setPhase ${to}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ContestOut;
}

/** A contest in the open phase, accepting entries. */
export async function openContest(t: TestApp, organizerToken: string, overrides: Record<string, unknown> = {}): Promise<ContestOut> {
  const c = await createContest(t, organizerToken, overrides);
  return setPhase(t, organizerToken, c.id, 'open');
}

/** Moves the submission deadline of an open contest into the past (a second ago). */
export async function closeSubmissions(t: TestApp, organizerToken: string, contestId: number): Promise<void> {
  const res = await t.http().patch(`/api/contests/${contestId}`).set(auth(organizerToken))
    .send({ submissionOpensAt: new Date(Date.now() - 7200_000).toISOString(), submissionClosesAt: new Date(Date.now() - 1000).toISOString() });
  if (res.status !== 200) throw new Error(`closeSubmissions: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function createTrack(t: TestApp, organizerToken: string, contestId: number, body: { name: string; industry?: string; entryType?: string }) {
  const res = await t.http().post(`/api/contests/${contestId}/tracks`).set(auth(organizerToken)).send(body);
  if (res.status !== 201) throw new Error(`createTrack: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; name: string; industry: string | null; entryType: string | null };
}
