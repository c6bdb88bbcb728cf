import { ApiProperty } from '@nestjs/swagger';
// Response bodies of the presentation routes that are not single rows, for the OpenAPI document.
import { PageOf } from '../common/pagination.js';
import type { EntryType } from '../contests/contest.entities.js';
import type { EntryStatus } from '../entries/entry.entities.js';
import { AssignmentResponse, ConflictResponse, type ConflictSourceName, PanelResponse, SessionResponse } from './presentation.dto.js';

export class PanelPage extends PageOf(PanelResponse) {}
export class AssignmentPage extends PageOf(AssignmentResponse) {}
export class ConflictPage extends PageOf(ConflictResponse) {}
export class SessionPage extends PageOf(SessionResponse) {}

export class PlacedEntry {
  entryId: number;
  title: string;
  trackId: number;
  trackName: string;
}

export class UnplacedEntry {
  entryId: number;
  title: string;
  entryType: EntryType;
  industry: string | null;
}

export class PlacementResponse {
  contestId: number;
  @ApiProperty({ type: [PlacedEntry] })
  placed: PlacedEntry[];
  /** Entries no track takes (by industry and type): place them by hand. */
  @ApiProperty({ type: [UnplacedEntry] })
  unplaced: UnplacedEntry[];
}

export class SetTrackResponse {
  entryId: number;
  trackId: number;
  trackName: string;
  /** The entry's new version. */
  version: number;
  /** Assignments of the entry to the old track's panel that were removed. */
  removedAssignments: number;
}

export class AssignmentPairDto {
  expertId: number;
  entryId: number;
}

export class SkippedPair {
  expertId: number;
  entryId: number;
  source: ConflictSourceName;
  /** Why the pair is a conflict of interest. */
  reason: string;
}

export class DefaultAssignmentResponse {
  panelId: number;
  mode: 'default';
  /** Every expert of the panel with every entry of its track, conflicts left out. */
  @ApiProperty({ type: [AssignmentPairDto] })
  pairs: AssignmentPairDto[];
  @ApiProperty({ type: [SkippedPair] })
  skipped: SkippedPair[];
  /** Entries no expert of the panel may judge. */
  @ApiProperty({ type: [Number] })
  unjudged: number[];
}

export class BelowMinimumDto {
  entryId: number;
  assigned: number;
  required: number;
  /** Experts of the panel not conflicted with this entry. */
  eligible: number;
  reason: 'too_few_eligible_experts' | 'expert_capacity';
}

export class ExpertLoad {
  expertId: number;
  load: number;
}

export class AutoAssignmentResponse {
  panelId: number;
  mode: 'auto';
  minJudgesPerEntry: number;
  maxLoadPerExpert: number;
  /** The seed of the (reproducible) random choice. */
  seed: string;
  @ApiProperty({ type: [AssignmentPairDto] })
  pairs: AssignmentPairDto[];
  @ApiProperty({ type: [BelowMinimumDto] })
  belowMinimum: BelowMinimumDto[];
  @ApiProperty({ type: [ExpertLoad] })
  loads: ExpertLoad[];
  balanced: boolean;
}

export class AssignmentReportItem {
  entryId: number;
  title: string;
  trackId: number | null;
  status: EntryStatus;
  /** How many experts are assigned. */
  judges: number;
}

export class AssignmentReportResponse {
  contestId: number;
  /** The minimum number of judges asked for. */
  min: number;
  total: number;
  /** Entries with fewer than `min` judges. */
  @ApiProperty({ type: [AssignmentReportItem] })
  items: AssignmentReportItem[];
}

export class PublicDrawResponse {
  sessionId: number;
  /** sha256 of the seed, published before the draw. */
  commitment: string | null;
  committedAt: string | null;
  /** Revealed at the draw. */
  seed: string | null;
  drawnAt: string | null;
  @ApiProperty({ type: [Number] })
  entryIds: number[];
  /** The drawn order (entry ids). */
  @ApiProperty({ type: [Number], nullable: true })
  order: number[] | null;
  /** The order now (after any swaps). */
  @ApiProperty({ type: [Number], nullable: true })
  currentOrder: number[] | null;
  algorithm: string;
}

export class ScheduleSession {
  id: number;
  name: string;
  venue: string;
  startsAt: string;
  slotMinutes: number;
  qaMinutes: number;
  drawn: boolean;
}

export class EntryScheduleResponse {
  entryId: number;
  title: string;
  status: EntryStatus;
  session: ScheduleSession | null;
  position: number | null;
  startsAt: string | null;
  attendance: 'absent' | 'pending' | 'present' | null;
}

export class SchedulePanel {
  id: number;
  name: string;
  leader: boolean;
}

export class ScheduleEntry {
  entryId: number;
  title: string;
  teamName: string;
  enterpriseName: string | null;
  position: number | null;
  startsAt: string | null;
  attendance: 'absent' | 'pending' | 'present';
}

export class ScheduleItem {
  session: SessionResponse;
  panel: SchedulePanel | null;
  @ApiProperty({ type: [ScheduleEntry] })
  entries: ScheduleEntry[];
}

export class ExpertScheduleResponse {
  expertId: number;
  @ApiProperty({ type: [ScheduleItem] })
  items: ScheduleItem[];
}

export class NamedRef {
  id: number;
  name: string;
}

export class AssignmentSession {
  id: number;
  name: string;
  venue: string;
  startsAt: string;
}

export class MyAssignmentItem {
  assignmentId: number;
  contestId: number;
  panelId: number;
  entryId: number;
  title: string;
  entryType: EntryType;
  status: EntryStatus;
  track: NamedRef | null;
  session: AssignmentSession | null;
  position: number | null;
  startsAt: string | null;
  attendance: 'absent' | 'pending' | 'present' | null;
}

export class MyAssignmentsResponse {
  expertId: number;
  total: number;
  @ApiProperty({ type: [MyAssignmentItem] })
  items: MyAssignmentItem[];
}
