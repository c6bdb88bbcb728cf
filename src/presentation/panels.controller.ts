import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/auth-user.js';
import { Authenticated, CurrentActor } from '../common/auth.decorators.js';
import { PageQuery } from '../common/pagination.js';
import { AssignmentReportQuery, AutoAssignDto, CreatePanelDto, ListAssignmentsQuery, ManualAssignmentDto, UpdatePanelDto } from './presentation.dto.js';
import { PanelsService } from './panels.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { AssignmentPage, AssignmentReportResponse, AutoAssignmentResponse, DefaultAssignmentResponse, PanelPage } from './presentation-responses.dto.js';

/** 评审组 and assignments (who judges which entry): organizers only. */
@ApiTags('presentation')
@Controller()
@Authenticated('organizer')
export class PanelsController {
  constructor(private readonly panels: PanelsService) {}

  /** Creates the panel of a track with its leader (a member automatically) and members. */
  @Post('contests/:id/panels')
  create(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: CreatePanelDto) {
    return this.panels.createPanel(actor, id, dto);
  }

  /** The contest's panels with their leader and members. */
  @Get('contests/:id/panels')
  @ApiOkResponse({ type: PanelPage })
  list(@Param('id', ParseIdPipe) id: number, @Query() q: PageQuery): Promise<PanelPage> {
    return this.panels.listPanels(id, q);
  }

  /** Renames a panel, changes its leader or replaces its members (leavers lose their assignments in it). */
  @Patch('panels/:id')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdatePanelDto) {
    return this.panels.updatePanel(actor, id, dto);
  }

  /** Replaces the panel's assignments: every member judges every entry of the track, except conflicted pairs (reported). */
  @Post('panels/:id/assignments/default')
  @HttpCode(200)
  @ApiOkResponse({ type: DefaultAssignmentResponse })
  assignDefault(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<DefaultAssignmentResponse> {
    return this.panels.assignDefault(actor, id);
  }

  /** Replaces the panel's assignments by the balanced automatic assignment for a seed; reports entries below the minimum. */
  @Post('panels/:id/assignments/auto')
  @HttpCode(200)
  @ApiOkResponse({ type: AutoAssignmentResponse })
  assignAuto(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: AutoAssignDto): Promise<AutoAssignmentResponse> {
    return this.panels.assignAuto(actor, id, dto);
  }

  /** Assigns one expert to one entry by hand (409 conflict_of_interest or expert_not_in_panel when not allowed). */
  @Post('contests/:id/assignments')
  assign(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ManualAssignmentDto) {
    return this.panels.assignManual(actor, id, dto);
  }

  /** Removes one assignment. */
  @Delete('assignments/:id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.panels.removeAssignment(actor, id);
  }

  /** The contest's assignments, optionally of one panel, expert or entry. */
  @Get('contests/:id/assignments')
  @ApiOkResponse({ type: AssignmentPage })
  listAssignments(@Param('id', ParseIdPipe) id: number, @Query() q: ListAssignmentsQuery): Promise<AssignmentPage> {
    return this.panels.listAssignments(id, q);
  }

  /** Entries that passed review with fewer than `min` judges assigned. */
  @Get('contests/:id/assignments/report')
  @ApiOkResponse({ type: AssignmentReportResponse })
  report(@Param('id', ParseIdPipe) id: number, @Query() q: AssignmentReportQuery): Promise<AssignmentReportResponse> {
    return this.panels.report(id, q.min);
  }
}
