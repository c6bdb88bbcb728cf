import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { IsOptionalNonNull } from '../common/validation.js';

// The projector display of a session (现场发表投屏) and its timer. What a display shows is public
// in the hall (the teams present there in the drawn order), so the wall carries the running order
// (team, enterprise, title) and the timer, and never marks, scores, ranks or experts' names: the
// panel's membership is not published before the results, and names on the wall would invite
// lobbying. The optional progress is a count of submitted sheets of the entry presenting, no more.

/** Amber from two minutes left; red at zero (the display and the desk use the same threshold). */
export const WARN_BELOW_MS = 120_000;

/** One entry on the wall: its place in the order, team, enterprise and title. */
export class DisplayEntry {
  entryId: number;
  /** 1-based place in the drawn order. */
  position: number;
  title: string;
  teamName: string;
  enterpriseName: string | null;
}

/** The timer as at `serverNowMs`: while running, remaining = remainingMs − (now − serverNowMs). */
export class DisplayTimer {
  /** The presentation time of one entry: the session's slot minutes (validated 1–120 when the session is created). */
  durationMs: number;
  /** Remaining ms at serverNowMs; negative once over time. */
  remainingMs: number;
  running: boolean;
  /** Below this many ms left the display turns amber; at 0 red. */
  warnBelowMs: number;
  /** Bumped by every action on the timer. */
  version: number;
  updatedAt: string | null;
}

/** Sheets of the entry presenting: how many of its assigned experts submitted its presentation score (counts only). */
export class DisplayProgress {
  submitted: number;
  expected: number;
}

/** What the wall shows, the same for a display link and for the organizer's desk. */
export class DisplayState {
  /** The server's clock when this state was read (ISO 8601): the one clock of the timer. */
  serverNow: string;
  /** The same instant in epoch milliseconds. */
  serverNowMs: number;
  sessionId: number;
  sessionName: string;
  venue: string;
  contestName: string;
  startsAt: string;
  slotMinutes: number;
  /** The draw is done (before it there is no order to show). */
  drawn: boolean;
  /** The panel leader signed the session off: the day is over, the timer is frozen. */
  signedOff: boolean;
  @ApiProperty({ type: () => DisplayEntry, nullable: true, description: 'The entry presenting; null before the first start.' })
  current: DisplayEntry | null;
  @ApiProperty({ type: () => [DisplayEntry], description: 'The next (at most) two entries to present, absent ones skipped.' })
  next: DisplayEntry[];
  /** Entries that present in this session (absent ones excluded) and how many have come up so far. */
  total: number;
  done: number;
  @ApiProperty({ type: () => DisplayTimer })
  timer: DisplayTimer;
  @ApiProperty({ type: () => DisplayProgress, nullable: true, description: 'Counts for the entry presenting; null when nobody presents.' })
  progress: DisplayProgress | null;
}

/** Moves the wall to the next entry; `entryId` jumps to that entry instead (e.g. a late team presents last). */
export class AdvanceDto {
  @IsOptionalNonNull() @IsInt() @Min(1) @Max(2147483647)
  entryId?: number;
}

/** Length in characters (code points), as MySQL counts a varchar. */
function MaxChars(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'maxLength',
    constraints: [max],
    validator: {
      validate: (v: unknown) => typeof v === 'string' && [...v].length <= max,
      defaultMessage: buildMessage((each) => `${each}$property must be at most ${max} characters`),
    },
  });
}

export class CreateDisplayLinkDto {
  /** What the link is for, e.g. 主会场投影 (1–50 characters). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(1) @MaxChars(50)
  label: string;
}

/** A display link as the desk lists it: the token itself is shown once, when the link is created. */
export class DisplayLinkResponse {
  id: number;
  sessionId: number;
  label: string;
  createdAt: string;
  createdBy: number;
  revokedAt: string | null;
  revokedBy: number | null;
}

export class DisplayLinkCreated extends DisplayLinkResponse {
  /** The secret of the link (43 characters); only its SHA-256 is stored, so it cannot be shown again. */
  token: string;
  /** The page to open on the wall's computer, relative to the site: #/display/<token>. */
  path: string;
}

export class DisplayStreamQuery {
  /** The display link's token (EventSource cannot send headers; redacted in the logs). */
  @IsString() @Matches(/^[A-Za-z0-9_-]{43}$/)
  access_token: string;
}

export class OrganizerStreamQuery {
  /** The organizer's bearer token, for EventSource (which cannot send an Authorization header). */
  @IsOptional() @IsString() @MaxLength(4096)
  access_token?: string;
}
