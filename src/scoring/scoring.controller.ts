import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Authenticated, CurrentActor, CurrentUser } from '../common/auth.decorators.js';
import { EntrySheetList, MySheetResponse, MySheetsQuery, OrganizerSheetResponse, ReopenSheetDto, SaveSheetDto, SheetParams, SheetResponse, SheetVersionResponse, SignOffResponse, SignOffStatusResponse } from './scoring.dto.js';
import { SheetAdminService } from './sheet-admin.service.js';
import { SheetsService } from './sheets.service.js';
import { SheetSubmitService } from './sheet-submit.service.js';
import { SignOffService } from './sign-off.service.js';
import { ParseIdPipe } from '../common/id.pipe.js';
import { SheetPage } from './scoring-responses.dto.js';

/**
 * Score sheets (评分表). Experts read and write only their own sheets of the entries assigned to
 * them (never another expert's marks); organizers read any sheet with its versions and reopen
 * submitted ones. Nobody else sees marks on any of these routes.
 */
@ApiTags('scoring')
@Controller()
export class ScoringController {
  constructor(
    private readonly sheets: SheetsService,
    private readonly submits: SheetSubmitService,
    private readonly admin: SheetAdminService,
    private readonly signOffs: SignOffService,
  ) {}

  /** The caller's own score sheets (expert), optionally of one contest. */
  @Get('experts/me/sheets')
  @Authenticated('expert')
  @ApiOkResponse({ type: SheetPage })
  listMine(@CurrentUser() user: AuthUser, @Query() q: MySheetsQuery): Promise<SheetPage> {
    return this.sheets.listMine(user, q);
  }

  /** The caller's sheet for an assigned entry and stage with its rubric (an empty draft when not started); 404 when not assigned, 403 conflict_of_interest. */
  @Get('entries/:entryId/sheets/:stage/mine')
  @Authenticated('expert')
  mine(@CurrentUser() user: AuthUser, @Param() p: SheetParams): Promise<MySheetResponse> {
    return this.sheets.mine(user, p.entryId, p.stage);
  }

  /** Saves a draft (partial marks in points, ≤ 1 decimal); 409 stale_version, sheet_locked, wrong_phase, entry_absent, session_signed_off. */
  @Put('entries/:entryId/sheets/:stage/draft')
  @Authenticated('expert')
  @ApiConflictResponse({ description: 'stale_version, sheet_locked, wrong_phase, entry_absent, session_signed_off' })
  saveDraft(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param() p: SheetParams, @Body() dto: SaveSheetDto): Promise<SheetResponse> {
    return this.sheets.saveDraft(user, actor, p.entryId, p.stage, dto);
  }

  /** Submits and locks the sheet (every item marked; the server computes the total); the same content again answers the same version. */
  @Post('entries/:entryId/sheets/:stage/submit')
  @HttpCode(200)
  @Authenticated('expert')
  @ApiConflictResponse({ description: 'sheet_locked, stale_version, wrong_phase, entry_absent, session_signed_off' })
  submit(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param() p: SheetParams, @Body() dto: SaveSheetDto): Promise<SheetResponse> {
    return this.submits.submit(user, actor, p.entryId, p.stage, dto);
  }

  /** Every sheet of an entry with its expert, stage, status and version count (organizer), to read or reopen one. */
  @Get('entries/:entryId/sheets')
  @Authenticated('organizer')
  listOfEntry(@Param('entryId', ParseIdPipe) entryId: number): Promise<EntrySheetList> {
    return this.admin.listOfEntry(entryId);
  }

  /** One sheet with all its submitted versions (organizer). */
  @Get('sheets/:id')
  @Authenticated('organizer')
  get(@Param('id', ParseIdPipe) id: number): Promise<OrganizerSheetResponse> {
    return this.admin.getForOrganizer(id);
  }

  /** The submitted versions of a sheet (organizer). */
  @Get('sheets/:id/versions')
  @Authenticated('organizer')
  versions(@Param('id', ParseIdPipe) id: number): Promise<SheetVersionResponse[]> {
    return this.admin.listVersions(id);
  }

  /** Reopens a submitted sheet with a reason (organizer): the expert may change and resubmit it; clears the session's sign-off. */
  @Post('sheets/:id/reopen')
  @HttpCode(200)
  @Authenticated('organizer')
  reopen(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number, @Body() dto: ReopenSheetDto): Promise<OrganizerSheetResponse> {
    return this.admin.reopen(actor, id, dto.reason);
  }

  /** Before signing: the session's sign-off and the sheets still missing (its panel leader; organizers). */
  @Get('sessions/:id/sign-off')
  @Authenticated('expert', 'organizer')
  signOffStatus(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<SignOffStatusResponse> {
    return this.signOffs.signOffStatus(user, id);
  }

  /** The panel leader signs off the session once every assigned sheet of its present entries is submitted; 409 sheets_missing lists them. */
  @Post('sessions/:id/sign-off')
  @HttpCode(200)
  @Authenticated('expert')
  signOff(@CurrentUser() user: AuthUser, @CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: number): Promise<SignOffResponse> {
    return this.signOffs.signOff(user, actor, id);
  }
}
