import type { Level } from '../contests/contest-rules.js';
import type { AwardList, AwardListEntry } from './award-list.js';
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
export function toAwardList(payload: ResultsPayload, meta: AwardListMeta, withScores: boolean): AwardList {
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
  return {
    contest: { ...meta.contest },
    status: meta.status,
    version: meta.version,
    hash: meta.hash,
    noticeEndsAt: iso(meta.noticeEndsAt),
    publishedAt: iso(meta.publishedAt),
    levels,
    excellentUnits: payload.excellentUnits.units
      .filter((u) => u.selected)
      .map((u) => ({ place: u.place!, unitId: u.unitId, unitName: u.unitName, points: u.points, awardedEntries: u.awardedEntries })),
  };
}
