// Score sheets through the HTTP API (the scoring feature).
import type { TestApp } from '../support/test-app.js';

export type Stage = 'material' | 'presentation';
export const STAGES: Stage[] = ['material', 'presentation'];

export interface RubricOut {
  id: number;
  items: { key: string; title: string; description: string; max: number }[];
  maxTotal: number;
}

export interface SheetOut {
  id: number | null;
  contestId: number;
  entryId: number;
  expertId: number;
  stage: Stage;
  status: 'draft' | 'submitted';
  marks: Record<string, number | null>;
  comments: Record<string, string>;
  total: number | null;
  rubricId: number;
  version: number;
  lockVersion: number;
  reopenReason: string | null;
  submittedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface MySheetOut extends SheetOut {
  entryTitle: string;
  entryType: string;
  rubric: RubricOut;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function sheetPath(entryId: number, stage: Stage, action: 'mine' | 'draft' | 'submit'): string {
  return `/api/entries/${entryId}/sheets/${stage}/${action}`;
}

/** The expert's sheet with its rubric (throws unless 200). */
export async function mySheet(t: TestApp, expertToken: string, entryId: number, stage: Stage): Promise<MySheetOut> {
  const res = await t.http().get(sheetPath(entryId, stage, 'mine')).set(bearer(expertToken));
  if (res.status !== 200) throw new Error(`mySheet: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MySheetOut;
}

/**
 * Marks in points for every item of a rubric: a fraction of each maximum rounded to tenths
 * (`fraction` 0.8 → 80 % of each item), so totals are predictable.
 */
export function marksFor(rubric: RubricOut, fraction = 0.8): Record<string, number> {
  return Object.fromEntries(rubric.items.map((i) => [i.key, Math.round(i.max * fraction * 10) / 10]));
}

/** Sum of marks in tenths, back in points (exact). */
export function totalOf(marks: Record<string, number>): number {
  return Object.values(marks).reduce((s, v) => s + Math.round(v * 10), 0) / 10;
}

export async function saveDraft(t: TestApp, expertToken: string, entryId: number, stage: Stage, body: Record<string, unknown>): Promise<SheetOut> {
  const res = await t.http().put(sheetPath(entryId, stage, 'draft')).set(bearer(expertToken)).send(body);
  if (res.status !== 200) throw new Error(`saveDraft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SheetOut;
}

/** Submits the sheet with the given marks, or 80 % of every maximum. */
export async function submitSheet(
  t: TestApp,
  expertToken: string,
  entryId: number,
  stage: Stage,
  marks?: Record<string, number>,
  extra: Record<string, unknown> = {},
): Promise<SheetOut> {
  const m = marks ?? marksFor((await mySheet(t, expertToken, entryId, stage)).rubric);
  const res = await t.http().post(sheetPath(entryId, stage, 'submit')).set(bearer(expertToken)).send({ marks: m, ...extra });
  if (res.status !== 200) throw new Error(`submitSheet: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SheetOut;
}

/** Submits both stages of every listed entry for one expert. */
export async function submitAll(t: TestApp, expertToken: string, entryIds: number[]): Promise<SheetOut[]> {
  const out: SheetOut[] = [];
  for (const entryId of entryIds) for (const stage of STAGES) out.push(await submitSheet(t, expertToken, entryId, stage));
  return out;
}

export async function reopenSheet(t: TestApp, organizerToken: string, sheetId: number, reason: string): Promise<Record<string, unknown>> {
  const res = await t.http().post(`/api/sheets/${sheetId}/reopen`).set(bearer(organizerToken)).send({ reason });
  if (res.status !== 200) throw new Error(`reopenSheet: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

export async function signOff(t: TestApp, leaderToken: string, sessionId: number): Promise<{ sessionId: number; signedOffAt: string; signedOffBy: number }> {
  const res = await t.http().post(`/api/sessions/${sessionId}/sign-off`).set(bearer(leaderToken)).send();
  if (res.status !== 200) throw new Error(`signOff: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { sessionId: number; signedOffAt: string; signedOffBy: number };
}
