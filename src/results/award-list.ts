import type { Level } from '../contests/contest-rules.js';

/**
 * The award list as people read it (公示/发布名单): the shape the public endpoint, the exports and the
 * certificates are made from. Produced by PublicResultsService from a frozen or published snapshot.
 */
export interface AwardListEntry {
  /** 序号 within its level, from 1 */
  seq: number;
  entryId: number;
  title: string;
  enterpriseName: string;
  teamName: string;
  unitName: string;
  trackName: string | null;
  level: Level;
  /** Final score in points with 2 decimals (e.g. "91.25"), or null when the contest hides scores. */
  score: string | null;
}

export interface AwardListUnit {
  place: number;
  unitId: number;
  unitName: string;
  points: number;
  awardedEntries: number;
}

export interface AwardList {
  contest: { id: number; name: string; year: number; theme: string | null };
  /** notice: shown during 公示; published: final */
  status: 'notice' | 'published';
  version: number;
  /** SHA-256 of the snapshot (the full explained computation) this list was made from. */
  hash: string;
  /** 结果校验码: SHA-256 of this list (award-list-builder.ts `publicListHash`), as recorded when it was frozen. */
  listHash: string;
  noticeEndsAt: string | null;
  publishedAt: string | null;
  levels: Record<Level, AwardListEntry[]>;
  excellentUnits: AwardListUnit[];
}

export const LEVEL_NAMES_ZH: Record<Level, string> = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
