import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser, Public } from '../common/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { CheckInDto, CheckInResponse, CommitDto, CreateSessionDto, DrawDto, ExpertTasksResponse, SwapDto, UndoCheckInDto } from './presentation.dto.js';
import { SessionsService } from './sessions.service.js';
import { CheckInService } from './check-in.service.js';
import { SchedulesService } from './schedules.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { EntryScheduleResponse, ExpertScheduleResponse, MyAssignmentsResponse, PublicDrawResponse, SessionPage } from './presentation-responses.dto.js';

/** 现场发表: sessions, the verifiable draw (抽签), check-in and schedules. */
@ApiTags('presentation')
@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly checkIns: CheckInService,
    private readonly schedules: SchedulesService,
  ) {}

  /** Creates a session of a track in a venue; its entries (default: the track's unscheduled passed entries) become scheduled. */
  @Post('contests/:id/sessions')
  @Authenticated('organizer')
  create(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateSessionDto) {
    return this.sessions.create(actor, id, dto);
  }

  /** The contest's sessions by start time. */
  @Get('contests/:id/sessions')
  @Authenticated('organizer')
  @ApiOkResponse({ type: SessionPage })
  list(@Param('id', ParseIdPipe) id: number, @Query() q: PageQuery): Promise<SessionPage> {
    return this.sessions.list(id, q);
  }

  /** One session with its slots (organizers; experts of its panel). */
  @Get('sessions/:id')
  @Authenticated('organizer', 'expert')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.sessions.get(user, id);
  }

  /** Publishes the SHA-256 commitment of the secret seed before the draw. */
  @Post('sessions/:id/commit')
  @HttpCode(200)
  @Authenticated('organizer')
  commit(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CommitDto) {
    return this.sessions.commit(actor, id, dto.commitment);
  }

  /** Reveals the seed and draws the order (409 seed_mismatch when SHA-256(seed) is not the commitment). */
  @Post('sessions/:id/draw')
  @HttpCode(200)
  @Authenticated('organizer')
  draw(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: DrawDto) {
    return this.sessions.draw(actor, id, dto.seed);
  }

  /** Public: the commitment, the revealed seed, the input ids, the order and the algorithm, so anyone can recompute the draw. */
  @Get('public/sessions/:id/draw')
  @Public()
  @ApiOkResponse({ type: PublicDrawResponse })
  publicDraw(@Param('id', ParseIdPipe) id: number): Promise<PublicDrawResponse> {
    return this.sessions.publicDraw(id);
  }

  /** Swaps the places of two entries after the draw (before either checks in), with a reason. */
  @Post('sessions/:id/swap')
  @HttpCode(200)
  @Authenticated('organizer')
  swap(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: SwapDto) {
    return this.sessions.swap(actor, id, dto);
  }

  /** Records an entry as present or absent (entry status presented | absent). */
  @Post('sessions/:id/check-in')
  @HttpCode(200)
  @Authenticated('organizer')
  checkIn(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CheckInDto) {
    return this.checkIns.checkIn(actor, id, dto);
  }

  /**
   * Undoes the check-in of an entry with a reason (a late team recorded absent, a wrong tick): the
   * slot is pending again and the entry scheduled; 409 wrong_phase, session_signed_off, not_checked_in, scoring_started.
   */
  @Post('sessions/:id/check-in/:entryId/undo')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiConflictResponse({ description: 'wrong_phase, session_signed_off, not_checked_in, scoring_started' })
  @ApiNotFoundResponse({ description: 'no such session, or the entry is not in it' })
  undoCheckIn(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: number,
    @Param('entryId', ParseIdPipe) entryId: number,
    @Body() dto: UndoCheckInDto,
  ): Promise<CheckInResponse> {
    return this.checkIns.undoCheckIn(actor, id, entryId, dto);
  }

  /** The entry's session, venue, position and time (its enterprise; organizers). */
  @Get('entries/:id/schedule')
  @Authenticated('enterprise', 'organizer')
  @ApiOkResponse({ type: EntryScheduleResponse })
  entrySchedule(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<EntryScheduleResponse> {
    return this.schedules.entrySchedule(user, id);
  }

  /** The calling expert's sessions with its assigned entries in presentation order. */
  @Get('experts/me/schedule')
  @Authenticated('expert')
  @ApiOkResponse({ type: ExpertScheduleResponse })
  mySchedule(@CurrentUser() user: AuthUser): Promise<ExpertScheduleResponse> {
    return this.schedules.expertSchedule(user);
  }

  /** The calling expert's task list in one answer: sessions and assignments of contests still judged, its own sheet states, counts of past work. */
  @Get('experts/me/tasks')
  @Authenticated('expert')
  myTasks(@CurrentUser() user: AuthUser): Promise<ExpertTasksResponse> {
    return this.schedules.expertTasks(user);
  }

  /** The calling expert's assignments (entry title, type, track, session, position). */
  @Get('experts/me/assignments')
  @Authenticated('expert')
  @ApiOkResponse({ type: MyAssignmentsResponse })
  myAssignments(@CurrentUser() user: AuthUser): Promise<MyAssignmentsResponse> {
    return this.schedules.expertAssignments(user);
  }
}
