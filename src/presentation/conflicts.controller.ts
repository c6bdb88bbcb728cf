import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { DeclareConflictDto, ListConflictsQuery, OrganizerConflictDto } from './presentation.dto.js';
import { PresentationService } from './presentation.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { ConflictPage } from './presentation-responses.dto.js';

/** Conflicts of interest (回避): automatic from employers, or declared by the expert or an organizer. */
@ApiTags('presentation')
@Controller()
export class ConflictsController {
  constructor(private readonly presentation: PresentationService) {}

  /** The expert declares a conflict with an entry of a track its panel judges; its assignment to it goes. */
  @Post('entries/:id/conflicts')
  @Authenticated('expert')
  declare(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: DeclareConflictDto) {
    return this.presentation.declareByExpert(user, actor, id, dto.reason);
  }

  /** An organizer records a conflict between an expert and an entry; the assignment of the pair goes. */
  @Post('contests/:id/conflicts')
  @Authenticated('organizer')
  declareForExpert(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: OrganizerConflictDto) {
    return this.presentation.declareByOrganizer(actor, id, dto);
  }

  /** Every conflict in the contest with its source (employer_enterprise, employer_unit, declared_by_expert, declared_by_organizer). */
  @Get('contests/:id/conflicts')
  @Authenticated('organizer')
  @ApiOkResponse({ type: ConflictPage })
  list(@Param('id', ParseIdPipe) id: number, @Query() q: ListConflictsQuery): Promise<ConflictPage> {
    return this.presentation.listConflicts(id, q);
  }
}
