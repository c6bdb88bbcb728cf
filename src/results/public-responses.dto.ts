// Response bodies of objections and of what anyone reads without logging in (public contests, award
// lists), for the OpenAPI document (levels are first, second, third, excellence).
import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/pagination.js';
import type { Level } from '../contests/contest-rules.js';
import type { Phase } from '../contests/contest.entities.js';

const LEVEL = { enum: ['first', 'second', 'third', 'excellence'], type: String } as const;

export class ObjectionResponse {
  id: number;
  contestId: number;
  entryId: number;
  entryTitle: string | null;
  name: string;
  contact: string;
  content: string;
  status: 'open' | 'answered';
  answer: string | null;
  answeredBy: number | null;
  answeredAt: string | null;
  createdAt: string | null;
}

export class ObjectionPage extends PageOf(ObjectionResponse) {}

export class ObjectionReceipt {
  id: number;
  status: 'open' | 'answered';
  createdAt: string;
}

export class PublicContest {
  id: number;
  name: string;
  year: number;
  theme: string | null;
  phase: Phase;
  noticeEndsAt: string | null;
}

export class PublicContestPage extends PageOf(PublicContest) {}

export class AwardListEntryDto {
  /** 序号 within its level, from 1. */
  seq: number;
  entryId: number;
  title: string;
  enterpriseName: string;
  teamName: string;
  unitName: string;
  trackName: string | null;
  @ApiProperty(LEVEL) level: Level;
  /** Final score in points with 2 decimals (e.g. "91.25"), or null when the contest hides scores. */
  score: string | null;
}

export class AwardListLevels {
  @ApiProperty({ type: [AwardListEntryDto] }) first: AwardListEntryDto[];
  @ApiProperty({ type: [AwardListEntryDto] }) second: AwardListEntryDto[];
  @ApiProperty({ type: [AwardListEntryDto] }) third: AwardListEntryDto[];
  @ApiProperty({ type: [AwardListEntryDto] }) excellence: AwardListEntryDto[];
}

export class AwardListUnitDto {
  place: number;
  unitId: number;
  unitName: string;
  points: number;
  awardedEntries: number;
}

export class AwardListContest {
  id: number;
  name: string;
  year: number;
  theme: string | null;
}

/** The award list as people read it (公示 during the notice, then the published list). */
export class AwardListResponse {
  contest: AwardListContest;
  status: 'notice' | 'published';
  version: number;
  /** SHA-256 of the snapshot this list was made from. */
  hash: string;
  /** 结果校验码: SHA-256 of this list, as recorded when it was frozen. */
  listHash: string;
  noticeEndsAt: string | null;
  publishedAt: string | null;
  levels: AwardListLevels;
  @ApiProperty({ type: [AwardListUnitDto] }) excellentUnits: AwardListUnitDto[];
}
