// Preliminary review (材料初审) through the HTTP API (used by later features: presentation, scoring).
import type { TestApp } from '../support/test-app.js';

export interface ChecklistResultOut { key: string; title: string | null; ok: boolean; note: string | null }
export interface ReviewDecisionOut {
  id: number;
  entryId: number;
  round: number;
  decision: 'pass' | 'return' | 'reject';
  checklist: ChecklistResultOut[];
  reason: string | null;
  decidedBy: number | null;
  createdAt: string;
}
export interface DecideBody {
  decision: 'pass' | 'return' | 'reject';
  checklist: { key: string; ok: boolean; note?: string | null }[];
  reason?: string | null;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The default contest checklist keys (see defaultRules in src/contests/contest-rules.ts). */
export const DEFAULT_CHECKLIST_KEYS = ['materials_complete', 'activity_period', 'report_length', 'type_fits', 'not_repeated'];

/** A checklist answer with every item ok, except `failed` (key → note). */
export function checklistAnswer(failed: Record<string, string> = {}, keys: string[] = DEFAULT_CHECKLIST_KEYS): DecideBody['checklist'] {
  return keys.map((key) => (key in failed ? { key, ok: false, note: failed[key] } : { key, ok: true }));
}

/** Passes these entries of a contest in phase `review` (POST /contests/:id/review/bulk-pass). */
export async function passEntries(t: TestApp, organizerToken: string, contestId: number, entryIds: number[]): Promise<ReviewDecisionOut[]> {
  const res = await t.http().post(`/api/contests/${contestId}/review/bulk-pass`).set(bearer(organizerToken)).send({ entryIds });
  if (res.status !== 200) throw new Error(`passEntries: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { decisions: ReviewDecisionOut[] }).decisions;
}

/** One decision (POST /contests/:id/review/:entryId); throws unless it is recorded. */
export async function decide(t: TestApp, organizerToken: string, contestId: number, entryId: number, body: DecideBody): Promise<ReviewDecisionOut> {
  const res = await t.http().post(`/api/contests/${contestId}/review/${entryId}`).set(bearer(organizerToken)).send(body);
  if (res.status !== 201) throw new Error(`decide: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { decision: ReviewDecisionOut }).decision;
}
