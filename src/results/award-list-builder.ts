import type { Level } from '../contests/contest-rules.js';
import type { AwardList, AwardListEntry } from './award-list.js';
import { canonicalHash } from './canonical-json.js';
import { formatPoints, LEVELS, type ResultsPayload } from './results-payload.js';

export interface AwardListMeta {
  contest: { id: number; name: string; year: number; theme: string | null };
  status: AwardList['status'];
  version: number;
  hash: string;
  noticeEndsAt: Date | string | null;
  publishedAt: Date | string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/**
 * The award list people read, from a snapshot's payload: awarded entries grouped by the level shown
 * (after adjustments), each level in rank order (an entry adjusted into a level without a rank comes
 * last, by id), numbered from 1; the selected excellent units by place. No marks, no expert, no
 * unranked entry; the score (2 decimals) only when `withScores`.
 */
/** What an award list is made of: the entries (at least those with a level) and the excellent units. */
export type AwardListSource = Pick<ResultsPayload, 'entries' | 'excellentUnits'>;

export function toAwardList(payload: AwardListSource, meta: AwardListMeta, withScores: boolean): AwardList {
  const levels = Object.fromEntries(LEVELS.map((l) => [l, [] as AwardListEntry[]])) as Record<Level, AwardListEntry[]>;
  const awarded = payload.entries
    .filter((e) => e.participation === 'judged' && e.level !== null)
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.entryId - b.entryId);
  for (const e of awarded) {
    const list = levels[e.level!];
    list.push({
      seq: list.length + 1,
      entryId: e.entryId,
      title: e.title,
      enterpriseName: e.enterpriseName,
      teamName: e.teamName,
      unitName: e.unitName,
      trackName: e.trackName,
      level: e.level!,
      score: withScores && e.finalScore !== null ? formatPoints(e.finalScore, 2) : null,
    });
  }
  const excellentUnits = payload.excellentUnits.units
    .filter((u) => u.selected)
    .map((u) => ({ place: u.place!, unitId: u.unitId, unitName: u.unitName, points: u.points, awardedEntries: u.awardedEntries }));
  return {
    contest: { ...meta.contest },
    status: meta.status,
    version: meta.version,
    hash: meta.hash,
    listHash: publicListHash({ contest: meta.contest, version: meta.version, hash: meta.hash, levels, excellentUnits }),
    noticeEndsAt: iso(meta.noticeEndsAt),
    publishedAt: iso(meta.publishedAt),
    levels,
    excellentUnits,
  };
}

/**
 * The public list's own SHA-256 (`listHash`, shown as 结果校验码): sha256 of the canonical JSON (keys
 * sorted recursively, no whitespace; canonical-json.ts) of `{contestId, version, hash, levels,
 * excellentUnits}` taken from the public body, so anyone can recompute it from a downloaded list.
 * It covers the snapshot hash too, and is recorded in the audit event that froze (or republished) it.
 */
export function publicListHash(list: Pick<AwardList, 'contest' | 'version' | 'hash' | 'levels' | 'excellentUnits'>): string {
  return canonicalHash({ contestId: list.contest.id, version: list.version, hash: list.hash, levels: list.levels, excellentUnits: list.excellentUnits });
}

/** The public list hash of a snapshot's payload, as the public route will show it. */
export function payloadListHash(payload: AwardListSource, snapshot: { contestId: number; version: number; hash: string }, withScores: boolean): string {
  const meta: AwardListMeta = { contest: { id: snapshot.contestId, name: '', year: 0, theme: null }, status: 'notice', version: snapshot.version, hash: snapshot.hash, noticeEndsAt: null, publishedAt: null };
  return toAwardList(payload, meta, withScores).listHash;
}
