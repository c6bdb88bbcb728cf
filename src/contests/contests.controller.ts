import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { defaultRubric } from '../judging/rubric.js';
import { defaultRules } from './contest-rules.js';
import { ChangePhaseDto, CreateContestDto, CreateTrackDto, PutRubricDto, RubricParams, UpdateContestDto } from './contests.dto.js';
import { ContestsService } from './contests.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';

@ApiTags('contests')
@Controller('contests')
export class ContestsController {
  constructor(private readonly contests: ContestsService) {}

  /** Creates a contest in the draft phase with the default rules and rubrics. */
  @Post()
  @Authenticated('organizer')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContestDto) {
    return this.contests.create(actor, dto);
  }

  /** The default rules and rubrics a new contest starts from (rubric maxima in points). */
  @Get('defaults')
  @Authenticated()
  defaults() {
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
  list(@CurrentUser() user: AuthUser, @Query() q: PageQuery) {
    return this.contests.list(user, q);
  }

  /** One contest with its current rubrics and tracks. */
  @Get(':id')
  @Authenticated()
  get(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.contests.get(user, id);
  }

  /** Edits name, calendar and rules (rules are frozen once presentation starts). */
  @Patch(':id')
  @Authenticated('organizer')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateContestDto) {
    return this.contests.update(actor, id, dto);
  }

  /** Replaces the rubric of an entry type and stage with a new version (maxima in points). */
  @Put(':id/rubrics/:entryType/:stage')
  @Authenticated('organizer')
  putRubric(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Param() p: RubricParams, @Body() dto: PutRubricDto) {
    return this.contests.putRubric(actor, id, p.entryType, p.stage, dto.items);
  }

  /** The current phase, the next one, what still blocks it and its conditions as a checklist (met or not). */
  @Get(':id/phase')
  @Authenticated('organizer')
  phase(@Param('id', ParseIdPipe) id: number) {
    return this.contests.phaseStatus(id);
  }

  /** Moves the contest to the next phase; 409 `phase_blocked` lists the unmet preconditions. */
  @Post(':id/phase')
  @HttpCode(200)
  @Authenticated('organizer')
  changePhase(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ChangePhaseDto) {
    return this.contests.changePhase(actor, id, dto.to);
  }

  /** Adds a judging track (分组). */
  @Post(':id/tracks')
  @Authenticated('organizer')
  createTrack(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateTrackDto) {
    return this.contests.createTrack(actor, id, dto);
  }

  /** The contest's tracks. */
  @Get(':id/tracks')
  @Authenticated()
  tracks(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.contests.listTracks(user, id);
  }
}
