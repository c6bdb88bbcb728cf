import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { ENTRY_TYPES, type EntryType } from '../contests/contest.entities.js';
import { PageQuery } from '../common/pagination.js';
import { ENTRY_STATUSES, type Attachment, type Entry, type EntryEvent, type EntryStatus } from './entry.entities.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Something other than white space. */
const NOT_BLANK = /\S/;
/** Whole yuan; far below 2^53. */
const MAX_YUAN = 1_000_000_000_000;
const present = (_: object, v: unknown) => v !== undefined;

export class TeamMemberDto {
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(20)
  name: string;

  /** 职务/职称, e.g. 工程师 */
  @IsString() @MaxLength(30)
  jobTitle: string;

  /** Role in the team, e.g. 组长, 副组长, 组员. */
  @IsString() @MaxLength(10)
  role: string;
}

/**
 * The team. In a draft every part may still be missing (name and leader empty, no members); what is
 * given is validated. Submission needs a name, a leader and at least one member.
 */
export class TeamDto {
  /** 小组名称 (may be empty in a draft) */
  @IsOptional() @IsString() @MaxLength(100)
  name?: string | null;

  /** 组长 (may be empty in a draft) */
  @IsOptional() @IsString() @MaxLength(20)
  leader?: string | null;

  /** At most the contest's rules.caps.maxTeamMembers (400 `too_many_members`); at least one to submit. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TeamMemberDto)
  @ApiPropertyOptional({ type: [TeamMemberDto], nullable: true })
  members?: TeamMemberDto[] | null;
}

/**
 * A new entry is a draft: only the title is needed (partial drafts, issue 12). Every other field may
 * be left out or null and is validated when given; submission checks that nothing is missing
 * (422 `entry_incomplete`).
 */
export class CreateEntryDto {
  /** 课题名称, 1–200 characters. */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(200)
  title: string;

  /** One of the contest's rules.allowedEntryTypes. */
  @IsOptional() @IsIn(ENTRY_TYPES)
  entryType?: EntryType | null;

  /** A track (分组) of this contest; its entry type, if it has one, must match. */
  @IsOptional() @IsInt() @Min(1)
  trackId?: number | null;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => TeamDto)
  team?: TeamDto | null;

  /** 成果简介, up to 4000 characters. */
  @IsOptional() @IsString() @MaxLength(4000)
  summary?: string | null;

  /** YYYY-MM-DD, not before the contest's rules.activityNotBefore. */
  @IsOptional() @IsString() @Matches(DATE)
  activityStart?: string | null;

  /** YYYY-MM-DD, not before activityStart. */
  @IsOptional() @IsString() @Matches(DATE)
  activityEnd?: string | null;

  /** 经济效益, whole yuan. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_YUAN)
  economicBenefit?: number | null;

  /** How the benefit was computed (may be empty), up to 1000 characters. */
  @IsOptional() @IsString() @MaxLength(1000)
  benefitDescription?: string | null;

  /** The recommending unit; defaults to the enterprise's default unit. */
  @IsOptional() @IsInt() @Min(1)
  unitId?: number;
}

/** Any subset of the entry's fields; null clears a content field (`trackId: null` removes the track). */
export class UpdateEntryDto {
  @ValidateIf(present) @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(200)
  title?: string;

  @IsOptional() @IsIn(ENTRY_TYPES)
  entryType?: EntryType | null;

  @IsOptional() @IsInt() @Min(1)
  trackId?: number | null;

  /** Replaces the whole team. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TeamDto)
  team?: TeamDto | null;

  @IsOptional() @IsString() @MaxLength(4000)
  summary?: string | null;

  @IsOptional() @IsString() @Matches(DATE)
  activityStart?: string | null;

  @IsOptional() @IsString() @Matches(DATE)
  activityEnd?: string | null;

  @IsOptional() @IsInt() @Min(0) @Max(MAX_YUAN)
  economicBenefit?: number | null;

  @IsOptional() @IsString() @MaxLength(1000)
  benefitDescription?: string | null;

  /** Not changeable once the unit has recommended the entry. */
  @ValidateIf(present) @IsInt() @Min(1)
  unitId?: number;

  /** The version the client last read: a stale one is refused with 409 `stale_version`. */
  @ValidateIf(present) @IsInt() @Min(1)
  version?: number;
}

export class DeclineEntryDto {
  /** Why the unit declines to recommend, 1–500 characters. */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(500)
  reason: string;
}

export class WithdrawEntryDto {
  /** Optional note, up to 500 characters. */
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export const ENTRY_SORTS = ['createdAt', '-createdAt', 'title', '-title', 'status', '-status'] as const;
export type EntrySort = (typeof ENTRY_SORTS)[number];

export class ListEntriesQuery extends PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  contestId?: number;

  @IsOptional() @IsIn(ENTRY_STATUSES)
  status?: EntryStatus;

  @IsOptional() @IsIn(ENTRY_TYPES)
  entryType?: EntryType;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  trackId?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  unitId?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  enterpriseId?: number;

  /** Part of the title. */
  @IsOptional() @IsString() @MaxLength(100)
  q?: string;

  /** createdAt, title or status; a leading `-` sorts descending. Default `-createdAt`. */
  @IsOptional() @IsIn(ENTRY_SORTS)
  sort?: EntrySort;
}

export class TeamMemberView {
  name: string;
  jobTitle: string;
  role: string;
}

export class TeamView {
  name: string;
  leader: string;
  @ApiProperty({ type: () => [TeamMemberView] })
  members: TeamMemberView[];
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export class EntryResponse {
  id: number;
  contestId: number;
  enterpriseId: number;
  unitId: number;
  trackId: number | null;
  title: string;
  /** Null (as every content field) while a draft lacks it. */
  entryType: EntryType | null;
  status: EntryStatus;
  @ApiProperty({ type: () => TeamView, nullable: true })
  team: TeamView | null;
  summary: string | null;
  activityStart: string | null;
  activityEnd: string | null;
  economicBenefit: number | null;
  benefitDescription: string | null;
  submittedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toEntryResponse(e: Entry): EntryResponse {
  return {
    id: e.id,
    contestId: e.contestId,
    enterpriseId: e.enterpriseId,
    unitId: e.unitId,
    trackId: e.trackId ?? null,
    title: e.title,
    entryType: e.entryType ?? null,
    status: e.status,
    team: e.team ?? null,
    summary: e.summary ?? null,
    activityStart: e.activityStart ?? null,
    activityEnd: e.activityEnd ?? null,
    economicBenefit: e.economicBenefit === null || e.economicBenefit === undefined ? null : Number(e.economicBenefit),
    benefitDescription: e.benefitDescription ?? null,
    submittedAt: iso(e.submittedAt),
    version: e.version,
    createdAt: iso(e.createdAt) as string,
    updatedAt: iso(e.updatedAt) as string,
  };
}

/** Something that still keeps an entry from being submitted (a missing field or the report). */
export class EntryMissingItem {
  /** The field as the API names it (e.g. `summary`, `team.leader`), or `attachments.report`. */
  field: string;
  /** `required` for a field, `report_required` for the PDF report. */
  code: string;
  /** What is missing, in Chinese (e.g. 尚未填写成果简介). */
  message: string;
}

/** One entry, with what still blocks its submission (empty unless it is a draft or returned entry that lacks something). */
export class EntryDetailResponse extends EntryResponse {
  @ApiProperty({ type: () => [EntryMissingItem] })
  missing: EntryMissingItem[];
}

/** An entry in a list, with the names a list shows (so a screen needs no lookups of its own). */
export class EntryListItem extends EntryResponse {
  contestName: string;
  enterpriseName: string;
  unitName: string;
  trackName: string | null;
}

export class EntryEventResponse {
  id: number;
  fromStatus: EntryStatus | null;
  toStatus: EntryStatus;
  actorId: number | null;
  /** The actor's display name (null for the system or a removed account). */
  actorName: string | null;
  actorRole: string;
  reason: string | null;
  createdAt: string;
}

export function toEntryEventResponse(e: EntryEvent, actorName: string | null): EntryEventResponse {
  return {
    id: e.id,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus,
    actorId: e.actorId ?? null,
    actorName,
    actorRole: e.actorRole,
    reason: e.reason ?? null,
    createdAt: iso(e.createdAt) as string,
  };
}

export class AttachmentResponse {
  id: number;
  entryId: number;
  kind: string;
  version: number;
  /** The latest version of its kind. */
  current: boolean;
  originalName: string;
  /** Detected from the content. */
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: number;
  createdAt: string;
}

export function toAttachmentResponse(a: Attachment, current: boolean): AttachmentResponse {
  return {
    id: a.id,
    entryId: a.entryId,
    kind: a.kind,
    version: a.version,
    current,
    originalName: a.originalName,
    mime: a.mime,
    size: a.size,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    createdAt: iso(a.createdAt) as string,
  };
}

/** Entries per status: every status of the lifecycle (`implements` keeps this list complete). */
export class EntryStatusCounts implements Record<EntryStatus, number> {
  draft: number;
  submitted: number;
  recommended: number;
  declined: number;
  passed: number;
  returned: number;
  resubmitted: number;
  rejected: number;
  scheduled: number;
  presented: number;
  absent: number;
  scored: number;
  awarded: number;
  not_awarded: number;
  withdrawn: number;
}

/** The number of a contest's entries in each status (every status present, 0 when none). */
export class EntryCountsResponse {
  contestId: number;
  /** Every entry of the contest, whatever its status. */
  total: number;
  byStatus: EntryStatusCounts;
}
