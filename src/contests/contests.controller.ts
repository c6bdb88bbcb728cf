import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { defaultRubric } from '../judging/rubric.js';
import { defaultRules } from './contest-rules.js';
import { ChangePhaseDto, CreateContestDto, CreateTrackDto, PutRubricDto, RubricParams, UpdateContestDto } from './contests.dto.js';
import { ContestsService } from './contests.service.js';
import { ContestDefaultsResponse, ContestPage, ContestResponse, PhaseStatusResponse, RubricResponseDto, TrackResponse } from './contest-responses.dto.js';
import { ParseIdPipe } from '../common/id.pipe.js';

@ApiTags('contests')
@Controller('contests')
export class ContestsController {
  constructor(private readonly contests: ContestsService) {}

  /** Creates a contest in the draft phase with the default rules and rubrics. */
  @Post()
  @Authenticated('organizer')
  @ApiCreatedResponse({ type: ContestResponse })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContestDto): Promise<ContestResponse> {
    return this.contests.create(actor, dto);
  }

  /** The default rules and rubrics a new contest starts from (rubric maxima in points). */
  @Get('defaults')
  @Authenticated()
  @ApiOkResponse({ type: ContestDefaultsResponse })
  defaults(): ContestDefaultsResponse {
    const rubric = (stage: 'material' | 'presentation', t: 'problem_solving' | 'innovation') => defaultRubric(stage, t).map((i) => ({ ...i, max: i.max / 10 }));
    return {
      rules: defaultRules(),
      rubrics: {
        material: { problem_solving: rubric('material', 'problem_solving'), innovation: rubric('material', 'innovation') },
        presentation: rubric('presentation', 'problem_solving'),
      },
    };
  }

  /** Contests: organizers see all, everyone else those past the draft phase. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ type: ContestPage })
  list(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<ContestPage> {
    return this.contests.list(user, q);
  }

  /** One contest with its current rubrics and tracks. */
  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ContestResponse, description: 'With the current rubrics and the tracks.' })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<ContestResponse> {
    return this.contests.get(user, id);
  }

  /** Edits name, calendar and rules (rules are frozen once presentation starts). */
  @Patch(':id')
  @Authenticated('organizer')
  @ApiOkResponse({ type: ContestResponse })
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateContestDto): Promise<ContestResponse> {
    return this.contests.update(actor, id, dto);
  }

  /** Replaces the rubric of an entry type and stage with a new version (maxima in points). */
  @Put(':id/rubrics/:entryType/:stage')
  @Authenticated('organizer')
  @ApiOkResponse({ type: RubricResponseDto })
  putRubric(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param() p: RubricParams, @Body() dto: PutRubricDto) {
    return this.contests.putRubric(actor, id, p.entryType, p.stage, dto.items);
  }

  /** The current phase, the next one, what still blocks it and its conditions as a checklist (met or not). */
  @Get(':id/phase')
  @Authenticated('organizer')
  @ApiOkResponse({ type: PhaseStatusResponse })
  phase(@Param('id', ParseIdPipe) id: number): Promise<PhaseStatusResponse> {
    return this.contests.phaseStatus(id);
  }

  /** Moves the contest to the next phase; 409 `phase_blocked` lists the unmet preconditions. */
  @Post(':id/phase')
  @HttpCode(200)
  @Authenticated('organizer')
  @ApiOkResponse({ type: ContestResponse, description: 'The contest in its new phase.' })
  changePhase(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ChangePhaseDto): Promise<ContestResponse> {
    return this.contests.changePhase(actor, id, dto.to);
  }

  /** Adds a judging track (分组). */
  @Post(':id/tracks')
  @Authenticated('organizer')
  @ApiCreatedResponse({ type: TrackResponse })
  createTrack(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateTrackDto): Promise<TrackResponse> {
    return this.contests.createTrack(actor, id, dto);
  }

  /** The contest's tracks. */
  @Get(':id/tracks')
  @Authenticated()
  @ApiOkResponse({ type: [TrackResponse] })
  tracks(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<TrackResponse[]> {
    return this.contests.listTracks(user, id);
  }
}
