/**
 * Comparing a stored payload with a recomputed one (the recompute check): which sections differ, and
 * the first differing entries with the values people read. Plain functions over plain data.
 */
import type { Stage } from '../judging/final-score.js';
import { formatPoints, type ResultsPayload, type StoredPayloadEntry } from './results-payload.js';

export interface EntryDifference {
  entryId: number;
  title: string | null;
  /** The top-level fields of the entry that differ, with both values for the ones people read. */
  fields: string[];
  stored: Partial<Record<'finalScore' | 'rank' | 'level' | 'computedLevel' | 'material' | 'presentation', string | number | null>>;
  recomputed: Partial<Record<'finalScore' | 'rank' | 'level' | 'computedLevel' | 'material' | 'presentation', string | number | null>>;
}

export interface PayloadDifferences {
  /** Top-level sections (other than entries) that differ. */
  sections: string[];
  entries: EntryDifference[];
  /** How many entries differ in all. */
  entryCount: number;
}

/** The differences between two payloads: the sections, then the first `limit` differing entries. */
export function diffPayloads(stored: ResultsPayload, recomputed: ResultsPayload, canonical: (v: unknown) => string, limit = 5): PayloadDifferences {
  const sections = [...new Set([...Object.keys(stored ?? {}), ...Object.keys(recomputed)])]
    .filter((k) => k !== 'entries')
    .filter((k) => canonical((stored as unknown as Record<string, unknown>)?.[k] ?? null) !== canonical((recomputed as unknown as Record<string, unknown>)[k] ?? null))
    .sort();
  const before = new Map((Array.isArray(stored?.entries) ? stored.entries : []).map((e) => [e.entryId, e]));
  const after = new Map(recomputed.entries.map((e) => [e.entryId, e]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  const entries: EntryDifference[] = [];
  let entryCount = 0;
  // Keep the order of the stored ranking when possible: the first differences people look at are the top ones.
  for (const id of ids) {
    const a = before.get(id);
    const b = after.get(id);
    if (a && b && canonical(a) === canonical(b)) continue;
    entryCount++;
    if (entries.length >= limit) continue;
    const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
    const fields = !a ? ['(only in the recomputation)'] : !b ? ['(only in the stored snapshot)'] : keys.filter((k) => canonical((a as unknown as Record<string, unknown>)[k] ?? null) !== canonical((b as unknown as Record<string, unknown>)[k] ?? null));
    entries.push({ entryId: id, title: (a ?? b)?.title ?? null, fields, stored: summary(a), recomputed: summary(b) });
  }
  return { sections, entries, entryCount };
}

function summary(e: StoredPayloadEntry | undefined): EntryDifference['stored'] {
  if (!e) return {};
  const stage = (s: Stage) => (e.stages?.[s] ? formatPoints(e.stages[s]!.value) : null);
  return {
    finalScore: e.finalScore === null ? null : formatPoints(e.finalScore),
    rank: e.rank,
    computedLevel: e.computedLevel,
    level: e.level,
    material: stage('material'),
    presentation: stage('presentation'),
  };
}
