import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayNotEmpty, ArrayUnique, buildMessage, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min,
  MinLength, ValidateBy, type ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import type { Assignment, Attendance, DeclaredConflict, Panel, PresentationSession, SessionSlot } from './presentation.entities.js';
import { IsOptionalNonNull } from '../common/validation.js';

// ---------------------------------------------------------------------------------------------
// Shared field rules

const MAX_ID = 2147483647;

/** Trims text; other values pass through so that the type check reports them. */
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Length in characters (code points), as MySQL counts a varchar (emoji are one character there). */
function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxLength',
      constraints: [max],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && [...v].length <= max,
        defaultMessage: buildMessage((each) => `${each}$property must be at most ${max} characters`, options),
      },
    },
    options,
  );
}

/** Present fields must not be null (for the non-null columns of a partial update). */
const NotNullIfPresent = IsOptionalNonNull;

const Id = () => (target: object, key: string | symbol) => {
  IsInt()(target, key);
  Min(1)(target, key);
  Max(MAX_ID)(target, key);
};

const QueryId = () => (target: object, key: string | symbol) => {
  IsOptional()(target, key);
  Type(() => Number)(target, key);
  Id()(target, key);
};

// ---------------------------------------------------------------------------------------------
// Tracks

export class SetTrackDto {
  /** The track (分组) of the entry's contest. */
  @Id()
  trackId: number;
}

// ---------------------------------------------------------------------------------------------
// Panels

export class CreatePanelDto {
  @Id()
  trackId: number;

  /** 评审组名称, unique in the contest (1–100 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(100)
  name: string;

  /** 组长; a member automatically. */
  @Id()
  leaderExpertId: number;

  /** The other experts of the panel (the leader is added when missing). */
  // @IsArray() comes last so that it runs, and is reported, before the element checks.
  @ArrayMaxSize(100) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true }) @IsArray()
  @ApiProperty({ type: [Number] })
  memberExpertIds: number[];
}

/** Only the fields sent change; members are replaced as a whole (the leader stays a member). */
export class UpdatePanelDto {
  @NotNullIfPresent() @Trim() @IsString() @MinLength(1) @MaxChars(100)
  name?: string;

  @NotNullIfPresent() @Id()
  leaderExpertId?: number;

  @NotNullIfPresent() @ArrayMaxSize(100) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true }) @IsArray()
  @ApiPropertyOptional({ type: [Number] })
  memberExpertIds?: number[];
}

export class PanelMemberResponse {
  id: number;
  name: string;
  title: string | null;
  employerName: string | null;
}

export class PanelResponse {
  id: number;
  contestId: number;
  trackId: number;
  name: string;
  leaderExpertId: number | null;
  leader: PanelMemberResponse | null;
  /** Every member, the leader included, by expert id. */
  @ApiProperty({ type: [PanelMemberResponse] })
  members: PanelMemberResponse[];
  createdAt: string;
}

export function toPanelResponse(p: Panel, members: PanelMemberResponse[]): PanelResponse {
  return {
    id: p.id,
    contestId: p.contestId,
    trackId: p.trackId,
    name: p.name,
    leaderExpertId: p.leaderExpertId ?? null,
    leader: members.find((x) => x.id === p.leaderExpertId) ?? null,
    members,
    createdAt: iso(p.createdAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Conflicts (回避)

export const CONFLICT_SOURCES = ['employer_enterprise', 'employer_unit', 'declared_by_expert', 'declared_by_organizer'] as const;
export type ConflictSourceName = (typeof CONFLICT_SOURCES)[number];

export class DeclareConflictDto {
  /** Why the expert must not judge the entry (1–500 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(500)
  reason: string;
}

export class OrganizerConflictDto extends DeclareConflictDto {
  @Id()
  expertId: number;

  @Id()
  entryId: number;
}

export class ListConflictsQuery extends PageQuery {
  @QueryId()
  expertId?: number;

  @QueryId()
  entryId?: number;

  @IsOptional() @IsIn(CONFLICT_SOURCES)
  source?: ConflictSourceName;
}

export class ConflictResponse {
  /** The declaration's id; null for an automatic conflict (computed from employers, never stored). */
  id: number | null;
  contestId: number;
  expertId: number;
  expertName: string;
  entryId: number;
  entryTitle: string;
  source: ConflictSourceName;
  reason: string;
  /** The user who declared it (null for automatic ones). */
  declaredBy: number | null;
  createdAt: string | null;
}

export function declaredSource(d: Pick<DeclaredConflict, 'declaredByRole'>): ConflictSourceName {
  return d.declaredByRole === 'expert' ? 'declared_by_expert' : 'declared_by_organizer';
}

// ---------------------------------------------------------------------------------------------
// Assignments

export class AutoAssignDto {
  /** Judges each entry should get (1–50). */
  @IsInt() @Min(1) @Max(50)
  minJudgesPerEntry: number;

  /** The most entries one expert may judge (1–10000). */
  @IsInt() @Min(1) @Max(10000)
  maxLoadPerExpert: number;

  /** Makes the assignment reproducible: the same seed gives the same pairs (1–128 characters). */
  @IsString() @MinLength(1) @MaxChars(128)
  seed: string;
}

export class ManualAssignmentDto {
  @Id()
  expertId: number;

  @Id()
  entryId: number;
}

export class ListAssignmentsQuery extends PageQuery {
  @QueryId()
  panelId?: number;

  @QueryId()
  expertId?: number;

  @QueryId()
  entryId?: number;
}

export class AssignmentReportQuery {
  /** Entries with fewer judges than this are listed (1–50). */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  min: number;
}

export class AssignmentResponse {
  id: number;
  contestId: number;
  panelId: number;
  expertId: number;
  expertName: string | null;
  entryId: number;
  entryTitle: string | null;
  createdAt: string;
}

export function toAssignmentResponse(a: Assignment, names: { expert?: string; entry?: string } = {}): AssignmentResponse {
  return {
    id: a.id,
    contestId: a.contestId,
    panelId: a.panelId,
    expertId: a.expertId,
    expertName: names.expert ?? null,
    entryId: a.entryId,
    entryTitle: names.entry ?? null,
    createdAt: iso(a.createdAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Sessions, draw, check-in

export class CreateSessionDto {
  @Id()
  trackId: number;

  /** The panel judging the session; it must be the panel of the track. */
  @Id()
  panelId: number;

  /** 场次名称 (1–100 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(100)
  name: string;

  /** The room; two sessions may not overlap in one venue (1–200 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(200)
  venue: string;

  /** ISO 8601 date-time with a time zone, e.g. 2020-09-15T09:00:00+08:00. */
  @IsString() @IsISO8601({ strict: true, strictSeparator: true }) @Matches(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/)
  startsAt: string;

  /** Presentation minutes per entry (1–120). */
  @IsInt() @Min(1) @Max(120)
  slotMinutes: number;

  /** Question-and-answer minutes per entry (0–60). */
  @IsInt() @Min(0) @Max(60)
  qaMinutes: number;

  /** The entries to present; default: the track's passed entries not yet in a session. */
  @IsOptional() @ArrayNotEmpty() @ArrayMaxSize(500) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true }) @IsArray()
  @ApiPropertyOptional({ type: [Number] })
  entryIds?: number[];
}

export class CommitDto {
  /** SHA-256 (64 hex characters) of the secret seed, published before the draw. */
  @IsString() @Matches(/^[0-9a-fA-F]{64}$/)
  commitment: string;
}

export class DrawDto {
  /** The secret seed whose SHA-256 was committed (1–128 characters). */
  @IsString() @MinLength(1) @MaxChars(128)
  seed: string;
}

export class SwapDto {
  @Id()
  entryA: number;

  @Id()
  entryB: number;

  /** Why the two change places (required, 1–500 characters). */
  @Trim() @IsString() @MinLength(1) @MaxChars(500)
  reason: string;
}

export const CHECK_IN_ATTENDANCE = ['present', 'absent'] as const;

export class CheckInDto {
  @Id()
  entryId: number;

  @IsIn(CHECK_IN_ATTENDANCE)
  attendance: 'present' | 'absent';
}

/** Undoes a check-in (present or absent) while the session is open, e.g. a late team marked absent. */
export class UndoCheckInDto {
  /** Why the check-in is undone (required, 1–500 characters; kept on the entry's timeline and in the audit trail). */
  @Trim() @IsString() @MinLength(1) @MaxChars(500)
  reason: string;
}

/** An entry's attendance in its session after a check-in or its undoing. */
export class CheckInResponse {
  sessionId: number;
  entryId: number;
  position: number | null;
  startsAt: string | null;
  attendance: Attendance;
  checkedAt: string | null;
  entryStatus: string;
}

export class SlotResponse {
  entryId: number;
  title: string;
  teamName: string;
  enterpriseName: string | null;
  entryStatus: string;
  /** 1-based presentation order; null until the draw. */
  position: number | null;
  startsAt: string | null;
  attendance: Attendance;
  checkedAt: string | null;
}

export class SessionResponse {
  id: number;
  contestId: number;
  trackId: number;
  panelId: number | null;
  name: string;
  venue: string;
  startsAt: string;
  /** startsAt + entries × (slot + Q&A). */
  endsAt: string;
  slotMinutes: number;
  qaMinutes: number;
  entryCount: number;
  commitment: string | null;
  committedAt: string | null;
  /** Revealed at the draw; null before. */
  seed: string | null;
  drawnAt: string | null;
  signedOffAt: string | null;
  createdAt: string;
  @ApiPropertyOptional({ type: [SlotResponse] })
  slots?: SlotResponse[];
}

export function sessionEnd(s: Pick<PresentationSession, 'startsAt' | 'slotMinutes' | 'qaMinutes'>, entryCount: number): Date {
  return new Date(new Date(s.startsAt).getTime() + entryCount * (s.slotMinutes + s.qaMinutes) * 60_000);
}

export function toSessionResponse(s: PresentationSession, entryCount: number, slots?: SlotResponse[]): SessionResponse {
  const out: SessionResponse = {
    id: s.id,
    contestId: s.contestId,
    trackId: s.trackId,
    panelId: s.panelId ?? null,
    name: s.name,
    venue: s.venue,
    startsAt: iso(s.startsAt),
    endsAt: sessionEnd(s, entryCount).toISOString(),
    slotMinutes: s.slotMinutes,
    qaMinutes: s.qaMinutes,
    entryCount,
    commitment: s.seedCommitment ?? null,
    committedAt: isoOrNull(s.committedAt),
    seed: s.drawnAt ? (s.seed ?? null) : null,
    drawnAt: isoOrNull(s.drawnAt),
    signedOffAt: isoOrNull(s.signedOffAt),
    createdAt: iso(s.createdAt),
  };
  if (slots) out.slots = slots;
  return out;
}

export function toSlotResponse(
  slot: SessionSlot,
  entry: { title: string; teamName: string | null; status: string } | undefined,
  enterpriseName: string | null,
): SlotResponse {
  return {
    entryId: slot.entryId,
    title: entry?.title ?? '',
    teamName: entry?.teamName ?? '',
    enterpriseName,
    entryStatus: entry?.status ?? '',
    position: slot.position ?? null,
    startsAt: isoOrNull(slot.startsAt),
    attendance: slot.attendance,
    checkedAt: isoOrNull(slot.checkedAt),
  };
}

// ---------------------------------------------------------------------------------------------

export function iso(d: Date | string): string {
  return new Date(d).toISOString();
}

export function isoOrNull(d: Date | string | null | undefined): string | null {
  return d === null || d === undefined ? null : new Date(d).toISOString();
}

// ---------------------------------------------------------------------------------------------
// The expert's task list (one request for the whole screen)

export class TaskSheetState {
  stage: 'material' | 'presentation';
  status: 'draft' | 'submitted';
  /** Points, one decimal; null until submitted. */
  total: number | null;
}

export class TaskEntry {
  entryId: number;
  contestId: number;
  title: string;
  teamName: string | null;
  enterpriseName: string | null;
  /** 1-based presentation order; null before the draw or when unscheduled. */
  position: number | null;
  startsAt: string | null;
  attendance: Attendance | null;
  /** The caller's own sheets of this entry (none yet: empty). */
  @ApiProperty({ type: [TaskSheetState] })
  sheets: TaskSheetState[];
}

export class TaskPanel {
  id: number;
  name: string;
  /** The caller leads this panel (signs its sessions off). */
  leader: boolean;
}

export class TaskSession {
  session: SessionResponse;
  panel: TaskPanel | null;
  /** The caller's assigned, unconflicted entries of the session in presentation order. */
  @ApiProperty({ type: [TaskEntry] })
  entries: TaskEntry[];
}

export class PastWork {
  /** Sessions of the caller's panels in contests past judging (notice, published, archived). */
  sessions: number;
  /** The caller's submitted sheets in those contests. */
  submittedSheets: number;
}

export class ExpertTasksResponse {
  expertId: number;
  /** Contests still being judged only: their sessions by start time. */
  @ApiProperty({ type: [TaskSession] })
  sessions: TaskSession[];
  /** Assigned entries of contests still being judged that are in none of the caller's sessions. */
  @ApiProperty({ type: [TaskEntry] })
  unscheduled: TaskEntry[];
  /** Sheets still to submit (entries not absent, stages without a submitted sheet). */
  pending: number;
  past: PastWork;
}
